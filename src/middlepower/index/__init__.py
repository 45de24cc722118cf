"""A general composite-indicator engine (independent of geopolitics).

An index spec (indicators -> pillars -> ... -> index, directions, weights and methods) is
applied to a whole panel at once as impute -> treat -> normalise -> weight -> aggregate, on an
array X[unit, year, indicator]. The same pipeline runs vectorised under Monte Carlo uncertainty
(:func:`uncertainty`, :func:`node_replications`) and Sobol sensitivity analysis
(:func:`sensitivity`), in blocks that any executor may evaluate (:mod:`middlepower.index.blocks`).
COINr-style iData/iMeta tables are read by :func:`read_coinr`. Formulas: docs/index-engine.md.

The names below are imported on first use, so that importing a submodule (the CLI's, say) does
not load NumPy, pandas and SciPy before it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "Aggregate": "spec", "Indicator": "spec", "Method": "spec", "Spec": "spec", "UncertainInput": "spec",
    "load_spec": "spec", "spec_from_dict": "spec",
    "IndexResult": "pipeline", "run": "pipeline",
    "read_coinr": "coinr",
    "sensitivity": "sensitivity_analysis",
    "NodeReplications": "uncertainty_analysis", "node_replications": "uncertainty_analysis",
    "uncertainty": "uncertainty_analysis",
    "Context": "montecarlo", "make_context": "montecarlo",
    "BlockResult": "blocks", "Job": "blocks", "block_mapper": "blocks", "compute_blocks": "blocks",
    "run_blocks": "blocks",
}

__all__ = [
    "Aggregate",
    "BlockResult",
    "Context",
    "IndexResult",
    "Indicator",
    "Job",
    "Method",
    "NodeReplications",
    "Spec",
    "UncertainInput",
    "block_mapper",
    "compute_blocks",
    "load_spec",
    "make_context",
    "node_replications",
    "read_coinr",
    "run",
    "run_blocks",
    "sensitivity",
    "spec_from_dict",
    "uncertainty",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'middlepower.index' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"middlepower.index.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from middlepower.index.blocks import BlockResult, Job, block_mapper, compute_blocks, run_blocks
    from middlepower.index.coinr import read_coinr
    from middlepower.index.montecarlo import Context, make_context
    from middlepower.index.pipeline import IndexResult, run
    from middlepower.index.sensitivity_analysis import sensitivity
    from middlepower.index.spec import Aggregate, Indicator, Method, Spec, UncertainInput, load_spec, spec_from_dict
    from middlepower.index.uncertainty_analysis import NodeReplications, node_replications, uncertainty
