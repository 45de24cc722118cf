"""The vectorised evaluator behind uncertainty and sensitivity analysis.

A *design* fixes, for each replication, the discrete choices (which imputation, treatment,
normalisation and aggregation alternative) and a factor per node that multiplies its weight
(noise around the nominal weight; 0 excludes an indicator). Replications that share their
discrete choices share one normalised array, computed once and cached; their weight draws are
evaluated together as batched matrix products (see :mod:`middlepower.index.aggregate`), in
chunks that bound memory. This is the same pipeline as :func:`middlepower.index.run`, with
parameter draws.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from middlepower.errors import SpecError
from middlepower.index.aggregate import Ranking
from middlepower.index.collapse import RowPatterns, Tree, collapsed_scores, compile_tree, row_patterns, shared_method
from middlepower.index.impute import impute
from middlepower.index.normalise import normalise
from middlepower.index.pipeline import IndexResult, aggregate_blocks, run, screened
from middlepower.index.spec import Method, Spec, UncertainInput
from middlepower.index.treat import treat, winsorise_variants
from middlepower.index.weights import node_offsets

DISCRETE = ("imputation", "treatment", "normalisation", "aggregation")
BATCH_BELOW = 12  # draws per group below which groups are batched (see _index_scores)
CHUNK_ELEMENTS = 4_000_000  # per-chunk size of the largest level array (replications x unit-years x nodes)


@dataclass
class Design:
    """Per replication: discrete choice indices (R,) per kind, and weight factors (R, nodes)."""

    choices: dict[str, np.ndarray]
    factors: np.ndarray

    @property
    def size(self) -> int:
        return self.factors.shape[0]


@dataclass
class Context:
    """What every replication shares: the nominal run and a cache of normalised arrays."""

    nominal: IndexResult
    inputs: tuple[UncertainInput, ...]
    offsets: dict[int, int]
    n_nodes: int
    _screened: np.ndarray = field(repr=False)
    _cache: dict[tuple, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __getstate__(self) -> dict:
        """Pickled without its cache and lock (a worker rebuilds what it needs)."""
        state = dict(self.__dict__)
        state["_cache"], state["_lock"] = {}, None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _lock=threading.Lock())

    @property
    def spec(self) -> Spec:
        return self.nominal.spec

    def alternatives(self, kind: str) -> tuple[Method, ...]:
        entry = next((u for u in self.inputs if u.kind == kind), None)
        return entry.alternatives if entry else ()

    def method(self, kind: str, index: int) -> Method:
        options = self.alternatives(kind)
        return options[index] if options else getattr(self.spec, kind)

    def normalised(self, key: tuple[int, int, int]) -> np.ndarray:
        """(years x units, indicators) normalised values under one discrete choice, cached
        (treated arrays too, so each treatment runs once whatever the normalisation)."""
        with self._lock:  # blocks evaluated on several threads share the cache
            if key not in self._cache:
                imputation, treatment, normalisation = (self.method(k, i)
                                                        for k, i in zip(DISCRETE[:3], key, strict=True))
                if key[:2] not in self._cache:
                    self._treat(key[0], key[1], imputation, treatment)
                same = self._cache["same treatment"].get(key[:2]) if "same treatment" in self._cache else None
                if same is not None and (key[0], same, key[2]) in self._cache:  # the same treated array
                    self._cache[key] = self._cache[(key[0], same, key[2])]
                else:
                    z = normalise(self._cache[key[:2]], normalisation, self.spec.indicators)
                    self._cache[key] = np.ascontiguousarray(z.transpose(1, 0, 2).reshape(-1, z.shape[2]))
            return self._cache[key]

    def groups(self, design: Design) -> tuple[np.ndarray, np.ndarray]:
        """The distinct discrete choices of ``design`` (groups x kinds) and each replication's group.

        Treatment alternatives that give the same treated array (winsorisation with a larger
        winmax than any column needs, say) are one choice: their replications share a group."""
        sizes = [max(1, len(self.alternatives(kind))) for kind in DISCRETE]
        keys = np.stack([design.choices.get(kind, np.zeros(design.size, int)) for kind in DISCRETE], axis=1)
        codes, inverse = np.unique(keys @ _place_values(sizes), return_inverse=True)  # 1-D: faster than axis=0
        groups = _decode(codes, sizes)
        for key in groups:
            self.normalised(tuple(int(k) for k in key[:3]))  # every treated array of the design is known
        with self._lock:
            same = self._cache.setdefault("same treatment", {})
            groups[:, 1] = [same.get((int(i), int(t)), int(t)) for i, t in groups[:, :2]]
        merged, again = np.unique(groups @ _place_values(sizes), return_inverse=True)
        return _decode(merged, sizes), again.ravel()[inverse.ravel()]

    def patterns(self, key: tuple[int, int, int], mean: str) -> RowPatterns:
        """The rows of :meth:`normalised` ``key`` sorted by missing-value pattern under ``mean``, cached.

        The patterns are found once per set of missing values (most choices leave the gaps where
        they are): other arrays with the same gaps, and the geometric and harmonic means where no
        value is <= 0, reuse them."""
        arithmetic = self.patterns(key, "arithmetic") if mean != "arithmetic" else None
        z = self.normalised(key)
        with self._lock:
            if (key, mean) not in self._cache:
                if mean == "arithmetic":
                    gaps = ("gaps", np.isnan(z).tobytes())
                    self._cache[(key, mean)] = row_patterns(z, mean, self._tree(), self._cache.get(gaps))
                    self._cache.setdefault(gaps, self._cache[(key, mean)])
                else:
                    self._cache[(key, mean)] = row_patterns(z, mean, self._tree(), arithmetic)
            return self._cache[(key, mean)]

    @property
    def tree(self) -> Tree:
        """The hierarchy under its nominal weights, for collapsed evaluation (built once)."""
        with self._lock:
            return self._tree()

    def _tree(self) -> Tree:
        if "tree" not in self._cache:
            self._cache["tree"] = compile_tree(self.nominal.plan, self.nominal.weights)
        return self._cache["tree"]

    def _treat(self, imputation_index: int, treatment_index: int, imputation: Method, treatment: Method) -> None:
        """Cache the treated array of one (imputation, treatment) choice; the nominal run's when the
        methods are the nominal ones, and every winsorise alternative differing only in winmax at
        once (one run of the winsorisation loop serves them all)."""
        if (imputation, treatment) == (self.spec.imputation, self.spec.treatment):
            self._cache[(imputation_index, treatment_index)] = self.nominal.treated
            return
        nominal_imputation = imputation == self.spec.imputation
        imputed = self.nominal.imputed if nominal_imputation else \
            impute(self._screened, imputation, self.nominal.panel.groups)
        if treatment.name != "winsorise":
            self._cache[(imputation_index, treatment_index)] = treat(imputed, treatment)[0]
            return
        others = {k: v for k, v in treatment.kw.items() if k != "winmax"}
        siblings = [treatment_index] + [
            k for k, m in enumerate(self.alternatives("treatment"))
            if k != treatment_index and m.name == "winsorise"
            and {a: b for a, b in m.kw.items() if a != "winmax"} == others]
        options = self.alternatives("treatment") or (treatment,)
        results = winsorise_variants(imputed, [int(options[k].kw["winmax"]) for k in siblings],
                                     float(others["skew_thresh"]), float(others["kurt_thresh"]),
                                     str(others["fallback"]),  # the nominal run's loop, if it fits
                                     self.nominal.treatment_log.trajectory if nominal_imputation else None)
        same = self._cache.setdefault("same treatment", {})
        kept: dict[int, np.ndarray] = {}
        for k, (treated, _) in sorted(zip(siblings, results, strict=True), key=lambda pair: pair[0]):
            first = next((j for j, other in kept.items()
                          if other is treated or np.array_equal(treated, other, equal_nan=True)), None)
            if first is None:
                kept[k] = treated
            else:  # the same array as an earlier alternative's: one choice (see groups)
                same[(imputation_index, k)], treated = first, kept[first]
            self._cache[(imputation_index, k)] = treated

    def level_methods(self, index: int) -> dict[int, Method]:
        if self.alternatives("aggregation"):
            chosen = self.alternatives("aggregation")[index]
            return {lp.level: chosen for lp in self.nominal.plan.levels}
        return {lp.level: lp.method for lp in self.nominal.plan.levels}

    def children_of_level(self, level: int) -> np.ndarray:
        """Flat node indices of the children of level ``level``'s nodes."""
        rows = []
        for source, w in self.nominal.weights[level].items():
            rows.extend(self.offsets[source] + np.flatnonzero(w.any(axis=1)))
        return np.array(sorted(rows), dtype=int)

    def noisy_nodes(self, entry: UncertainInput) -> np.ndarray:
        """Flat node indices whose weights a ``weights`` input perturbs: the children of level
        ``entry.level``, or the nodes at ``entry.node_level`` (COINr's numbering) except the root."""
        if entry.node_level is None:
            return self.children_of_level(int(entry.level))  # type: ignore[arg-type]
        start = self.offsets[entry.node_level]
        codes = self.nominal.plan.block_codes(entry.node_level)
        return np.array([start + k for k, code in enumerate(codes) if code != self.spec.root], dtype=int)

    def indicator_index(self, code: str) -> int:
        return self.nominal.plan.indicator_codes.index(code)


