"""Panel verb ``add_events``: GDELT diplomatic event measures per state-year (see docs/events.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.errors import DataError
from middlepower.events.families import FAMILIES


def _columns() -> dict[str, str]:
    columns = {}
    for family in FAMILIES:
        what = f"CAMEO {family.code} {family.label}"
        columns |= {
            f"gdelt_{family.slug}_events": f"{what}: events involving the state as either actor (count)",
            f"gdelt_{family.slug}_share": f"{what}: those events / all GDELT events read for the year (0-1)",
            f"gdelt_{family.slug}_goldstein": f"{what}: sum of their Goldstein scores (Goldstein points)",
            f"gdelt_{family.slug}_hosted_events": f"{what}: events that took place in the state (count)",
            f"gdelt_{family.slug}_hosted_share": f"{what}: those hosted events / all GDELT events read (0-1)",
        }
    return columns | {
        "gdelt_events": "all GDELT events involving the state, any code (count)",
        "gdelt_hosted_events": "all GDELT events located in the state, any code (count)",
        "gdelt_files": "GDELT files read for the year (coverage of every gdelt_ column)",
        "gdelt_coverage_days": "days of GDELT those files stand for (15-minute 2.0 file = 1/96 day)",
    }


EVENT_COLUMNS = _columns()
"""Every column ``add_events`` adds, with its unit."""


def add_events(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (columns ``iso3``, ``year``) with the GDELT event measures added.

    Added columns (``EVENT_COLUMNS``): for each diplomatic family (``consult`` 04, ``host_visit`` 043,
    ``meet_third`` 044, ``mediate`` 045, ``negotiate`` 046, ``diplomatic_cooperation`` 05,
    ``sign_agreement`` 057): ``gdelt_<family>_events`` (count of events involving the state),
    ``_share`` (of all events read that year, 0-1), ``_goldstein`` (Goldstein-weighted sum),
    ``_hosted_events`` and ``_hosted_share`` (events located in the state); ``gdelt_events`` and
    ``gdelt_hosted_events`` (any code); coverage ``gdelt_files`` and ``gdelt_coverage_days``.

    Values come from the event store beside ``db`` (``middlepower events build``). Years with no
    GDELT file read are NA in every column; in a year that was read, a state with no event gets 0.
    Counts depend on coverage (compare shares across years, not counts). Rows are never dropped
    or reordered.
    """
    from middlepower import events

    for column in ("iso3", "year"):
        if column not in frame.columns:
            raise DataError(f"add_events: frame has no column {column!r}")
    clash = [column for column in EVENT_COLUMNS if column in frame.columns]
    if clash:
        raise DataError(f"add_events: the frame already has column {clash[0]!r}")
    measures = events.state_year(db=db)
    coverage = events.coverage(db=db).set_index("year")
    wide = _wide(measures)
    keys = pd.DataFrame({"iso3": frame["iso3"].astype("string"),
                         "year": pd.to_numeric(frame["year"]).astype("int64")})
    joined = keys.merge(wide, on=["iso3", "year"], how="left")
    covered = keys["year"].isin(coverage.index).to_numpy()
    out = frame.copy()
    for column in EVENT_COLUMNS:
        if column == "gdelt_files":
            values = keys["year"].map(coverage["files"])
        elif column == "gdelt_coverage_days":
            values = keys["year"].map(coverage["coverage_days"])
        else:
            values = joined[column] if column in joined.columns else pd.Series(0.0, index=joined.index)
            values = values.where(~(values.isna() & covered), 0)
        kind = "Float64" if column.endswith(("_share", "_goldstein", "_days")) else "Int64"
        out[column] = pd.array(values.where(covered).to_numpy(), dtype=kind)
    return out


def _wide(measures: pd.DataFrame) -> pd.DataFrame:
    slug = {family.code: family.slug for family in FAMILIES}
    rows = measures.assign(stem=measures["family"].map(slug))
    pieces = []
    for role, suffix in (("involved", ""), ("hosted", "_hosted")):
        part = rows[rows["role"] == role]
        coded = part.dropna(subset=["stem"])
        metrics = {"events": "_events", "share": "_share"} | ({"goldstein_sum": "_goldstein"} if role == "involved" else {})
        for metric, tail in metrics.items():
            wide = coded.pivot_table(index=["iso3", "year"], columns="stem", values=metric, aggfunc="sum")
            pieces.append(wide.rename(columns=lambda stem: f"gdelt_{stem}{suffix}{tail}"))
        total = part[part["family"] == "all"].set_index(["iso3", "year"])["events"]
        pieces.append(total.rename(f"gdelt{suffix}_events").to_frame())
    return pd.concat(pieces, axis=1).reset_index().astype({"iso3": "string", "year": "int64"})
