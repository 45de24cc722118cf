"""Shape the summed long counts into the event tables: state-year, dyad-year, coverage, files.

Every measure row carries its year's coverage (files read, days of GDELT they stand for) and is
normalised by the year's total event volume (all events in those files, whatever their code or
actors), because GDELT's volume grows and shrinks with the news it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from middlepower.events import families as fam
from middlepower.events.files import EventFile

STATE_YEAR_COLUMNS = {
    "iso3": "state (ISO3; CAMEO actor codes and FIPS place codes mapped by middlepower.codes)",
    "year": "year of the GDELT files the events come from (DATEADDED year for 2.0 and 1.0 daily files)",
    "role": "involved (the state is Actor1's or Actor2's country) or hosted (the event took place in the state)",
    "family": "CAMEO family: 04, 043, 044, 045, 046, 05, 057, or all (any code)",
    "events": "number of events (count; an event involving the state as both actors counts once)",
    "goldstein_sum": "sum of the events' Goldstein scores (Goldstein scale points, -10..+10 per event)",
    "share": "events / year_events: share of the year's whole GDELT event volume read (0-1)",
    "year_events": "all events in the year's files read (count): the normalising volume",
    "files": "GDELT files read for the year (coverage)",
    "coverage_days": "days of GDELT the files stand for (a 2.0 file is 15 minutes = 1/96 day)",
}
DYAD_YEAR_COLUMNS = {
    "iso3": "Actor1's state (ISO3): the state that acts",
    "partner": "Actor2's state (ISO3): the state acted towards (never the same as iso3)",
    **{name: text for name, text in STATE_YEAR_COLUMNS.items() if name not in ("iso3", "role")},
}
COVERAGE_COLUMNS = {
    "year": "year", "files": "GDELT files read", "coverage_days": "days of GDELT they stand for",
    "year_events": "events in those files (count)", "first_slot": "first file's stamp",
    "last_slot": "last file's stamp",
}
FILE_COLUMNS = {
    "name": "GDELT file name", "slot": "its stamp (YYYYMMDDHHMMSS, YYYYMMDD, YYYYMM or YYYY)",
    "year": "year its events are counted in", "events": "events (rows) read from it", "bytes": "size, bytes",
    "md5": "md5 (GDELT's list, or the registry's sample manifest)", "url": "GDELT address ('' if unknown)",
    "path": "local path it was read from",
}


@dataclass
class Aggregates:
    """The tables of one aggregation run (each a DataFrame with the documented columns)."""

    state_year: pd.DataFrame
    dyad_year: pd.DataFrame
    coverage: pd.DataFrame
    files: pd.DataFrame
    unmapped: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return the tables by their store names."""
        return {"events_state_year": self.state_year, "events_dyad_year": self.dyad_year,
                "events_coverage": self.coverage, "events_files": self.files, "events_unmapped": self.unmapped}


def shape(long: pd.DataFrame, files: Sequence[EventFile]) -> Aggregates:
    """Return the event tables from the summed long counts of ``files`` (see :mod:`.mapreduce`)."""
    coverage = _coverage(long, files)
    per_year = coverage.set_index("year")[["year_events", "files", "coverage_days"]]
    return Aggregates(
        state_year=_measures(long[long["kind"] == "state"], ["iso3", "year", "role", "family"], per_year,
                             list(STATE_YEAR_COLUMNS)),
        dyad_year=_measures(long[long["kind"] == "dyad"], ["iso3", "partner", "year", "family"], per_year,
                            list(DYAD_YEAR_COLUMNS)),
        coverage=coverage,
        files=_files(long, files),
        unmapped=long[long["kind"] == "unmapped"].rename(columns={"iso3": "code", "role": "field"})[
            ["year", "field", "code", "events"]].sort_values(["year", "field", "events", "code"],
                                                           ascending=[True, True, False, True]).reset_index(drop=True),
    )


def _coverage(long: pd.DataFrame, files: Sequence[EventFile]) -> pd.DataFrame:
    plan = pd.DataFrame({"year": [f.year for f in files], "slot": [f.slot for f in files],
                         "days": [f.coverage_days for f in files]})
    if plan.empty:
        return pd.DataFrame({name: pd.Series(dtype="int64" if name in ("year", "files", "year_events") else
                                             "float64" if name == "coverage_days" else "string")
                             for name in COVERAGE_COLUMNS})
    out = plan.groupby("year").agg(files=("slot", "size"), coverage_days=("days", "sum"),
                                   first_slot=("slot", "min"), last_slot=("slot", "max")).reset_index()
    totals = long[(long["kind"] == "total") & (long["family"] == fam.ALL)].groupby("year")["events"].sum()
    out["year_events"] = out["year"].map(totals).fillna(0).astype("int64")
    out["coverage_days"] = out["coverage_days"].round(6)
    out["year"] = out["year"].astype("int64")
    return out[list(COVERAGE_COLUMNS)]


def _measures(rows: pd.DataFrame, keys: list[str], per_year: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = rows[keys + ["events", "goldstein_tenths"]].copy()
    out["year"] = out["year"].astype("int64")
    out["goldstein_sum"] = out.pop("goldstein_tenths") / 10.0
    out = out.join(per_year, on="year")
    out["share"] = out["events"] / out["year_events"]
    for column in ("iso3", "partner", "role", "family"):
        if column in out.columns:
            out[column] = out[column].astype("string")
    return out[columns].sort_values(keys).reset_index(drop=True)


def _files(long: pd.DataFrame, files: Sequence[EventFile]) -> pd.DataFrame:
    rows = long[long["kind"] == "file"].set_index("file")["events"]
    out = pd.DataFrame({
        "name": [f.name for f in files], "slot": [f.slot for f in files], "year": [f.year for f in files],
        "events": [int(rows.get(f.name, 0)) for f in files], "bytes": [f.size for f in files],
        "md5": [f.md5 for f in files], "url": [f.url for f in files], "path": [f.path for f in files],
    })
    return out.astype({"name": "string", "slot": "string", "md5": "string", "url": "string", "path": "string",
                       "year": "int64", "events": "int64", "bytes": "int64"}).sort_values("slot").reset_index(drop=True)
