"""The four poles of the multi-vector balance: the USA, Russia, China and the EU, as voters and as positions.

* USA, RUS, CHN are single states. RUS is the USSR before 1992 (COW 365, one ISO3 throughout).
  CHN is the People's Republic, which holds China's seat from session 26 (1971); before that the
  seat was the Republic of China's (TWN in the data), so the China pole is missing for 1946-1970.
* EU is an aggregate of the member states in the year of each roll call (the European Communities
  from 1958). Its vote on a roll call is the members' most common recorded vote (a tie is scored as
  an abstention, the midpoint); its position in a period is the mean ideal point of its members.
  Membership is typed below from the EU's accession dates (european-union.europa.eu, "Country
  profiles"); a state counts from its accession year and up to the year before it left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from middlepower.alignment.agreement import agreement_with_votes
from middlepower.alignment.votes import ABSENT, ABSTAIN, NO, YES, Period, VoteMatrix
from middlepower.errors import DataError, SpecError

POLES = ("USA", "RUS", "CHN", "EU")
STATE_POLES = ("USA", "RUS", "CHN")

EU_ACCESSIONS: dict[str, tuple[int, int | None]] = {
    # ISO3: (first year counted, first year no longer a member)
    "BEL": (1958, None), "FRA": (1958, None), "DEU": (1958, None), "ITA": (1958, None),
    "LUX": (1958, None), "NLD": (1958, None),
    "DNK": (1973, None), "IRL": (1973, None), "GBR": (1973, 2020),  # left 31 January 2020
    "GRC": (1981, None), "ESP": (1986, None), "PRT": (1986, None),
    "AUT": (1995, None), "FIN": (1995, None), "SWE": (1995, None),
    "CYP": (2004, None), "CZE": (2004, None), "EST": (2004, None), "HUN": (2004, None),
    "LVA": (2004, None), "LTU": (2004, None), "MLT": (2004, None), "POL": (2004, None),
    "SVK": (2004, None), "SVN": (2004, None),
    "BGR": (2007, None), "ROU": (2007, None), "HRV": (2013, None),
}
"""EU (EEC/EC) member states by accession year; West Germany's votes are DEU's."""


def eu_members(year: int) -> list[str]:
    """Return the ISO3 codes of EU (EC) members in calendar ``year`` (empty before 1958)."""
    return sorted(code for code, (first, left) in EU_ACCESSIONS.items()
                  if first <= year and (left is None or year < left))


def eu_votes(matrix: VoteMatrix) -> np.ndarray:
    """Return the EU pole's vote on every roll call of ``matrix`` (int8; 0 before 1958).

    The members' most common recorded vote in the roll call's year; ties are scored abstain.
    """
    years = matrix.roll_calls["year"].to_numpy(dtype=int)
    out = np.zeros(len(years), dtype=np.int8)
    for year in np.unique(years):
        rows = [matrix.row(code) for code in eu_members(int(year)) if code in matrix.states]
        if not rows:
            continue
        cols = years == year
        block = matrix.votes[np.ix_(rows, np.flatnonzero(cols))]
        counts = np.stack([(block == code).sum(axis=0) for code in (YES, ABSTAIN, NO)])
        top = counts.max(axis=0)
        winners = (counts == top[None, :]).sum(axis=0)
        vote = np.array([YES, ABSTAIN, NO], dtype=np.int8)[counts.argmax(axis=0)]
        vote = np.where(winners > 1, ABSTAIN, vote)
        out[cols] = np.where(top > 0, vote, ABSENT)
    return out


def pole_votes(matrix: VoteMatrix, pole: str) -> np.ndarray:
    """Return the int8 vote vector of ``pole`` over the roll calls of ``matrix``."""
    if pole == "EU":
        return eu_votes(matrix)
    if pole not in STATE_POLES:
        raise SpecError(f"unknown pole {pole!r}: expected one of {', '.join(POLES)}")
    return matrix.votes[matrix.row(pole)]


def pole_agreement(matrix: VoteMatrix, *, period: Period = "year", poles=POLES) -> pd.DataFrame:
    """Return every state's agreement with each pole per period.

    Columns: ``iso3``, ``year``/``session``, ``pole``, ``n_votes`` and the four measures of
    :mod:`middlepower.alignment.agreement`. A state is not compared with itself as a pole.
    """
    pieces = []
    for pole in poles:
        piece = agreement_with_votes(matrix, pole_votes(matrix, pole), period=period)
        piece.insert(2, "pole", pole)
        pieces.append(piece[piece["iso3"] != pole])
    return pd.concat(pieces, ignore_index=True)


def pole_positions(points: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return each pole's ideal point per period from a fitted ``points`` frame.

    Columns: the period column, ``pole``, ``ideal_point``. The EU's is its members' mean.
    """
    if period not in points.columns:
        raise DataError(f"ideal points are keyed by {points.columns[1]!r}, not {period!r}")
    frames = [points.loc[points["iso3"] == pole, [period, "ideal_point"]].assign(pole=pole) for pole in STATE_POLES]
    years = points[period] + (1945 if period == "session" else 0)
    member = np.array(
        [code in eu_members(int(year)) for code, year in zip(points["iso3"], years, strict=True)], dtype=bool
    )
    eu = points[member].groupby(period, as_index=False)["ideal_point"].mean().assign(pole="EU")
    return pd.concat(frames + [eu], ignore_index=True)[[period, "pole", "ideal_point"]]


def pole_distances(points: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return |ideal point - pole's ideal point| for every state, period and pole.

    Columns: ``iso3``, the period column, ``pole``, ``distance`` (in sd units of the fit).
    """
    positions = pole_positions(points, period).rename(columns={"ideal_point": "pole_point"})
    out = points[["iso3", period, "ideal_point"]].merge(positions, on=period)
    out["distance"] = (out["ideal_point"] - out["pole_point"]).abs()
    return out.loc[out["iso3"] != out["pole"], ["iso3", period, "pole", "distance"]].reset_index(drop=True)


__all__ = [
    "POLES",
    "EU_ACCESSIONS",
    "eu_members",
    "eu_votes",
    "pole_votes",
    "pole_agreement",
    "pole_positions",
    "pole_distances",
]
