"""Agreement measures: hand-computed fixtures and the reproduction of the Voeten 2024 agreement columns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middlepower import codes, sources
from middlepower.alignment.agreement import dyad_agreement, pair_measures
from middlepower.alignment.votes import ABSTAIN, NO, YES, load_votes
from middlepower.errors import SpecError

# Two states over six roll calls; 0 = no recorded vote.
STATE_A = np.array([[YES, YES, NO, ABSTAIN, YES, 0]], dtype=np.int8)
STATE_B = np.array([[YES, NO, NO, YES, 0, YES]], dtype=np.int8)


def test_measures_match_hand_calculation_on_common_votes_only():
    got = {name: float(values[0, 0]) for name, values in pair_measures(STATE_A, STATE_B).items()}
    # Common votes: calls 1-4. Identical on 1 and 3; opposite on 2; abstain vs yes on 4.
    assert got["n_votes"] == 4
    assert got["strict"] == pytest.approx(2 / 4)
    assert got["agree_index"] == pytest.approx(1 - (0 + 1 + 0 + 0.5) / 4)
    assert got["s_score"] == pytest.approx(1 - 2 * (0 + 1 + 0 + 0.25) / 4)
    # Cohen's kappa: A votes yes 2, no 1, abstain 1 of 4; B votes yes 2, no 2 of 4.
    chance = (2 / 4) * (2 / 4) + (1 / 4) * 0 + (1 / 4) * (2 / 4)
    assert got["kappa"] == pytest.approx((0.5 - chance) / (1 - chance))


def test_identical_voting_gives_perfect_scores_and_no_common_vote_gives_nan():
    same = pair_measures(STATE_A, STATE_A)
    assert same["strict"][0, 0] == 1 and same["agree_index"][0, 0] == 1 and same["s_score"][0, 0] == 1
    disjoint = pair_measures(np.array([[YES, 0]], np.int8), np.array([[0, NO]], np.int8))
    assert disjoint["n_votes"][0, 0] == 0 and np.isnan(disjoint["strict"][0, 0])


@pytest.fixture(scope="module")
def all_votes(store_path):
    return load_votes(store_path)


@pytest.fixture(scope="module")
def votes(all_votes):
    """The {unvotes} roll calls (sessions 1-74), which the Voeten 2024 comparison is about."""
    keep = (all_votes.roll_calls["source"] == "unvotes").to_numpy()
    return replace(all_votes, votes=all_votes.votes[:, keep],
                   roll_calls=all_votes.roll_calls[keep].reset_index(drop=True))


def test_vote_matrix_keeps_namibia_and_the_states_without_iso2(votes):
    for iso3 in ("NAM", "KAZ", "DEU", "YEM", "CSK", "SRB"):
        assert iso3 in votes.states
    # {unvotes}' own counts: Namibia 2,455 votes; 870,109 recorded votes in all (docs/sources.md).
    assert int((votes.votes[votes.row("NAM")] != 0).sum()) == 2455
    assert int((votes.votes != 0).sum()) == 870_109


def test_selection_drops_unanimous_and_later_amendment_votes(votes):
    picked = votes.select(unanimous=False, amend_para="original")
    assert not picked.roll_calls["unanimous"].any()
    late = picked.roll_calls["session"] > 39
    flagged = (picked.roll_calls["amend"] == 1) | (picked.roll_calls["para"] == 1)
    assert not (late & flagged.fillna(False)).any()
    assert (~late & flagged.fillna(False)).sum() > 700
    with pytest.raises(SpecError, match="zz"):
        votes.select(issues=["zz"])


def test_strict_agreement_reproduces_voeten_2024_agreement_columns(votes):
    columns = {"USA": "us_agree", "RUS": "russia_agree", "CHN": "china_agree",
               "BRA": "brazil_agree", "IND": "india_agree", "ISR": "israel_agree"}
    mine = dyad_agreement(votes.select(unanimous=False, amend_para="original"), partners=list(columns))
    published = sources.load("voeten_ideal_points_2024")
    published["iso3"] = codes.ccode_to_iso3(published["ccode"])
    for partner, column in columns.items():
        theirs = published.dropna(subset=[column])
        theirs = theirs[theirs["iso3"] != partner]
        both = theirs.merge(mine[mine["partner"] == partner], on=["iso3", "session"])
        share = float(((both["strict"] - both[column]).abs() < 0.01).mean())
        assert len(both) > 8000, partner
        assert share >= 0.95, (partner, share)
        # Every state-session of the common sessions 1-74 is covered by the comparison.
        assert len(both) == int((theirs["session"] <= 74).sum()), partner


def test_all_votes_do_not_reproduce_voeten_so_the_selection_matters(votes):
    mine = dyad_agreement(votes, partners=["USA"])
    published = sources.load("voeten_ideal_points_2024")
    published["iso3"] = codes.ccode_to_iso3(published["ccode"])
    both = published.dropna(subset=["us_agree"]).merge(mine, on=["iso3", "session"])
    assert float(((both["strict"] - both["us_agree"]).abs() < 0.01).mean()) < 0.8


def test_dyad_agreement_is_symmetric(votes):
    session_70 = votes.select(sessions=(70, 70))
    out = dyad_agreement(session_70, states=["KAZ", "USA"], partners=["KAZ", "USA"]).set_index(["iso3", "partner"])
    for measure in ("strict", "agree_index", "s_score", "kappa"):
        assert out.loc[("KAZ", "USA"), measure] == pytest.approx(out.loc[("USA", "KAZ"), measure])
    assert isinstance(out, pd.DataFrame)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40))
def test_measures_stay_in_range_and_are_symmetric(pairs):
    left = np.array([[a for a, _ in pairs]], dtype=np.int8)
    right = np.array([[b for _, b in pairs]], dtype=np.int8)
    there, back = pair_measures(left, right), pair_measures(right, left)
    if there["n_votes"][0, 0] == 0:
        assert np.isnan(there["strict"][0, 0])
        return
    strict, index, s_score = there["strict"][0, 0], there["agree_index"][0, 0], there["s_score"][0, 0]
    # strict <= index holds exactly in arithmetic; the sums differ in the last bit of a float.
    assert 0 <= strict <= index + 1e-12 and index <= 1 + 1e-12 and -1 - 1e-12 <= s_score <= 1 + 1e-12
    kappa = there["kappa"][0, 0]
    assert np.isnan(kappa) or kappa <= 1 + 1e-12
    for name in ("strict", "agree_index", "s_score", "kappa"):
        assert np.allclose(there[name], back[name], equal_nan=True)
