"""Whole-tree evaluation when every level uses the same mean: the hierarchy collapses, gaps included.

If all levels aggregate with the same weighted mean M_f (f = identity, ln or 1/x), a unit-year's
index is

    index = f^-1( sum_c E_c f(z_c) ),   E_c = prod over the nodes a on the path c -> root of w_a m_a / D_parent(a)

where m_a = 1 when node a has a value and D_p = sum over p's children s of w_s m_s. That is the
level-by-level rule of :func:`middlepower.index.aggregate.aggregate_level`: weights renormalised
within each parent over the children present. An indicator has a value where z is not NaN; an
aggregate where its present children keep a positive weight sum, pass the level's
``min_availability`` and ``require_all`` rules and, under the geometric and harmonic means, include
no non-positive indicator (such a value makes its parent NaN). NaN parents are gaps one level up.

The mask m follows from which indicators of a unit-year are present and which are non-positive:
its *pattern*. Unit-years are grouped by pattern, and the path products are computed once per
pattern and replication, split at the indicators' parents p:

    index = f^-1( sum_p B_p S_p ),   B_p = E_p / D_p,   S_p = sum over indicator children c of p of w_c f(z_c)

with f(z_c) = 0 where c is missing. S is one matrix product per parent and group of replications
sharing their normalised values; B is small (patterns x parents x replications). A unit-year with
every indicator present has the all-present pattern, whose products over the indicators form one
(replications x indicators) matrix: one product with the (indicators x unit-years) values of its
group. The result equals level-by-level aggregation to rounding (a test checks 1e-10).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from middlepower.index.aggregate import Plan
from middlepower.index.spec import Method
from middlepower.index.weights import split_weights


def shared_method(methods: dict[int, Method]) -> str | None:
    """The mean used at every level, or None when levels differ."""
    names = {m.name for m in methods.values()}
    return names.pop() if len(names) == 1 else None


def to_mean_space(z: np.ndarray, method: str) -> np.ndarray:
    if method == "arithmetic":
        return z
    return np.log(z) if method == "geometric" else 1.0 / z


def from_mean_space(y: np.ndarray, method: str) -> np.ndarray:
    if method == "arithmetic":
        return y
    with np.errstate(divide="ignore", over="ignore"):
        return np.exp(y, out=y) if method == "geometric" else np.divide(1.0, y, out=y)


@dataclass(frozen=True)
class Tree:
    """The hierarchy as collapsed evaluation reads it, from a plan and its nominal weights.

    ``child[L][S]`` are the nominal weights (n_S,) of level L's children in source level S and
    ``member[L][S]`` (n_S, n_L) their 0/1 membership; ``min_share[L]`` the level's
    ``min_availability``. The indicators' parents, level by level in ``parent_levels``, are the parents
    of :func:`parent_factors`; ``order`` lists the indicators with a parent sorted by parent, so
    that parent j's indicators are ``order[slices[j]]``; ``indicator_weight`` (indicators,) is
    each indicator's nominal weight.
    """

    levels: tuple[int, ...]
    child: dict[int, dict[int, np.ndarray]]
    member: dict[int, dict[int, np.ndarray]]
    min_share: dict[int, float]
    parent_levels: tuple[int, ...]
    order: np.ndarray
    slices: tuple[slice, ...]
    indicator_weight: np.ndarray

    @property
    def parent_of_sorted(self) -> np.ndarray:
        """The parent column of each indicator of ``order``."""
        return np.repeat(np.arange(len(self.slices)), [s.stop - s.start for s in self.slices])


def compile_tree(plan: Plan, weights: dict[int, dict[int, np.ndarray]]) -> Tree:
    """The :class:`Tree` of ``plan`` under its nominal weight matrices ``weights[L][S]``."""
    child, member, min_share = {}, {}, {}
    for lp in plan.levels:
        child[lp.level], member[lp.level] = split_weights(weights[lp.level])
        min_share[lp.level] = lp.min_availability
    parent_levels = tuple(level for level in child if 1 in child[level])
    parent_of = np.hstack([member[level][1] for level in parent_levels])  # (indicators, parents)
    order, slices, start = [], [], 0
    for j in range(parent_of.shape[1]):
        kids = np.flatnonzero(parent_of[:, j] > 0)
        order.extend(kids)
        slices.append(slice(start, start + kids.size))
        start += kids.size
    weight = np.sum([child[level][1] for level in parent_levels], axis=0)
    return Tree(tuple(child), child, member, min_share, parent_levels, np.array(order, dtype=int), tuple(slices),
                weight)


@dataclass(frozen=True)
class RowPatterns:
    """The unit-years of one normalised array (rows x indicators) under one mean, sorted by pattern.

    ``values`` are f(z) of the indicators in the tree's ``order``, 0 where an indicator is missing
    or non-positive under the geometric or harmonic mean; ``clean`` rows have every indicator
    usable (the all-present pattern); ``gap`` rows have some present and some not, with their
    ``pattern`` numbers into ``table`` (patterns x indicators in spec order: 0 missing, 1
    present, 2 present but non-positive). Rows with no indicator present are in neither: they
    have no score. ``clean_values`` and ``gap_values`` are those rows of ``values``.
    """

    values: np.ndarray
    clean: np.ndarray
    gap: np.ndarray
    pattern: np.ndarray
    table: np.ndarray
    clean_values: np.ndarray = field(repr=False)
    gap_values: np.ndarray = field(repr=False)

    @classmethod
    def of(cls, values: np.ndarray, clean: np.ndarray, gap: np.ndarray, pattern: np.ndarray,
           table: np.ndarray) -> RowPatterns:
        """The patterns with their rows of ``values`` taken out once."""
        return cls(values, clean, gap, pattern, table, values[clean], values[gap])


def row_patterns(z: np.ndarray, method: str, tree: Tree, arithmetic: RowPatterns | None = None) -> RowPatterns:
    """Sort the rows of ``z`` (rows x indicators, NaN = missing) by pattern under ``method``.

    ``arithmetic`` are the arithmetic mean's patterns of an array with the same missing values
    (they depend on nothing else): reused as they are, and for the geometric and harmonic means
    when no value is <= 0 (the patterns are then the same)."""
    present = ~np.isnan(z)
    if method == "arithmetic":
        values = np.where(present, z, 0.0)
        usable = present
    else:
        usable = present & (np.where(present, z, 1.0) > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(usable, to_mean_space(np.where(usable, z, 1.0), method), 0.0)
    if arithmetic is not None and (method == "arithmetic" or (usable == present).all()):
        return RowPatterns.of(np.ascontiguousarray(values[:, tree.order]), arithmetic.clean, arithmetic.gap,
                              arithmetic.pattern, arithmetic.table)
    return _sorted_patterns(usable, values, tree, present)


def _sorted_patterns(usable: np.ndarray, values: np.ndarray, tree: Tree,
                     present: np.ndarray | None = None) -> RowPatterns:
    """RowPatterns of rows whose indicators are ``present`` (default: ``usable``) and ``usable``."""
    present = usable if present is None else present
    clean = usable.all(axis=1)
    gap = np.flatnonzero(~clean & present.any(axis=1))
    status = present.astype(np.int8) + (present & ~usable)
    table, pattern = distinct_rows(status[gap])
    return RowPatterns.of(np.ascontiguousarray(values[:, tree.order]), np.flatnonzero(clean), gap, pattern, table)


def distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D array in order of first appearance, and each row's number among
    them (``np.unique(..., axis=0)`` without its sort, which costs more than the rest of a small run)."""
    numbers: dict[bytes, int] = {}
    pattern = np.array([numbers.setdefault(row.tobytes(), len(numbers)) for row in rows], dtype=np.int64)
    first = np.unique(pattern, return_index=True)[1]  # the first row of each pattern, in pattern order
    return rows[first].reshape(len(numbers), rows.shape[1]), pattern


