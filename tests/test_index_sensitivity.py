"""Sobol estimator against analytic Ishigami indices and SALib; sensitivity of an index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample

from middlepower.errors import ParameterError
from middlepower.index import sensitivity, spec_from_dict
from middlepower.index.sobol import saltelli_design, sobol_indices, split_outputs


def ishigami(points: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2 * np.pi * points
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_analytic(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form Sobol indices of the Ishigami function (Ishigami & Homma 1990)."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / var, np.array([v1 + v13, v2, v13]) / var


def test_ishigami_indices_match_the_analytic_values():
    first, total = ishigami_analytic()
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)
    design = saltelli_design(3, 2**14, seed=3)
    got = sobol_indices(*split_outputs(ishigami(design.stacked()), 2**14, 3), n_boot=50)
    assert got["S1"] == pytest.approx(first, abs=0.02)
    assert got["ST"] == pytest.approx(total, abs=0.02)
    assert (got["S1_low"] <= got["S1"]).all() and (got["S1"] <= got["S1_high"]).all()


def test_estimator_agrees_with_salib_on_the_same_sample():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0.0, 1.0]] * 3}
    points = salib_sample.sample(problem, 512, calc_second_order=False, seed=11)
    y = ishigami(points)
    reference = salib_analyze.analyze(problem, y, calc_second_order=False, print_to_console=False, seed=1)
    step = 3 + 2  # SALib's rows per base point: A, AB_1..AB_3, B
    f_a, f_b = y[0::step], y[step - 1::step]
    f_ab = np.stack([y[1 + i::step] for i in range(3)])
    got = sobol_indices(f_a, f_b, f_ab)
    np.testing.assert_allclose(got["S1"], reference["S1"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got["ST"], reference["ST"], rtol=1e-10, atol=1e-12)


def test_design_columns_swap_one_input_at_a_time():
    design = saltelli_design(4, 8, seed=0)
    ab = design.AB
    for i in range(4):
        np.testing.assert_array_equal(ab[i][:, i], design.B[:, i])
        others = [j for j in range(4) if j != i]
        np.testing.assert_array_equal(ab[i][:, others], design.A[:, others])


@pytest.fixture(scope="module")
def small_index():
    rng = np.random.default_rng(5)
    n_units = 15
    frame = pd.DataFrame(rng.lognormal(size=(n_units, 4)), columns=["a", "b", "c", "d"])
    frame.insert(0, "u", [f"u{k}" for k in range(n_units)])
    raw = {
        "unit": "u",
        "indicators": [{"code": c, "parent": "P" if c in "ab" else "Q"} for c in "abcd"],
        "aggregates": [{"code": "P", "parent": "I"}, {"code": "Q", "parent": "I"}, {"code": "I"}],
        "methods": {"normalisation": {"method": "minmax", "low": 1, "high": 100}},
        "uncertainty": [
            {"input": "weights", "level": 2, "noise": 0.5},
            {"input": "treatment", "alternatives": ["none", "none"]},  # cannot matter
            {"input": "aggregation", "alternatives": ["arithmetic", "geometric"]},
        ],
    }
    return spec_from_dict(raw), frame


def test_an_input_without_effect_gets_zero_indices(small_index):
    spec, frame = small_index
    result = sensitivity(spec, frame, n=128, n_boot=20).set_index("input")
    assert list(result.columns) == ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    assert result.loc["treatment", "ST"] == pytest.approx(0.0, abs=1e-12)
    assert result.loc["weights_L2", "ST"] > 0.01 and result.loc["aggregation", "ST"] > 0.01


def test_rank_output_needs_a_known_unit(small_index):
    spec, frame = small_index
    one = sensitivity(spec, frame, n=64, output="rank", unit="u3", n_boot=0)
    assert set(one["input"]) == {"weights_L2", "treatment", "aggregation"}
    with pytest.raises(ParameterError, match="needs the unit"):
        sensitivity(spec, frame, n=64, output="rank")
    with pytest.raises(ParameterError, match="'volume'"):
        sensitivity(spec, frame, n=64, output="volume")


@pytest.fixture(scope="module")
def leader_toy():
    """5 units x 2 years; u0 leads on every indicator in both years, so it scores 100 and ranks
    first whatever the weights (its score differs between runs only by rounding, ~1e-14)."""
    frame = pd.DataFrame({
        "u": [f"u{k}" for k in range(5)] * 2, "t": [2000] * 5 + [2001] * 5,
        "a": [10, 3, 7, 1, 5, 11, 2, 8, 4, 6], "b": [9, 8, 1, 5, 2, 9, 1, 7, 3, 4],
        "c": [6, 1, 2, 5, 3, 7, 5, 1, 2, 6],
    })
    raw = {
        "unit": "u", "time": "t",
        "indicators": [{"code": c, "parent": "P" if c in "ab" else "Q"} for c in "abc"],
        "aggregates": [{"code": "P", "parent": "I"}, {"code": "Q", "parent": "I"}, {"code": "I"}],
        "uncertainty": [{"input": "weights", "level": 2, "noise": 0.5}, {"input": "weights", "level": 3, "noise": 0.5}],
    }
    return spec_from_dict(raw), frame


@pytest.mark.parametrize("output", ["score", "rank"])
def test_indices_of_an_output_that_does_not_vary_are_nan_without_a_warning(leader_toy, output, recwarn):
    spec, frame = leader_toy
    result = sensitivity(spec, frame, n=64, output=output, unit="u0", year=2001, n_boot=50)
    # S1 was 0.67 (ST 1.2) for the score: ratios of rounding noise
    assert result[["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]].isna().all().all()
    assert result.attrs["output_varies"] is False
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_an_output_that_varies_keeps_finite_indices_in_the_same_toy(leader_toy):
    spec, frame = leader_toy
    result = sensitivity(spec, frame, n=64, output="score", unit="u2", year=2001, n_boot=50)
    assert result.attrs["output_varies"] is True
    assert np.isfinite(result[["S1", "ST", "ST_low", "ST_high"]].to_numpy()).all()
    assert (result["ST"].between(0, 1.5)).all()


def test_sobol_indices_are_nan_when_f_a_and_f_b_do_not_vary_though_f_ab_does():
    n = 64
    fA, fB, fAB = np.full(n, 5.0), np.full(n, 5.0), np.full((2, n), 5.0)
    fAB[0, :5] = 6.0  # was S1 = -1e32, ST = 2.6e33: a difference over a variance of rounding
    result = sobol_indices(fA, fB, fAB, n_boot=20)
    assert all(np.isnan(v).all() for v in result.values())


def test_a_small_but_real_spread_keeps_its_indices():
    # Ishigami scaled by 1e-6 on top of 100: indices are scale-free, and 1e-8 relative is real spread
    design = saltelli_design(3, 2**10, seed=1)
    y = ishigami(design.stacked())
    plain = sobol_indices(*split_outputs(y, 2**10, 3))
    shifted = sobol_indices(*split_outputs(100 + 1e-6 * y, 2**10, 3))
    np.testing.assert_allclose(shifted["S1"], plain["S1"], atol=1e-6)
    np.testing.assert_allclose(shifted["ST"], plain["ST"], atol=1e-6)


def test_bootstrap_resamples_without_spread_are_left_out_of_the_interval():
    n = 64
    fA, fB, fAB = np.zeros(n), np.zeros(n), np.zeros((2, n))
    fA[3], fAB[1, 3] = 1.0, 1.0  # one base row varies; resamples without it are undefined
    result = sobol_indices(fA, fB, fAB, n_boot=200)
    assert result["S1_low"][0] == pytest.approx(result["S1"][0]) and result["ST_low"][0] > 0.9
