"""The validation report as a Markdown page (``middlepower validate --markdown docs/validation.md``).

The page is generated, never edited by hand: its first lines name the spec fingerprint and model
version it was computed with, and a test fails when they no longer match the shipped spec.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from middlepower.errors import DataError
from middlepower.power.bootstrap import RESAMPLES
from middlepower.power.compute import MODEL_VERSION
from middlepower.power.imputation import CARRY_CHECK_DISTANCES
from middlepower.power.model import ModelResult
from middlepower.power.references import published_lists, published_rankings
from middlepower.power.validation import SCORE_LABELS, SCORES, Validation

if TYPE_CHECKING:
    from middlepower.power.candidates import CandidateReport

SCORE_HEADERS = {code: SCORE_LABELS[code] for code in SCORES}
FINGERPRINT_LINE = "Spec fingerprint: `{fingerprint}`; model version {version}."


def _markdown(frame: pd.DataFrame, digits: int = 3) -> str:
    def cell(value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "**no**"
        if isinstance(value, float):
            return "–" if pd.isna(value) else f"{value:.{digits}f}"
        return str(value)

    lines = ["| " + " | ".join(str(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def intervals_table(intervals: pd.DataFrame) -> pd.DataFrame:
    """The bootstrap table as displayed: difference, [lo, hi], p(> 0), states, listed."""
    return pd.DataFrame(
        {
            "reference": intervals["reference"],
            "comparison": intervals["comparison"],
            "difference": intervals["difference"].map(lambda v: f"{v:+.3f}"),
            "90% interval": [f"[{lo:+.3f}, {hi:+.3f}]" for lo, hi in zip(intervals["lo"], intervals["hi"],
                                                                           strict=True)],
            "p(> 0)": intervals["p_positive"].map(lambda v: f"{v:.2f}"),
            "states": intervals["states"].astype(int).astype(str),
            "listed": intervals["listed"].map(lambda v: "–" if pd.isna(v) else str(int(v))),
        }
    )


def _cinc_source() -> str:
    """The CINC reference's title and citation, from the source registry."""
    from middlepower.sources import registry

    source = registry.get("cow_nmc")
    return f"{source.title}; {source.citation}"


def _rankings_lines() -> list[str]:
    """The sentence on the published rankings (protocol revision 2.7) under the scores table."""
    rankings = published_rankings()
    if not rankings:
        return []
    named = "; ".join(f"{r.label}, {len(r.scores)} states, in {r.year}" for r in rankings)
    return [
        f"Published rankings ({named}): Spearman over the ranking's states that are in the comparison in",
        "that year, registered in protocol revision 2.7 before any of their numbers were computed.",
    ]


def candidates_summary(report: CandidateReport) -> pd.DataFrame:
    """Per candidate: label, on how many references it beats log GDP, is clearly better, clearly worse."""
    total = report.summary["references"]
    return pd.DataFrame({
        "candidate": report.summary["label"],
        "beats log GDP on": [f"{b} of {n}" for b, n in zip(report.summary["beats_log_gdp"], total, strict=True)],
        "clearly better": report.summary["clearly_better"].astype(str),
        "clearly worse": report.summary["clearly_worse"].astype(str),
        "why it is in the literature": report.summary["why"],
    })


def _losses(found: CandidateReport) -> list[str]:
    """One line: how many recipes beat log GDP everywhere, and where the best ones fall short."""
    summary = found.summary
    everywhere = summary.loc[summary["beats_log_gdp"] == summary["references"], "label"].tolist()
    best = int(summary["beats_log_gdp"].max())
    metrics = found.metrics.set_index("reference")
    shortfalls = []
    for row in summary[summary["beats_log_gdp"] == best].itertuples():
        lost = metrics.index[metrics[row.candidate] <= metrics["log_gdp"]].tolist()
        shortfalls.append(f"{row.label} (loses on {', '.join(lost) or 'none'})")
    head = (f"Recipes that beat log GDP on every reference: {', '.join(everywhere)}." if everywhere
            else "No recipe beats log GDP on every reference.")
    return [f"{head} The best beat it on {best} of {int(summary['references'].max())}: "
            + "; ".join(shortfalls) + ".", ""]


