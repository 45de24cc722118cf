"""The validation report: the model's scores and tiers against references it was not fitted to.

Protocol (registered before any number was computed; docs/power-protocol.md, "(registered) Validation protocol"): on the
state-years where every compared score exists, the capability score, the overall index and three
baselines from real data only — log GDP, log Beckley (GDP x GDP per capita), log military spending
— are each turned into a percentile within the year and scored against each reference: AUC
(Mann-Whitney) for lists of states, Spearman's rank correlation (per year, averaged) for Maoz's
ordinal (global 2, regional 1, none 0), and confusion matrices for the model's tiers and classes.
Every comparison of two scores that the issue asks for (capability against log GDP, the overall
index against capability) also gets a 90% interval from a cluster bootstrap over states
(:mod:`middlepower.power.bootstrap`, registered in revision 2.5).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from middlepower.intervals import PERCENTILES
from middlepower.power import bootstrap
from middlepower.power.model import ModelResult, average_ranks, percentile_within_year
from middlepower.power.references import (
    CINC_YEARS,
    COW_YEARS,
    MAOZ_YEARS,
    great_powers,
    power_status,
    published_lists,
    published_rankings,
)

if TYPE_CHECKING:
    from middlepower.power.candidates import CandidateReport

SCORES = ("capability", "power", "log_gdp", "log_beckley", "log_milex")
SCORE_LABELS = {
    "capability": "capability",
    "power": "overall index",
    "log_gdp": "log GDP",
    "log_beckley": "log GDP x GDP per capita",
    "log_milex": "log military spending",
}
REAL = ("real", "real (other source)")
CINC_LABEL = "COW CINC (national capability index)"
"""The ranked reference added in protocol revision 2.6 (docs/power-protocol.md)."""
MID_YEARS = (1990, 2014)
COMPARISONS = (("capability", "log_gdp"), ("power", "capability"))
"""The differences the issue's Done-when compares, each bootstrapped: capability - log GDP, overall - capability."""


@dataclass
class Validation:
    """``metrics``: reference, metric, years, n, positives and one column per score (``SCORES``);
    ``confusion``: name -> table of counts; ``checks``: the Done-when comparisons;
    ``restraint``: the convergent check of the restraint measure against COW MID; ``intervals``: per
    reference and comparison (``COMPARISONS``), the difference, its 90% cluster-bootstrap interval over
    states (lo, hi), p_positive (share of resamples above 0), states (clusters) and listed (states
    named by the reference); ``candidates``: see the field."""

    metrics: pd.DataFrame
    confusion: dict[str, pd.DataFrame]
    checks: pd.DataFrame
    restraint: pd.DataFrame
    n_state_years: int
    intervals: pd.DataFrame
    candidates: CandidateReport | None = None
    """Other capability measures against log GDP (:mod:`middlepower.power.candidates`), when asked for."""
    imputation: pd.DataFrame | None = None
    """The missing-data model on held-out real values (:func:`middlepower.power.imputation.holdout`)."""
    bridge: pd.DataFrame | None = None
    """The bridge between two real years on held-out real values
    (:func:`middlepower.power.imputation.bridge_holdout`)."""
    imputed: pd.Series | None = None
    """Input -> number of state-years (states in the system, the model's years) whose value of that
    input the model imputes (:func:`imputed_state_years`)."""


