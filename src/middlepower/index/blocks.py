"""Replications in blocks: the unit of work of uncertainty and sensitivity analysis, for any executor.

A :class:`Job` says what to replicate (the shared :class:`~middlepower.index.montecarlo.Context`,
how many replications, the seed, which outputs); its replications are cut into blocks of
:data:`~middlepower.index.montecarlo.BLOCK_SIZE`. Block b's inputs are drawn from its own
generator (``SeedSequence(seed, spawn_key=(b,))``) or read from the job's fixed design (Saltelli
points), and it is evaluated on its own, so :func:`compute_blocks` gives the same numbers for a
block wherever and with whatever other blocks it runs. A run is the reduction of its blocks
(sums of rank histograms, score columns put in place), so any partition of the blocks across
workers gives the local result, bit for bit.

:func:`compute_blocks` is a plain top-level function of picklable arguments: an executor on other
machines (Dask) calls it on batches of block numbers. :func:`run_blocks` drives a run through a
*mapper*, ``mapper(job, batches) -> iterable of compute_blocks(job, batch)`` results (any order);
the default evaluates batches on a few local threads (numpy releases the GIL in its products and
sorts). :func:`block_mapper` turns a scheduler choice into a mapper on a Dask cluster
(:mod:`middlepower.cluster`): the job is scattered to the workers once and
:func:`compute_blocks_to_send` (the same results, histograms in a compact integer type) is mapped
over the batches.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from middlepower.config import COMPUTE_THREADS
from middlepower.errors import SpecError
from middlepower.index.aggregate import Ranking
from middlepower.index.montecarlo import BLOCK_SIZE, Context, Design, block_design, block_rows, evaluate_chunks

THREADS = COMPUTE_THREADS

OUTPUTS = ("summary", "scores", "none")
"""What a block returns about the index: ``summary`` (float32 scores per cell and rank
histograms, for :func:`~middlepower.index.uncertainty`), ``scores`` (float64 index scores), or
``none`` (only the requested nodes)."""


@dataclass
class Job:
    """Everything a worker needs to evaluate blocks of a run; picklable.

    ``nodes`` are node codes (pillars, sub-indices, indicators) whose replicated scores each
    block also returns. ``design`` replaces random draws by a fixed design (its rows are the
    replications), as Sobol sensitivity analysis needs.
    """

    ctx: Context
    n: int
    seed: int = 0
    output: str = "summary"
    nodes: tuple[str, ...] = ()
    design: Design | None = field(default=None, repr=False)
    block_size: int = BLOCK_SIZE

    @property
    def n_blocks(self) -> int:
        return -(-self.n // self.block_size)

    def block_design(self, block: int) -> Design:
        rows = block_rows(self.n, block, self.block_size)
        if self.design is None:
            return block_design(self.ctx, self.n, self.seed, block, self.block_size)
        return Design({k: v[rows.start:rows.stop] for k, v in self.design.choices.items()},
                      self.design.factors[rows.start:rows.stop])


@dataclass
class BlockResult:
    """What one block gives back. ``rows`` are its replication numbers.

    - ``scores``: output ``summary``: (cells, rows) float32 index scores, cells year-major
      (cell = year * units + unit); output ``scores``: (rows, years, units) float64.
    - ``rank_counts``: output ``summary``: (cells, 1 + units) histogram of the index's rank
      (column 0 counts replications in which the unit-year has no score); int64, or the smallest
      unsigned type that holds the block's size when it comes from :func:`compute_blocks_to_send`.
    - ``nodes``: node code -> (rows, units, years) float64 scores, for the job's ``nodes``.
    """

    block: int
    rows: range
    scores: np.ndarray | None = None
    rank_counts: np.ndarray | None = None
    nodes: dict[str, np.ndarray] = field(default_factory=dict)


def _rank_counts(ranking: Ranking, scores: np.ndarray, counts: np.ndarray) -> None:
    """Add one chunk's ranks to the (cells * (units + 1)) histogram ``counts``."""
    size, n_years, n_units = scores.shape
    cells = n_years * n_units
    if ranking.ties:
        ranks = np.nan_to_num(ranking.ranks().reshape(size, cells), nan=0.0).astype(np.int64)
        index = ranks + np.arange(cells) * (n_units + 1)
    else:
        # the unit at sorted position p of year y has rank p + 1 unless its score is NaN (column 0);
        # year-major indices keep the scatter in cache
        index = np.multiply(ranking.order.transpose(1, 0, 2), n_units + 1, order="C")
        base = np.arange(n_years)[:, None] * n_units * (n_units + 1) + np.arange(1, n_units + 1)[None, :]
        index += base[:, None, :]
        missing = np.isnan(scores).sum(axis=-1).T[:, :, None]
        if missing.any():
            unranked = np.arange(n_units) >= n_units - missing
            index -= np.where(unranked, np.arange(1, n_units + 1), 0)
    counts += np.bincount(index.ravel(), minlength=counts.size)


