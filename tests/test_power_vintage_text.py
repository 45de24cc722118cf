"""What the model says about the data behind each figure, on the real store: a node without a value is
never "all real", its missing inputs are named, unmeasured conduct is not called "other conduct", and an
interval does not miss its own point by float32 storage alone."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from middlepower import power
from middlepower.errors import ParameterError
from middlepower.power import cli_views
from middlepower.power.imputation import MISSING, STRUCTURAL
from middlepower.power.model import STORED_PERCENTILE_ERROR, percentile_interval


def test_a_node_without_a_value_never_reads_all_real(model):
    unscored = model.scores[model.scores["percentile"].isna()]
    assert len(unscored) > 100  # the poles' balance, Taiwan's and Kosovo's multilateralism...
    texts = {power.vintage_text(row) for row in unscored.to_dict("records")}
    assert "all real" not in texts


def test_the_missing_column_names_exactly_the_inputs_with_no_value(model):
    status = model.vintage[model.vintage["year"] == 2022]
    twn = status[status["iso3"] == "TWN"].set_index("input")["status"]
    row = model.scores[(model.scores["iso3"] == "TWN") & (model.scores["year"] == 2022)
                       & (model.scores["pillar"] == "balance")].iloc[0]
    names = model.spec.inputs_under("balance")
    expected = [f"{n} (does not apply)" if twn[n] == "does not apply" else n
                for n in names if twn[n] in ("missing", "does not apply")]
    assert expected  # Taiwan casts no UN votes: the balance of its votes does not apply
    assert row["missing"] == "; ".join(expected)
    real = model.scores[(model.scores["year"] == 2022) & (model.scores["real_share"] == 1.0)]
    assert (real["missing"] == "").all()


def test_missing_and_structural_codes_are_the_ones_the_status_names_use():
    from middlepower.power.imputation import STATUS_NAMES

    assert STATUS_NAMES[MISSING] == "missing" and STATUS_NAMES[STRUCTURAL] == "does not apply"


def test_a_criterion_with_a_missing_input_says_which(store_path):
    crit = power.criteria("TWN", 2022, db=store_path).set_index("criterion")
    multilateralism = crit.loc["multilateralism"]
    assert np.isnan(multilateralism["percentile"])
    assert multilateralism["missing"] == "unga_vote_participation (does not apply)"


def test_unmeasured_conduct_is_not_called_other_conduct(store_path):
    # after the default last year behaviour has no score: conduct is None (a one-row fixture of that case)
    kaz = power.profile("KAZ", 2024, db=store_path)
    rows = {r["what"]: r["value"] for r in cli_views.position_rows(kaz)}
    assert "middle-power conduct" in rows["class"]
    unmeasured = kaz.classes.assign(conduct=None, p_conduct=np.nan, behaviour_percentile=np.nan)
    later = SimpleNamespace(tier=kaz.tier, classes=unmeasured, gap=kaz.gap)
    text = {r["what"]: r["value"] for r in cli_views.position_rows(later)}["class"]
    assert "conduct not measured" in text and "other conduct" not in text


def test_no_interval_misses_its_point_by_storage_rounding_alone(model):
    for frame in (model.scores, model.tiers):
        point, lo, hi = (frame[c].to_numpy() for c in ("percentile", "percentile_lo", "percentile_hi"))
        miss = np.fmax(lo - point, point - hi)
        near = (miss > 0) & (miss <= STORED_PERCENTILE_ERROR)
        assert not near.any(), frame.loc[near, ["iso3", "year"]].head()


def test_percentile_interval_snaps_only_storage_sized_misses():
    point = np.array([100 * 1 / 193, 100 * 5 / 193, 50.0, 50.0])
    reps = np.array([[point[0], point[1], 52.0, 49.9]] * 20, dtype=np.float32)
    assert reps[0, 0] < point[0] and reps[0, 1] > point[1]  # float32 rounds one down, the other up
    lo, hi = percentile_interval(point, reps)
    assert (lo[:2] <= point[:2]).all() and (point[:2] <= hi[:2]).all()
    assert hi[0] == point[0] and lo[1] == point[1]  # the bound float32 put beside the point is the point
    assert lo[2] == pytest.approx(52.0) and hi[3] == pytest.approx(49.9, abs=1e-5)  # real misses stay


def test_profiles_and_compare_read_a_lone_code_as_one_state(store_path):
    assert list(power.profiles(2022, db=store_path, iso3s="KAZ")) == ["KAZ"]
    assert set(power.compare("KAZ", 2022, 2022, db=store_path)["iso3"]) == {"KAZ"}


@pytest.mark.parametrize("bad", [None, 5])
def test_profiles_and_compare_refuse_what_is_not_codes_by_name(bad, store_path):
    with pytest.raises(ParameterError, match="iso3s"):
        power.compare(bad, 2020, 2022, db=store_path)
    with pytest.raises(ParameterError, match="iso3s"):
        power.profiles(2022, db=store_path, iso3s=bad if bad is not None else 5)


def test_profile_prints_missing_inputs_for_a_node_without_value(store_path):
    rows = pd.DataFrame(power.profile("USA", 2022, db=store_path).pillars).set_index("pillar")
    assert np.isnan(rows.loc["balance", "percentile"])  # a pole has no balance between the poles
    assert power.vintage_text(rows.loc["balance"].to_dict()) == "missing: balance relative (does not apply)"
    assert power.vintage_text(rows.loc["capability"].to_dict()) == "all real"