def _place_values(sizes: list[int]) -> np.ndarray:
    """Multipliers that number a choice (one index per kind, kind k below sizes[k]) as one integer,
    in the lexicographic order of the choices."""
    return np.cumprod([1, *sizes[:0:-1]])[::-1].astype(np.int64)


def _decode(codes: np.ndarray, sizes: list[int]) -> np.ndarray:
    """The choices (codes x kinds) numbered by :func:`_place_values`."""
    out = np.empty((codes.size, len(sizes)), dtype=np.int64)
    rest = codes.astype(np.int64)
    for k, place in enumerate(_place_values(sizes)):
        out[:, k], rest = np.divmod(rest, place)
    return out


def make_context(spec: Spec, data: pd.DataFrame, inputs: tuple[UncertainInput, ...] | None = None) -> Context:
    """Run the nominal index and prepare the shared state of an uncertainty/sensitivity analysis."""
    inputs = spec.uncertainty if inputs is None else tuple(inputs)
    if not inputs:
        raise SpecError("uncertainty: no uncertain inputs (add [[uncertainty]] entries to the spec)")
    nominal = run(spec, data)
    levels = {lp.level for lp in nominal.plan.levels}
    for entry in inputs:
        if entry.kind == "weights" and entry.node_level is None and entry.level not in levels:
            raise SpecError(f"uncertainty input 'weights': no aggregation level {entry.level}")
        if entry.kind == "weights" and entry.node_level is not None and \
                entry.node_level not in {1, *(lp.level for lp in nominal.plan.levels[:-1])}:
            raise SpecError(f"uncertainty input 'weights': no nodes below the root at node_level {entry.node_level}")
    offsets = node_offsets(nominal.plan)
    return Context(nominal, inputs, offsets, len(nominal.plan.node_codes), screened(spec, nominal.panel))