BLOCK_PRODUCT_BELOW = 1_000_000
"""Multiply-adds below which :func:`parent_products` uses one matrix product for all parents."""


def parent_products(values: np.ndarray, weights: np.ndarray, tree: Tree,
                    spread: np.ndarray | None = None) -> np.ndarray:
    """sum over each parent's indicators c of values[m, c] weights[r, c]: (M, R, parents).

    ``values`` (M, indicators) and ``weights`` (R, indicators) are in the tree's ``order``. Small
    products are one matrix product with the weights spread over the parents (``spread``, from
    :func:`spread_weights`, may be given; parents x more multiply-adds, one call); large ones one
    product per parent."""
    n_par, (m, n_ind), r = len(tree.slices), values.shape, weights.shape[0]
    if m * n_ind * r * n_par >= BLOCK_PRODUCT_BELOW:
        return np.stack([values[:, kids] @ weights[:, kids].T for kids in tree.slices], axis=-1)
    spread = spread_weights(weights, tree) if spread is None else spread
    return (values @ spread.reshape(n_ind, -1)).reshape(m, r, n_par)


def spread_weights(weights: np.ndarray, tree: Tree) -> np.ndarray:
    """(indicators, R, parents): each indicator's weights (R, indicators) in its parent's column, 0 elsewhere."""
    spread = np.zeros((weights.shape[1], weights.shape[0], len(tree.slices)))
    spread[np.arange(weights.shape[1]), :, tree.parent_of_sorted] = weights.T
    return spread


