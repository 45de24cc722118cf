"""The hierarchy as matrices, and aggregation of one level for many weight draws at once.

Nodes live in *blocks*, one per level: block 1 holds the normalised indicators as a matrix
(unit-years x indicators); block L holds the aggregates of level L as an array
(unit-years x nodes x replications). A level's weights are one matrix per source block,
``W_S[child, parent]`` (zero where the child is not the parent's), so a whole level for all
replications is a few matrix products.

For a parent p with children c of weights w_c, over the children present (non-NaN) P:

- arithmetic: y = sum_P w_c x_c / sum_P w_c
- geometric:  y = exp(sum_P w_c ln x_c / sum_P w_c)      (needs x_c > 0)
- harmonic:   y = sum_P w_c / sum_P (w_c / x_c)            (needs x_c > 0)

So weights are renormalised to sum to one within each parent, over the children that are present:
with ``missing = "reweight"`` (COINr's behaviour) a gap silently shifts its weight onto the
siblings; ``missing = "require_all"`` gives NaN instead. Independently, a parent is NaN when fewer
than ``min_availability`` of its (positively weighted) children are present. A non-positive child
value under the geometric or harmonic mean makes the parent NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from middlepower.index.hierarchy import node_levels
from middlepower.index.spec import Method, Spec


@dataclass(frozen=True)
class LevelPlan:
    level: int
    codes: tuple[str, ...]
    weights: tuple[tuple[int, np.ndarray], ...]  # (source level, W_S[child, parent]) from the spec
    method: Method
    weighting: Method
    min_availability: float


@dataclass(frozen=True)
class Plan:
    """The compiled hierarchy: node codes per level and the spec's weight matrices."""

    indicator_codes: tuple[str, ...]
    levels: tuple[LevelPlan, ...]

    def block_codes(self, level: int) -> tuple[str, ...]:
        if level == 1:
            return self.indicator_codes
        return next(lp.codes for lp in self.levels if lp.level == level)

    @property
    def node_codes(self) -> tuple[str, ...]:
        return self.indicator_codes + tuple(c for lp in self.levels for c in lp.codes)


def compile_plan(spec: Spec) -> Plan:
    depth = node_levels(spec.indicators, spec.aggregates)
    nodes = (*spec.indicators, *spec.aggregates)
    by_level: dict[int, list[str]] = {}
    for node in nodes:
        by_level.setdefault(depth[node.code], []).append(node.code)
    position = {code: k for codes in by_level.values() for k, code in enumerate(codes)}
    methods = spec.level_methods
    matrices: dict[int, dict[int, np.ndarray]] = {level: {} for level in by_level if level > 1}
    for node in nodes:  # W_S[child, parent] of the parent's level, one pass over the nodes
        if node.parent is not None:
            level, source = depth[node.parent], depth[node.code]
            mat = matrices[level].get(source)
            if mat is None:
                mat = matrices[level][source] = np.zeros((len(by_level[source]), len(by_level[level])))
            mat[position[node.code], position[node.parent]] = node.weight
    levels = []
    for level in sorted(matrices):
        parents, mats = by_level[level], matrices[level]
        lm = methods[level]
        levels.append(LevelPlan(level, tuple(parents), tuple(sorted(mats.items())), lm.aggregation,
                                lm.weighting, lm.min_availability))
    return Plan(tuple(spec.indicator_codes), tuple(levels))


