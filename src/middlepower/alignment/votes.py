"""The UN General Assembly vote matrix: states x roll calls, built once, selected by view.

Cells are int8: 0 no recorded vote (absent, not yet a member, or the roll call predates the state),
1 yes, 2 abstain, 3 no. Rows are states keyed by ISO3 through :mod:`middlepower.codes`; columns are
roll calls with their metadata (session, calendar year, amendment/paragraph flags, issue codes,
unanimity). Every measure in :mod:`middlepower.alignment` reads a :class:`VoteMatrix`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from middlepower.errors import DataError, SpecError
from middlepower.warehouse import open_store

ABSENT, YES, ABSTAIN, NO = 0, 1, 2, 3
ISSUES = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "co": "Colonialism",
    "hr": "Human rights",
    "ec": "Economic development",
}
ORIGINAL_SERIES_LAST_SESSION = 39
"""Last session whose amendment and paragraph votes belong to Voeten's original coding.

The amendment/paragraph votes of sessions 52-72 (1997-2018) were added to the data later as a
separate series; ``amend_para="original"`` keeps the former and drops the latter, which is the
selection behind the agreement columns of the 2024 Bailey-Strezhnev-Voeten file.
"""

AmendPara = Literal["include", "exclude", "original"]
Period = Literal["session", "year"]


@dataclass(frozen=True)
class VoteMatrix:
    """States x roll calls of recorded UNGA votes.

    ``votes`` is int8 (``len(states)`` x ``len(roll_calls)``) coded 0 absent, 1 yes, 2 abstain,
    3 no. ``states`` is an Index of ISO3 codes. ``roll_calls`` has one row per column: ``rcid``,
    ``session``, ``year``, ``date``, ``importantvote``, ``amend``, ``para``, ``unanimous`` (every
    recorded vote identical, computed over all states) and one boolean column per issue code.
    """

    votes: np.ndarray
    states: pd.Index
    roll_calls: pd.DataFrame

    def select(
        self,
        *,
        unanimous: bool = True,
        amend_para: AmendPara = "include",
        issues: Iterable[str] | None = None,
        years: tuple[int | None, int | None] | None = None,
        sessions: tuple[int | None, int | None] | None = None,
        important_only: bool = False,
    ) -> VoteMatrix:
        """Return the roll calls that pass every filter (states unchanged).

        ``unanimous=False`` drops roll calls on which every recorded vote was the same.
        ``amend_para``: ``include`` all votes; ``exclude`` votes coded as amendment or paragraph
        votes; ``original`` keeps those of sessions 1-39 and drops the later-added 1997-2018 series.
        ``issues``: keep roll calls carrying any of these issue codes (see ``ISSUES``).
        ``years`` / ``sessions``: inclusive (first, last) ranges, either end None for open.
        """
        calls = self.roll_calls
        keep = np.ones(len(calls), dtype=bool)
        if not unanimous:
            keep &= ~calls["unanimous"].to_numpy()
        flagged = ((calls["amend"] == 1) | (calls["para"] == 1)).fillna(False).to_numpy(dtype=bool)
        if amend_para == "exclude":
            keep &= ~flagged
        elif amend_para == "original":
            keep &= ~(flagged & (calls["session"] > ORIGINAL_SERIES_LAST_SESSION).to_numpy(dtype=bool))
        elif amend_para != "include":
            raise SpecError(f"amend_para {amend_para!r}: expected include, exclude or original")
        if issues is not None:
            wanted = list(issues)
            unknown = [code for code in wanted if code not in ISSUES]
            if unknown:
                raise SpecError(f"unknown issue code {unknown[0]!r}: expected one of {', '.join(ISSUES)}")
            keep &= calls[[f"issue_{code}" for code in wanted]].any(axis=1).to_numpy()
        for column, bounds in (("year", years), ("session", sessions)):
            if bounds is not None:
                first, last = bounds
                if first is not None:
                    keep &= (calls[column] >= first).to_numpy(dtype=bool)
                if last is not None:
                    keep &= (calls[column] <= last).to_numpy(dtype=bool)
        if important_only:
            keep &= (calls["importantvote"] == 1).fillna(False).to_numpy(dtype=bool)
        return replace(self, votes=self.votes[:, keep], roll_calls=calls[keep].reset_index(drop=True))

    def periods(self, period: Period) -> np.ndarray:
        """Return the period (session or calendar year) of each roll call, as int."""
        if period not in ("session", "year"):
            raise SpecError(f"period {period!r}: expected session or year")
        return self.roll_calls[period].to_numpy(dtype=int)

    def row(self, iso3: str) -> int:
        """Return the row of state ``iso3``; DataError naming it if the state never voted."""
        try:
            return int(self.states.get_loc(iso3))
        except KeyError:
            raise DataError(f"no UN General Assembly votes for {iso3!r} in the selected roll calls") from None


ROLL_CALL_SQL = """
SELECT rcid, session, year, CAST(date AS TIMESTAMP) AS date, symbol, source, vote_kind,
       importantvote, amend, para
