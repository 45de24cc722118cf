"""The model's raw inputs and their missing-data rules, declared once.

An *input* is a raw series (GDP, population, military spending, ...) that one or more indicators
are computed from. Each has a rule for gaps (:class:`InputRule`), read by
:mod:`middlepower.power.imputation`:

* ``space``: the scale in which uncertainty is drawn (``log``, ``log1p`` or ``linear``), the scale
  of the indicator built from it;
* ``carry_years``: the oldest real value that may be carried forward (its noise grows with its age);
* ``model_after_last``: after a state's last real value the model imputes from the first year instead
  of carrying, for an input whose model predicts held-out real values better than carrying does
  (revision 2.26: the inputs imputed as a ratio to GDP; 2.27: GDP); only a last value the model has
  no place for (a zero on a log scale) is carried;
* ``model``: what fills a gap older than that: ``gdp`` (Maddison-based regression, then the region's
  GDP per capita times population), ``gdp_ratio`` (GDP times the region's median ratio of the input
  to GDP that year, among states whose input and GDP are positive and real: for quantities that
  scale with the economy, such as military spending and exports), ``region`` (the region's median
  that year) or ``none`` (the gap stays: no score); a state with real values of the input in
  other years keeps its own distance from the model, shrunk with the years since (revision 2.16,
  :class:`middlepower.power.imputation.Anchor`);
* ``structural``: a value that does not exist rather than one that is unknown (a pole's balance with
  itself, a non-member's UN votes): never imputed, only carried from the state's own data;
* ``sampling``: the frame column holding the standard deviation (on the input's scale) with which
  a real value is drawn, for a value that is itself an estimate from a sample (the multi-vector
  balance from a year's roll calls, revision 2.22; a count found by text rules with a measured error,
  revision 2.25); None for a value taken as exact. A drawn value of such an input is clipped at 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRANSFORMS = ("none", "log", "log1p")
"""Indicator transforms: ln(x) for positive sizes, ln(1 + x) for counts and sizes that can be 0."""

LOG_FLOOR = 1e-9
"""ln(x) of a size below this (a reported 0) is taken at this floor, so that it stays finite."""


@dataclass(frozen=True)
class InputRule:
    space: str
    carry_years: int
    model: str
    structural: bool = False
    upper: float | None = None  # drawn values (linear or sampled) are clipped to [0, upper]
    sampling: str | None = None  # column of a real value's sampling sd on ``space``
    model_after_last: bool = False  # carry only a last value off the scale (revision 2.26)


INPUTS: dict[str, InputRule] = {
    "population": InputRule("log", 5, "none"),  # before GDP, whose model uses it
    "gdp_usd": InputRule("log", 5, "gdp", model_after_last=True),  # before military spending, imputed relative to it
    # revision 2.26: the anchored model is the better guess than carrying on held-out real values
    # (imputation.CARRY_CHECK_DISTANCES); intellectual-property receipts fail the test and are carried
    "milex_usd": InputRule("log", 5, "gdp_ratio", model_after_last=True),
    "merchandise_exports_usd": InputRule("log", 5, "gdp_ratio", model_after_last=True),
    "ip_receipts_usd": InputRule("log", 5, "gdp_ratio"),
    "arms_exports_tiv_musd": InputRule("log1p", 5, "region"),
    "oil_production_kbd": InputRule("log1p", 5, "region"),
    "gas_production_bcm": InputRule("log1p", 5, "region"),
    "coal_production_mt": InputRule("log1p", 5, "region"),
    "oil_reserves_bn_barrels": InputRule("log1p", 5, "region"),
    "gas_reserves_tcm": InputRule("log1p", 5, "region"),
    "resource_rents_pct_gdp": InputRule("log1p", 3, "region"),
    "neighbours_gdp_usd": InputRule("log1p", 5, "none"),
    "land_borders": InputRule("linear", 0, "none"),
    "coastal": InputRule("linear", 0, "none"),
    "unga_vote_participation": InputRule("linear", 3, "none", structural=True, upper=1.0),
    "igo_full": InputRule("linear", 10, "region"),
    "armed_conflicts_abroad_10y": InputRule("log1p", 5, "region"),
    "milex_share_gdp_pct": InputRule("log1p", 5, "region"),
    "balance_index": InputRule("linear", 3, "none", structural=True, upper=1.0),
    "balance_relative": InputRule("linear", 3, "none", structural=True, upper=1.0, sampling="balance_relative_sd"),
    "peace_roles_10y": InputRule("log1p", 0, "none", sampling="peace_roles_10y_sd"),
    "peace_third_party_10y": InputRule("log1p", 0, "none", sampling="peace_third_party_10y_sd"),
    "peace_hosted_10y": InputRule("log1p", 0, "none", sampling="peace_hosted_10y_sd"),
    "peacekeepers_per_million": InputRule("log1p", 10, "region"),
}


def to_space(values: np.ndarray, space: str) -> np.ndarray:
    """``values`` on the scale ``space`` (see :class:`InputRule`)."""
    if space == "log":
        return np.log(np.maximum(values, LOG_FLOOR))
    if space == "log1p":
        return np.log1p(np.maximum(values, 0.0))
    return values


def on_scale(values: np.ndarray, space: str) -> np.ndarray:
    """True where a value already on ``space`` has a real place there: on the log scale a zero has
    no logarithm and sits at the floor ``ln(LOG_FLOOR)``, so it must not enter a spread or a ratio."""
    if space == "log":
        return values > np.log(LOG_FLOOR)
    return ~np.isnan(values)


def from_space(values: np.ndarray, space: str) -> np.ndarray:
    """Inverse of :func:`to_space`."""
    if space == "log":
        return np.exp(values)
    if space == "log1p":
        return np.expm1(values)
    return values


def transform(values: np.ndarray, name: str) -> np.ndarray:
    """An indicator transform (``TRANSFORMS``) applied to a derived value: the same scales as the inputs'."""
    return to_space(values, "linear" if name == "none" else name)
