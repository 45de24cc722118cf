"""A general composite-indicator engine (independent of geopolitics).

An index spec (indicators -> pillars -> ... -> index, directions, weights and methods) is
applied to a whole panel at once as impute -> treat -> normalise -> weight -> aggregate, on an
array X[unit, year, indicator]. The same pipeline runs vectorised under Monte Carlo uncertainty
(:func:`uncertainty`, :func:`node_replications`) and Sobol sensitivity analysis
(:func:`sensitivity`), in blocks that any executor may evaluate (:mod:`middlepower.index.blocks`). COINr-style
iData/iMeta tables are read by :func:`read_coinr`. Formulas: docs/index-engine.md.
"""

from middlepower.index.coinr import read_coinr
from middlepower.index.pipeline import IndexResult, run
from middlepower.index.sensitivity import sensitivity
from middlepower.index.spec import Aggregate, Indicator, Method, Spec, UncertainInput, load_spec, spec_from_dict
from middlepower.index.blocks import BlockResult, Job, compute_blocks, run_blocks
from middlepower.index.montecarlo import Context, make_context
from middlepower.index.uncertainty import NodeReplications, node_replications, uncertainty

__all__ = [
    "Aggregate",
    "BlockResult",
    "Context",
    "Job",
    "NodeReplications",
    "compute_blocks",
    "make_context",
    "node_replications",
    "run_blocks",
    "IndexResult",
    "Indicator",
    "Method",
    "Spec",
    "UncertainInput",
    "load_spec",
    "read_coinr",
    "run",
    "sensitivity",
    "spec_from_dict",
    "uncertainty",
]
