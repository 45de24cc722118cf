"""Independent references for the validation report: COW and Maoz power status, published middle-power
lists and published rankings of power.

COW major powers (v2016), Maoz's global and regional powers and COW's CINC come from the store (panel
verbs ``add_majors``, ``add_capabilities``); the published lists and rankings are typed, each with its
citation, in ``data/power/references.yaml``. Nothing in the model reads this module: it is only what the model
is checked against (``middlepower validate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from middlepower import panel
from middlepower.errors import SpecError
from middlepower.warehouse import known_iso3

COW_YEARS = (1990, 2016)
"""COW's major-power list v2016 ends in 2016."""
MAOZ_YEARS = (1990, 2019)
"""Maoz's list (as shipped by {peacesciencer}) ends in 2019."""
CINC_YEARS = (1990, 2022)
"""COW's National Material Capabilities v6 (CINC) ends in 2022; a ranked reference since protocol revision 2.6."""
COW_MAJORS_2016 = ("USA", "GBR", "FRA", "DEU", "RUS", "CHN", "JPN")
"""The COW major powers at the end of the list (2016), treated as the great powers after 2016 when
a middle-power list is scored against the other non-great states."""


@dataclass(frozen=True)
class PublishedList:
    """A published list of middle powers: members (ISO3), the years it describes, its citation.

    ``verified`` says how the membership was checked against the source; ``unverified`` names states
    once typed for the list that the source could not be shown to name (recorded, never scored).
    """

    id: str
    label: str
    members: tuple[str, ...]
    years: tuple[int, int]
    citation: str
    note: str = ""
    verified: str = ""
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishedRanking:
    """A published ranking of power: a score per state (ISO3 -> score, higher = more powerful) for one
    year, its citation, how the scores were checked (``verified``) and a ``note`` on what it measures."""

    id: str
    label: str
    year: int
    scores: dict[str, float]
    citation: str
    note: str = ""
    verified: str = ""


def references_path() -> Path:
    return Path(str(resources.files("middlepower.data.power").joinpath("references.yaml")))


def _entries(path: str | Path | None, key: str) -> tuple[Path, list[dict]]:
    """(the references file read, default the shipped one; its entries under ``key``, [] if none)."""
    path = Path(path) if path is not None else references_path()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return path, raw.get(key) or []


def published_lists(path: str | Path | None = None) -> list[PublishedList]:
    """The typed lists (default: the shipped file); SpecError names a malformed entry."""
    path, entries = _entries(path, "lists")
    known = known_iso3()
    out = []
    for entry in entries:
        where = f"{path.name}: list {entry.get('id', '?')!r}"
        members = tuple(str(m).upper() for m in entry.get("members", []))
        unverified = tuple(str(m).upper() for m in entry.get("unverified", []))
        unknown = [m for m in (*members, *unverified) if m not in known]
        if not members or unknown:
            raise SpecError(f"{where}: members must be known ISO3 codes (bad: {unknown or 'none given'})")
        if set(members) & set(unverified):
            raise SpecError(f"{where}: {sorted(set(members) & set(unverified))} listed as members and unverified")
        years = tuple(int(y) for y in entry.get("years", []))
        if len(years) != 2 or years[0] > years[1] or not entry.get("citation"):
            raise SpecError(f"{where}: needs years [first, last] and a citation")
        out.append(PublishedList(str(entry["id"]), str(entry.get("label", entry["id"])), members, years,
                                 " ".join(str(entry["citation"]).split()), str(entry.get("note", "")),
                                 " ".join(str(entry.get("verified", "")).split()), unverified))
    return out


def published_rankings(path: str | Path | None = None) -> list[PublishedRanking]:
    """The typed rankings (default: the shipped file); SpecError names a malformed entry."""
    path, entries = _entries(path, "rankings")
    known = known_iso3()
    out = []
    for entry in entries:
        where = f"{path.name}: ranking {entry.get('id', '?')!r}"
        scores = entry.get("scores")
        if not isinstance(scores, dict) or len(scores) < 3:
            raise SpecError(f"{where}: needs scores for at least 3 states (ISO3: score)")
        unknown = [str(code) for code in scores if str(code).upper() not in known]
        if unknown:
            raise SpecError(f"{where}: scores must be keyed by known ISO3 codes (bad: {unknown})")
        bad = [f"{code}: {value!r}" for code, value in scores.items()
               if isinstance(value, bool) or not isinstance(value, int | float)]
        if bad:
            raise SpecError(f"{where}: scores must be numbers (bad: {bad})")
        year = entry.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not entry.get("citation"):
            raise SpecError(f"{where}: needs a year (one integer) and a citation")
        out.append(PublishedRanking(str(entry["id"]), str(entry.get("label", entry["id"])), year,
                                    {str(code).upper(): float(value) for code, value in scores.items()},
                                    " ".join(str(entry["citation"]).split()),
                                    " ".join(str(entry.get("note", "")).split()),
                                    " ".join(str(entry.get("verified", "")).split())))
    return out


def power_status(first: int, last: int, db=None) -> pd.DataFrame:
    """iso3, year, cow_major, maoz_global, maoz_regional, maoz_rank (2 global, 1 regional, 0 none), cinc
    (COW's Composite Index of National Capability, share of the system, 0-1).

    Flags are NA outside their lists' years (COW to 2016, Maoz to 2019, CINC to 2022).
    """
    frame = panel.add_majors(panel.state_years(first, last, db=db), db=db)
    frame = panel.add_capabilities(frame, db=db)
    for column in ("cow_major", "maoz_global", "maoz_regional"):
        frame[column] = frame[column].astype("boolean")
    rank = frame["maoz_global"].astype("Int64") * 2
    rank = rank.where(frame["maoz_global"].fillna(False), frame["maoz_regional"].astype("Int64"))
    frame["maoz_rank"] = rank.where(frame["maoz_global"].notna())
    return frame[["iso3", "year", "cow_major", "maoz_global", "maoz_regional", "maoz_rank", "cinc"]]


def great_powers(status: pd.DataFrame) -> pd.Series:
    """Boolean per row of ``status``: a COW major in its year, or one of the 2016 majors after 2016."""
    after = status["year"] > COW_YEARS[1]
    return status["cow_major"].fillna(False).astype(bool).where(~after, status["iso3"].isin(COW_MAJORS_2016))
