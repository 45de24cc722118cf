"""The cluster bootstrap of the validation report: weighted metrics equal the metrics of the duplicated
sample (SciPy and the plain AUC on repeated rows), and resamples repeat whole states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from middlepower.power import bootstrap
from middlepower.power.validation import auc


def _pairs_auc(score: np.ndarray, positive: np.ndarray) -> float:
    """AUC by its definition: the share of (positive, negative) pairs the positive wins, ties half."""
    high, low = score[positive], score[~positive]
    return float(((high[:, None] > low[None, :]) + 0.5 * (high[:, None] == low[None, :])).mean())

small = st.lists(st.integers(0, 5), min_size=4, max_size=30)


def _repeat(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return np.repeat(values, counts.astype(int))


@settings(max_examples=200, deadline=None)
@given(small, st.data())
def test_a_resample_of_states_has_the_auc_of_its_rows_repeated_state_by_state(scores, data):
    """The report's path: several rows per state, the pair table built once, then counts per state."""
    score = np.asarray(scores, dtype=float)
    n = score.size
    positive = np.asarray(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    index = np.asarray(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    counts = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=6, max_size=6)), dtype=float)
    table = bootstrap.pair_table(score, positive, index, 6)
    got = bootstrap.resampled_auc(table, counts[None, :])[0]
    rows = counts[index]
    repeated_pos = _repeat(positive, rows)
    if repeated_pos.all() or not repeated_pos.any():
        assert np.isnan(got)
    else:
        assert got == pytest.approx(_pairs_auc(_repeat(score, rows), repeated_pos), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(small, st.data())
def test_weighted_spearman_is_scipys_on_the_sample_with_rows_repeated(scores, data):
    x = np.asarray(scores, dtype=float)
    n = x.size
    y = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=float)
    counts = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=float)
    got = bootstrap.weighted_spearman(x, y, counts[None, :])[0]
    rx, ry = _repeat(x, counts), _repeat(y, counts)
    if rx.size < 2 or np.unique(rx).size < 2 or np.unique(ry).size < 2:
        assert np.isnan(got)
    else:
        assert got == pytest.approx(stats.spearmanr(rx, ry).statistic, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(small, st.data())
def test_the_reports_auc_is_the_auc_by_definition(scores, data):
    score = np.asarray(scores, dtype=float)
    positive = np.asarray(data.draw(st.lists(st.booleans(), min_size=score.size, max_size=score.size)))
    if positive.all() or not positive.any():
        assert np.isnan(auc(score, positive))
    else:
        assert auc(score, positive) == pytest.approx(_pairs_auc(score, positive), abs=1e-12)


def test_weighted_ranks_are_scipys_average_ranks_when_every_row_counts_once():
    values = np.array([3.0, 1.0, 3.0, 2.0, 1.0, 3.0])
    assert np.allclose(bootstrap.weighted_ranks(values, np.ones((1, 6)))[0], stats.rankdata(values))


def test_a_resample_draws_whole_states_as_many_as_there_are():
    clusters = np.array(["A", "A", "B", "C", "C", "C"])
    weights = bootstrap.cluster_weights(clusters, 50, np.random.default_rng(1))
    assert weights.shape == (50, 6)
    assert (weights[:, 0] == weights[:, 1]).all() and (weights[:, 3] == weights[:, 5]).all()
    per_state = weights[:, [0, 2, 3]]
    assert (per_state.sum(axis=1) == 3).all()  # three states drawn with replacement


def test_chunks_add_up_to_the_resamples():
    assert sum(bootstrap.chunks(1000)) == 1000 and sum(bootstrap.chunks(450)) == 450