def imputed_state_years(result: ModelResult) -> pd.Series:
    """Input -> number of state-years of states in the system, over the model's years, whose value of
    the input is imputed (status ``imputed`` in ``result.vintage``); inputs never imputed count 0."""
    members = result.tiers[["iso3", "year"]].drop_duplicates()
    status = result.vintage.merge(members, on=["iso3", "year"])
    counts = (status["status"] == "imputed").groupby(status["input"], observed=True).sum()
    return counts.astype(int).rename("imputed")


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve: P(a positive scores above a negative), ties counting half."""
    pos = positive.astype(bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = average_ranks(np.asarray(score, dtype=float))
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def within_year_percentiles(frame: pd.DataFrame, column: str) -> pd.Series:
    """Percentile within the year of ``column`` over the rows of ``frame`` that have it."""
    out = pd.Series(np.nan, index=frame.index)
    for _, rows in frame.groupby("year").groups.items():
        values = frame.loc[rows, column].to_numpy(dtype=float)
        out.loc[rows] = percentile_within_year(values[:, None])[:, 0]
    return out


def comparison_frame(result: ModelResult, db=None) -> pd.DataFrame:
    """One row per state-year with every score (percentile within the year) and the references.

    Rows: the state-years where all of ``SCORES`` exist and the state has a tier. Baselines use
    real inputs only (a carried or imputed GDP is no baseline).
    """
    status = result.vintage.pivot_table(index=["iso3", "year"], columns="input", values="status", aggfunc="first")
    real = status.isin(REAL)
    ind = result.indicators.set_index(["iso3", "year"])
    gdp = ind["gdp_usd"].where(real["gdp_usd"].reindex(ind.index, fill_value=False))
    pop = ind["population"].where(real["population"].reindex(ind.index, fill_value=False))
    milex = ind["milex_usd"].where(real["milex_usd"].reindex(ind.index, fill_value=False))
    frame = pd.DataFrame(
        {"log_gdp": np.log(gdp), "log_beckley": np.log(gdp * gdp / pop), "log_milex": np.log(milex.where(milex > 0))}
    ).reset_index()
    for code in ("capability", "power"):
        part = result.scores.loc[result.scores["pillar"] == code, ["iso3", "year", "score"]]
        frame = frame.merge(part.rename(columns={"score": code}), on=["iso3", "year"], how="left")
    tiers = result.tiers[["iso3", "year", "tier"]]
    classes = result.classes[["iso3", "year", "class"]]
    frame = frame.merge(tiers, on=["iso3", "year"]).merge(classes, on=["iso3", "year"])
    frame = frame.dropna(subset=list(SCORES))
    frame = frame[frame["tier"].notna()].reset_index(drop=True)
    for column in SCORES:
        frame[column] = within_year_percentiles(frame, column)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    return frame.merge(power_status(first, last, db=db), on=["iso3", "year"], how="left")


def _row(
    reference: str,
    metric: str,
    years: tuple[int, int],
    frame: pd.DataFrame,
    positive: pd.Series | None,
    values: dict[str, float],
) -> dict:
    return {
        "reference": reference,
        "metric": metric,
        "years": f"{years[0]}-{years[1]}",
        "n": len(frame),
        "positives": int(positive.sum()) if positive is not None else np.nan,
        **values,
    }


def _spearman(frame: pd.DataFrame, target: str, score: str) -> float:
    values = []
    for _, rows in frame.groupby("year"):
        if rows[target].nunique() > 1:
            once = np.ones((1, len(rows)))  # Spearman's rho: every row counted once
            values.append(float(bootstrap.weighted_spearman(rows[score].to_numpy(dtype=float),
                                                            rows[target].to_numpy(dtype=float), once)[0]))
    return float(np.mean(values)) if values else float("nan")


def _confusion(
    labels: pd.Series, truth: pd.Series, truth_names: tuple[str, str], missing: str = "no tier"
) -> pd.DataFrame:
    table = pd.crosstab(labels.fillna(missing), truth.map({True: truth_names[0], False: truth_names[1]}))
    return table.reindex(columns=list(truth_names), fill_value=0)


def _resampled(kind: str, part: pd.DataFrame, target: pd.Series, counts: np.ndarray, index: np.ndarray,
               scores: set[str], tables: dict[str, tuple]) -> dict[str, np.ndarray]:
    """Per score, the metric in each resample of the states (``counts``: resamples x states; ``index``:
    each row's state): AUC from the score's :func:`bootstrap.pair_table` (made once, kept in
    ``tables``), or the yearly mean of Spearman."""
    if kind == "auc":
        positive = target.to_numpy(dtype=bool)
        for s in scores - tables.keys():
            tables[s] = bootstrap.pair_table(part[s].to_numpy(), positive, index, counts.shape[1])
        return {s: bootstrap.resampled_auc(tables[s], counts) for s in scores}
    out = {s: [] for s in scores}
    years = part["year"].to_numpy()
    values = target.to_numpy(dtype=float)
    for year in np.unique(years):
        rows = years == year
        if np.unique(values[rows]).size < 2:
            continue
        weights = counts[:, index[rows]]
        ranks = bootstrap.weighted_ranks(values[rows], weights)  # the reference's, shared by every score
        for s in scores:
            own = bootstrap.weighted_ranks(part[s].to_numpy()[rows], weights)
            out[s].append(bootstrap.rank_correlation(own, ranks, weights))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample with no varying year: NaN
        return {s: np.nanmean(np.stack(v), axis=0) for s, v in out.items()}


def bootstrap_intervals(parts: list[tuple], metrics: pd.DataFrame, resamples: int = bootstrap.RESAMPLES,
                        seed: int = bootstrap.SEED, comparisons: tuple[tuple[str, str], ...] = COMPARISONS,
                        labels: dict[str, str] | None = None) -> pd.DataFrame:
    """The cluster bootstrap over states of every comparison (``COMPARISONS`` unless given), per reference.

    ``parts``: (reference, kind ``auc`` or ``spearman``, rows, target) as scored in :func:`validate`;
    the point differences come from ``metrics`` (one column per score); ``labels`` name the scores in
    the ``comparison`` column (``SCORE_LABELS`` unless given). One stream of resamples per reference
    (seeded), the same resample for every score, so that each difference is paired.
    """
    labels = SCORE_LABELS if labels is None else labels
    scores = {s for pair in comparisons for s in pair}
    rows = []
    for number, (reference, kind, part, target) in enumerate(parts):
        rng = np.random.default_rng([seed, number])
        draws: dict[str, list[np.ndarray]] = {}
        tables: dict[str, tuple] = {}
        clusters = part["iso3"].to_numpy()
        for size in bootstrap.chunks(resamples):
            counts, index = bootstrap.cluster_counts(clusters, size, rng)
            for score, values in _resampled(kind, part, target, counts, index, scores, tables).items():
                draws.setdefault(score, []).append(values)
        metric = metrics.set_index("reference").loc[reference]
        listed = int(part.loc[target.to_numpy(dtype=bool), "iso3"].nunique()) if kind == "auc" else np.nan
        for high, low in comparisons:
            diff = np.concatenate(draws[high]) - np.concatenate(draws[low])
            diff = diff[~np.isnan(diff)]
            lo, hi = np.percentile(diff, PERCENTILES) if diff.size else (np.nan, np.nan)
            rows.append({"reference": reference, "comparison": f"{labels[high]} - {labels[low]}",
                         "difference": float(metric[high] - metric[low]), "lo": float(lo), "hi": float(hi),
                         "p_positive": float((diff > 0).mean()) if diff.size else np.nan,
                         "states": int(np.unique(clusters).size), "listed": listed})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Reference:
    """One reference as scored: its label, metric label and years; ``kind`` (``auc`` or ``spearman``);
    ``rows`` (the state-years it is scored on) and ``target`` (membership, or Maoz's ordinal)."""

    reference: str
    metric: str
    years: tuple[int, int]
    kind: str
    rows: pd.DataFrame
    target: pd.Series

    def score(self, column: str) -> float:
        """The metric of one score column of ``rows``."""
        if self.kind == "auc":
            return auc(self.rows[column].to_numpy(), self.target.to_numpy())
        return _spearman(self.rows.assign(rank=self.target), "rank", column)

    @property
    def part(self) -> tuple:
        """(reference, kind, rows, target), as :func:`bootstrap_intervals` takes them."""
        return (self.reference, self.kind, self.rows, self.target)


def references(frame: pd.DataFrame) -> list[Reference]:
    """Every reference of the protocol on a comparison frame (:func:`comparison_frame`): COW majors,
    Maoz powers (AUC and the ordinal's Spearman), each published list against the other states that
    are not great powers, COW's CINC (Spearman per year), then each published ranking (Spearman over
    its states in its year)."""
    last = int(frame["year"].max())
    cow = frame[frame["year"].between(*COW_YEARS)]
    maoz = frame[frame["year"].between(*MAOZ_YEARS)]
    out = [
        Reference("COW major powers", "AUC", COW_YEARS, "auc", cow, cow["cow_major"].fillna(False).astype(bool)),
        Reference("Maoz global or regional powers", "AUC", MAOZ_YEARS, "auc", maoz, maoz["maoz_rank"].fillna(0) > 0),
        Reference("Maoz ordinal (global 2, regional 1, none 0)", "Spearman (yearly mean)", MAOZ_YEARS, "spearman",
                  maoz, maoz["maoz_rank"].fillna(0)),
    ]
    for listed in published_lists():
        years = (listed.years[0], min(listed.years[1], last))
        part = frame[frame["year"].between(*years)]
        others = part[~great_powers(part)]
        out.append(Reference(listed.label, "AUC vs other non-great states", years, "auc", others,
                             others["iso3"].isin(listed.members)))
    # added last (protocol revision 2.6), so that the bootstrap streams of the others stay as they were
    cinc = frame[frame["year"].between(*CINC_YEARS) & frame["cinc"].notna()]
    out.append(Reference(CINC_LABEL, "Spearman (yearly mean)", CINC_YEARS, "spearman", cinc, cinc["cinc"]))
    # then the published rankings (protocol revision 2.7), each after the last, for the same reason
    for ranking in published_rankings():
        rows = frame[(frame["year"] == ranking.year) & frame["iso3"].isin(ranking.scores)].reset_index(drop=True)
        out.append(Reference(ranking.label, "Spearman (one year)", (ranking.year, ranking.year), "spearman",
                             rows, rows["iso3"].map(ranking.scores).astype(float)))
    return out


def metrics_table(refs: list[Reference], scores: tuple[str, ...]) -> pd.DataFrame:
    """reference, metric, years, n, positives and the metric of each of ``scores``, one row per reference."""
    return pd.DataFrame([
        _row(r.reference, r.metric, r.years, r.rows, r.target if r.kind == "auc" else None,
             {s: r.score(s) for s in scores})
        for r in refs
    ])


def validate(result: ModelResult, db=None, frame: pd.DataFrame | None = None) -> Validation:
    """Score the model against every reference (see the module docstring); ``frame`` is its
    :func:`comparison_frame` when the caller already has it."""
    frame = comparison_frame(result, db=db) if frame is None else frame
    refs = references(frame)
    metrics = metrics_table(refs, SCORES)
    cow, maoz = refs[0], refs[1]
    confusion = {
        "COW majors: tier": _confusion(cow.rows["tier"], cow.target, ("major", "not major")),
        "Maoz powers: tier": _confusion(maoz.rows["tier"], maoz.target, ("Maoz power", "not")),
    }
    last = int(frame["year"].max())
    for listed in published_lists():
        part = frame[frame["year"].between(listed.years[0], min(listed.years[1], last))]
        member = part["iso3"].isin(listed.members)
        confusion[f"{listed.id}: tier"] = _confusion(part["tier"], member, ("listed", "not listed"))
        confusion[f"{listed.id}: class"] = _confusion(part["class"], member, ("listed", "not listed"),
                                                      "conduct not measured")
    checks = pd.DataFrame(
        {
            "reference": metrics["reference"],
            "capability_beats_log_gdp": metrics["capability"] > metrics["log_gdp"],
            "overall_at_least_capability": metrics["power"] >= metrics["capability"],
        }
    )
    intervals = bootstrap_intervals([r.part for r in refs], metrics)
    return Validation(metrics, confusion, checks, restraint_check(result, db), len(frame), intervals,
                      imputation=result.imputation, bridge=result.bridge, imputed=imputed_state_years(result))


def restraint_check(result: ModelResult, db=None) -> pd.DataFrame:
    """Convergent validity: Spearman (per year, averaged) of the restraint score with COW MID uses of
    force initiated in the last ten years, 1990-2014 (a source the restraint measure does not use).
    Expected negative: more restraint, fewer disputes initiated with force."""
    scores = result.scores[result.scores["pillar"] == "restraint"][["iso3", "year", "score"]]
    if scores.empty or "mid_force_initiations_10y" not in result.indicators.columns:
        return pd.DataFrame(columns=["measure", "against", "years", "n", "spearman"])
    mids = result.indicators[["iso3", "year", "mid_force_initiations_10y"]]
    frame = scores.merge(mids, on=["iso3", "year"]).dropna()
    frame = frame[frame["year"].between(*MID_YEARS)]
    rho = _spearman(frame, "mid_force_initiations_10y", "score")
    return pd.DataFrame(
        [
            {
                "measure": "restraint",
                "against": "COW MID uses of force initiated (10 years)",
                "years": f"{MID_YEARS[0]}-{MID_YEARS[1]}",
                "n": len(frame),
                "spearman": rho,
            }
        ]
    )
