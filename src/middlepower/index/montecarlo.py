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

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from middlepower.errors import SpecError
from middlepower.index.aggregate import Ranking
from middlepower.index.collapse import clean_rows, effective_weights, from_mean_space, shared_method, to_mean_space
from middlepower.index.impute import impute
from middlepower.index.normalise import normalise
from middlepower.index.pipeline import IndexResult, aggregate_blocks, run, screened
from middlepower.index.spec import Method, Spec, UncertainInput
from middlepower.index.treat import treat
from middlepower.index.weights import apply_factors, node_offsets, split_weights

DISCRETE = ("imputation", "treatment", "normalisation", "aggregation")
THREADS = max(1, min(4, os.cpu_count() or 1))
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
        if key not in self._cache:
            imputation, treatment, normalisation = (self.method(k, i) for k, i in zip(DISCRETE[:3], key, strict=True))
            if key[:2] not in self._cache:
                treated, _ = treat(impute(self._screened, imputation, self.nominal.panel.groups), treatment)
                self._cache[key[:2]] = treated
            z = normalise(self._cache[key[:2]], normalisation, self.spec.indicators)
            self._cache[key] = z.transpose(1, 0, 2).reshape(-1, z.shape[2])  # year-major rows
        return self._cache[key]

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

    def indicator_index(self, code: str) -> int:
        return self.nominal.plan.indicator_codes.index(code)


def make_context(spec: Spec, data: pd.DataFrame, inputs: tuple[UncertainInput, ...] | None = None) -> Context:
    """Run the nominal index and prepare the shared state of an uncertainty/sensitivity analysis."""
    inputs = spec.uncertainty if inputs is None else tuple(inputs)
    if not inputs:
        raise SpecError("uncertainty: no uncertain inputs (add [[uncertainty]] entries to the spec)")
    nominal = run(spec, data)
    levels = {lp.level for lp in nominal.plan.levels}
    for entry in inputs:
        if entry.kind == "weights" and entry.level not in levels:
            raise SpecError(f"uncertainty input 'weights': no aggregation level {entry.level}")
    offsets = node_offsets(nominal.plan)
    return Context(nominal, inputs, offsets, len(nominal.plan.node_codes), screened(spec, nominal.panel))


def _progress(enabled: bool, total: int, label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    disable=not enabled, transient=True)


Sink = Callable[[np.ndarray, np.ndarray, Ranking], None]


def _root_scores(ctx: Context, z: np.ndarray, methods: dict[int, Method], factors: np.ndarray,
                 fast: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """Index scores (R, unit-years) for one chunk: the collapsed product where it applies,
    level by level elsewhere."""
    plan = ctx.nominal.plan
    out = np.empty((factors.shape[0], z.shape[0]))
    general = np.ones(z.shape[0], dtype=bool)
    if fast is not None:
        split = {lp.level: split_weights(ctx.nominal.weights[lp.level]) for lp in plan.levels}
        child = {lvl: apply_factors(c, factors, ctx.offsets) for lvl, (c, _) in split.items()}
        members = {lvl: m for lvl, (_, m) in split.items()}
        eff, alive = effective_weights(plan, child, members, ctx.offsets, ctx.n_nodes)
        if alive:
            clean, fz = fast
            top = from_mean_space(eff @ fz.T, methods[plan.levels[-1].level].name)
            if clean.all():
                return top
            out[:, clean] = top
            general = ~clean
    if general.any():
        rows = np.flatnonzero(general)
        blocks = aggregate_blocks(plan, z[rows], ctx.nominal.weights, methods, factors, ctx.offsets)
        out[:, rows] = blocks[plan.levels[-1].level][:, 0, :].T
    return out


def evaluate(ctx: Context, design: Design, sink: Sink, progress: bool = False, label: str = "replications") -> None:
    """Evaluate every replication of ``design``; ``sink(rows, scores, ranking)`` receives each
    chunk, possibly from worker threads (rows never overlap; shared totals need a lock).

    ``scores`` of the index (root) are (chunk, years, units), units last so each year's ranking
    is a contiguous sort; ``ranking`` ranks units within each year (1 = highest score).
    """
    n_units, n_years, _ = ctx.nominal.panel.shape
    keys = np.stack([design.choices.get(kind, np.zeros(design.size, int)) for kind in DISCRETE], axis=1)
    groups, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    widest = max(len(lp.codes) for lp in ctx.nominal.plan.levels)
    tasks = []
    for g, key in enumerate(groups):
        z = ctx.normalised(tuple(int(k) for k in key[:3]))
        methods = ctx.level_methods(int(key[3]))
        mean = shared_method(methods)
        fast = None
        if mean is not None:
            clean = clean_rows(z, mean)
            fast = (clean, to_mean_space(z[clean], mean))
        n_general = z.shape[0] if fast is None else int((~fast[0]).sum())
        chunk = max(1, CHUNK_ELEMENTS // max(z.shape[0], n_general * widest))
        members = np.flatnonzero(inverse == g)
        tasks += [(members[s:s + chunk], z, methods, fast) for s in range(0, members.size, chunk)]

    def work(task: tuple) -> int:
        rows, z, methods, fast = task
        scores = _root_scores(ctx, z, methods, design.factors[rows], fast).reshape(rows.size, n_years, n_units)
        sink(rows, scores, Ranking.of(scores))
        return rows.size

    # numpy releases the GIL in products and sorts: a thread per core evaluates chunks and feeds
    # the sink (which must be thread-safe); this thread only keeps a bounded number in flight
    with _progress(progress, design.size, label) as bar, ThreadPoolExecutor(THREADS) as pool:
        task_id = bar.add_task(label, total=design.size)
        if THREADS == 1 or len(tasks) == 1:
            for task in tasks:
                bar.advance(task_id, work(task))
            return
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.submit(work, task))
            if len(pending) > THREADS:
                bar.advance(task_id, pending.popleft().result())
        while pending:
            bar.advance(task_id, pending.popleft().result())


def random_design(ctx: Context, n: int, rng: np.random.Generator) -> Design:
    """Independent random draws of every uncertain input, for Monte Carlo uncertainty analysis."""
    choices: dict[str, np.ndarray] = {}
    factors = np.ones((n, ctx.n_nodes))
    for entry in ctx.inputs:
        if entry.kind in DISCRETE:
            choices[entry.kind] = rng.integers(len(entry.alternatives), size=n)
        elif entry.kind == "weights":
            kids = ctx.children_of_level(int(entry.level))  # type: ignore[arg-type]
            factors[:, kids] *= 1.0 + rng.uniform(-entry.noise, entry.noise, size=(n, kids.size))
        else:  # exclusion: draw 0 (keep all) or one candidate to drop
            pick = rng.integers(len(entry.indicators) + 1, size=n)
            _exclude(ctx, factors, entry, pick)
    return Design(choices, factors)


def _exclude(ctx: Context, factors: np.ndarray, entry: UncertainInput, pick: np.ndarray) -> None:
    for k, code in enumerate(entry.indicators, start=1):
        factors[pick == k, ctx.indicator_index(code)] = 0.0
