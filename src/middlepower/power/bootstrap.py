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

* AUC: the Mann-Whitney probability that a positive scores above a negative, ties counting half;
* Spearman: Pearson's correlation of the duplicated sample's average ranks.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1000
"""Bootstrap resamples of the states (registered in revision 2.5)."""
SEED = 20261202
"""Fixed, so that the report is reproducible."""
CHUNK = 200
"""Resamples evaluated at once (bounds memory: CHUNK x rows floats per array)."""


def cluster_weights(clusters: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(resamples, rows) multiplicity of each row: its cluster's count in a draw of as many clusters
    as there are, with replacement."""
    labels, index = np.unique(clusters, return_inverse=True)
    counts = rng.multinomial(labels.size, np.full(labels.size, 1.0 / labels.size), size=resamples)
    return counts[:, index].astype(float)


def _groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort order, start of each group of equal values in it, and each sorted element's group."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(ordered.size, dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    return order, starts, np.cumsum(new) - 1


def weighted_ranks(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(resamples, rows) average rank (1 = lowest) of each row in the sample that repeats row i
    ``weights[b, i]`` times; ties share their mean rank, as ``scipy.stats.rankdata``."""
    order, starts, group = _groups(values)
    totals = np.add.reduceat(weights[:, order], starts, axis=1)
    below = np.cumsum(totals, axis=1) - totals
    ranks = np.empty_like(weights)
    ranks[:, order] = (below + (totals + 1.0) / 2.0)[:, group]
    return ranks


def weighted_auc(score: np.ndarray, positive: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(resamples,) AUC of ``score`` for ``positive`` rows in each weighted resample (NaN when a
    resample has no positive or no negative)."""
    pos = positive.astype(bool)
    order, starts, group = _groups(score)
    negatives = np.where(pos, 0.0, weights)
    per_group = np.add.reduceat(negatives[:, order], starts, axis=1)
    below = np.cumsum(per_group, axis=1) - per_group
    beaten = (below + 0.5 * per_group)[:, group]  # negatives each sorted row beats (ties half)
    won = (np.where(pos, weights, 0.0)[:, order] * beaten).sum(axis=1)
    w_pos, w_neg = np.where(pos, weights, 0.0).sum(axis=1), negatives.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((w_pos > 0) & (w_neg > 0), won / (w_pos * w_neg), np.nan)


def weighted_spearman(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(resamples,) Spearman's rank correlation of x and y in each weighted resample (NaN when
    either is constant in it)."""
    rx, ry = weighted_ranks(x, weights), weighted_ranks(y, weights)
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
