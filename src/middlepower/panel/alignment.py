"""Panel verbs for UN General Assembly alignment: ``add_alignment`` and ``add_balance``.

Values rest on the store's UN General Assembly series (Voeten via {unvotes} to January 2020, the
UN DGACM extracts from October 2019, session 74 once), complete calendar years only: 1946-2025 while
session 80 is being uploaded (the last real year is ``alignment.series.last_full_year``). Other
years, and states that cast no vote in a year (non-members, absent all year), get NA. The alignment
layer reads the votes from the store at ``db``. See docs/alignment.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.alignment.balance import SPREAD_REPLICATES
from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column

VOTES = ("un_votes", "un_roll_calls", "un_ga_votes", "un_ga_resolutions")
"""The registry tables behind the store's joined vote series (views unga_roll_calls, unga_votes)."""
POLES = {"usa": "the USA", "rus": "the USSR / Russia", "chn": "the People's Republic of China (NA before 1971)",
         "eu": "the EU members' majority vote (NA before 1958)"}


def _votes(name: str, unit: str, description: str, upstream: str) -> Column:
    return Column(name, unit, description, upstream=upstream, sources=VOTES)


@verb(derived=(
    _votes("un_votes_n", "count", "recorded votes cast on the year's non-unanimous UNGA roll calls (the series' "
           "selection: Voeten's amendment and paragraph votes of 1946-1985 in, the later-added 1997-2018 ones out; "
           "1946-2025)", "n_votes"),
    _votes("un_ideal_point", "sd units (mean 0, sd 1 over all state-years)", "own dynamic ideal point; higher = "
           "closer to the USA", "ideal_point"),
    _votes("un_ideal_point_se", "sd units", "Laplace standard error of un_ideal_point (conditional on the "
           "roll-call parameters)", "se"),
    *(_votes(f"un_agree_{pole}", "share, 0-1", f"strict agreement with {who}: share of common non-unanimous votes "
             "cast identically", f"agree_{pole}") for pole, who in POLES.items()),
    *(_votes(f"un_distance_{pole}", "sd units", f"|ideal point - that of {who}| (EU: mean of the members')",
             f"distance_{pole}") for pole, who in POLES.items()),
))
def add_alignment(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with the UN alignment columns added. A pole's own row has NA for itself.

    The first call fits the ideal-point model (15-45 s) unless a stored fit exists; later calls reuse it.
    """
    from middlepower.alignment import series

    points = series.yearly_ideal_points(db).points.rename(
        columns={"n_votes": "un_votes_n", "ideal_point": "un_ideal_point", "se": "un_ideal_point_se"})
    poles = series.yearly_poles(db).rename(columns=lambda c: f"un_{c}" if c.startswith(("agree_", "distance_")) else c)
    values = points[["iso3", "year", "un_votes_n", "un_ideal_point", "un_ideal_point_se"]].merge(
        poles, on=["iso3", "year"], how="outer")
    return join_columns(frame, values, "add_alignment")


@verb(derived=(
    _votes("balance_index", "0-1 (1 = even)", "multi-vector balance: 1 - (max - min) over the poles USA, Russia, "
           "China, EU of the agreement index (yes 1, abstain 0.5, no 0)", "balance_index"),
    _votes("balance_relative", "0-1 (1 = even)", "multi-vector balance relative to the Assembly: 1 - (max - min) "
           "over the poles of the state's percentile (0-1) in agreement with each pole among the year's states, "
           "each compared on the roll calls the state voted on (agreement index as for balance_index; spec "
           "revision 2.28); unchanged when a pole moves away from every state alike",
           "balance_relative"),
    _votes("balance_relative_sd", "0-1", "sampling spread of the balance: its standard deviation over "
           f"{SPREAD_REPLICATES} bootstrap resamples of the year's non-unanimous roll calls, each "
           "balance on all of them (before spec revision 2.28's common support; the model draws "
           "balance_relative with it)",
           "balance_relative_sd"),
    _votes("balance_poles", "count",
           "number of poles (USA, RUS, CHN, EU) that entered balance_index (0 for a pole itself)", "balance_poles"),
    _votes("closest_pole", "text", "pole with the highest agreement index that year", "closest_pole"),
))
def add_balance(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with the multi-vector balance added (formulas: :mod:`middlepower.alignment.balance`)."""
    from middlepower.alignment import series

    table = series.yearly_balance(db)
    table = table.merge(series.yearly_relative_balance(db), on=["iso3", "year"], how="left")
    table = table.merge(series.yearly_balance_spread(db), on=["iso3", "year"], how="left")
    return join_columns(frame, table, "add_balance")


CHART_SERIES = {
    "un_agree_usa": "agreement with the USA",
    "un_agree_rus": "agreement with Russia",
    "un_agree_chn": "agreement with China",
    "un_agree_eu": "agreement with the EU majority",
    "balance_index": "balance index",
}
"""The alignment columns the dashboard and the reports draw (each 0-1), with their labels."""


def alignment_series(first: int, last: int, *, iso3: str | None = None, db: Path | str | None = None) -> pd.DataFrame:
    """Return iso3, year and the ``CHART_SERIES`` columns for every state-year ``first``..``last`` (or one
    state's), from :func:`add_alignment` and :func:`add_balance` on the store's backbone."""
    from middlepower.panel.frame import state_years

    frame = state_years(first, last, db=db)
    if iso3 is not None:
        frame = frame[frame["iso3"] == iso3].reset_index(drop=True)
    frame = add_balance(add_alignment(frame, db=db), db=db)
    return frame[["iso3", "year", *CHART_SERIES]]