Sink = Callable[[np.ndarray, np.ndarray, Ranking], None]


def _index_scores(ctx: Context, design: Design) -> np.ndarray:
    """Index (root) scores (R, unit-years) of every replication of ``design``.

    Groups of replications whose levels all use the same mean take the collapsed evaluation, gaps
    included (:mod:`middlepower.index.collapse`: a few matrix products per group). The others
    are aggregated level by level: group by group when groups have many draws (their normalised
    values shared by all of them), else all groups that share an aggregation method at once (each
    replication with its own normalised values, replications on the last axis).
    """
    groups, inverse = ctx.groups(design)
    out = np.empty((design.size, ctx.nominal.panel.shape[0] * ctx.nominal.panel.shape[1]))
    collapsed: dict[tuple, list] = {}  # missing-value rules -> (rows, patterns, mean), then their methods
    slow: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}  # aggregation -> (rows, z)
    for g, key in enumerate(groups):
        rows = np.flatnonzero(inverse == g)
        choice, methods = tuple(int(k) for k in key[:3]), ctx.level_methods(int(key[3]))
        mean = shared_method(methods)
        if mean is not None:  # groups with the same rules share their path products, whatever their mean
            rules = tuple(sorted((level, m.kw.get("missing")) for level, m in methods.items()))
            collapsed.setdefault(rules, [methods, []])[1].append((rows, ctx.patterns(choice, mean), mean))
        else:
            slow.setdefault(int(key[3]), []).append((rows, ctx.normalised(choice)))
    for methods, entries in collapsed.values():
        collapsed_scores(ctx.tree, ctx.offsets, design.factors, methods, entries, out)
    for aggregation, pairs in slow.items():
        _level_by_level(ctx, design, ctx.level_methods(aggregation), pairs, out)
    return out


