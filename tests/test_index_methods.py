"""Each method against hand-computed values or its documented formula, written out in the test."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from middlepower.index import run, spec_from_dict
from middlepower.index.spec import make_method
from middlepower.index.treat import skew_kurt, treat


def one_level(values: dict[str, list[float]], methods: dict | None = None, **extra) -> tuple:
    """A flat index over the given indicators, one year; returns (spec, frame)."""
    codes = list(values)
    raw = {
        "unit": "u",
        "indicators": [{"code": c, "parent": "I", **extra.get(c, {})} for c in codes],
        "aggregates": [{"code": "I"}],
        "methods": methods or {},
    }
    raw.update(extra.get("_top", {}))
    n = len(next(iter(values.values())))
    frame = pd.DataFrame({"u": [f"u{k}" for k in range(n)], **values})
    return spec_from_dict(raw), frame


def column(X: np.ndarray) -> np.ndarray:
    return X[:, 0, 0]


# --- skew, kurtosis, treatment -------------------------------------------------------------

def scalar_skew(x):
    n, m = len(x), statistics.fmean(x)
    m2 = sum((v - m) ** 2 for v in x) / n
    m3 = sum((v - m) ** 3 for v in x) / n
    return m3 / m2**1.5 * math.sqrt(n * (n - 1)) / (n - 2)


def scalar_kurt(x):
    n, m = len(x), statistics.fmean(x)
    m2 = sum((v - m) ** 2 for v in x) / n
    m4 = sum((v - m) ** 4 for v in x) / n
    g2 = m4 / m2**2 - 3
    return ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))


def test_skew_and_kurtosis_follow_the_type_2_formulas():
    x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]
    s, k = skew_kurt(np.array(x, float).reshape(-1, 1, 1))
    assert s[0, 0] == pytest.approx(scalar_skew(x))
    assert k[0, 0] == pytest.approx(scalar_kurt(x))
    # the same estimators as scipy's bias-corrected ones (Excel SKEW / KURT)
    assert s[0, 0] == pytest.approx(stats.skew(x, bias=False))
    assert k[0, 0] == pytest.approx(stats.kurtosis(x, bias=False))


def fails(x):
    return abs(scalar_skew(x)) >= 2 and scalar_kurt(x) >= 3.5


def test_winsorisation_moves_the_skewed_extreme_point_by_point():
    x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]
    expected = list(x)
    points = 0
    while fails(expected) and points < 5:  # hand loop: move the top point to the next value down
        top = max(expected)
        below = max(v for v in expected if v < top)
        expected = [below if v == top else v for v in expected]
        points += 1
    out, log = treat(np.array(x, float).reshape(-1, 1, 1), make_method("treatment", "winsorise", "t"))
    assert column(out).tolist() == pytest.approx(expected)
    assert log.winsorised_points[0, 0] == points and points >= 1
    assert not log.transformed[0, 0]


def test_winsorisation_falls_back_to_log_ct_when_winmax_is_reached():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], float)
    method = make_method("treatment", {"method": "winsorise", "winmax": 0}, "t")
    out, log = treat(x.reshape(-1, 1, 1), method)
    a = 0.01 * (100 - 1)
    assert column(out).tolist() == pytest.approx([math.log(v - 1 + a) for v in x])
    assert log.transformed[0, 0]


# The three edge rules of COINr 1.1.14 (R/treat.R). ``coinr_winsorise`` is a line-by-line scalar
# transcription of its winsorise() loop (skew(), kurt() and check_SkewKurt() with R's NA logic),
# written independently of the vectorised engine; each case also states the expected numbers.

def r_skew(x):
    return scalar_skew(x) if len(x) >= 3 else None   # skew(): "need min 3 points"


def r_kurt(x):
    return scalar_kurt(x) if len(x) >= 4 else None   # kurt(): "need min 4 points"


def r_pass(x, skew_thresh=2.0, kurt_thresh=3.5):
    """check_SkewKurt: (abs(sk) < skew_thresh) | (kt < kurt_thresh), None standing for NA."""
    sk, kt = r_skew(x), r_kurt(x)
    a = None if sk is None else abs(sk) < skew_thresh
    b = None if kt is None else kt < kurt_thresh
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def coinr_winsorise(x, winmax=5, skew_thresh=2.0, kurt_thresh=3.5):
    """(x, nwin) as COINr's winsorise() returns them."""
    x = list(x)
    passing = r_pass(x, skew_thresh, kurt_thresh)
    nwin, imax, imin = 0, [], []
    if passing is False:
        while passing is False and nwin < winmax:
            if r_skew(x) >= 0:  # "skew is positive, implies high outliers"
                top = max(x)
                imax = [k for k, v in enumerate(x) if v == top]
                below = max(v for k, v in enumerate(x) if k not in imax)
                for k in imax:
                    x[k] = below
            else:
                bottom = min(x)
                imin = [k for k, v in enumerate(x) if v == bottom]
                above = min(v for k, v in enumerate(x) if k not in imin)
                for k in imin:
                    x[k] = above
            nwin = len(imax) + len(imin)   # not a running total: ties count one by one
            passing = r_pass(x, skew_thresh, kurt_thresh)
    return x, nwin


