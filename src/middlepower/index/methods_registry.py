"""The method names an index spec may use, with each method's parameters and their defaults.

One table is the single source of truth for spec validation, the docs and the CLI help: a method
or a parameter not listed here is a spec error that names the offending entry.
"""

from __future__ import annotations

# stage -> method -> {parameter: default}
METHODS: dict[str, dict[str, dict[str, object]]] = {
    "imputation": {
        "none": {},
        "group_mean": {},
        "group_median": {},
        "forward": {},
        "backward": {},
        "forward_backward": {},
    },
    "treatment": {
        "none": {},
        # COINr's default: winsorise one point at a time while |skew| >= skew_thresh and
        # kurtosis >= kurt_thresh, at most winmax points; if it still fails, undo and log-transform.
        "winsorise": {"winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5, "fallback": "log_ct"},
        "log": {},
        "log_ct": {},
    },
    "normalisation": {
        "minmax": {"low": 0.0, "high": 100.0, "scope": "year"},
        "zscore": {"mean": 0.0, "sd": 1.0, "scope": "year"},
        "rank": {"scope": "year"},
        "percentile": {"scope": "year"},
        "dist2target": {"scale": 100.0, "scope": "year"},
        "goalposts": {"scale": 100.0},
    },
    "weighting": {
        "given": {},
        "equal": {},
        "pca": {},
    },
    "aggregation": {
        "arithmetic": {"missing": "reweight"},
        "geometric": {"missing": "reweight"},
        "harmonic": {"missing": "reweight"},
    },
}

SCOPES = ("year", "panel")
MISSING_RULES = ("reweight", "require_all")
FALLBACKS = ("log", "log_ct", "none")
UNCERTAIN_INPUTS = ("weights", "imputation", "treatment", "normalisation", "aggregation", "exclusion")
