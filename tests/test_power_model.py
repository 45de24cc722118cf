"""The middle-power model on the real store: tiers against independent references (COW's major-power
list, the textbook middle powers), coverage of Kazakhstan, and the API's frames."""

from __future__ import annotations

import numpy as np
import pytest

from middlepower import power
from middlepower.errors import DataError
from middlepower.power.compute import compute
from middlepower.warehouse import open_store


@pytest.fixture(scope="session")
def model(store_path):
    """The default model computed once per test session (1,000 replications, 1990 to latest)."""
    return compute(db=store_path)


def test_cow_major_powers_of_2016_are_great_or_upper_middle(model, store_path):
    # The independent reference is COW's own list, read from the store (not typed here).
    with open_store(store_path) as store:
        majors = store.query(
            "SELECT DISTINCT s.iso3 FROM cow_majors m JOIN state_years s ON s.ccode = m.ccode "
            "WHERE 2016 BETWEEN m.start_year AND m.end_year AND s.year = 2016")["iso3"]
    assert set(majors) == {"USA", "GBR", "FRA", "DEU", "RUS", "CHN", "JPN"}
    settings = model.spec.settings
    upper_middle = (settings.middle_percentile + settings.great_percentile) / 2
    tiers = model.tiers[(model.tiers["year"] == 2016) & model.tiers["iso3"].isin(majors)].set_index("iso3")
    assert len(tiers) == 7
    for iso3, row in tiers.iterrows():
        assert row["tier"] == "great" or (row["tier"] == "middle" and row["percentile"] >= upper_middle), (iso3, row)


def test_canada_and_australia_are_middle_powers_every_year_1990_2022(model):
    tiers = model.tiers[model.tiers["iso3"].isin(["CAN", "AUS"]) & model.tiers["year"].between(1990, 2022)]
    assert len(tiers) == 2 * 33
    assert (tiers["tier"] == "middle").all(), tiers[tiers["tier"] != "middle"]


def test_kazakhstan_has_a_profile_with_every_pillar_each_year_1992_2022(model):
    for year in range(1992, 2023):
        profile = power.views.profile(model, "KAZ", year)
        scored = profile.pillars.dropna(subset=["score"])
        assert set(scored["pillar"]) == {*model.spec.pillars, "power"}, year
        assert profile.tier["tier"].iloc[0] in ("great", "middle", "small"), year
        assert not np.isnan(profile.gap["gap"].iloc[0]), year
        assert len(profile.similar) == 5 and "KAZ" not in set(profile.similar["iso3"]), year


def test_kazakhstan_is_not_in_the_model_before_independence(model):
    with pytest.raises(DataError, match="KAZ 1990: not a member"):
        power.views.profile(model, "KAZ", 1990)


def test_tier_probabilities_are_shares_that_sum_to_one(model):
    p = model.tiers[["p_great", "p_middle", "p_small"]].dropna()
    assert len(p) > 6000
    assert np.allclose(p.sum(axis=1), 1.0)
    assert ((p >= 0) & (p <= 1)).all().all()


def test_intervals_bracket_a_plausible_range(model):
    scores = model.scores.dropna(subset=["percentile_lo"])
    assert (scores["percentile_lo"] <= scores["percentile_hi"]).all()
    gap = model.gap.dropna(subset=["gap_lo"])
    assert (gap["gap_lo"] <= gap["gap_hi"]).all()
    # the nominal value is usually inside its own replication interval (not always: the nominal
    # spec is one point of the design, not its median)
    inside = scores["percentile"].between(scores["percentile_lo"] - 1e-6, scores["percentile_hi"] + 1e-6)
    assert inside.mean() > 0.9


def test_great_tier_is_a_small_club_and_middle_tier_the_next_fifth(model):
    counts = model.tiers[model.tiers["year"] == 2022]["tier"].value_counts()
    n = counts.sum()
    assert counts["great"] <= 0.06 * n + 1
    assert 0.15 * n <= counts["middle"] <= 0.25 * n


def test_rank_and_compare_return_documented_columns(model, store_path):
    ranked = power.rank(2022, tier="middle", db=store_path)
    assert list(ranked.columns)[:4] == ["position", "iso3", "name", "tier"]
    assert set(ranked["tier"]) == {"middle"} and {"CAN", "AUS"} <= set(ranked["iso3"])
    assert ranked["score"].is_monotonic_decreasing
    compared = power.compare(["KAZ", "AZE", "CAN", "AUS", "TUR"], 1995, 2022, db=store_path)
    assert len(compared) == 5 * 28
    assert list(compared["iso3"].unique()) == ["KAZ", "AZE", "CAN", "AUS", "TUR"]


def test_api_rejects_unknown_codes_tiers_and_years(store_path):
    with pytest.raises(DataError, match="unknown country code 'XYZ'"):
        power.profile("XYZ", 2022, db=store_path)
    with pytest.raises(DataError, match="covers 1990-"):
        power.profile("KAZ", 1950, db=store_path)
    with pytest.raises(Exception, match="tier 'medium'"):
        power.rank(2022, tier="medium", db=store_path)


def test_nominal_tier_is_the_most_likely_tier_almost_everywhere(model):
    # guards the alignment of replications with the nominal run (a unit/year mix-up breaks this)
    p = model.tiers.dropna(subset=["p_great"])
    likeliest = p[["p_great", "p_middle", "p_small"]].idxmax(axis=1).str.removeprefix("p_")
    assert (likeliest == p["tier"]).mean() > 0.9


def test_selections_by_year_and_pillar(model, store_path):
    one = power.scores(np.int64(2022), db=store_path, pillar="resources")
    assert set(one["year"]) == {2022} and set(one["pillar"]) == {"resources"}
    span = power.tiers((2000, 2002), db=store_path, tier="middle")
    assert set(span["year"]) == {2000, 2001, 2002} and set(span["tier"]) == {"middle"}
    assert set(power.pillars_doc()["pillar"]) == {*model.spec.pillars, "power"}
    with pytest.raises(DataError, match="pillar 'wealth': unknown"):
        power.scores(2022, db=store_path, pillar="wealth")


def test_un_vote_participation_is_a_share_or_missing(model, store_path):
    with open_store(store_path) as store:
        has_votes = "un_votes" in store.tables()
    column = model.indicators.set_index(["iso3", "year"])["unga_vote_participation"]
    if not has_votes:  # a store built without the alignment layer's sources
        assert column.isna().all()
        return
    kaz = column.loc["KAZ"].loc[1993:2025]
    assert kaz.notna().all() and kaz.between(0.5, 1.0).all()
    assert column.dropna().between(0, 1).all()
    assert column.loc["CAN"].loc[2020:2025].notna().all()  # real votes to 2025 (DGACM extracts)