def candidates_section(report: Validation) -> list[str]:
    """The Markdown lines of "Could another capability measure pass?" (none without candidates)."""
    found = report.candidates
    if found is None:
        return []
    labels = dict(zip(found.summary["candidate"], found.summary["label"], strict=True))
    metrics = found.metrics[["reference", "log_gdp", *labels]].rename(columns={"log_gdp": "log GDP", **labels})
    diffs = found.intervals.assign(cell=[f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]" for d, lo, hi in
                                         zip(found.intervals["difference"], found.intervals["lo"],
                                             found.intervals["hi"], strict=True)])
    diffs = diffs.pivot(index="reference", columns="candidate", values="cell").reindex(
        index=found.metrics["reference"], columns=list(labels)).rename(columns=labels).reset_index()
    return [
        "## Could another capability measure pass?",
        "",
        f"{len(labels)} recipes for material capability from the literature on national power, each fixed in",
        "`middlepower/power/candidates.py` with the reason it is there, computed from real data only (no",
        "imputation, no Monte Carlo): components min-max scaled within the year and averaged with the",
        f"recipe's weights, then scored like the model on the {found.n_state_years:,} state-years where every",
        "component exists (log GDP is recomputed on them, so its numbers differ slightly from the tables above).",
        "A recipe is listed because the literature uses it, not for its numbers, and none is adopted by them",
        "(docs/power.md). *Clearly* better or worse: the 90% cluster-bootstrap interval of the difference from",
        "log GDP excludes 0.",
        "",
        _markdown(candidates_summary(found)),
        "",
        *_losses(found),
        "Scores (AUC, or Spearman for the Maoz ordinal, CINC and the published rankings):",
        "",
        _markdown(metrics),
        "",
        "Difference from log GDP [90% interval]:",
        "",
        _markdown(diffs),
        "",
    ]


IMPUTATION_DISTANCES = (1, 5, 20)
"""Distances (years between the two real values) the report shows of the hold-out check."""

BRIDGE_SHOWN = (1, 5, 10)
"""Distances (years to each real neighbour) the report shows of the bridge check."""


def _before_after(check: pd.DataFrame, old: str, new: str, distances: tuple[int, ...], count: str,
                  per_count: int) -> pd.DataFrame:
    """One row per input and model branch of a hold-out check: rho, the ``count`` of cases one year
    apart (``predictions // per_count``), and at each of ``distances`` the mean absolute error and the
    share inside the 90% interval, each as ``old → new`` (columns ``<measure>_<old>`` of ``check``)."""
    def both(at: pd.DataFrame, d: int, column: str, digits: int) -> str:
        if d not in at.index:
            return "–"
        return f"{at.loc[d, f'{column}_{old}']:.{digits}f} → {at.loc[d, f'{column}_{new}']:.{digits}f}"

    rows = []
    for (name, branch), part in check.groupby(["input", "model"], sort=False):
        at = part.set_index("distance")
        row = {"input": name, "model": branch, "rho": f"{at['rho'].iloc[0]:.3f}",
               f"{count}, d = 1": f"{int(at.loc[1, 'predictions']) // per_count:,}" if 1 in at.index else "–"}
        row.update({f"mean error, d = {d}": both(at, d, "mean_error", 3)
                    for d in distances})
        row.update({f"inside 90%, d = {d}": both(at, d, "inside", 2) for d in distances})
        rows.append(row)
    return pd.DataFrame(rows)


IMPUTED_COLUMN = "imputed state-years"
"""The hold-out table's column of how much the model leans on each input's imputation."""