def _level_by_level(ctx: Context, design: Design, methods: dict[int, Method],
                    entries: list[tuple[np.ndarray, np.ndarray]], out: np.ndarray) -> None:
    """Write the index scores of groups (replication rows, normalised values) aggregated level by level."""
    plan, root_level = ctx.nominal.plan, ctx.nominal.plan.levels[-1].level
    widest = max(len(lp.codes) for lp in plan.levels)
    if sum(r.size for r, _ in entries) >= BATCH_BELOW * len(entries):
        for rows, z in entries:  # many draws per group: its values shared by all of them
            chunk = max(1, CHUNK_ELEMENTS // (z.shape[0] * widest))
            for start in range(0, rows.size, chunk):
                part = rows[start:start + chunk]
                blocks = aggregate_blocks(plan, z, ctx.nominal.weights, methods, design.factors[part], ctx.offsets)
                out[part] = blocks[root_level][:, 0, :].T
        return
    rows = np.concatenate([r for r, _ in entries])
    values = np.stack([z for _, z in entries])  # (groups, unit-years, indicators)
    which = np.concatenate([np.full(r.size, k) for k, (r, _) in enumerate(entries)])
    chunk = max(1, CHUNK_ELEMENTS // (values.shape[1] * max(values.shape[2], widest)))
    for start in range(0, rows.size, chunk):
        part = slice(start, start + chunk)
        z3 = np.ascontiguousarray(values[which[part]].transpose(1, 2, 0))  # (unit-years, indicators, R)
        blocks = aggregate_blocks(plan, z3, ctx.nominal.weights, methods, design.factors[rows[part]], ctx.offsets)
        out[rows[part]] = blocks[root_level][:, 0, :].T


def _node_scores(ctx: Context, blocks: dict[int, np.ndarray], nodes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """(R, units, years) scores of the wanted nodes from level blocks (unit-years, nodes, R) whose
    rows are year-major (:meth:`Context.normalised`)."""
    n_units, n_years, _ = ctx.nominal.panel.shape
    plan, out = ctx.nominal.plan, {}
    for code in nodes:
        level = next(lvl for lvl, codes in ctx.nominal.level_codes().items() if code in codes)
        k = plan.block_codes(level).index(code)
        values = blocks[level][:, k][:, None] if level == 1 else blocks[level][:, k, :]  # (unit-years, R|1)
        by_rep = np.broadcast_to(values.T, (blocks[plan.levels[-1].level].shape[2], values.shape[0]))
        out[code] = by_rep.reshape(-1, n_years, n_units).swapaxes(1, 2)
    return out


def evaluate_chunks(ctx: Context, design: Design, nodes: tuple[str, ...] = ()) -> Iterator[tuple]:
    """Evaluate every replication of ``design``, chunk by chunk, in this thread.

    Yields ``(rows, scores, node_scores)``: ``rows`` index the design; ``scores`` of the index
    (root) are (chunk, years, units), units last so each year's ranking is a contiguous sort;
    ``node_scores`` maps each code of ``nodes`` to (chunk, units, years). The chunks depend only
    on the design, so the same design always gives the same numbers, bit for bit.
    """
    n_units, n_years, _ = ctx.nominal.panel.shape
    cells = n_units * n_years
    if not nodes:
        scores = _index_scores(ctx, design)
        chunk = max(1, CHUNK_ELEMENTS // cells)
        for start in range(0, design.size, chunk):
            rows = np.arange(start, min(design.size, start + chunk))
            yield rows, scores[rows].reshape(rows.size, n_years, n_units), {}
        return
    plan = ctx.nominal.plan
    groups, inverse = ctx.groups(design)
    chunk = max(1, CHUNK_ELEMENTS // (cells * max(len(lp.codes) for lp in plan.levels)))
    for g, key in enumerate(groups):
        z = ctx.normalised(tuple(int(k) for k in key[:3]))
        methods = ctx.level_methods(int(key[3]))
        members = np.flatnonzero(inverse == g)
        for start in range(0, members.size, chunk):
            rows = members[start:start + chunk]
            blocks = aggregate_blocks(plan, z, ctx.nominal.weights, methods, design.factors[rows], ctx.offsets)
            root = blocks[plan.levels[-1].level][:, 0, :].T
            yield rows, root.reshape(rows.size, n_years, n_units), _node_scores(ctx, blocks, nodes)


def evaluate(ctx: Context, design: Design, sink: Sink) -> None:
    """Evaluate ``design`` in this thread; ``sink(rows, scores, ranking)`` receives each chunk
    (``ranking`` ranks units within each year, 1 = highest score)."""
    for rows, scores, _ in evaluate_chunks(ctx, design):
        sink(rows, scores, Ranking.of(scores))


BLOCK_SIZE = 500
"""Replications per block. Block b draws its inputs from its own generator, seeded by
``SeedSequence(seed, spawn_key=(b,))`` (what ``SeedSequence(seed).spawn`` gives child b), so a run
is the same whichever worker evaluates which block. Part of what a seed means: changing it
changes the draws."""


def block_rows(n: int, block: int, block_size: int = BLOCK_SIZE) -> range:
    """Replication numbers of ``block`` in a run of ``n``."""
    return range(block * block_size, min(n, (block + 1) * block_size))


def random_design(ctx: Context, n: int, seed: int | np.random.Generator) -> Design:
    """Independent random draws of every uncertain input for ``n`` replications, from one generator
    (``seed`` or a Generator); in input order, each input drawing all ``n`` values at once."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    choices: dict[str, np.ndarray] = {}
    factors = np.ones((n, ctx.n_nodes))
    for entry in ctx.inputs:
        if entry.kind in DISCRETE:
            choices[entry.kind] = rng.integers(len(entry.alternatives), size=n)
        elif entry.kind == "weights":
            kids = ctx.noisy_nodes(entry)
            factors[:, kids] *= 1.0 + rng.uniform(-entry.noise, entry.noise, size=(n, kids.size))
        else:  # exclusion: draw 0 (keep all) or one candidate to drop
            pick = rng.integers(len(entry.indicators) + 1, size=n)
            _exclude(ctx, factors, entry, pick)
    return Design(choices, factors)


def block_design(ctx: Context, n: int, seed: int, block: int, block_size: int = BLOCK_SIZE) -> Design:
    """The random design of one block of a run of ``n`` replications (see :data:`BLOCK_SIZE`)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
    return random_design(ctx, len(block_rows(n, block, block_size)), rng)


def concatenated_design(ctx: Context, n: int, seed: int, block_size: int = BLOCK_SIZE) -> Design:
    """All blocks' designs of a run of ``n`` replications, one after the other."""
    parts = [block_design(ctx, n, seed, b, block_size) for b in range(-(-n // block_size))]
    kinds = parts[0].choices.keys()
    return Design({k: np.concatenate([p.choices[k] for p in parts]) for k in kinds},
                  np.concatenate([p.factors for p in parts]))


def _exclude(ctx: Context, factors: np.ndarray, entry: UncertainInput, pick: np.ndarray) -> None:
    for k, code in enumerate(entry.indicators, start=1):
        factors[pick == k, ctx.indicator_index(code)] = 0.0
