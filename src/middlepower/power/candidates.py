"""Could another capability measure do better? Candidate measures from the literature, on the same references.

The validation report compares the shipped capability score with log GDP. This module asks the
question behind that comparison: is there *any* measure of material capability, built from open data
the way the literature builds them, that beats log GDP on every reference? Each candidate is a fixed,
declared recipe — the components and weights below, each with the reason it is in the literature —
computed from real data only (no imputation, no Monte Carlo), min-max scaled within the year and
averaged with its weights, then scored exactly as the report scores the model: percentile within the
year, AUC or Spearman per reference, and the cluster bootstrap over states for its difference from
log GDP. No candidate is adopted because of its numbers; the table is there so that a reader sees
what the references can and cannot tell apart (docs/power.md, "Could another capability measure
pass?").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from middlepower import panel
from middlepower.power.indicators import below_error_share, military_spending
from middlepower.power.model import ModelResult
from middlepower.power.validation import (
    bootstrap_intervals,
    comparison_frame,
    metrics_table,
    references,
    within_year_percentiles,
)

PANEL_COLUMNS = ("gdp_usd", "population", "gdp_per_capita_ppp_intl_usd", "sipri_milex_current_usd_m",
                 "sipri_milex_share_gdp", "sipri_milex_constant_2023_usd_m")
"""Raw panel columns the components are computed from (the column catalogue gives their sources and units)."""

HISTORY_FROM = 1970
"""Military spending is read from this year so that the accumulated measure has its window in 1990."""

STOCK_YEARS = 20
STOCK_DEPRECIATION = 0.10
"""Accumulated military spending: the last 20 years' spending, each year's weight falling 10% a year."""


@dataclass(frozen=True)
class Component:
    """One input of a candidate: ``code``, what it is, and its unit before scaling."""

    code: str
    name: str
    unit: str


COMPONENTS = (
    Component("gdp", "GDP at market exchange rates (WDI)", "log US$"),
    Component("gdp_ppp", "GDP at purchasing power parity (WDI GDP per capita, PPP, x population)", "log int. $"),
    Component("milex", "military expenditure (SIPRI, current US$, after the model's data-error rules)",
              "log(1 + US$ million)"),
    Component("milex_ppp", "military expenditure at the GDP's price level (x GDP PPP / GDP)",
              "log(1 + int. $ million)"),
    Component("milex_stock", f"military expenditure accumulated over {STOCK_YEARS} years, "
              f"{STOCK_DEPRECIATION:.0%} a year depreciation (a weighted mean of the years SIPRI has; "
              "constant 2023 US$)",
              "log(1 + US$ million)"),
    Component("population", "total population (WDI)", "log persons"),
    Component("beckley", "GDP x GDP per capita (Beckley's net resources)", "log US$² per person"),
)


@dataclass(frozen=True)
class Candidate:
    """A capability recipe: ``weights`` per component code (scaled within the year, then averaged)."""

    code: str
    label: str
    weights: dict[str, float]
    why: str


CANDIDATES = (
    Candidate("gdp_milex", "GDP + military spending (the shipped composition)", {"gdp": 1, "milex": 1},
              "the model's capability pillar from real data only, without imputation or Monte Carlo"),
    Candidate("gdp_milex_3_1", "GDP + military spending, 3:1", {"gdp": 3, "milex": 1},
              "the economy as the base of power, arms as its use (weights only)"),
    Candidate("gdp_milex_1_3", "GDP + military spending, 1:3", {"gdp": 1, "milex": 3},
              "power as force in being (weights only)"),
    Candidate("gdp_ppp", "GDP at PPP", {"gdp_ppp": 1},
              "the Lowy Institute's economic capability and most comprehensive-power indices value output at PPP"),
    Candidate("gdp_both", "GDP at market rates + at PPP", {"gdp": 1, "gdp_ppp": 1},
              "what output buys abroad (market rates) and at home (PPP)"),
    Candidate("gdp_milex_ppp", "GDP + military spending at PPP", {"gdp": 1, "milex_ppp": 1},
              "soldiers and weapons bought at home cost less where prices are low (Robertson, 'The real "
              "military balance', Review of Income and Wealth, 2022)"),
    Candidate("gdp_milex_stock", "GDP + accumulated military spending", {"gdp": 1, "milex_stock": 1},
              "forces in being are built over years, not bought in one (a perpetual-inventory stock)"),
    Candidate("gdp_population", "GDP + population", {"gdp": 1, "population": 1},
              "Cline's critical mass (World Power Assessment, 1977) and Organski's population and productivity: "
              "size as an asset"),
    Candidate("gdp_milex_population", "GDP + military spending + population", {"gdp": 1, "milex": 1, "population": 1},
              "economic, military and demographic size, CINC's three dimensions with modern series"),
    Candidate("beckley_milex", "Beckley net resources + military spending", {"beckley": 1, "milex": 1},
              "the registered version 2 capability (Beckley 2018: output net of the cost of the people)"),
)
BASELINE = "log_gdp"


def _decayed_mean(wide: pd.DataFrame) -> pd.DataFrame:
    """Per state (columns) and year (rows), the mean of the last ``STOCK_YEARS`` years' values weighted
    (1 - ``STOCK_DEPRECIATION``) ** age over the years that have a value; NaN when the current year has none."""
    years = pd.RangeIndex(int(wide.index.min()), int(wide.index.max()) + 1)
    values = wide.reindex(years).to_numpy(dtype=float)  # a row per calendar year, so a shift is an age
    total = np.zeros_like(values)
    weight = np.zeros_like(values)
    for age in range(min(STOCK_YEARS, values.shape[0])):
        shifted = np.full_like(values, np.nan)
        shifted[age:] = values[: values.shape[0] - age]
        known = ~np.isnan(shifted)
        w = (1.0 - STOCK_DEPRECIATION) ** age
        total += np.where(known, shifted * w, 0.0)
        weight += np.where(known, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(np.isnan(values), np.nan, total / weight)
    return pd.DataFrame(out, index=years, columns=wide.columns).reindex(wide.index)


def components(first: int, last: int, db: Path | str | None = None) -> pd.DataFrame:
    """iso3, year and every component of ``COMPONENTS`` (in its unit, before scaling), from real panel data."""
    raw = panel.select(HISTORY_FROM, last, list(PANEL_COLUMNS), db=db)
    milex = military_spending(raw) / 1e6
    # the stock sums years, so it keeps constant prices, on the state-years whose figure is sound; a state
    # without armed forces has none (military_spending's zeros, which SIPRI does not print for every such state)
    constant = raw["sipri_milex_constant_2023_usd_m"].mask(milex == 0, 0.0)
    constant = constant.where(milex.notna() & ~below_error_share(constant * 1e6, raw["gdp_usd"]))
    gdp_ppp = raw["gdp_per_capita_ppp_intl_usd"] * raw["population"]
    wide = constant.set_axis(pd.MultiIndex.from_frame(raw[["year", "iso3"]])).unstack("iso3").sort_index()
    stock = _decayed_mean(wide).stack().rename("stock")
    out = pd.DataFrame({
        "iso3": raw["iso3"], "year": raw["year"],
        "gdp": np.log(raw["gdp_usd"].where(raw["gdp_usd"] > 0)),
        "gdp_ppp": np.log(gdp_ppp.where(gdp_ppp > 0)),
        "milex": np.log1p(milex),
        "milex_ppp": np.log1p(milex * gdp_ppp / raw["gdp_usd"]),
        "population": np.log(raw["population"].where(raw["population"] > 0)),
    })
    out["beckley"] = 2.0 * out["gdp"] - out["population"]
    out = out.merge(stock.reset_index(), on=["year", "iso3"], how="left")
    out["milex_stock"] = np.log1p(out.pop("stock"))
    return out[out["year"].between(first, last)].reset_index(drop=True)


def _minmax_within_year(frame: pd.DataFrame, column: str) -> pd.Series:
    grouped = frame.groupby("year")[column]
    lo, hi = grouped.transform("min"), grouped.transform("max")
    return (frame[column] - lo) / (hi - lo)


def score(frame: pd.DataFrame, candidate: Candidate) -> pd.Series:
    """The candidate's score per row of ``frame`` (which holds the components): the weighted mean of its
    components, each min-max scaled within the year over the rows of ``frame``."""
    total = sum(candidate.weights.values())
    return sum(_minmax_within_year(frame, code) * w for code, w in candidate.weights.items()) / total


@dataclass
class CandidateReport:
    """``metrics``: one row per reference (as the validation report's) with a column per candidate code and
    ``log_gdp``; ``intervals``: per reference and candidate, the difference from log GDP with its 90%
    cluster-bootstrap interval (lo, hi) and p_positive; ``summary``: per candidate, on how many references it
    beats log GDP (point estimate) and on how many it is clearly worse (interval below 0); ``n_state_years``."""

    metrics: pd.DataFrame
    intervals: pd.DataFrame
    summary: pd.DataFrame
    n_state_years: int


def compare(result: ModelResult, db: Path | str | None = None, frame: pd.DataFrame | None = None) -> CandidateReport:
    """Every candidate of ``CANDIDATES`` against log GDP on the validation's references, on the state-years of
    the validation's comparison frame (``frame``, when the caller already has it) where every component exists."""
    frame = comparison_frame(result, db=db) if frame is None else frame
    first, last = int(frame["year"].min()), int(frame["year"].max())
    codes = [c.code for c in COMPONENTS]
    frame = frame.drop(columns=[BASELINE]).merge(components(first, last, db=db), on=["iso3", "year"], how="inner")
    frame = frame.dropna(subset=codes).reset_index(drop=True)
    frame[BASELINE] = frame["gdp"]
    scores = (BASELINE, *(c.code for c in CANDIDATES))
    for candidate in CANDIDATES:
        frame[candidate.code] = score(frame, candidate)
    for column in scores:
        frame[column] = within_year_percentiles(frame, column)
    refs = references(frame)
    metrics = metrics_table(refs, scores)
    labels = {BASELINE: "log GDP", **{c.code: c.label for c in CANDIDATES}}
    intervals = bootstrap_intervals([r.part for r in refs], metrics,
                                    comparisons=tuple((c.code, BASELINE) for c in CANDIDATES), labels=labels)
    intervals["candidate"] = np.tile([c.code for c in CANDIDATES], len(refs))  # reference-major order
    summary = pd.DataFrame([
        {
            "candidate": c.code,
            "label": c.label,
            "beats_log_gdp": int((metrics[c.code] > metrics[BASELINE]).sum()),
            "clearly_worse": int((intervals.loc[intervals["candidate"] == c.code, "hi"] < 0).sum()),
            "clearly_better": int((intervals.loc[intervals["candidate"] == c.code, "lo"] > 0).sum()),
            "references": len(refs),
            "why": c.why,
        }
        for c in CANDIDATES
    ])
    return CandidateReport(metrics, intervals, summary, len(frame))

