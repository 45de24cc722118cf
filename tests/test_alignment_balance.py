"""Kazakhstan's multi-vector balance, checked against a plain hand computation from the raw votes."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from middlepower import sources
from middlepower.alignment.balance import balance_table, rank_balance
from middlepower.alignment.poles import eu_members, eu_votes
from middlepower.alignment.series import yearly_balance
from middlepower.alignment.votes import load_votes

# EU members by ISO2, typed from the EU's accession dates (not from the library).
EU15 = ["AT", "BE", "DE", "DK", "ES", "FI", "FR", "GB", "GR", "IE", "IT", "LU", "NL", "PT", "SE"]
EU28 = EU15 + ["BG", "CY", "CZ", "EE", "HR", "HU", "LT", "LV", "MT", "PL", "RO", "SI", "SK"]
SCORE = {1: 1.0, 2: 0.5, 3: 0.0}


@pytest.fixture(scope="module")
def raw():
    return sources.load("un_votes"), sources.load("un_roll_calls")


def hand_balance(raw, year: int, members: list[str]) -> dict[str, float]:
    votes, calls = raw
    # The series leave out the amendment and paragraph votes coded after session 39 (the 1997-2018 series).
    later_flagged = (calls["session"] > 39) & ((calls["amend"] == 1) | (calls["para"] == 1)).fillna(False)
    rcids = set(calls.loc[(calls["year"] == year) & ~later_flagged, "rcid"].astype(int))
    votes = votes[votes["rcid"].isin(rcids) & votes["iso2"].notna()]
    by_call: dict[int, dict[str, int]] = {}
    for rcid, iso2, vote in zip(votes["rcid"], votes["iso2"], votes["vote"], strict=True):
        by_call.setdefault(int(rcid), {})[str(iso2)] = int(vote)
    sums = {"USA": [0.0, 0], "RUS": [0.0, 0], "CHN": [0.0, 0], "EU": [0.0, 0]}
    for cast in by_call.values():
        if len(set(cast.values())) == 1 or "KZ" not in cast:
            continue  # unanimous, or Kazakhstan did not vote
        tally = Counter(cast[m] for m in members if m in cast).most_common()
        eu = None
        if tally:
            eu = 2 if len(tally) > 1 and tally[0][1] == tally[1][1] else tally[0][0]
        for pole, vote in (("USA", cast.get("US")), ("RUS", cast.get("RU")), ("CHN", cast.get("CN")), ("EU", eu)):
            if vote is not None:
                sums[pole][0] += 1.0 - abs(SCORE[cast["KZ"]] - SCORE[vote])
                sums[pole][1] += 1
    agree = {pole: total / count for pole, (total, count) in sums.items()}
    agree["balance_index"] = 1.0 - (max(agree.values()) - min(agree.values()))
    return agree


@pytest.fixture(scope="module")
def kazakhstan(store_path):
    table = yearly_balance(store_path)
    return table[table["iso3"] == "KAZ"].set_index("year")


@pytest.mark.parametrize(("year", "members"), [(2000, EU15), (2019, EU28)])
def test_kazakhstan_balance_matches_hand_computation(raw, kazakhstan, year, members):
    expected = hand_balance(raw, year, members)
    row = kazakhstan.loc[year]
    for pole in ("USA", "RUS", "CHN", "EU"):
        assert row[f"agree_{pole.lower()}"] == pytest.approx(expected[pole], abs=1e-9), pole
    assert row["balance_index"] == pytest.approx(expected["balance_index"], abs=1e-9)
    assert row["balance_poles"] == 4


def test_kazakhstan_series_runs_from_1992_to_the_last_complete_year(kazakhstan):
    years = kazakhstan.index[kazakhstan["balance_index"].notna()]
    # 2025 is complete (the DGACM extracts reach June 2026); 2026 is partial and left out.
    assert years.min() == 1992 and years.max() == 2025 and list(years) == list(range(1992, 2026))
    assert kazakhstan.loc[2019, "closest_pole"] in ("CHN", "RUS")


def test_eu_membership_and_majority_vote(store_path):
    assert len(eu_members(1957)) == 0 and len(eu_members(1958)) == 6
    assert "GBR" in eu_members(2019) and "GBR" not in eu_members(2020) and len(eu_members(2013)) == 28
    matrix = load_votes(store_path).select(years=(1950, 1950))
    assert not eu_votes(matrix).any()  # no EU pole before 1958


def test_rank_balance_orders_by_balance_and_keeps_top_n(kazakhstan, store_path):
    table = balance_table(load_votes(store_path).select(unanimous=False, years=(2010, 2010)), period="year")
    ranked = rank_balance(table, 2010, top=5)
    assert len(ranked) == 5
    assert ranked["balance_index"].is_monotonic_decreasing


def test_relative_balance_worked_by_hand_and_blind_to_a_pole_moving_away_from_everyone():
    from middlepower.alignment.balance import relative_balance

    # three states and one year; agreement index with each pole
    table = pd.DataFrame(
        {
            "iso3": ["A", "B", "C"],
            "year": [2025, 2025, 2025],
            "balance_index": [0.5, 0.5, 0.5],
            "agree_usa": [0.9, 0.5, 0.1],
            "agree_rus": [0.1, 0.5, 0.9],
            "agree_chn": [0.2, 0.6, 0.8],
            "agree_eu": [0.9, 0.6, 0.3],
        }
    )
    # percentiles (rank - 1) / (n - 1): A = (1, 0, 0, 1), B = (0.5, 0.5, 0.5, 0.5), C = (0, 1, 1, 0)
    assert relative_balance(table).tolist() == pytest.approx([0.0, 1.0, 0.0])
    moved = table.assign(agree_usa=table["agree_usa"] - 0.08)  # the pole votes no on nearly everything
    assert relative_balance(moved).tolist() == pytest.approx(relative_balance(table).tolist())
    pole = table.assign(balance_index=[0.5, np.nan, 0.5])  # B is a pole: no balance with itself
    assert np.isnan(relative_balance(pole).iloc[1])


def test_relative_balance_is_a_share_on_the_real_votes(store_path):
    from middlepower import panel

    frame = panel.add_balance(panel.state_years(2019, 2025, db=store_path), db=store_path)
    values = frame["balance_relative"].dropna()
    assert len(values) > 1000 and values.between(0, 1).all()
    assert frame.loc[frame["iso3"].isin(["USA", "RUS", "CHN"]), "balance_relative"].isna().all()


def test_common_support_balance_worked_by_hand():
    # revision 2.28. One year, 12 roll calls: on the first 6 everyone votes yes; on the last 6 the
    # USA votes no, Russia and China yes. A votes yes throughout, B votes with the USA, D abstains on
    # the divisive six; C abstains on them too but misses the consensual six.
    from middlepower.alignment.balance import common_support_balance, relative_balance
    from middlepower.alignment.votes import VoteMatrix

    yes, abstain, no, absent = 1, 2, 3, 0
    rows = {
        "USA": [yes] * 6 + [no] * 6, "RUS": [yes] * 12, "CHN": [yes] * 12, "A": [yes] * 12,
        "B": [yes] * 6 + [no] * 6, "C": [absent] * 6 + [abstain] * 6, "D": [yes] * 6 + [abstain] * 6,
    }
    matrix = VoteMatrix(np.array(list(rows.values()), dtype=np.int8), pd.Index(list(rows)),
                        pd.DataFrame({"year": [2020] * 12}))
    got = common_support_balance(matrix).set_index("iso3")["balance_relative"]
    assert sorted(got.index) == ["A", "B", "C", "D"]  # no EU members here, so three poles; no pole balance
    # Percentiles (mean rank - 1) / (n - 1) among the six states other than the pole.
    # A: USA 0.5 ties RUS, CHN, C -> rank 2.5 -> 0.3; RUS 1.0 ties CHN, above USA, B, C (0.5) and
    # D (0.75) -> rank 5.5 -> 0.9, and CHN likewise; 1 - 0.6
    assert got["A"] == pytest.approx(0.4)
    # B: USA 1.0, above the five others (0.5, 0.5, 0.5, 0.5, 0.75) -> 1.0; RUS 0.5 ties USA and C,
    # below A, CHN (1.0) and D (0.75) -> rank 2 -> 0.2; 1 - 0.8
    assert got["B"] == pytest.approx(0.2)
    # D, who voted on every roll call: USA 0.75 above four, below B -> 0.8; RUS 0.75 above USA, B, C
    # (0.5), below CHN and A -> 0.6; 1 - 0.2
    assert got["D"] == pytest.approx(0.8)
    # C is compared on the divisive six alone, where the others agree with the USA 0, 0, 0 (RUS, CHN,
    # A), 1 (B), 0.5 (D) and C 0.5 -> rank 4.5 -> 0.7; with Russia 0 (USA, B), 1 (CHN, A), 0.5 (D)
    # and C 0.5 -> 0.5; 1 - 0.2. It abstains where D does and is scored as D, not by D's record on the
    # consensual votes it missed (ranked on every roll call, C's 0.5 with each pole gives 0.9).
    assert got["C"] == pytest.approx(got["D"])
    table = balance_table(matrix, period="year")
    assert relative_balance(table).set_axis(table["iso3"])["C"] == pytest.approx(0.9)


def test_common_support_balance_is_the_all_roll_calls_balance_for_a_state_at_every_vote(store_path):
    # revision 2.28 compares a state on the roll calls it voted on; for one that voted on all of them
    # that is every other state's usual agreement, so the two implementations must agree exactly
    from middlepower.alignment.balance import common_support_balance, relative_balance
    from middlepower.alignment.series import analysis_votes

    matrix = analysis_votes(store_path).select(years=(2015, 2024))
    table = yearly_balance(store_path)
    table = table[table["year"].between(2015, 2024)].copy()
    table["balance_relative"] = relative_balance(table)
    new = common_support_balance(matrix).set_index(["iso3", "year"])["balance_relative"]
    years = matrix.roll_calls["year"].to_numpy(dtype=int)
    everywhere = []
    for year in np.unique(years):
        block = matrix.votes[:, years == year]
        everywhere += [(code, int(year)) for code in matrix.states[(block > 0).all(axis=1)]]
    old = table.set_index(["iso3", "year"])["balance_relative"]
    full = pd.MultiIndex.from_tuples(everywhere).intersection(old.dropna().index)
    assert len(full) > 300
    assert np.allclose(new.reindex(full), old.reindex(full), atol=1e-12)
    # and the two differ for states that missed votes: the revision is not a no-op
    missed = old.dropna().index.difference(full)
    assert (np.abs(new.reindex(missed) - old.reindex(missed)) > 0.05).sum() > 100


def test_a_resample_that_draws_every_roll_call_once_is_the_point_balance(store_path):
    # revision 2.22: the bootstrap recomputes the balance from weighted roll calls; weights of one
    # must give the balance on all roll calls exactly (relative_balance; since revision 2.28 the
    # panel's balance_relative is the common-support one, drawn with this spread), state by state,
    # in years with 3 and 4 poles
    from middlepower.alignment.balance import relative_balance, replicate_balance
    from middlepower.alignment.poles import POLES, pole_votes
    from middlepower.alignment.series import analysis_votes

    matrix = analysis_votes(store_path)
    table = yearly_balance(store_path)
    table["balance_relative"] = relative_balance(table)
    years = matrix.roll_calls["year"].to_numpy(dtype=int)
    rows = {pole: pole_votes(matrix, pole) for pole in POLES}
    for year in (1965, 1992, 2019, 2024):
        cols = np.flatnonzero(years == year)
        got = pd.Series(replicate_balance(matrix, cols, rows, np.ones((cols.size, 1)))[:, 0], index=matrix.states)
        expected = table[table["year"] == year].set_index("iso3")["balance_relative"]
        assert got.dropna().index.isin(expected.dropna().index).all()
        assert np.allclose(got.reindex(expected.index), expected, equal_nan=True, atol=1e-12)


def test_the_balance_sampling_spread_on_the_real_votes(store_path):
    from middlepower import panel
    from middlepower.alignment.balance import balance_spread
    from middlepower.alignment.series import analysis_votes

    frame = panel.add_balance(panel.state_years(2010, 2024, db=store_path), db=store_path)
    has = frame["balance_relative"].notna()
    spread = frame.loc[has, "balance_relative_sd"]
    assert spread.notna().all() and spread.between(0, 0.5).all()
    assert 0.03 < spread.median() < 0.2  # a year's ~100 roll calls leave a balance uncertain by a few tenths
    assert frame.loc[~has, "balance_relative_sd"].isna().all()  # poles and non-voters: no balance, no spread
    # Canada votes with the West on nearly everything: its balance is low and hardly depends on the sample
    canada = frame.query("iso3 == 'CAN'")["balance_relative_sd"].median()
    assert canada < spread.median()
    # the spread is a fixed property of the votes: the same seed gives the same numbers
    matrix = analysis_votes(store_path).select(years=(2019, 2019))
    first, second = balance_spread(matrix), balance_spread(matrix)
    assert first.equals(second)
    other = balance_spread(matrix, seed=1)
    assert not np.allclose(first["balance_relative_sd"], other["balance_relative_sd"])
    assert np.allclose(first["balance_relative_sd"].median(), other["balance_relative_sd"].median(), rtol=0.15)


def test_a_pole_has_no_balance_and_no_poles_counted_for_it(store_path):
    table = yearly_balance(store_path).set_index(["iso3", "year"])
    for pole in ("USA", "RUS", "CHN"):
        row = table.loc[(pole, 2024)]
        assert np.isnan(row["balance_index"]) and row["balance_poles"] == 0, pole
    assert table.loc[("FRA", 2024), "balance_poles"] == 4  # an EU member is compared with all four
