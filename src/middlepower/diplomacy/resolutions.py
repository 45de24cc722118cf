"""One UN resolution's votes, from the DGACM extracts in the store (Assembly 2019-2026, Council 2000-2026)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from middlepower.errors import DataError
from middlepower.warehouse import open_store

VOTE_NAMES = {0: "absent", 1: "yes", 2: "abstain", 3: "no"}


@dataclass(frozen=True)
class Resolution:
    """A resolution as the extract gives it, and every member's vote.

    ``info``: symbol, organ (General Assembly / Security Council), date, title, adoption, the stated
    totals and the listed counts, exclusion. ``votes``: iso3, country (name as listed), vote
    (yes, no, abstain; for the Assembly also ``absent`` for a member in no list).
    """

    info: dict
    votes: pd.DataFrame

    def vote_of(self, iso3: str) -> str:
        """Return ``iso3``'s vote, or DataError naming it when the state is not on the resolution's lists."""
        rows = self.votes[self.votes["iso3"] == iso3]
        if rows.empty:
            raise DataError(f"{iso3} is not among the members voting on {self.info['symbol']}")
        return str(rows["vote"].iloc[0])


def resolution(symbol: str, db: Path | str | None = None) -> Resolution:
    """Return the :class:`Resolution` with this symbol (e.g. ``A/RES/ES-11/1``, ``S/RES/2418 (2018)``).

    A Council symbol may leave out its year (``S/RES/2418``): the Council numbers its resolutions
    once, across all years. Raises DataError naming the symbol when neither extract has it.
    """
    wanted = " ".join(symbol.split())
    with open_store(db) as store:
        for organ, table, votes in (("General Assembly", "un_ga_resolutions", "un_ga_votes"),
                                    ("Security Council", "un_sc_resolutions", "un_sc_votes")):
            info = store.query(f"SELECT * FROM {table} WHERE upper(symbol) = upper(?) "
                               r"OR regexp_replace(upper(symbol), ' \(\d{4}\)$', '') = upper(?)", [wanted, wanted])
            if info.empty:
                continue
            record = info.iloc[0].to_dict()
            listed = store.query(f"SELECT iso3, country, vote FROM {votes} WHERE symbol = ? ORDER BY country",
                                 [record["symbol"]])
            if organ == "General Assembly" and record["recorded_vote"]:
                absent = store.query(
                    """SELECT v.iso3, NULL AS country, 0 AS vote FROM unga_votes v
                       JOIN unga_roll_calls r USING (rcid) WHERE r.symbol = ? AND v.vote = 0""", [record["symbol"]])
                listed = pd.concat([listed, absent], ignore_index=True)
            listed["vote"] = listed["vote"].map(VOTE_NAMES)
            return Resolution({"organ": organ, **record}, listed.reset_index(drop=True))
    raise DataError(f"no resolution {symbol!r} in the DGACM extracts (Assembly sessions 74-80 and ES-10, ES-11, "
                    f"S-32; Council 2000-2026); symbols look like A/RES/ES-11/1, S/RES/2418 (2018) or S/RES/2418")
