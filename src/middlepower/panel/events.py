"""Panel verb ``add_events``: GDELT diplomatic event measures per state-year (see docs/events.md).

Values come from the event store that ``middlepower events build`` writes beside the store named by
``db``. Years with no GDELT file read are NA in every column; in a year that was read, a state with
no event gets 0. Counts depend on coverage (compare shares across years, not counts).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.events.families import FAMILIES
from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column

EVENT_SOURCES = ("gdelt_v2_sample", "gdelt_cameo_countries", "gdelt_fips_countries")
"""Registry records the measures cite: GDELT (its files; the sample's record carries GDELT's citation) and
the code lookups; the files of a build are listed in the event store's ``events_files``."""
UPSTREAM = "event store events_state_year"


def _columns() -> tuple[Column, ...]:
    columns = []
    for family in FAMILIES:
        what = f"CAMEO {family.code} {family.label}"
        columns += [
            Column(f"gdelt_{family.slug}_events", "count", f"{what}: events involving the state as either actor",
                   f"{UPSTREAM} (involved, {family.code}, events)", sources=EVENT_SOURCES),
            Column(f"gdelt_{family.slug}_share", "share, 0-1", f"{what}: those events / all GDELT events read for "
                   "the year", f"{UPSTREAM} (involved, {family.code}, share)", sources=EVENT_SOURCES),
            Column(f"gdelt_{family.slug}_goldstein", "Goldstein points", f"{what}: sum of the events' Goldstein "
                   "scores", f"{UPSTREAM} (involved, {family.code}, goldstein_sum)", sources=EVENT_SOURCES),
            Column(f"gdelt_{family.slug}_hosted_events", "count", f"{what}: events that took place in the state",
                   f"{UPSTREAM} (hosted, {family.code}, events)", sources=EVENT_SOURCES),
            Column(f"gdelt_{family.slug}_hosted_share", "share, 0-1", f"{what}: those hosted events / all GDELT "
                   "events read for the year", f"{UPSTREAM} (hosted, {family.code}, share)", sources=EVENT_SOURCES),
        ]
    return (*columns,
            Column("gdelt_events", "count", "all GDELT events involving the state, any code",
                   f"{UPSTREAM} (involved, all, events)", sources=EVENT_SOURCES),
            Column("gdelt_hosted_events", "count", "all GDELT events located in the state, any code",
                   f"{UPSTREAM} (hosted, all, events)", sources=EVENT_SOURCES),
            Column("gdelt_files", "count", "GDELT files read for the year (the coverage of every gdelt_ column)",
                   "event store events_coverage (files)", sources=EVENT_SOURCES),
            Column("gdelt_coverage_days", "days", "days of GDELT those files stand for (a 15-minute 2.0 file is "
                   "1/96 day)", "event store events_coverage (coverage_days)", sources=EVENT_SOURCES))


EVENT_COLUMNS = {column.name: column for column in _columns()}
"""Every column ``add_events`` adds, by name."""


@verb(derived=tuple(EVENT_COLUMNS.values()),
      years="event build")
def add_events(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the GDELT diplomatic event measures added.

    For each family (``consult`` 04, ``host_visit`` 043, ``meet_third`` 044, ``mediate`` 045,
    ``negotiate`` 046, ``diplomatic_cooperation`` 05, ``sign_agreement`` 057): events involving the
    state, their share of the year's whole event volume and Goldstein sum, events hosted in it and
    their share; all events involving or located in the state; the coverage (files, days). NA in
    years no GDELT file was read; 0 for a state without events in a year that was read.
    """
    from middlepower import events

    coverage = events.coverage(db=db).set_index("year")
    states = pd.Series(frame["iso3"].dropna().unique(), dtype="string") if "iso3" in frame.columns else []
    grid = pd.MultiIndex.from_product([states, coverage.index.astype("int64")], names=["iso3", "year"])
    values = _wide(events.state_year(db=db)).reindex(grid).reset_index()
    for name in EVENT_COLUMNS:
        if name in ("gdelt_files", "gdelt_coverage_days"):
            continue
        filled = (values[name] if name in values.columns else pd.Series(0, index=values.index)).fillna(0)
        values[name] = pd.array(filled, dtype="Float64" if name.endswith(("_share", "_goldstein")) else "Int64")
    values["gdelt_files"] = pd.array(values["year"].map(coverage["files"]), dtype="Int64")
    values["gdelt_coverage_days"] = pd.array(values["year"].map(coverage["coverage_days"]), dtype="Float64")
    return join_columns(frame, values, "add_events")


def _wide(measures: pd.DataFrame) -> pd.DataFrame:
    """The stored long measures as one row per (iso3, year) and one column per ``EVENT_COLUMNS`` entry."""
    slug = {family.code: family.slug for family in FAMILIES}
    rows = measures.assign(stem=measures["family"].map(slug), year=measures["year"].astype("int64"))
    pieces = []
    for role, suffix in (("involved", ""), ("hosted", "_hosted")):
        part = rows[rows["role"] == role]
        coded = part.dropna(subset=["stem"])
        metrics = {"events": "_events", "share": "_share"} | ({"goldstein_sum": "_goldstein"} if not suffix else {})
        for metric, tail in metrics.items():
            wide = coded.pivot_table(index=["iso3", "year"], columns="stem", values=metric, aggfunc="sum")
            pieces.append(wide.rename(columns=lambda stem, s=suffix, t=tail: f"gdelt_{stem}{s}{t}"))
        total = part[part["family"] == "all"].set_index(["iso3", "year"])["events"]
        pieces.append(total.rename(f"gdelt{suffix}_events").to_frame())
    return pd.concat(pieces, axis=1)
