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
from typing import Literal

import numpy as np
import pandas as pd

from middlepower import codes, sources
from middlepower.errors import DataError, SpecError

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


def state_iso3(votes: pd.DataFrame) -> pd.Series:
    """Return the ISO3 code of each vote row of ``un_votes`` (ISO2 first, then the legacy names)."""
    iso3 = codes.iso2_to_iso3(votes["iso2"]).astype("string")
    by_name = votes["country"].map(codes.LEGACY_NAMES).astype("string")
    iso3 = iso3.fillna(by_name)
    if iso3.isna().any():
        missing = votes.loc[iso3.isna(), ["country", "iso2"]].drop_duplicates().iloc[0]
        raise DataError(f"un_votes: no ISO3 code for {missing['country']!r} (ISO2 {missing['iso2']!r})")
    return iso3


def _roll_call_table() -> pd.DataFrame:
    calls = sources.load("un_roll_calls")
    issues = sources.load("un_roll_call_issues")
    for code in ISSUES:
        calls[f"issue_{code}"] = calls["rcid"].isin(issues.loc[issues["issue"] == code, "rcid"]).to_numpy()
    return calls


@lru_cache(maxsize=1)
def load_votes() -> VoteMatrix:
    """Return the full vote matrix of all roll calls in ``un_votes`` (sessions 1-74, 1946-2020).

    Built once per process (about a second). Rows are sorted by ISO3, columns by date then rcid.
    """
    raw = sources.load("un_votes")
    iso3 = state_iso3(raw)
    calls = _roll_call_table().sort_values(["date", "rcid"]).reset_index(drop=True)
    states = pd.Index(sorted(iso3.unique()), name="iso3")
    col_of = pd.Series(np.arange(len(calls)), index=calls["rcid"].to_numpy())
    rows = states.get_indexer(iso3)
    cols = col_of.reindex(raw["rcid"].to_numpy()).to_numpy()
    if np.isnan(cols).any():
        raise DataError("un_votes: a vote refers to a roll call missing from un_roll_calls")
    matrix = np.zeros((len(states), len(calls)), dtype=np.int8)
    matrix[rows, cols.astype(int)] = raw["vote"].to_numpy(dtype=np.int8)
    cast = matrix != ABSENT
    # A roll call is unanimous when no two recorded votes differ: min == max over voters.
    high = np.where(cast, matrix, 0).max(axis=0)
    low = np.where(cast, matrix, 9).min(axis=0)
    calls["unanimous"] = high == low
    return VoteMatrix(votes=matrix, states=states, roll_calls=calls)


def indicators(votes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return float32 indicator matrices (yes, abstain, no) of an int8 vote matrix."""
    return ((votes == YES).astype(np.float32), (votes == ABSTAIN).astype(np.float32), (votes == NO).astype(np.float32))
