"""The power model's building blocks on tiny inputs: ranks, intervals, tiers, the gap regression,
the spec's validation and documentation, claim and criterion verdicts, and the shipped Security Council list."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata
from statsmodels.nonparametric.smoothers_lowess import lowess

from middlepower import sources
from middlepower.errors import SpecError
from middlepower.panel.reach import unsc_terms
from middlepower.power import spec as power_spec
from middlepower.power.indicators import zero_within_coverage
from middlepower.power.model import (
    average_ranks,
    classify,
    interval,
    median_ignoring_nan,
    percentile_within_year,
    robust_lowess,
    standardised_gap,
)
from package_imports import middlepower_imports

values = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(1, 12)),
    elements=st.one_of(st.integers(-3, 3).map(float), st.just(np.nan)),
)


@settings(max_examples=200, deadline=None)
@given(values)
def test_average_ranks_match_scipy_rankdata_with_ties_and_gaps(x):
    expected = rankdata(x, axis=-1, nan_policy="omit")
    assert np.allclose(average_ranks(x), expected, equal_nan=True)


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(1, 5)),
        elements=st.one_of(st.floats(-1e3, 1e3), st.just(np.nan)),
    )
)
def test_interval_matches_numpy_nanpercentile(x):
    lo, hi = interval(x, (5.0, 95.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        expected = np.nanpercentile(x, [5.0, 95.0], axis=0)
    assert np.allclose(lo, expected[0], equal_nan=True) and np.allclose(hi, expected[1], equal_nan=True)


def test_percentile_within_year_runs_from_zero_to_hundred_over_units_with_a_value():
    scores = np.array([[1.0], [3.0], [np.nan], [2.0], [5.0]])  # 5 units, 1 year
    assert np.allclose(percentile_within_year(scores)[:, 0], [0, 200 / 3, np.nan, 100 / 3, 100], equal_nan=True)


def test_classify_puts_cut_offs_in_the_upper_tier():
    tiers = classify(np.array([95.0, 94.9, 75.0, 74.9, np.nan]), great=95.0, middle=75.0)
    assert tiers.tolist() == [0, 1, 1, 2, -1]


def test_gap_on_a_straight_line_is_its_residual_worked_by_hand():
    # ten states on y = 1 + 2x and one 3 points above it: each local fit spans seven states; after
    # the first fit the outlier's residual is more than six median residuals, so the bisquare gives
    # it no weight and every fit is that line; root mean square sqrt(9 / (11 - 2)) = 1
    capability = np.arange(11.0)[:, None]
    influence = 1 + 2 * capability
    influence[5] += 3
    points, std = standardised_gap(capability, influence)
    expected = np.where(np.arange(11) == 5, 3.0, 0.0)
    assert np.allclose(points[:, 0], expected, atol=1e-4) and np.allclose(std[:, 0], expected, atol=1e-4)


def test_local_fit_follows_a_bend_that_one_line_misses():
    # influence flat across the lower half of capability and steep across the upper half: one line
    # runs below both ends (positive residuals at the top); the local fit leaves the top state
    # near its neighbours' trend
    capability = np.arange(30.0)[:, None]
    influence = np.where(capability < 15, 10.0, 10.0 + 3 * (capability - 15))
    slope, intercept = np.polyfit(capability[:, 0], influence[:, 0], 1)
    line_top = influence[-1, 0] - (intercept + slope * capability[-1, 0])
    local_top = standardised_gap(capability, influence)[0][-1, 0]
    assert line_top > 10 and abs(local_top) < 0.5 * line_top


def test_one_outlying_state_does_not_move_the_others_gaps():
    # eight states on y = x and one far above it at the bottom of capability: least squares would
    # tilt the line (negative slope here); the robustness iterations give the outlier no weight
    capability = np.arange(9.0)[:, None]
    influence = capability.copy()
    influence[0] = 40.0
    assert np.polyfit(capability[:, 0], influence[:, 0], 1)[0] < 0
    points, _ = standardised_gap(capability, influence)
    assert np.allclose(points[1:, 0], 0.0, atol=1e-4) and np.isclose(points[0, 0], 40.0, atol=1e-3)


def test_gap_ignores_states_missing_either_score_and_ties_in_capability():
    capability = np.array([[0.0], [1.0], [np.nan], [2.0], [3.0], [2.0], [4.0], [5.0], [5.0]])
    influence = np.array([[1.0], [3.0], [9.0], [5.0], [7.0], [np.nan], [9.0], [11.0], [11.0]])
    points, _ = standardised_gap(capability, influence)
    assert np.isnan(points[[2, 5], 0]).all()
    assert np.allclose(points[[0, 1, 3, 4, 6, 7, 8], 0], 0.0, atol=1e-4)  # all on y = 1 + 2x
    # every state at the same capability: no spread, so the fit is the (robust) mean
    flat = standardised_gap(np.full((4, 1), 2.0), np.array([[1.0], [2.0], [3.0], [4.0]]))[0]
    assert np.isfinite(flat).all() and np.isclose(flat[:, 0].sum(), 0.0, atol=1e-4)


def test_gap_of_each_replication_is_the_gap_of_that_replication_alone():
    # replications with different states missing take the general (sorting) path of the radius
    rng = np.random.default_rng(7)
    capability = rng.uniform(0, 100, (3, 40, 2))
    influence = 0.8 * capability + rng.normal(0, 10, capability.shape)
    influence[1, 5, 0] = np.nan
    capability[2, 9:12, 1] = np.nan
    _, together = standardised_gap(capability, influence)
    for r in range(3):
        assert np.allclose(together[r], standardised_gap(capability[r], influence[r])[1], equal_nan=True,
                           atol=1e-5)


def test_local_fit_is_missing_for_a_replication_with_fewer_than_two_states():
    # replication 0 has one state with both scores, replication 2 none; replication 1 is complete
    x = np.array([[[1.0], [np.nan], [np.nan]], [[1.0], [2.0], [4.0]], [[np.nan], [np.nan], [np.nan]]])
    y = np.array([[[1.0], [2.0], [3.0]], [[1.0], [2.0], [3.0]], [[1.0], [2.0], [3.0]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted = robust_lowess(x, y)
    assert np.isnan(fitted[[0, 2]]).all() and np.isfinite(fitted[1]).all()


def test_local_fit_on_threads_equals_the_fit_on_one(monkeypatch):
    import importlib

    model_module = importlib.import_module("middlepower.power.model")
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 100, (12, 60, 5))
    y = 0.5 * x + rng.normal(0, 8, x.shape)
    x[2, 7, 3] = np.nan
    monkeypatch.setattr(model_module, "_THREADS", 2)
    threaded = robust_lowess(x, y)
    monkeypatch.setattr(model_module, "_THREADS", 1)
    assert np.array_equal(threaded, robust_lowess(x, y), equal_nan=True)


@pytest.mark.parametrize("iterations", [0, 1, 3])
def test_robust_lowess_is_statsmodels_lowess(iterations):
    # statsmodels' lowess with the same span, iterations and no interpolation (delta = 0) is an
    # independent implementation of Cleveland's algorithm; capability and influence are 0-100 scores
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 100, (173, 3))
    y = 0.3 * x + 0.008 * x**2 + rng.standard_t(2, x.shape) * 6
    x[[4, 90], 1] = np.nan
    fitted = robust_lowess(x, y, iterations=iterations)
    for t in range(3):
        keep = ~np.isnan(x[:, t])
        reference = lowess(y[keep, t], x[keep, t], frac=2 / 3, it=iterations, delta=0.0, return_sorted=False)
        assert np.allclose(fitted[keep, t], reference, atol=2e-3)
        assert np.isnan(fitted[~keep, t]).all()


def test_median_ignoring_nan_is_numpys_nanmedian():
    rng = np.random.default_rng(3)
    values = rng.normal(size=(50, 31))
    same = values.copy()
    same[:, :4] = np.nan  # every row the same count: the selection path
    values[rng.uniform(size=values.shape) < 0.2] = np.nan  # counts differ: the sorting path
    values[0] = np.nan
    for case in (same, values, same[:, :30]):
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = np.nanmedian(case, axis=-1)
        assert np.allclose(median_ignoring_nan(case), expected, equal_nan=True)


def test_zero_within_coverage_leaves_years_without_any_value_missing():
    frame = pd.DataFrame({"iso3": ["A", "B", "A", "B"], "year": [1, 1, 2, 2], "x": [5.0, np.nan, np.nan, np.nan]})
    assert np.allclose(zero_within_coverage(frame, "x"), [5.0, 0.0, np.nan, np.nan], equal_nan=True)


def test_every_indicator_of_the_default_spec_is_documented_and_names_registered_tables():
    spec = power_spec.load()
    assert set(spec.pillars) == {"capability", "influence", "resources", "location", "behaviour"}
    for field in ("unit", "coverage", "why"):
        assert spec.docs[field].str.len().gt(5).all(), field
    registered = {source.name for source in sources.all_sources()}
    for code, names in zip(spec.docs["code"], spec.docs["sources"], strict=True):
        assert names and set(names) <= registered, code  # from the column catalogue: registry names only


def test_the_overall_index_is_capability_and_influence_only():
    spec = power_spec.load()
    weighted = [code for code in spec.pillars if spec.weight(code) > 0]
    assert weighted == ["capability", "influence"]
    assert set(spec.inputs_under("capability")) == {"gdp_usd", "milex_usd"}
    # no rotating office and no CINC component in any pillar
    assert not any("unsc" in c or "cinc" in c for c in spec.docs["column"])


@pytest.mark.parametrize(
    "old, new, needle",
    [
        ('why = "Military power in being', 'whyx = "Military power in being', "indicator 'milex': no 'why'"),
        ('column = "gdp_usd"', 'column = "gdp_typo"', "indicator 'gdp': column 'gdp_typo' is in no column catalogue"),
        ("middle_percentile = 75.0", "middle_percentile = 97.0", "middle_percentile < great_percentile"),
        (
            'transform = "log1p"\ninputs = ["milex_usd"]',
            'transform = "sqrt"\ninputs = ["milex_usd"]',
            "indicator 'milex', field 'transform': 'sqrt'",
        ),
        (
            'inputs = ["milex_usd"]',
            'inputs = ["milex_dollars"]',
            "indicator 'milex', field 'inputs': unknown input 'milex_dollars'",
        ),
        ("conduct_percentile = 50.0", "conduct_percentile = 150.0", "conduct_percentile: must be a percentile"),
        ("imputation_draws = 50 ", "imputation_draws = 0 ", "imputation_draws: must be between 1"),
        ("[power]", "[power]\nsurprise = 1", "unknown setting 'surprise'"),
    ],
)
def test_bad_spec_entries_are_one_line_spec_errors(tmp_path, old, new, needle):
    text = power_spec.default_spec_path().read_text()
    assert old in text, old
    broken = tmp_path / "spec.toml"
    broken.write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as info:
        power_spec.load(broken)
    assert needle in str(info.value) and "\n" not in str(info.value)


def test_security_council_list_has_fifteen_members_every_year():
    # 5 permanent + 10 elected (5 elected each year for two years) since the 1965 enlargement
    terms = unsc_terms()
    for year in range(1986, 2026):
        seated = terms[(terms["first_year"] <= year) & (terms["last_year"] >= year)]
        assert len(seated) == 15, (year, sorted(seated["iso3"]))
        assert seated["iso3"].is_unique, year


def test_security_council_list_has_kazakhstan_in_2017_and_2018_only():
    kaz = unsc_terms().query("iso3 == 'KAZ'")
    assert kaz[["first_year", "last_year"]].values.tolist() == [[2017, 2018]]


def test_a_replication_without_noise_reproduces_the_nominal_run():
    # guards the model's use of the engine's public per-node interface: with weight noise 0 and no
    # other uncertain input, every replication's node scores equal the nominal run's, on every data set
    from middlepower import index
    from middlepower.power import engine

    spec = power_spec.load()
    rng = np.random.default_rng(7)
    frame = pd.DataFrame([(f"S{u:02d}", y) for u in range(23) for y in range(2000, 2004)], columns=["iso3", "year"])
    for column in dict.fromkeys(spec.docs["engine_column"]):
        frame[column] = rng.lognormal(size=len(frame))
    frame = frame[~((frame["iso3"] == "S05") & (frame["year"] == 2001))]  # a state absent one year
    nominal = engine.nominal(spec.index, frame, spec.nodes)
    quiet = (index.UncertainInput("weights", level=2, noise=0.0),)
    chunks = list(engine.node_replications(spec.index, [frame, frame], spec.nodes, 4, 0, nominal.units, inputs=quiet))
    assert sorted(int(r) for rows, _ in chunks for r in rows) == [0, 1, 2, 3]
    for _, scores in chunks:
        for code in spec.nodes:
            for rep in scores[code]:
                assert np.allclose(rep, nominal.scores[code], equal_nan=True), code


def _claim(relation: str, argument, measure: str = "gdp_usd"):
    from middlepower.power.claims import Claim

    return Claim("c", "t", "KAZ", measure, (2022, 2022), relation, argument)


def _year(values: dict, **extra: dict) -> pd.DataFrame:
    return pd.DataFrame({"value": pd.Series(values), **{k: pd.Series(v) for k, v in extra.items()}})


@pytest.mark.parametrize(
    "relation, argument, verdict",
    [
        ("largest_among", ("UZB", "KGZ"), "supported"),
        ("smallest_among", ("UZB", "KGZ"), "contradicted"),
        ("largest_among", ("UZB", "TKM"), "insufficient data"),  # TKM has no value
        ("greater_than", "UZB", "supported"),
        ("less_than", 5.0, "contradicted"),
        ("greater_than", "TKM", "insufficient data"),
        ("top_fraction", 0.25, "contradicted"),  # rank 2 of 4: top quarter is rank 1
        ("top_fraction", 0.5, "supported"),
        ("equals", 10, "supported"),  # 10 == 10.0
    ],
)
def test_claim_relations_judged_by_hand(relation, argument, verdict):
    from middlepower.power.verdicts import _judge

    values = {"KAZ": 10.0, "UZB": 4.0, "KGZ": 1.0, "TKM": np.nan, "RUS": 20.0}
    assert _judge(_claim(relation, argument), _year(values))[0] == verdict


def test_a_claim_on_a_state_without_a_value_is_insufficient_data():
    from middlepower.power.verdicts import _judge

    assert _judge(_claim("greater_than", 0), _year({"UZB": 4.0}))[0] == "insufficient data"


@pytest.mark.parametrize(
    "lo, hi, verdict", [(0.1, 0.9, "supported"), (-0.4, -0.1, "contradicted"), (-0.2, 0.5, "inconclusive")]
)
def test_a_gap_claim_is_judged_on_its_interval(lo, hi, verdict):
    from middlepower.power.verdicts import _judge

    frame = _year({"KAZ": 0.3, "UZB": -0.1}, lo={"KAZ": lo, "UZB": -0.5}, hi={"KAZ": hi, "UZB": 0.2})
    assert _judge(_claim("greater_than", 0.0, "gap"), frame)[0] == verdict


@pytest.mark.parametrize("p_middle, verdict", [(0.97, "supported"), (0.5, "inconclusive"), (0.02, "contradicted")])
def test_a_tier_claim_is_judged_on_its_probability(p_middle, verdict):
    from middlepower.power.verdicts import _judge

    frame = _year({"KAZ": "middle"}, p_middle={"KAZ": p_middle}, p_small={"KAZ": 1 - p_middle})
    assert _judge(_claim("equals", "middle", "tier"), frame)[0] == verdict


@pytest.mark.parametrize(
    "lo, hi, verdict",
    [
        (70, 90, "meets"),
        (66.7, 80, "meets"),
        (40, 66, "does not"),
        (60, 75, "inconclusive"),
        (np.nan, np.nan, "no data"),
    ],
)
def test_criterion_verdict_follows_the_interval(lo, hi, verdict):
    from middlepower.power.criteria import verdict as criterion_verdict

    assert criterion_verdict(lo, hi, 66.7) == verdict


def test_claim_windows_combine_years_by_their_quantifier():
    from middlepower.power.verdicts import _combine

    every = _claim("greater_than", 0.0)
    some = replace(every, holds="any")
    assert _combine(every, ["supported", "inconclusive"]) == "inconclusive"
    assert _combine(every, ["supported", "contradicted", "inconclusive"]) == "contradicted"
    assert _combine(some, ["contradicted", "supported"]) == "supported"
    assert _combine(some, ["contradicted", "insufficient data"]) == "contradicted"


def test_docs_list_every_indicator_of_the_default_spec():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "power.md").read_text()
    for code, column in zip(power_spec.load().docs["code"], power_spec.load().docs["column"], strict=True):
        assert f"(`{code}`)" in docs and f"`{column}`" in docs, code


def test_the_power_model_uses_only_the_engines_public_interface():
    # the model may import middlepower.index (its __all__), never an engine module
    import ast

    import middlepower.index
    import middlepower.power

    folder = Path(middlepower.power.__file__).parent
    for file, module, names in middlepower_imports(folder):
        assert not module.startswith("middlepower.index."), (file, module)
        if module == "middlepower.index":
            assert set(names) <= set(middlepower.index.__all__), file
    for name in ("model.py", "compute.py"):  # they hold the engine as ``index`` and call its functions
        for node in ast.walk(ast.parse((folder / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "index":
                assert node.attr in middlepower.index.__all__, (name, node.attr)


def test_a_missing_gap_names_the_pillar_tiers_are_cut_on():
    from middlepower.power.compute import _no_gap_reasons

    tiered = np.array([False, True, True, True])
    influence = np.array([50.0, np.nan, 40.0, 30.0])
    gap = np.array([np.nan, np.nan, np.nan, 0.4])
    reasons = _no_gap_reasons(tiered, influence, gap, 0.5, "power")
    assert reasons.tolist() == ["no tier: less than 50% of its power inputs real", "no influence score",
                                "fewer than three states with both scores in the year", None]