def _transform(values: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Values in the mean's own space (x, ln x or 1/x), gaps as 0, and the presence mask."""
    present = ~np.isnan(values)
    if method == "arithmetic":
        return np.nan_to_num(values, nan=0.0, posinf=np.inf, neginf=-np.inf), present.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        inner = np.log(values) if method == "geometric" else 1.0 / values
    inner = np.where(values > 0, inner, np.nan)  # non-positive values poison their parent
    return np.where(present, inner, 0.0), present.astype(float)


def weighted_sums(values: np.ndarray, child_weights: np.ndarray, member: np.ndarray) -> np.ndarray:
    """sum_c w_c v_c per parent: values (M, n) shared or (M, n, R), weights (R, n) -> (M, m, R).

    Replications are the last axis, so every array stays contiguous. A child has one parent, so
    each parent is one product of its children's values with their weights (R draws at once).
    """
    r = child_weights.shape[0]
    m = member.shape[1]
    out = np.empty((values.shape[0], m, r))
    weighted = None if values.ndim == 2 else values * child_weights.T[None, :, :]
    for p in range(m):  # a loop over parents (nodes), never over units, years or replications
        kids = member[:, p] > 0
        if weighted is None:  # each parent's children only: no products with zero weights
            out[:, p, :] = values[:, kids] @ child_weights[:, kids].T
        else:
            out[:, p, :] = weighted[:, kids, :].sum(axis=1)
    return out


def _presence(values: np.ndarray, present: np.ndarray, weights: np.ndarray, member: np.ndarray) -> np.ndarray:
    """The weighted count of present children per parent; for shared values only rows with gaps
    need a product, the others get the column sums (kept broadcastable when gap-free)."""
    full = (weights @ member).T[None, :, :]  # (1, m, R)
    if values.ndim == 3:
        return weighted_sums(present, weights, member)
    gaps = np.flatnonzero(present.min(axis=1) < 1)
    if gaps.size == 0:
        return full
    out = np.broadcast_to(full, (values.shape[0], member.shape[1], weights.shape[0])).copy()
    out[gaps] = weighted_sums(present[gaps], weights, member)
    return out


def aggregate_level(sources: dict[int, np.ndarray], child_weights: dict[int, np.ndarray],
                    members: dict[int, np.ndarray], method: Method, min_availability: float) -> np.ndarray:
    """Scores of one level's nodes for R weight draws: returns (unit-years, nodes, R).

    ``sources[S]`` are the values of source block S, (M, n_S) shared or (M, n_S, R);
    ``child_weights[S]`` (R, n_S) the children's weights; ``members[S]`` (n_S, n_L) is 1 where
    the child belongs to the parent.
    """
    check_count = min_availability > 0 or method.kw.get("missing") == "require_all"
    num = den = count = total = 0.0
    for level, values in sources.items():
        w, member = child_weights[level], members[level]
        filled, present = _transform(values, method.name)
        num = num + weighted_sums(filled, w, member)
        den = den + _presence(values, present, w, member)
        if check_count:
            positive = (w > 0).astype(float)
            count = count + _presence(values, present, positive, member)
            total = total + (positive @ member).T[None, :, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = num / den  # no child present: 0 / 0 = NaN
        if method.name == "geometric":
            mean = np.exp(mean)
        elif method.name == "harmonic":
            mean = 1.0 / mean
    if not check_count:
        return mean
    with np.errstate(invalid="ignore", divide="ignore"):
        bad = count / total < min_availability
    if method.kw.get("missing") == "require_all":
        bad |= count < total
    return np.where(bad, np.nan, mean)


@dataclass
class Ranking:
    """Ranks along the last axis (1 = highest score; ties share the best rank; NaN unranked).

    ``order`` lists units from best to worst (NaN last); ``ranks()`` gives ranks in unit order.
    When ``ties`` is False, the unit at position p has rank p + 1, which lets callers use
    ``order`` directly and skip the scatter.
    """

    scores: np.ndarray
    order: np.ndarray
    ties: bool
    _ranks: np.ndarray | None = None

    @classmethod
    def of(cls, scores: np.ndarray) -> Ranking:
        order = np.argsort(-scores, axis=-1)  # NaN sorts last
        ordered = np.take_along_axis(scores, order, axis=-1)
        return cls(scores, order, bool((ordered[..., 1:] == ordered[..., :-1]).any()))

    def ranks(self) -> np.ndarray:
        if self._ranks is None:
            n = self.scores.shape[-1]
            ranks = np.empty(self.scores.shape)
            if not self.ties:
                np.put_along_axis(ranks, self.order, np.arange(1.0, n + 1.0), axis=-1)
            else:
                ordered = np.take_along_axis(self.scores, self.order, axis=-1)
                new = np.ones(ordered.shape, dtype=bool)
                new[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
                first = np.maximum.accumulate(np.where(new, np.arange(n), 0), axis=-1) + 1.0
                np.put_along_axis(ranks, self.order, first, axis=-1)
            ranks[np.isnan(self.scores)] = np.nan
            self._ranks = ranks
        return self._ranks


def rank_descending(scores: np.ndarray, axis: int) -> np.ndarray:
    """Rank along ``axis``: 1 = highest score, ties share the best rank, NaN stays NaN."""
    moved = np.ascontiguousarray(np.moveaxis(scores, axis, -1))
    return np.moveaxis(Ranking.of(moved).ranks(), -1, axis)