def replication_weights(tree: Tree, factors: np.ndarray, offsets: dict[int, int]) -> dict[int, dict[int, np.ndarray]]:
    """Per level and source, the children's weights of every replication (R, n_S): nominal x factor."""
    return {level: {s: w[None, :] * factors[:, offsets[s]:offsets[s] + w.size] for s, w in sources.items()}
            for level, sources in tree.child.items()}


def parent_factors(tree: Tree, methods: dict[int, Method], weights: dict[int, dict[int, np.ndarray]],
                   w_sorted: np.ndarray, table: np.ndarray,
                   spread: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """B_p of every pattern of ``table`` and replication: (parents, patterns, R), parents as in
    ``tree.slices``; and whether the root has a value: (patterns, R) bool.

    ``methods`` are the levels' means (their ``missing`` rule is read), ``weights`` are
    :func:`replication_weights`, ``w_sorted`` (R, indicators) the indicators' weights in the
    tree's ``order`` (``spread``: the same from :func:`spread_weights`, if at hand). Arrays are
    node-major (nodes, patterns, R), so each level is a few 2-D matrix products."""
    n_pat, n_rep = table.shape[0], w_sorted.shape[0]
    present = (table[:, tree.order] > 0).astype(float)
    poisoned = (table == 2).astype(float)
    checks = any(tree.min_share[level] > 0 or methods[level].kw.get("missing") == "require_all"
                 for level in tree.parent_levels)
    weight_sums = parent_products(present, w_sorted, tree, spread).transpose(2, 0, 1)  # (parents, patterns, R)
    positive_counts = parent_products(present, (w_sorted > 0).astype(float), tree).transpose(2, 0, 1) \
        if checks else None
    first = 0  # the first parent column of the level (levels with indicator children, in order)
    has_value: dict[int, np.ndarray] = {}
    sums: dict[int, np.ndarray] = {}
    for level in tree.levels:  # bottom-up: which aggregates have a value, and their weight sums D
        min_share, require_all = tree.min_share[level], methods[level].kw.get("missing") == "require_all"
        check = min_share > 0 or require_all
        den = count = total = 0.0
        for source, member in tree.member[level].items():
            w, n_parents = weights[level][source], member.shape[1]
            positive = (w > 0).astype(float)
            if source == 1:
                den = den + weight_sums[first:first + n_parents]
                if check:
                    count = count + positive_counts[first:first + n_parents]
                first += n_parents
            else:  # (parents, children) @ (children, patterns x R)
                kids = has_value[source]
                den = den + (member.T @ (kids * w.T[:, None, :]).reshape(member.shape[0], -1)).reshape(
                    n_parents, n_pat, n_rep)
                if check:
                    count = count + (member.T @ (kids * positive.T[:, None, :]).reshape(member.shape[0], -1)
                                     ).reshape(n_parents, n_pat, n_rep)
            if check:
                total = total + (positive @ member).T[:, None, :]
        ok = den > 0
        if 1 in tree.member[level]:
            ok &= (poisoned @ tree.member[level][1] == 0).T[:, :, None]
        if check:
            with np.errstate(invalid="ignore", divide="ignore"):
                ok &= ~(count / total < min_share)
            if require_all:
                ok &= ~(count < total)
        has_value[level], sums[level] = ok, den
    root = tree.levels[-1]
    path = {root: has_value[root].astype(float)}  # E_a: the product of renormalised weights from a to the root
    ratios = {}
    for level in reversed(tree.levels):  # top-down
        ratio = np.zeros_like(sums[level])
        np.divide(path[level], sums[level], out=ratio, where=sums[level] > 0)
        ratios[level] = ratio
        for source, member in tree.member[level].items():
            if source > 1:
                share = (member @ ratio.reshape(member.shape[1], -1)).reshape(member.shape[0], n_pat, n_rep)
                share *= weights[level][source].T[:, None, :]
                share *= has_value[source]
                path[source] = path[source] + share if source in path else share
    return np.concatenate([ratios[level] for level in tree.parent_levels]), has_value[root][0]


def collapsed_scores(tree: Tree, offsets: dict[int, int], factors: np.ndarray, methods: dict[int, Method],
                     groups: list[tuple[np.ndarray, RowPatterns, str]], out: np.ndarray) -> None:
    """Write the index scores of each group's replications into ``out`` (R, rows).

    ``groups`` are (replication numbers, i.e. rows of ``factors`` and ``out``; the
    :class:`RowPatterns` of their normalised values under their mean; that mean, one for every
    level: see :func:`shared_method`). ``methods`` are levels' aggregation methods whose missing-value
    rules are those of every group. Rows without any indicator present are NaN.
    """
    tables = [patterns.table for _, patterns, _ in groups]
    everything = np.ones((1, tree.indicator_weight.size), dtype=np.int8)  # the pattern of clean rows
    if all(t.shape == tables[0].shape and np.array_equal(t, tables[0]) for t in tables):
        table, full = np.concatenate([everything, tables[0]]), 0  # the usual case: the same gaps in every group
        numbers = [1 + patterns.pattern for _, patterns, _ in groups]
    else:
        table, which = distinct_rows(np.concatenate([everything, *tables]))
        full = 0
        bounds = np.cumsum([1] + [len(t) for t in tables])
        numbers = [which[bounds[k]:bounds[k + 1]][patterns.pattern] for k, (_, patterns, _) in enumerate(groups)]
    reps = np.concatenate([rows for rows, _, _ in groups])
    n_ind = tree.indicator_weight.size
    w_sorted = (tree.indicator_weight[None, :] * factors[reps, :n_ind])[:, tree.order]  # (R, sorted indicators)
    spread = spread_weights(w_sorted, tree)
    path_factors, scored = parent_factors(tree, methods, replication_weights(tree, factors[reps], offsets), w_sorted,
                                          table, spread)
    lengths = [s.stop - s.start for s in tree.slices]
    clean_factor = w_sorted * np.repeat(path_factors[:, full, :], lengths, axis=0).T  # E over the indicators
    by_pattern = np.ascontiguousarray(path_factors.transpose(1, 2, 0))  # (patterns, R, parents)
    scores = np.full((reps.size, out.shape[1]), np.nan)  # in the order of reps: each group a slice
    unscored = None if scored.all() else np.zeros(scores.shape, dtype=bool)  # roots without a value (rare)
    chosen: dict[int, np.ndarray] = {}  # B of the gap rows, per pattern numbering (usually one for all groups)
    start = 0
    for (rows, patterns, mean), number in zip(groups, numbers, strict=True):
        local = slice(start, start + rows.size)
        start += rows.size
        if patterns.clean.size:
            scores[local, patterns.clean] = clean_factor[local] @ patterns.clean_values.T
            if unscored is not None:
                unscored[local, patterns.clean] = ~scored[full, local][:, None]
        if patterns.gap.size:
            parts = parent_products(patterns.gap_values, w_sorted[local], tree, spread[:, local])  # S_p
            if id(patterns.pattern) not in chosen:
                chosen[id(patterns.pattern)] = by_pattern[number]  # (gap rows, R, parents)
            scores[local, patterns.gap] = np.einsum("urp,urp->ur", chosen[id(patterns.pattern)][:, local], parts).T
            if unscored is not None:
                unscored[local, patterns.gap] = ~scored[number, local].T
        if mean != "arithmetic":
            scores[local] = from_mean_space(scores[local], mean)
    if unscored is not None:
        scores[unscored] = np.nan
    out[reps] = scores
