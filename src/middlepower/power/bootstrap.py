"""How much a validation comparison can support: a cluster bootstrap over states.

The references name few states (three to seven for the lists of middle powers), so a difference of
0.01 in AUC between two scores can be one state. Resampling the *states* with replacement — each
drawn state brings all its years, since a state's years are not independent observations — and
recomputing every score's metric on the same resample gives the distribution of a difference
between two scores (registered in revision 2.5, docs/power-protocol.md). Within-year percentiles stay as
computed on all states: the resample asks which states the reference happens to name, not how the
scores were scaled.

A resample is a vector of multiplicities (how many times each state was drawn); the metrics are
computed exactly on the duplicated sample from those weights, vectorised over resamples:

* AUC: the Mann-Whitney probability that a positive scores above a negative, ties counting half.
  Its numerator is a quadratic form in the states' counts: with W[a, b] the pairs (positive row
  of state a, negative row of state b) the positive wins, a resample with counts c wins c' W c
  pairs. W is computed once per score and reference (:func:`pair_table`), so each resample costs a
  (states x states) product instead of a pass over every row;
* Spearman: Pearson's correlation of the duplicated sample's average ranks.

Every quantity is a sum of integers and halves far below 2**53, so the results are exact whatever
the order of summation.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1000
"""Bootstrap resamples of the states (registered in revision 2.5)."""
SEED = 20261202
"""Fixed, so that the report is reproducible."""
CHUNK = 200
"""Resamples evaluated at once (bounds memory: CHUNK x rows floats per array)."""


def cluster_counts(clusters: np.ndarray, resamples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(resamples, clusters) count of each cluster in a draw of as many clusters as there are, with
    replacement (clusters in sorted order), and the (rows,) position of each row's cluster."""
    labels, index = np.unique(clusters, return_inverse=True)
    counts = rng.multinomial(labels.size, np.full(labels.size, 1.0 / labels.size), size=resamples)
    return counts.astype(float), index


def cluster_weights(clusters: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(resamples, rows) multiplicity of each row: its cluster's count (:func:`cluster_counts`)."""
    counts, index = cluster_counts(clusters, resamples, rng)
    return counts[:, index]


def tie_groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups of tied values of a 1-d array: its stable sort order, the position in that order where
    each group of equal values starts, and the group (0, 1, ...) of each sorted element."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(ordered.size, dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    return order, starts, np.cumsum(new) - 1


def weighted_ranks(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(resamples, rows) average rank (1 = lowest) of each row in the sample that repeats row i
    ``weights[b, i]`` times; ties share their mean rank, as ``scipy.stats.rankdata``."""
    order, starts, group = tie_groups(values)
    totals = np.add.reduceat(weights[:, order], starts, axis=1)
    below = np.cumsum(totals, axis=1) - totals
    ranks = np.empty_like(weights)
    ranks[:, order] = (below + (totals + 1.0) / 2.0)[:, group]
    return ranks


def _sum_by(values: np.ndarray, index: np.ndarray, clusters: int, axis: int) -> np.ndarray:
    """``values`` summed along ``axis`` over the entries of each cluster (``index``: the cluster of
    each entry), one slice per cluster 0..clusters-1 (zeros for a cluster with no entry)."""
    moved = np.moveaxis(values, axis, 0)
    out = np.zeros((clusters, *moved.shape[1:]))
    if index.size:
        order = np.argsort(index, kind="stable")
        present, starts = np.unique(index[order], return_index=True)
        out[present] = np.add.reduceat(moved[order], starts, axis=0)
    return np.moveaxis(out, 0, axis)


def pair_table(score: np.ndarray, positive: np.ndarray, index: np.ndarray,
               clusters: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What every resample's AUC of ``score`` for ``positive`` rows needs: the (clusters, clusters)
    pairs won, [a, b] over the positive rows of cluster a and the negative rows of cluster b (a tie
    counts half), and the (clusters,) numbers of positive and of negative rows of each cluster.
    ``index``: each row's cluster (0..clusters-1, :func:`cluster_counts`)."""
    pos = positive.astype(bool)
    high, low = score[pos], score[~pos]
    wins = (high[:, None] > low[None, :]) + 0.5 * (high[:, None] == low[None, :])
    by_negative = _sum_by(wins, index[~pos], clusters, axis=1)
    table = _sum_by(by_negative, index[pos], clusters, axis=0)
    return (table, np.bincount(index[pos], minlength=clusters).astype(float),
            np.bincount(index[~pos], minlength=clusters).astype(float))


def resampled_auc(table: tuple[np.ndarray, np.ndarray, np.ndarray], counts: np.ndarray) -> np.ndarray:
    """(resamples,) AUC in each resample of (resamples, clusters) ``counts``, from :func:`pair_table`
    (NaN when a resample has no positive or no negative)."""
    wins, positives, negatives = table
    won = ((counts @ wins) * counts).sum(axis=1)
    w_pos, w_neg = counts @ positives, counts @ negatives
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((w_pos > 0) & (w_neg > 0), won / (w_pos * w_neg), np.nan)


def weighted_spearman(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(resamples,) Spearman's rank correlation of x and y in each weighted resample (NaN when
    either is constant in it)."""
    return rank_correlation(weighted_ranks(x, weights), weighted_ranks(y, weights), weights)


def rank_correlation(rx: np.ndarray, ry: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(resamples,) weighted Pearson correlation of the (resamples, rows) ranks ``rx`` and ``ry``
    (:func:`weighted_ranks` under the same ``weights``): Spearman's rho; NaN when either is constant."""
    total = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = (weights * rx).sum(axis=1, keepdims=True) / total, (weights * ry).sum(axis=1, keepdims=True) / total
        dx, dy = rx - mx, ry - my
        cov = (weights * dx * dy).sum(axis=1)
        var = np.sqrt((weights * dx * dx).sum(axis=1) * (weights * dy * dy).sum(axis=1))
        return np.where(var > 1e-12, cov / var, np.nan)


def chunks(resamples: int = RESAMPLES):
    """Sizes of the successive chunks of resamples."""
    full, rest = divmod(resamples, CHUNK)
    return [CHUNK] * full + ([rest] if rest else [])
