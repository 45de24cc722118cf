"""A general composite-indicator engine (independent of geopolitics).

An index spec (indicators -> pillars -> ... -> index, directions, weights and methods) is
applied to a whole panel at once as impute -> treat -> normalise -> weight -> aggregate, on an
array X[unit, year, indicator]. The same pipeline runs vectorised under Monte Carlo uncertainty
(:func:`uncertainty`) and Sobol sensitivity analysis (:func:`sensitivity`). COINr-style
iData/iMeta tables are read by :func:`read_coinr`. Formulas: docs/index-engine.md.
"""

from middlepower.index.coinr import read_coinr
from middlepower.index.pipeline import IndexResult, run
from middlepower.index.sensitivity import sensitivity
from middlepower.index.spec import Aggregate, Indicator, Method, Spec, UncertainInput, load_spec, spec_from_dict
from middlepower.index.uncertainty import uncertainty

__all__ = [
    "Aggregate",
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