FROM unga_roll_calls ORDER BY date, rcid
"""
VOTE_SQL = "SELECT rcid, iso3, vote FROM unga_votes WHERE vote > 0"


@dataclass(frozen=True)
class StoreVotes:
    """The vote matrix of a store and the store's coverage facts.

    ``fingerprint`` is the store's build fingerprint (it changes whenever an input file does);
    ``years`` is the ``unga_years`` view: year, roll_calls, sources, first_date, last_date, complete.
    """

    matrix: VoteMatrix
    fingerprint: str
    years: pd.DataFrame

    @property
    def last_full_year(self) -> int:
        """Return the last calendar year whose roll calls are all in the data (see unga_years)."""
        return int(self.years.loc[self.years["complete"], "year"].max())


def load_votes(db: Path | str | None = None) -> VoteMatrix:
    """Return the vote matrix of every UN General Assembly roll call in the store at ``db``.

    Sessions 1-74 come from {unvotes}, sessions 74-80 and the emergency sessions from the DGACM
    extracts, joined in the store's ``unga_roll_calls`` and ``unga_votes`` views (session 74 once).
    Rows are the states' ISO3 codes as the warehouse keyed them; columns are roll calls sorted by
    date then rcid. Built once per process and store build (about a second).
    """
    return store_votes(db).matrix


def store_votes(db: Path | str | None = None) -> StoreVotes:
    """Return :class:`StoreVotes` for the store at ``db`` (default: the user's store), cached per build."""
    with open_store(db) as store:
        fingerprint = str(store.build_info()["fingerprint"])
        path = str(store.path.resolve())
    return _read_store(path, fingerprint)


@lru_cache(maxsize=2)
def _read_store(path: str, fingerprint: str) -> StoreVotes:
    with open_store(path) as store:
        calls = store.query(ROLL_CALL_SQL)
        raw = store.query(VOTE_SQL)
        issues = store.query("SELECT rcid, issue FROM un_roll_call_issues")
        years = store.query("SELECT * FROM unga_years ORDER BY year")
    for column in ("session", "year", "importantvote", "amend", "para"):
        calls[column] = calls[column].astype("Int64")
    for code in ISSUES:
        calls[f"issue_{code}"] = calls["rcid"].isin(issues.loc[issues["issue"] == code, "rcid"]).to_numpy()
    states = pd.Index(sorted(raw["iso3"].unique()), name="iso3")
    col_of = pd.Series(np.arange(len(calls)), index=calls["rcid"].to_numpy())
    cols = col_of.reindex(raw["rcid"].to_numpy()).to_numpy()
    if np.isnan(cols).any():
        raise DataError(f"{path}: a vote in unga_votes refers to a roll call missing from unga_roll_calls")
    matrix = np.zeros((len(states), len(calls)), dtype=np.int8)
    matrix[states.get_indexer(raw["iso3"]), cols.astype(int)] = raw["vote"].to_numpy(dtype=np.int8)
    cast = matrix != ABSENT
    # A roll call is unanimous when no two recorded votes differ: min == max over voters.
    high = np.where(cast, matrix, 0).max(axis=0)
    low = np.where(cast, matrix, 9).min(axis=0)
    calls["unanimous"] = high == low
    return StoreVotes(VoteMatrix(votes=matrix, states=states, roll_calls=calls), fingerprint, years)


def indicators(votes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return float32 indicator matrices (yes, abstain, no) of an int8 vote matrix."""
    return ((votes == YES).astype(np.float32), (votes == ABSTAIN).astype(np.float32), (votes == NO).astype(np.float32))
