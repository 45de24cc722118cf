"""Monte Carlo uncertainty: the vectorised replications agree with plain re-runs of the pipeline."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from middlepower.index import run, spec_from_dict
from middlepower.index.montecarlo import Design, concatenated_design, evaluate, evaluate_chunks, make_context
from middlepower.index.spec import make_method
from middlepower.index.uncertainty_analysis import uncertainty

N_UNITS, N_YEARS, N_IND = 12, 3, 6


def framework(**methods) -> dict:
    return {
        "unit": "u", "time": "t",
        "indicators": [{"code": f"i{k}", "parent": f"P{k % 3}", "weight": 1 + k % 2} for k in range(N_IND)],
        "aggregates": [{"code": "P0", "parent": "S"}, {"code": "P1", "parent": "S"},
                       {"code": "P2", "parent": "I", "weight": 2}, {"code": "S", "parent": "I"}, {"code": "I"}],
        "methods": {"normalisation": {"method": "minmax", "low": 1, "high": 100}, **methods},
        "uncertainty": [
            {"input": "normalisation", "alternatives": [{"method": "minmax", "low": 1, "high": 100},
                                                         {"method": "zscore", "mean": 10, "sd": 2}]},
            {"input": "treatment", "alternatives": [{"method": "winsorise", "winmax": 1}, "none"]},
            {"input": "aggregation", "alternatives": ["arithmetic", "geometric"]},
            {"input": "weights", "level": 2, "noise": 0.3},
            {"input": "weights", "level": 3, "noise": 0.3},
            {"input": "exclusion", "indicators": ["i0", "i4"]},
        ],
    }


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    X = rng.lognormal(size=(N_UNITS * N_YEARS, N_IND))
    X[rng.random(X.shape) < 0.08] = np.nan
    frame = pd.DataFrame(X, columns=[f"i{k}" for k in range(N_IND)])
    frame.insert(0, "t", np.tile(np.arange(2000, 2000 + N_YEARS), N_UNITS))
    frame.insert(0, "u", np.repeat([f"u{k:02d}" for k in range(N_UNITS)], N_YEARS))
    return frame


def collect(ctx, design):
    n_units, n_years, _ = ctx.nominal.panel.shape
    out = np.empty((design.size, n_years, n_units))

    def keep(rows, scores, ranking):
        out[rows] = scores

    evaluate(ctx, design, keep)
    return out


def test_a_replication_with_nominal_choices_reproduces_the_nominal_run(data):
    spec = spec_from_dict(framework())
    spec = spec.replace(uncertainty=tuple(u for u in spec.uncertainty if u.kind in ("weights", "exclusion")))
    ctx = make_context(spec, data)
    scores = collect(ctx, Design({}, np.ones((2, ctx.n_nodes))))
    want = run(spec, data).node_scores("I").to_numpy().T  # (years, units)
    np.testing.assert_allclose(scores[0], want, rtol=1e-12)
    np.testing.assert_allclose(scores[1], want, rtol=1e-12)


@pytest.mark.parametrize("choice", [(0, 0, 0, 0), (1, 1, 1, 1), (0, 1, 0, 1), (1, 0, 1, 0)])
def test_discrete_choices_and_exclusion_match_a_rerun_of_the_changed_spec(data, choice):
    spec = spec_from_dict(framework())
    ctx = make_context(spec, data)
    norm, treat_, agg, drop = choice
    factors = np.ones((1, ctx.n_nodes))
    if drop:
        factors[0, ctx.indicator_index("i4")] = 0.0
    design = Design({"normalisation": np.array([norm]), "treatment": np.array([treat_]),
                     "aggregation": np.array([agg])}, factors)
    got = collect(ctx, design)[0]
    changed = spec.replace(
        normalisation=spec.uncertainty[0].alternatives[norm],
        treatment=spec.uncertainty[1].alternatives[treat_],
        levels=tuple((lvl, dataclasses.replace(lm, aggregation=spec.uncertainty[2].alternatives[agg]))
                     for lvl, lm in spec.levels),
        indicators=tuple(dataclasses.replace(i, weight=0.0) if (drop and i.code == "i4") else i
                         for i in spec.indicators),
    )
    want = run(changed, data).node_scores("I").to_numpy().T
    np.testing.assert_allclose(got, want, rtol=1e-10)


COLLAPSE_CASES = {  # name -> (aggregation alternatives, extra spec entries)
    "arithmetic": (["arithmetic"], {}),
    "geometric, non-positive z-scores": (["geometric"], {}),
    "harmonic": (["harmonic"], {}),
    "require_all": ([{"method": "arithmetic", "missing": "require_all"},
                     {"method": "geometric", "missing": "require_all"}], {}),
    "min_availability": (["arithmetic", "geometric"], {"levels": [{"level": 2, "min_availability": 0.6},
                                                                   {"level": 4, "min_availability": 0.9}]}),
}


@pytest.mark.parametrize("case", COLLAPSE_CASES)
def test_collapsed_evaluation_equals_level_by_level_aggregation(data, case):
    # the index path (the hierarchy collapsed, gaps included) against the node path (level by level
    # everywhere): gaps, a skipped level (P2 -> I), z-scores <= 0 under the geometric and harmonic
    # means, missing-value rules, and exclusions that leave a parent without weight
    from middlepower.index.collapse import row_patterns

    alternatives, extra = COLLAPSE_CASES[case]
    raw = {**framework(imputation="none"), **extra}
    raw["uncertainty"] = [
        {"input": "normalisation", "alternatives": [{"method": "minmax", "low": 1, "high": 100},
                                                     {"method": "zscore", "mean": 0, "sd": 1}]},
        {"input": "aggregation", "alternatives": alternatives},
        {"input": "weights", "level": 2, "noise": 0.3},
        {"input": "weights", "level": 3, "noise": 0.3},
        {"input": "exclusion", "indicators": ["i0", "i3"]},
    ]
    spec = spec_from_dict(raw)
    ctx = make_context(spec, data)
    design = concatenated_design(ctx, 60, 3)
    design.factors[::4, [ctx.indicator_index("i0"), ctx.indicator_index("i3")]] = 0.0  # P0 loses every weight
    minmax = row_patterns(ctx.normalised((0, 0, 0)), "geometric", ctx.tree)
    zscore = row_patterns(ctx.normalised((0, 0, 1)), "geometric", ctx.tree)
    assert minmax.clean.size and minmax.gap.size and (zscore.table == 2).any()  # every kind of row
    fast = np.empty((60, N_YEARS, N_UNITS))
    slow = np.empty((60, N_YEARS, N_UNITS))
    for rows, scores, _ in evaluate_chunks(ctx, design):
        fast[rows] = scores
    for rows, scores, _ in evaluate_chunks(ctx, design, nodes=("I",)):
        slow[rows] = scores
    np.testing.assert_allclose(fast, slow, rtol=1e-10)  # NaN where and only where level by level is NaN
    assert not np.isnan(slow).all()
    if case in ("require_all", "min_availability"):
        assert np.isnan(slow).any()


def test_parent_products_are_the_same_sums_in_one_product_or_one_per_parent(data, monkeypatch):
    from middlepower.index import collapse

    tree = make_context(spec_from_dict(framework()), data).tree
    rng = np.random.default_rng(1)
    values, weights = rng.normal(size=(7, tree.order.size)), rng.uniform(size=(5, tree.order.size))
    parent = tree.parent_of_sorted
    want = np.stack([values[:, parent == p] @ weights[:, parent == p].T for p in range(len(tree.slices))], axis=-1)
    np.testing.assert_allclose(collapse.parent_products(values, weights, tree), want, rtol=1e-13)  # one product
    monkeypatch.setattr(collapse, "BLOCK_PRODUCT_BELOW", 0)
    np.testing.assert_allclose(collapse.parent_products(values, weights, tree), want, rtol=1e-13)  # per parent


def test_uncertainty_frame_brackets_the_distribution(data):
    spec = spec_from_dict(framework())
    frame = uncertainty(spec, data, n=300, seed=1)
    assert len(frame) == N_UNITS * N_YEARS
    assert list(frame.columns) == ["unit", "year", "nominal_score", "nominal_rank", "mean_score", "score_q05",
                                   "score_q95", "mean_rank", "median_rank", "rank_q05", "rank_q95"]
    assert (frame.score_q05 <= frame.score_q95 + 1e-6).all()
    assert ((frame.rank_q05 <= frame.median_rank) & (frame.median_rank <= frame.rank_q95)).all()
    assert frame.mean_rank.between(1, N_UNITS).all()
    nominal = run(spec, data).scores.query("node == 'I'").set_index(["unit", "year"])["score"]
    got = frame.set_index(["unit", "year"])["nominal_score"]
    np.testing.assert_allclose(got, nominal.reindex(got.index), rtol=1e-12)
    again = uncertainty(spec, data, n=300, seed=1)
    pd.testing.assert_frame_equal(frame, again)


def test_rank_quantiles_match_numpy_on_the_stored_draws(data):
    from middlepower.index.uncertainty_analysis import rank_summary

    rng = np.random.default_rng(0)
    ranks = rng.integers(1, 6, size=(4, 101))
    counts = np.zeros((4, 6), dtype=np.int64)
    for cell in range(4):
        counts[cell] = np.bincount(ranks[cell], minlength=6)
    summary = rank_summary(counts)
    np.testing.assert_allclose(summary["median_rank"], np.quantile(ranks, 0.5, axis=1))
    np.testing.assert_allclose(summary["rank_q05"], np.quantile(ranks, 0.05, axis=1))
    np.testing.assert_allclose(summary["rank_q95"], np.quantile(ranks, 0.95, axis=1))
    np.testing.assert_allclose(summary["mean_rank"], ranks.mean(axis=1))


def test_spec_without_uncertain_inputs_is_refused(data):
    raw = framework()
    raw.pop("uncertainty")
    from middlepower.errors import SpecError

    with pytest.raises(SpecError, match="no uncertain inputs"):
        uncertainty(spec_from_dict(raw), data, n=10)


def test_method_alternatives_are_validated():
    from middlepower.errors import SpecError

    raw = framework()
    raw["uncertainty"][0]["alternatives"][1] = {"method": "zscroe"}
    with pytest.raises(SpecError, match="zscroe"):
        spec_from_dict(raw)
    assert make_method("normalisation", "rank", "x").name == "rank"


@pytest.mark.parametrize("with_ties", [False, True])
def test_rank_histograms_equal_quantiles_of_the_stored_ranks(data, with_ties):
    spec = spec_from_dict(framework())
    frame = data.drop(index=[4, 5]).reset_index(drop=True)  # unit u01 lacks two years: NaN scores
    if with_ties:  # u03 copies u02's data: equal scores in every replication
        twin = frame[frame.u == "u02"].assign(u="u03")
        frame = pd.concat([frame[frame.u != "u03"], twin], ignore_index=True)
    ctx = make_context(spec, frame)
    result = uncertainty(spec, frame, n=200, seed=4, block_size=64)
    from middlepower.index.montecarlo import concatenated_design

    design = concatenated_design(ctx, 200, 4, block_size=64)  # the draws of the run's blocks
    n_units, n_years, _ = ctx.nominal.panel.shape
    ranks = np.empty((200, n_years, n_units))
    scores = np.empty((200, n_years, n_units))

    def keep(rows, chunk_scores, ranking):
        ranks[rows] = ranking.ranks()
        scores[rows] = chunk_scores

    evaluate(ctx, design, keep)
    for _, row in result.iterrows():
        u = list(ctx.nominal.panel.units).index(row.unit)
        y = list(ctx.nominal.panel.years).index(row.year)
        draws = ranks[:, y, u]
        assert row.median_rank == pytest.approx(np.nanquantile(draws, 0.5))
        assert row.rank_q95 == pytest.approx(np.nanquantile(draws, 0.95))
        assert row.mean_rank == pytest.approx(np.nanmean(draws))
        score_draws = scores[:, y, u].astype(np.float32)  # kept as float32 by the engine
        assert row.score_q05 == pytest.approx(np.nanquantile(score_draws, 0.05), rel=1e-6)
        assert row.score_q95 == pytest.approx(np.nanquantile(score_draws, 0.95), rel=1e-6)
        assert row.mean_score == pytest.approx(np.nanmean(score_draws), rel=1e-6)
    if with_ties:
        pair = result[result.unit.isin(["u02", "u03"])].groupby("year")["median_rank"].nunique()
        assert (pair == 1).all()


def test_imputation_alternative_matches_a_rerun_with_that_imputation(data):
    raw = framework()
    raw["uncertainty"] = [{"input": "imputation", "alternatives": ["none", "forward_backward"]}]
    spec = spec_from_dict(raw)
    ctx = make_context(spec, data)
    got = collect(ctx, Design({"imputation": np.array([1, 0])}, np.ones((2, ctx.n_nodes))))
    filled = run(spec.replace(imputation=spec.uncertainty[0].alternatives[1]), data).node_scores("I").to_numpy().T
    np.testing.assert_allclose(got[0], filled, rtol=1e-10)
    np.testing.assert_allclose(got[1], run(spec, data).node_scores("I").to_numpy().T, rtol=1e-10)
    assert not np.allclose(got[0], got[1], equal_nan=True)


def _partitioned_mapper(job, batches):
    """Each batch on a copy of the job that went through pickle (as on another machine),
    in reverse order and two blocks per call: what a distributed executor may do."""
    import pickle

    from middlepower.index.blocks import compute_blocks

    blocks = [b for batch in batches for b in batch][::-1]
    for k in range(0, len(blocks), 2):
        yield compute_blocks(pickle.loads(pickle.dumps(job)), blocks[k:k + 2])


def test_any_partition_of_the_blocks_gives_the_local_result_bit_for_bit(data):
    spec = spec_from_dict(framework())
    local = uncertainty(spec, data, n=300, seed=11, block_size=64)
    spread = uncertainty(spec, data, n=300, seed=11, block_size=64, mapper=_partitioned_mapper)
    pd.testing.assert_frame_equal(local, spread, check_exact=True)
    other_seed = uncertainty(spec, data, n=300, seed=12, block_size=64)
    assert not local["mean_score"].equals(other_seed["mean_score"])


def test_blocks_sent_from_a_worker_carry_the_same_histograms_in_a_compact_type(data):
    from middlepower.index.blocks import Job, compute_blocks, compute_blocks_to_send

    job = Job(make_context(spec_from_dict(framework()), data), 150, 3, block_size=64)
    plain, sent = compute_blocks(job, [0, 2]), compute_blocks_to_send(job, [0, 2])
    for full, compact in zip(plain, sent, strict=True):
        assert full.rank_counts.dtype == np.int64 and compact.rank_counts.dtype == np.uint8  # 64 and 22 draws
        np.testing.assert_array_equal(compact.rank_counts, full.rank_counts)
        assert compact.rank_counts.sum() == full.scores.size  # one rank (or none) per draw and cell
        np.testing.assert_array_equal(compact.scores, full.scores)
    assert np.min_scalar_type(500) == np.uint16  # the default block's type


def test_node_replications_are_the_draws_of_the_uncertainty_run(data):
    from middlepower.index import node_replications
    from middlepower.index.blocks import Job, compute_blocks
    from middlepower.index.montecarlo import concatenated_design

    spec = spec_from_dict(framework())
    ctx = make_context(spec, data)
    reps = node_replications(spec, data, ["P0", "S", "I", "i1"], n=150, seed=3, context=ctx, block_size=64)
    assert reps.scores["P0"].shape == (150, N_UNITS, N_YEARS)
    # replication r of the index equals replication r of the uncertainty run's evaluator
    index = collect(ctx, concatenated_design(ctx, 150, 3, block_size=64))  # (n, years, units)
    np.testing.assert_allclose(reps.scores["I"], index.swapaxes(1, 2), rtol=1e-12, equal_nan=True)
    summary = compute_blocks(Job(ctx, 150, 3, block_size=64), [0])[0]
    np.testing.assert_array_equal(summary.scores, index[:64].reshape(64, -1).T.astype(np.float32))
    # and a pillar is what a plain run gives with that replication's discrete choices and weights
    design = concatenated_design(ctx, 150, 3, block_size=64)
    r = 7
    changed = spec.replace(**{kind: ctx.method(kind, int(design.choices[kind][r]))
                              for kind in ("treatment", "normalisation")})
    agg = ctx.level_methods(int(design.choices["aggregation"][r]))
    changed = changed.replace(levels=tuple((lvl, dataclasses.replace(lm, aggregation=agg[lvl]))
                                           for lvl, lm in changed.levels),
                              indicators=tuple(dataclasses.replace(i, weight=i.weight * design.factors[r, k])
                                               for k, i in enumerate(changed.indicators)))
    want = run(changed, data).node_scores("P0").to_numpy()
    np.testing.assert_allclose(reps.scores["P0"][r], want, rtol=1e-10, equal_nan=True)


def test_node_replications_reject_an_unknown_node_listing_the_known_ones(data):
    from middlepower.errors import ParameterError
    from middlepower.index import node_replications

    with pytest.raises(ParameterError, match=r"^nodes 'P9': not a node of .* \(i0, i1, .*, P0, P1, P2, S, I\)$"):
        node_replications(spec_from_dict(framework()), data, ["P0", "P9"], n=10)
    with pytest.raises(ParameterError, match="^nodes: name at least one node$"):
        node_replications(spec_from_dict(framework()), data, [], n=10)
    with pytest.raises(ParameterError, match="^nodes 5: expected a node code or a list of node codes$"):
        node_replications(spec_from_dict(framework()), data, 5, n=10)


def test_one_node_code_alone_is_one_node_not_its_letters(data):
    # as power.compare and alignment.series take one code alone; "P0" was iterated as 'P', '0'
    from middlepower.index import node_replications

    spec = spec_from_dict(framework())
    alone = node_replications(spec, data, "P0", n=20, seed=2, block_size=8)
    listed = node_replications(spec, data, ["P0"], n=20, seed=2, block_size=8)
    assert list(alone.scores) == ["P0"]
    np.testing.assert_array_equal(alone.scores["P0"], listed.scores["P0"])
    assert list(node_replications(spec, data, ["S", "S", "I"], n=4).scores) == ["S", "I"]


def test_node_scores_of_an_unknown_node_names_it_and_lists_the_known_ones(data):
    from middlepower.errors import ParameterError

    result = run(spec_from_dict(framework()), data)
    known = r"\(i0, i1, i2, i3, i4, i5, P0, P1, P2, S, I\)$"
    with pytest.raises(ParameterError, match=r"^code 'zz': not a node of .* " + known):
        result.node_scores("zz")
    assert result.node_scores("P1").shape == (N_UNITS, N_YEARS)


def test_an_unknown_node_error_lists_twenty_nodes_and_counts_the_rest():
    from middlepower.errors import ParameterError
    from middlepower.index.pipeline import check_node

    raw = {"unit": "u", "indicators": [{"code": f"x{k}", "parent": "I"} for k in range(30)],
           "aggregates": [{"code": "I"}]}
    with pytest.raises(ParameterError, match=r"\(x0, x1, .*, x19, \.\.\. and 11 more\)$"):
        check_node(spec_from_dict(raw), "nope", "code")


def test_weight_noise_by_node_level_uses_coinr_numbering(data):
    # COINr's Level 2 are the pillars: node_level = 2 perturbs the same weights as level = 3
    # (the children of the level-3 sub-index and of the root that sit at level 2)
    raw = framework()
    raw["uncertainty"] = [{"input": "weights", "node_level": 2, "noise": 0.3}]
    ctx = make_context(spec_from_dict(raw), data)
    pillars = [ctx.offsets[2] + k for k in range(3)]
    assert ctx.noisy_nodes(ctx.inputs[0]).tolist() == pillars
    raw["uncertainty"] = [{"input": "weights", "node_level": 1, "noise": 0.3}]
    assert make_context(spec_from_dict(raw), data).noisy_nodes(
        spec_from_dict(raw).uncertainty[0]).tolist() == list(range(N_IND))
    raw["uncertainty"] = [{"input": "weights", "node_level": 4, "noise": 0.3}]  # the root's level
    from middlepower.errors import SpecError

    with pytest.raises(SpecError, match="node_level 4"):
        spec_from_dict(raw)


@pytest.mark.parametrize("analysis", ["uncertainty", "node_replications"])
@pytest.mark.parametrize(("argument", "value", "message"), [
    ("n", -3, "n -3: outside 1..100,000"),
    ("n", 0, "n 0: outside 1..100,000"),
    ("n", 10**9, "n 1000000000: outside 1..100,000"),
    ("n", "5", "n '5': expected a whole number, got str"),
    ("n", 2.5, "n 2.5: expected a whole number, got float"),
    ("seed", -1, "seed -1: outside 0..4,294,967,295"),
    ("seed", 1.5, "seed 1.5: expected a whole number"),
    ("block_size", 0, "block_size 0: outside 1..100,000"),
    ("block_size", -1, "block_size -1: outside 1..100,000"),  # ran no block and returned unset memory
    ("block_size", 2.5, "block_size 2.5: expected a whole number"),
])
def test_replication_arguments_are_refused_with_one_line_naming_them(data, analysis, argument, value, message):
    from middlepower.errors import ParameterError
    from middlepower.index import node_replications

    spec = spec_from_dict(framework())
    call = {"uncertainty": lambda **kw: uncertainty(spec, data, **kw),
            "node_replications": lambda **kw: node_replications(spec, data, ["P0"], **kw)}[analysis]
    with pytest.raises(ParameterError) as caught:
        call(**{"n": 5, argument: value})
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert caught.value.parameter == argument


def test_node_replications_refuse_scores_above_the_result_bound_before_allocating(data, monkeypatch):
    from middlepower import limits
    from middlepower.errors import ParameterError
    from middlepower.index import node_replications

    # 100 replications of 2 nodes over 36 unit-years are 57,600 bytes of float64
    monkeypatch.setattr(limits, "RESULT_BYTES", limits.Bound(50_000, "bytes", "test"))
    with pytest.raises(ParameterError, match=r"^n 100: needs 56.2 KiB for 100 replications of 2 nodes"):
        node_replications(spec_from_dict(framework()), data, ["P0", "I"], n=100)


@pytest.mark.parametrize("analysis", ["run", "uncertainty", "sensitivity", "node_replications"])
def test_data_that_is_not_a_dataframe_is_refused_naming_the_argument(data, analysis):
    from middlepower import index
    from middlepower.errors import ParameterError

    spec = spec_from_dict(framework())
    call = {"run": lambda d: index.run(spec, d), "uncertainty": lambda d: index.uncertainty(spec, d, n=5),
            "sensitivity": lambda d: index.sensitivity(spec, d, n=4),
            "node_replications": lambda d: index.node_replications(spec, d, "I", n=5)}[analysis]
    with pytest.raises(ParameterError, match=r"^data: expected a pandas DataFrame with a row per unit-year, got list$"):
        call([1, 2, 3])
    with pytest.raises(ParameterError, match=r"^spec: expected an index Spec .*, got dict$"):
        index.run(framework(), data)