def compute_block(job: Job, block: int) -> BlockResult:
    """Evaluate one block of ``job`` (see the module docstring)."""
    n_units, n_years, _ = job.ctx.nominal.panel.shape
    cells = n_units * n_years
    rows = block_rows(job.n, block, job.block_size)
    size = len(rows)
    result = BlockResult(block, rows)
    if job.output == "summary":
        result.scores = np.empty((cells, size), dtype=np.float32)
        counts = np.zeros(cells * (n_units + 1), dtype=np.int64)
    elif job.output == "scores":
        result.scores = np.empty((size, n_years, n_units))
    result.nodes = {code: np.empty((size, n_units, n_years)) for code in job.nodes}
    for local, scores, node_scores in evaluate_chunks(job.ctx, job.block_design(block), job.nodes):
        if job.output == "summary":
            result.scores[:, local] = scores.reshape(local.size, cells).T
            _rank_counts(Ranking.of(scores), scores, counts)
        elif job.output == "scores":
            result.scores[local] = scores
        for code, values in node_scores.items():
            result.nodes[code][local] = values
    if job.output == "summary":
        result.rank_counts = counts.reshape(cells, n_units + 1)
    return result


def compute_blocks(job: Job, blocks: Sequence[int]) -> list[BlockResult]:
    """Evaluate the given blocks of ``job``, one after the other; the function an executor maps."""
    return [compute_block(job, int(b)) for b in blocks]


def compute_blocks_to_send(job: Job, blocks: Sequence[int]) -> list[BlockResult]:
    """:func:`compute_blocks` for a worker in another process: the same results, rank histograms
    in the smallest unsigned integer type that holds the block's replications (uint16 up to
    65,535), a quarter of int64's bytes to send back (the 190 x 75 panel: 5.4 MB a block of 500,
    not 21.8 MB)."""
    results = compute_blocks(job, blocks)
    for result in results:
        if result.rank_counts is not None:
            result.rank_counts = result.rank_counts.astype(np.min_scalar_type(len(result.rows)))
    return results


Mapper = Callable[[Job, list[list[int]]], Iterable[list[BlockResult]]]


_BLAS: list = []  # the process's threadpoolctl controller, made on first use (it inspects the loaded libraries)


def one_blas_thread():
    """A context in which BLAS runs on one thread.

    Blocks are the unit of parallelism (threads here, worker processes on a cluster, where Dask
    already sets one BLAS thread); BLAS threads on top of them find little to share in these
    products and spin while they wait, which on a busy machine cost several times the work itself
    (ASEM, 10,000 replications: 0.13 s of CPU with one BLAS thread, 0.4-0.6 s with two)."""
    if not _BLAS:
        from threadpoolctl import ThreadpoolController

        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


def local_mapper(job: Job, batches: list[list[int]]) -> Iterator[list[BlockResult]]:
    """Batches on up to :data:`THREADS` local threads (BLAS on one thread each), a bounded number in
    flight, in order."""
    with one_blas_thread():
        if THREADS == 1 or len(batches) == 1:
            for batch in batches:
                yield compute_blocks(job, batch)
            return
        with ThreadPoolExecutor(THREADS) as pool:
            pending: deque = deque()
            for batch in batches:
                pending.append(pool.submit(compute_blocks, job, batch))
                if len(pending) > THREADS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


LOCAL_THREADS = f"this process ({THREADS} thread{'s' if THREADS > 1 else ''})"
"""How :func:`local_mapper`'s runs describe where they ran."""


@contextlib.contextmanager
def block_mapper(scheduler=None, *, workers: int | None = None,
                 mapper: Mapper | None = None) -> Iterator[tuple[Mapper | None, str]]:
    """Yield ``(mapper, where)``: the mapper that evaluates blocks where ``scheduler`` says, and a
    description of it.

    ``scheduler`` None and no ``$MIDDLEPOWER_SCHEDULER``: ``(None, ...)``, i.e. :func:`local_mapper`
    on this process's threads. Otherwise anything :func:`middlepower.cluster.dask_client` takes
    (an address, ``"local"`` for a LocalCluster of ``workers`` processes started for the run and
    shut down after it, ``"synchronous"``, or a ``distributed.Client``): ``compute_blocks_to_send``
    on that cluster, the job scattered once. A caller's own ``mapper`` is passed through (with a
    scheduler too, a SpecError). Results are the same wherever the blocks run.
    """
    from middlepower import cluster

    if mapper is not None:
        if scheduler is not None:
            raise SpecError("give a mapper or a scheduler, not both")
        yield mapper, "the caller's mapper"
        return
    if scheduler is None and cluster.scheduler_address() is None:
        yield None, LOCAL_THREADS
        return
    with cluster.dask_client(scheduler, workers=workers) as runner:
        yield runner.mapper(compute_blocks_to_send), runner.description


def run_blocks(job: Job, mapper: Mapper | None = None, progress: Callable[[int], None] | None = None,
               blocks_per_batch: int = 1) -> Iterator[BlockResult]:
    """Every block of ``job`` through ``mapper`` (default :func:`local_mapper`), as results arrive;
    ``progress(k)`` is called with the replications each block completed."""
    numbers = list(range(job.n_blocks))
    batches = [numbers[k:k + blocks_per_batch] for k in range(0, len(numbers), blocks_per_batch)]
    for results in (mapper or local_mapper)(job, batches):
        for result in results:
            if progress is not None:
                progress(len(result.rows))
            yield result
