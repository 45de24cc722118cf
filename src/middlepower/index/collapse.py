"""A shortcut for whole-tree evaluation when every level uses the same mean and no value is missing.

If all levels aggregate with the same weighted mean M_f (f = identity, ln or 1/x) and a unit-year
has every indicator present (and positive, for ln and 1/x), the hierarchy collapses:

    index = f^-1( sum_c E_c f(z_c) ),   E_c = prod over c's ancestors a of w_a / sum_{siblings s} w_s

(the product of the weights renormalised within each parent, from c up to the root). That is one
(replications x indicators) @ (indicators x unit-years) product for all replications, instead of
one pass per level. Unit-years with a gap take the level-by-level path, so the result is the same
as :func:`middlepower.index.aggregate.aggregate_level` level by level (a test checks this).
"""

from __future__ import annotations

import numpy as np

from middlepower.index.aggregate import Plan
from middlepower.index.spec import Method


def shared_method(methods: dict[int, Method]) -> str | None:
    """The mean used at every level, or None when levels differ."""
    names = {m.name for m in methods.values()}
    return names.pop() if len(names) == 1 else None


def clean_rows(z: np.ndarray, method: str) -> np.ndarray:
    """Boolean (unit-years,): rows with every indicator present (and > 0 unless arithmetic)."""
    ok = ~np.isnan(z).any(axis=1)
    if method != "arithmetic":
        ok &= (np.where(np.isnan(z), 1.0, z) > 0).all(axis=1)
    return ok


def to_mean_space(z: np.ndarray, method: str) -> np.ndarray:
    if method == "arithmetic":
        return z
    return np.log(z) if method == "geometric" else 1.0 / z


def from_mean_space(y: np.ndarray, method: str) -> np.ndarray:
    if method == "arithmetic":
        return y
    with np.errstate(divide="ignore"):
        return np.exp(y, out=y) if method == "geometric" else np.divide(1.0, y, out=y)


def effective_weights(plan: Plan, child_weights: dict[int, dict[int, np.ndarray]],
                      members: dict[int, dict[int, np.ndarray]], offsets: dict[int, int],
                      n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """(R, indicators) products of renormalised weights, and per replication (R,) whether every
    parent kept a positive weight sum (where not, the shortcut does not apply)."""
    n_rep = next(iter(child_weights[plan.levels[0].level].values())).shape[0]
    eff = np.zeros((n_rep, n_nodes))
    eff[:, offsets[plan.levels[-1].level]] = 1.0  # the root
    alive = np.ones(n_rep, dtype=bool)
    for lp in reversed(plan.levels):
        start = offsets[lp.level]
        parent_eff = eff[:, start:start + len(lp.codes)]
        sums = sum(w @ members[lp.level][s] for s, w in child_weights[lp.level].items())
        alive &= (sums > 0).all(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = parent_eff / sums
        for s, w in child_weights[lp.level].items():
            member = members[lp.level][s]
            rows = np.flatnonzero(member.any(axis=1))
            eff[:, offsets[s] + rows] = w[:, rows] * (scale @ member.T)[:, rows]
    return eff[:, :len(plan.indicator_codes)], alive
