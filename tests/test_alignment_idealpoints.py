"""Own dynamic ideal points: solver pieces on fixtures, and agreement with the published BSV estimates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middlepower import codes, sources
from middlepower.alignment import series
from middlepower.alignment.idealpoints import fit_ideal_points
from middlepower.alignment.newton import tridiagonal_solve
from middlepower.alignment.votes import load_votes
from middlepower.errors import DataError
from middlepower.warehouse import open_store

TODAY_POOLED_R = 0.956
"""Pooled r with BSV 2024 before the 2020-2025 votes joined (benchmarks/README.md, 2026-11-29)."""


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 9), st.integers(0, 10_000))
def test_tridiagonal_solver_matches_dense_inverse(size, seed):
    rng = np.random.default_rng(seed)
    off = -rng.uniform(0.0, 2.0, size=(1, max(size - 1, 0)))
    diag = (
        rng.uniform(0.1, 3.0, size=(1, size))
        + np.abs(np.pad(off, ((0, 0), (0, 1))))
        + np.abs(np.pad(off, ((0, 0), (1, 0))))
    )
    rhs = rng.normal(size=(1, size))
    dense = np.diag(diag[0]) + np.diag(off[0], 1) + np.diag(off[0], -1)
    solution, variance = tridiagonal_solve(diag, np.pad(off, ((0, 0), (0, 1))), rhs)
    assert np.allclose(solution[0], np.linalg.solve(dense, rhs[0]))
    assert np.allclose(variance[0], np.diag(np.linalg.inv(dense)))


@pytest.fixture(scope="module")
def full_fit(store_path):
    # The series' own selection over every complete year, 1946-2025, by session.
    return fit_ideal_points(series.analysis_votes(store_path), period="session")


@pytest.fixture(scope="module")
def compared(full_fit):
    published = sources.load("voeten_ideal_points_2024")
    published["iso3"] = codes.ccode_to_iso3(published["ccode"])
    both = published.merge(full_fit.points, on=["iso3", "session"], suffixes=("_bsv", "_own"))
    both["decade"] = both["year"] // 10 * 10
    return both[both["session"] <= 74]  # 1946-2019: the earlier releases' span


def test_own_ideal_points_correlate_with_published_bsv_pooled_no_worse_than_before(compared):
    assert len(compared) > 10_000
    assert np.corrcoef(compared["ideal_point_bsv"], compared["ideal_point_own"])[0, 1] >= TODAY_POOLED_R


def test_own_yearly_ideal_points_2020_2024_correlate_with_voeten_july_2025(store_path):
    with open_store(store_path) as store:
        published = store.query("SELECT iso3, year, ideal_point_fp FROM voeten_ideal_points_2025 "
                                "WHERE year BETWEEN 2020 AND 2024 AND ideal_point_fp IS NOT NULL AND iso3 IS NOT NULL")
    own = series.yearly_ideal_points(store_path).points
    both = published.merge(own, on=["iso3", "year"])
    assert len(both) > 900 and set(both["year"]) == set(range(2020, 2025))
    assert np.corrcoef(both["ideal_point_fp"], both["ideal_point"])[0, 1] >= 0.95
    for year, rows in both.groupby("year"):
        assert np.corrcoef(rows["ideal_point_fp"], rows["ideal_point"])[0, 1] >= 0.95, year


def test_own_ideal_points_correlate_with_published_bsv_in_every_decade(compared):
    for decade, rows in compared.groupby("decade"):
        r = np.corrcoef(rows["ideal_point_bsv"], rows["ideal_point_own"])[0, 1]
        assert r >= 0.9, (decade, r)


def test_fit_is_identified_usa_positive_mean_zero_sd_one(full_fit):
    points = full_fit.points
    assert points["ideal_point"].mean() == pytest.approx(0.0, abs=1e-9)
    assert points["ideal_point"].std(ddof=0) == pytest.approx(1.0, abs=1e-9)
    assert points.loc[points["iso3"] == "USA", "ideal_point"].mean() > 1.0
    assert (points["se"] > 0).all() and (points["lower"] < points["ideal_point"]).all()
    assert full_fit.converged


def test_kazakhstan_sits_beyond_china_from_the_usa_in_sessions_70_to_74(full_fit):
    points = full_fit.points.set_index(["iso3", "session"])["ideal_point"]
    beyond_china = sum(points["KAZ", s] < points["CHN", s] for s in range(70, 75))
    assert beyond_china >= 3
    recent = range(65, 75)
    assert np.mean([points["KAZ", s] for s in recent]) < np.mean([points["RUS", s] for s in recent])
    assert all(points["USA", s] > 2 for s in recent)


def test_subset_fit_on_one_issue_and_year_range_is_deterministic(store_path):
    subset = load_votes(store_path).select(issues=["hr"], years=(1995, 2010))
    first = fit_ideal_points(subset, period="year")
    second = fit_ideal_points(subset, period="year")
    assert first.points["year"].between(1995, 2010).all()
    assert np.array_equal(first.points["ideal_point"].to_numpy(), second.points["ideal_point"].to_numpy())
    usa = first.points.loc[first.points["iso3"] == "USA", "ideal_point"]
    assert (usa > 0).all()


def test_fit_refuses_an_empty_selection(store_path):
    with pytest.raises(DataError, match="too few roll calls"):
        fit_ideal_points(load_votes(store_path).select(years=(1964, 1964)))