def treat_column(x, **params):
    out, log = treat(np.array(x, float).reshape(-1, 1, 1),
                     make_method("treatment", {"method": "winsorise", **params}, "t"))
    return column(out).tolist(), int(log.winsorised_points[0, 0]), bool(log.transformed[0, 0])


def test_tied_extreme_points_count_one_by_one_towards_winmax():
    # COINr: the two tied 200s move to 80 together and count as two points, so winmax = 2 is
    # reached after one step; 1..30, 80, 80, 80 still fails (skew 2.12, kurt 4.27), so the column
    # is restored and log_CT-transformed. (Counting the tie as one point would take a second step
    # and winsorise to 30, 30, 30.)
    x = [*range(1, 31), 80, 200, 200]
    win, nwin = coinr_winsorise(x, winmax=2)
    assert win == [*range(1, 31), 80, 80, 80] and nwin == 2 and r_pass(win) is False
    out, points, transformed = treat_column(x, winmax=2)
    a = 0.01 * (200 - 1)
    assert transformed and points == 0
    assert out == pytest.approx([math.log(v - 1 + a) for v in x], rel=1e-15)


def test_tied_extremes_and_later_steps_count_like_coinr():
    # with winmax = 5 the count after each step is the size of the group last moved: 2, 3, ...
    x = [*range(1, 31), 80, 200, 200]
    expected, nwin = coinr_winsorise(x, winmax=5)
    out, points, transformed = treat_column(x, winmax=5)
    assert not transformed
    assert out == expected == [*range(1, 31), 30, 30, 30] and points == nwin == 3


def test_a_column_with_zero_skew_is_winsorised_on_the_high_side():
    # symmetric, so skew is exactly 0; with skew_thresh = 0 and kurt 2.29 >= 2 the column fails.
    # COINr winsorises the high side when skew >= 0: 5 -> 1 (one point, winmax 1).
    x = [-5, -1, -1, -1, 0, 1, 1, 1, 5]
    assert scalar_skew(x) == 0.0
    params = {"winmax": 1, "skew_thresh": 0.0, "kurt_thresh": 2.0, "fallback": "none"}
    expected, nwin = coinr_winsorise(x, winmax=1, skew_thresh=0.0, kurt_thresh=2.0)
    assert expected == [-5, -1, -1, -1, 0, 1, 1, 1, 1] and nwin == 1
    assert treat_column(x, **params)[:2] == (expected, 1)


def test_skew_is_defined_from_three_points_and_kurtosis_from_four():
    x = [1.0, 2.0, 10.0]
    # by hand: deviations -10/3, -7/3, 17/3; sum of cubes 3570/27, sum of squares 438/9;
    # skew = sqrt(3) * (3570/27) / (438/9)^1.5 * sqrt(3 * 2) / (3 - 2)
    hand = math.sqrt(3) * (3570 / 27) / (438 / 9) ** 1.5 * math.sqrt(6)
    s, k = skew_kurt(np.array(x).reshape(-1, 1, 1))
    assert s[0, 0] == pytest.approx(hand, rel=1e-12) == pytest.approx(stats.skew(x, bias=False))
    assert np.isnan(k[0, 0])
    s2, _ = skew_kurt(np.array([1.0, 2.0]).reshape(-1, 1, 1))
    assert np.isnan(s2[0, 0])


def test_a_column_whose_check_is_undefined_is_left_untreated():
    # n = 3: kurtosis is NA, so with |skew| 1.6 >= skew_thresh 1 check_SkewKurt returns NA and
    # COINr's Treat() returns the column untreated (no winsorisation, no log fallback)
    x = [1.0, 2.0, 10.0]
    assert r_pass(x, skew_thresh=1.0) is None
    assert treat_column(x, skew_thresh=1.0) == (x, 0, False)
    # and a column that winsorising makes constant (its skew becomes NaN) is restored
    y = [0.0] * 9 + [100.0]
    assert treat_column(y, winmax=5) == (y, 0, False)


def test_column_that_passes_is_untouched():
    x = np.arange(1.0, 13.0).reshape(-1, 1, 1)
    out, log = treat(x, make_method("treatment", "winsorise", "t"))
    assert np.array_equal(out, x) and log.winsorised_points.sum() == 0