def imputation_table(holdout: pd.DataFrame, imputed: pd.Series | None = None) -> pd.DataFrame:
    """Revision 2.16's check (:func:`middlepower.power.imputation.holdout`) as the report shows it:
    one row per input and model branch, each figure as ``model alone → anchored``; with ``imputed``
    (input -> state-years the model imputes, :attr:`Validation.imputed`), that count per input
    after the branch (the same on each of an input's rows)."""
    table = _before_after(holdout, "model", "anchored", IMPUTATION_DISTANCES, "pairs", 2)
    if imputed is not None:
        table.insert(2, IMPUTED_COLUMN, [f"{int(imputed.get(name, 0)):,}" for name in table["input"]])
    return table


def carry_table(holdout: pd.DataFrame) -> pd.DataFrame:
    """Revision 2.26's check (:func:`middlepower.power.imputation.holdout`'s carrying columns): one row per
    input and model branch, each figure at ``CARRY_CHECK_DISTANCES`` as ``carried flat → anchored``."""
    return _before_after(holdout, "carry", "anchored", CARRY_CHECK_DISTANCES, "pairs", 2)


def bridge_table(bridge: pd.DataFrame) -> pd.DataFrame:
    """Revision 2.17's check (:func:`middlepower.power.imputation.bridge_holdout`) as the report shows
    it: one row per input and model branch, each figure as ``nearer real year → bridge``."""
    return _before_after(bridge, "nearest", "bridge", BRIDGE_SHOWN, "triples", 1)


def imputation_section(report: Validation) -> list[str]:
    """The Markdown lines of "The missing-data model on held-out real values" (none without the check),
    with revision 2.17's bridge check when the report has it."""
    if report.imputation is None or report.imputation.empty:
        return []
    lines = [
        "## The missing-data model on held-out real values",
        "",
        "Revision 2.16's check (docs/power.md, \"Missing data\"): for every pair of a state's real values of",
        "an input d years apart, each is predicted from the other, by the input's model alone (the",
        "cross-state line or the region's median) and by the anchored rule (the state's own distance from",
        "the model, shrunk by rho^d). Mean absolute error on the input's scale (log units for sizes; IGO",
        "memberships in memberships) and the share of the real values inside each prediction's 90%",
        "interval (0.90 if the spread is honest), each as model alone → anchored. rho is fitted on",
        "pairs one year apart, so only d > 1 tests it out of sample. The check weighs most where the",
        f"model leans on it: {IMPUTED_COLUMN} counts the state-years of states in the system, over the",
        "model's years, whose value of the input is imputed (an input's models share the count).",
        "",
        _markdown(imputation_table(report.imputation, report.imputed)),
        "",
        "### After a state's last real value",
        "",
        "Revision 2.26's check, on the same pairs: the other real value held flat (carrying, with the",
        "spread of real changes over d years) against the anchored rule, each as carried flat →",
        "anchored. GDP (revision 2.27, on each of its branches) and an input imputed as a ratio to it",
        "(2.26) are not carried where the anchored rule's mean error is no larger at every distance",
        "shown (docs/power.md, \"Missing data\"); the other inputs are carried at most their limit",
        "whatever the table says.",
        "",
        _markdown(carry_table(report.imputation)),
        "",
    ]
    if report.bridge is not None and not report.bridge.empty:
        lines += [
            "### Between two real years",
            "",
            "Revision 2.17's check: every real value with a real value of the same state and input d years",
            "before and d years after is predicted from the earlier one alone (2.16's rule) and from both",
            "(2.17's bridge, the autoregression's expectation given both sides). Same measures as above,",
            "each as nearer real year → bridge; triples, d = 1 counts the values checked one year from each",
            "neighbour.",
            "",
            _markdown(bridge_table(report.bridge)),
            "",
        ]
    return lines


