"""Weighting: the weights a level's parents give their children, and random draws around them.

- ``given``: the weights written in the spec.
- ``equal``: every child of a parent gets the same weight.
- ``pca``: per parent, the children's values over all unit-years with no gap are standardised;
  the first eigenvector v of their correlation matrix gives w_c = v_c^2 (the share of the first
  component's variance each child carries), so sum_c w_c = 1. Needs more complete rows than
  children.

Whatever the scheme, aggregation divides by the sum of the present children's weights, so only
relative weights matter (see :mod:`middlepower.index.aggregate`).

Noise (uncertainty analysis): each weight becomes w * (1 + e), e ~ U(-noise, noise), drawn
independently per child and replication.
"""

from __future__ import annotations

import numpy as np

from middlepower.errors import DataError
from middlepower.index.aggregate import LevelPlan, Plan


def _pca_weights(columns: np.ndarray, parent: str) -> np.ndarray:
    complete = columns[~np.isnan(columns).any(axis=1)]
    k = columns.shape[1]
    if k == 1:
        return np.ones(1)
    if complete.shape[0] <= k:
        raise DataError(f"aggregate {parent!r}: PCA weights need more than {k} complete unit-years, "
                        f"found {complete.shape[0]}")
    corr = np.corrcoef(complete, rowvar=False)
    if not np.isfinite(corr).all():
        raise DataError(f"aggregate {parent!r}: PCA weights undefined (a child is constant)")
    _, vectors = np.linalg.eigh(corr)
    first = vectors[:, -1]
    return first**2 / np.sum(first**2)


def resolve_weights(lp: LevelPlan, blocks: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Nominal weight matrices W_S (n_S, n_L) of one level under its weighting method.

    ``blocks[S]`` holds nominal values (unit-years x nodes of level S), needed for PCA only.
    """
    mats = {source: w.copy() for source, w in lp.weights}
    if lp.weighting.name == "given":
        return mats
    if lp.weighting.name == "equal":
        return {source: (w > 0).astype(float) for source, w in mats.items()}
    for p, parent in enumerate(lp.codes):
        picks = [(s, np.flatnonzero(w[:, p])) for s, w in mats.items()]
        columns = np.column_stack([blocks[s][:, rows] for s, rows in picks])
        shares = _pca_weights(columns, parent)
        start = 0
        for s, rows in picks:
            mats[s][rows, p] = shares[start:start + len(rows)]
            start += len(rows)
    return mats


def node_offsets(plan: Plan) -> dict[int, int]:
    """Where each level's nodes start in the flat list of all nodes (indicators first)."""
    offsets, start = {1: 0}, len(plan.indicator_codes)
    for lp in plan.levels:
        offsets[lp.level] = start
        start += len(lp.codes)
    return offsets


def split_weights(nominal: dict[int, np.ndarray]) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """W_S (n_S, n_L) -> child weights w_S (n_S,) and 0/1 membership (n_S, n_L).

    A child has one parent, so W_S[c, p] = w_c * member[c, p]."""
    return ({s: w.sum(axis=1) for s, w in nominal.items()},
            {s: (w > 0).astype(float) for s, w in nominal.items()})


def apply_factors(child: dict[int, np.ndarray], factors: np.ndarray, offsets: dict[int, int]) -> dict[int, np.ndarray]:
    """Per-replication child weights (R, n_S): nominal weights times each child's factor.

    ``factors`` is (R, all nodes): 1 = unchanged, 0 = excluded.
    """
    return {s: w[None, :] * factors[:, offsets[s]:offsets[s] + w.size] for s, w in child.items()}


def noise_factors(rng: np.random.Generator, n: int, n_nodes: int, children: np.ndarray, noise: float) -> np.ndarray:
    """(n, n_nodes) factors 1 + U(-noise, noise) on the ``children`` columns, 1 elsewhere."""
    factors = np.ones((n, n_nodes))
    factors[:, children] = 1.0 + rng.uniform(-noise, noise, size=(n, children.size))
    return factors