def test_plain_log_skips_columns_with_non_positive_values():
    X = np.array([[[1.0, -1.0]], [[math.e, 2.0]]])
    out, _ = treat(X, make_method("treatment", "log", "t"))
    assert out[:, 0, 0].tolist() == pytest.approx([0.0, 1.0])
    assert out[:, 0, 1].tolist() == [-1.0, 2.0]


# --- normalisation --------------------------------------------------------------------------

def normalised(values, method, **extra):
    spec, frame = one_level({"x": values}, {"normalisation": method}, **extra)
    return run(spec, frame).normalised[:, 0, 0]


def test_minmax_to_a_chosen_interval():
    assert normalised([2.0, 4.0, 10.0], {"method": "minmax", "low": 1, "high": 11}).tolist() == \
        pytest.approx([1.0, 1 + 10 * 2 / 8, 11.0])


def test_minmax_respects_negative_direction():
    out = normalised([2.0, 4.0, 10.0], "minmax", x={"direction": -1})
    assert out.tolist() == pytest.approx([100.0, 75.0, 0.0])


def test_zscore_uses_sample_sd_and_chosen_mean_and_sd():
    x = [1.0, 2.0, 4.0, 9.0]
    m, sd = statistics.fmean(x), statistics.stdev(x)
    out = normalised(x, {"method": "zscore", "mean": 10, "sd": 2})
    assert out.tolist() == pytest.approx([10 + 2 * (v - m) / sd for v in x])


def test_rank_gives_ties_the_average_rank():
    assert normalised([5.0, 1.0, 5.0, 3.0], "rank").tolist() == [3.5, 1.0, 3.5, 2.0]


def test_percentile_rank():
    assert normalised([30.0, 10.0, 20.0], "percentile").tolist() == pytest.approx([100.0, 0.0, 50.0])


def test_distance_to_target_caps_at_one():
    out = normalised([0.0, 5.0, 10.0], {"method": "dist2target", "scale": 1}, x={"target": 8})
    assert out.tolist() == pytest.approx([1 - 8 / 10, 1 - 3 / 10, 1.0])


def test_goalposts_clip_and_follow_worst_best_order():
    out = normalised([0.0, 25.0, 80.0], "goalposts", x={"goalposts": [50, 10], "direction": -1})
    assert out.tolist() == pytest.approx([100.0, 62.5, 0.0])


def test_panel_scope_uses_all_years():
    spec = spec_from_dict({"unit": "u", "time": "t", "indicators": [{"code": "x", "parent": "I"}],
                           "aggregates": [{"code": "I"}],
                           "methods": {"normalisation": {"method": "minmax", "scope": "panel"}}})
    frame = pd.DataFrame({"u": ["a", "b", "a", "b"], "t": [1, 1, 2, 2], "x": [0.0, 1.0, 2.0, 4.0]})
    assert run(spec, frame).normalised[:, :, 0].tolist() == [[0.0, 50.0], [25.0, 100.0]]


# --- imputation -----------------------------------------------------------------------------

def test_group_mean_and_median_fill_within_year_and_group():
    frame = pd.DataFrame({"u": list("abcde"), "g": ["A", "A", "A", "B", "B"],
                          "x": [1.0, 2.0, np.nan, 10.0, np.nan], "y": [1.0, 5.0, 6.0, 3.0, 3.0]})
    for method, fill in (("group_mean", 1.5), ("group_median", 1.5)):
        spec, _ = one_level({"x": [0], "y": [0]}, {"imputation": method}, _top={"group": "g"})
        imputed = run(spec, frame).imputed[:, 0, 0]
        assert imputed.tolist() == [1.0, 2.0, fill, 10.0, 10.0]


def test_carry_forward_and_backward_along_time():
    raw = {"unit": "u", "time": "t", "indicators": [{"code": "x", "parent": "I"}], "aggregates": [{"code": "I"}]}
    frame = pd.DataFrame({"u": ["a"] * 4, "t": [1, 2, 3, 4], "x": [np.nan, 2.0, np.nan, 4.0]})
    expected = {"forward": [np.nan, 2, 2, 4], "backward": [2, 2, 4, 4], "forward_backward": [2, 2, 2, 4]}
    for method, want in expected.items():
        got = run(spec_from_dict({**raw, "methods": {"imputation": method}}), frame).imputed[0, :, 0]
        np.testing.assert_array_equal(got, np.array(want, float))


# --- weighting and aggregation --------------------------------------------------------------

def index_of(values, methods, weights=(1.0, 3.0), **level):
    spec, frame = one_level(values, {"normalisation": {"method": "minmax", "low": 1, "high": 11}, **methods},
                            x={"weight": weights[0]}, y={"weight": weights[1]},
                            _top={"levels": [{"level": 2, **level}]} if level else {})
    return run(spec, frame).node_scores("I").iloc[:, 0].to_numpy()


VALUES = {"x": [0.0, 5.0, 10.0], "y": [0.0, 10.0, 40.0]}  # normalised: x -> 1, 6, 11; y -> 1, 3.5, 11