def render(report: Validation, result: ModelResult) -> str:
    """The whole page as Markdown."""
    metrics = report.metrics.rename(columns=SCORE_HEADERS)
    metrics["n"] = metrics["n"].astype(int).astype(str)
    metrics["positives"] = metrics["positives"].map(lambda v: "–" if pd.isna(v) else str(int(v)))
    checks = report.checks.rename(
        columns={
            "capability_beats_log_gdp": "capability beats log GDP",
            "overall_at_least_capability": "overall index >= capability",
        }
    )
    parts = [
        "# Validation report",
        "",
        f"Generated by `middlepower validate{' --candidates' if report.candidates is not None else ''} "
        "--markdown docs/validation.md`; do not edit by hand.",
        FINGERPRINT_LINE.format(fingerprint=result.spec.fingerprint, version=MODEL_VERSION)
        + f" {result.replications:,} replications; generated {date.today().isoformat()}.",
        "",
        "The protocol (references, metrics, baselines) was registered before any number was computed;",
        "docs/power.md describes it; docs/power-protocol.md records every revision of the spec with its reason.",
        f"Scores are compared on the same {report.n_state_years:,} state-years: those where the capability",
        "score, the overall index and all three baselines (from real data only) exist and the state has a tier.",
        "Each score is turned into a percentile within the year before it is compared.",
        "",
        "## Scores against the references",
        "",
        _markdown(metrics),
        "",
        "AUC: the probability that a state of the reference scores above one outside it (0.5 = chance).",
        "Spearman: rank correlation of the score with Maoz's ordinal, or with COW's CINC, per year, averaged",
        "over the years. CINC (iron and steel, energy use, military spending and personnel, total and urban",
        "population) is a published index of national capability that the model does not use; it was added",
        "as a ranked reference in protocol revision 2.6, after its numbers were seen (docs/power-protocol.md).",
        *_rankings_lines(),
        "",
        "## The comparisons the issue asks for",
        "",
        _markdown(checks),
        "",
        "## How much the comparisons can support",
        "",
        f"Cluster bootstrap over states ({RESAMPLES:,} resamples of the states with replacement, each with all",
        "its years; the same resample for both scores of a difference): the 90% interval of each difference",
        "and the share of resamples in which it is positive. An interval that contains 0 means the",
        "references cannot tell the two scores apart; `listed` is the number of states a list names.",
        "",
        _markdown(intervals_table(report.intervals)),
        "",
        *candidates_section(report),
        *imputation_section(report),
        "## Confusion matrices (state-years)",
        "",
    ]
    for name, table in report.confusion.items():
        parts += [
            f"**{name}**",
            "",
            _markdown(table.reset_index().rename(columns={table.index.name or "index": "model"}), 0),
            "",
        ]
    parts += [
        "## Convergent check of the restraint measure",
        "",
        _markdown(report.restraint),
        "",
        "Restraint is built from UCDP conflicts abroad and military burden; COW MID is a separate source.",
        "A negative correlation means states the model calls restrained initiated fewer uses of force.",
        "",
        "## Published lists (typed in `data/power/references.yaml`)",
        "",
    ]
    for listed in published_lists():
        parts.append(
            f"- **{listed.label}** ({', '.join(listed.members)}; {listed.years[0]}-{listed.years[1]}): "
            f"{listed.citation}"
            + (f" Verified: {listed.verified}" if listed.verified else "")
            + (f" Typed earlier, not verified, not used: {', '.join(listed.unverified)}." if listed.unverified else "")
        )
    parts += [
        "- **COW major powers**: Correlates of War Project, State System Membership List v2016 (store table "
        "`cow_majors`).",
        "- **Maoz global and regional powers**: Maoz (2010), *Networks of Nations* (store table `maoz_powers`).",
        f"- **COW CINC**: {_cinc_source()} (store table `cow_nmc`).",
    ]
    for ranking in published_rankings():
        parts.append(f"- **{ranking.label}** ({len(ranking.scores)} states, compared in {ranking.year}): "
                     f"{ranking.citation}" + (f" Verified: {ranking.verified}" if ranking.verified else "")
                     + (f" {ranking.note}" if ranking.note else ""))
    parts.append("")
    return "\n".join(parts)


def write(path: str | Path, report: Validation, result: ModelResult) -> Path:
    """Write the page to ``path`` through a temporary file (nothing half-written)."""
    from middlepower.outpath import check_out

    path = check_out(path, (".md",), parameter="path")
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_text(render(report, result), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DataError(f"cannot write ({exc.strerror})", parameter="path", value=str(path)) from None
    return path