def test_weighted_arithmetic_mean():
    assert index_of(VALUES, {}).tolist() == pytest.approx([1.0, (6 + 3 * 3.5) / 4, 11.0])


def test_weighted_geometric_mean():
    want = math.exp((math.log(6) + 3 * math.log(3.5)) / 4)
    assert index_of(VALUES, {"aggregation": "geometric"})[1] == pytest.approx(want)


def test_weighted_harmonic_mean():
    assert index_of(VALUES, {"aggregation": "harmonic"})[1] == pytest.approx(4 / (1 / 6 + 3 / 3.5))


def test_arithmetic_mean_reweights_around_gaps_like_coinr():
    values = {"x": [0.0, 5.0, 10.0], "y": [0.0, np.nan, 40.0]}
    assert index_of(values, {})[1] == pytest.approx(6.0)  # y missing: x carries all the weight


def test_require_all_and_min_availability_give_nan_instead():
    values = {"x": [0.0, 5.0, 10.0], "y": [0.0, np.nan, 40.0]}
    assert np.isnan(index_of(values, {"aggregation": {"method": "arithmetic", "missing": "require_all"}})[1])
    assert np.isnan(index_of(values, {}, min_availability=0.75)[1])
    assert index_of(values, {}, min_availability=0.5)[1] == pytest.approx(6.0)


def test_equal_weights_ignore_given_weights():
    assert index_of(VALUES, {"weighting": "equal"})[1] == pytest.approx((6 + 3.5) / 2)


def test_pca_weights_are_squared_first_component_loadings():
    rng = np.random.default_rng(1)
    base = rng.normal(size=40)
    values = {"x": base + rng.normal(scale=0.3, size=40), "y": base + rng.normal(scale=0.9, size=40),
              "z": rng.normal(size=40)}
    spec, frame = one_level({k: list(v) for k, v in values.items()}, {"weighting": "pca"})
    result = run(spec, frame)
    data = np.column_stack([result.normalised[:, 0, k] for k in range(3)])
    standardised = (data - data.mean(0)) / data.std(0)
    _, _, vt = np.linalg.svd(standardised, full_matrices=False)  # first right-singular vector
    want = vt[0] ** 2 / np.sum(vt[0] ** 2)
    assert result.weights[2][1][:, 0] == pytest.approx(want, abs=1e-9)


def test_scores_frame_is_tidy_with_ranks_per_node():
    result = run(*one_level(VALUES, {}))
    scores = result.scores
    assert list(scores.columns) == ["unit", "year", "node", "level", "score", "rank"]
    top = scores[scores.node == "I"].sort_values("rank")
    assert top.unit.tolist() == ["u2", "u1", "u0"] and top["rank"].tolist() == [1.0, 2.0, 3.0]


def test_rerun_changes_one_method_and_keeps_the_rest():
    result = run(*one_level(VALUES, {}))
    again = result.rerun(normalisation={"method": "minmax", "low": 0, "high": 1})
    assert again.spec.treatment == result.spec.treatment
    assert again.node_scores("x").iloc[:, 0].tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_rank_descending_gives_ties_the_best_rank_and_keeps_nan():
    from middlepower.index.aggregate import rank_descending

    scores = np.array([[3.0, 5.0, np.nan, 5.0, 1.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    assert np.array_equal(rank_descending(scores, axis=1),
                          np.array([[3.0, 1.0, np.nan, 1.0, 4.0], [5.0, 4.0, 3.0, 2.0, 1.0]]), equal_nan=True)


def test_winsorisation_matches_the_transcription_of_coinr_on_skewed_columns():
    # every winmax from one run of the loop (winsorise_variants) equals the scalar transcription
    # of COINr's Treat(): winsorise(), then log_CT of the original if the column still fails
    from middlepower.index.treat import winsorise_variants

    rng = np.random.default_rng(5)
    X = rng.lognormal(0.0, rng.uniform(0.5, 2.0, size=12), size=(40, 12))
    X[:, 3] = np.round(X[:, 3], 0)  # ties at the extremes
    X[rng.random(X.shape) < 0.1] = np.nan
    results = winsorise_variants(X[:, None, :], [1, 2, 3, 5], 2.0, 3.5, "log_ct")
    for (treated, _), winmax in zip(results, [1, 2, 3, 5], strict=True):
        for j in range(X.shape[1]):
            present = ~np.isnan(X[:, j])
            x = X[present, j].tolist()
            win, _ = coinr_winsorise(x, winmax=winmax)
            if r_pass(win) is False:
                lo, hi = min(x), max(x)
                win = [math.log(v - lo + 0.01 * (hi - lo)) for v in x]
            assert treated[present, 0, j].tolist() == pytest.approx(win, rel=1e-13), (winmax, j)
