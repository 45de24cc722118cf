"""Where distributed work runs: one place that turns a scheduler choice into a Dask client.

Layers that scale out (the events aggregation, the index engine's Monte Carlo and Sobol runs)
call :func:`dask_client` and run the same tasks whatever it yields:

* no address: a ``dask.distributed`` LocalCluster of worker processes on this machine, started for
  the job and shut down after it (also ``local``, which ignores the environment variable);
* ``tcp://host:8786`` (or any address ``distributed.Client`` accepts), from the caller or the
  ``MIDDLEPOWER_SCHEDULER`` environment variable: an existing cluster, which is left running;
* ``synchronous``: no cluster at all, Dask's in-process scheduler (debugging, tiny inputs, and the
  reference the distributed runs are tested against).

The events layer defaults to a LocalCluster; the index engine runs on this process's threads
unless a scheduler is chosen (:func:`middlepower.index.blocks.block_mapper`).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from middlepower.errors import DataError

SCHEDULER_ENV = "MIDDLEPOWER_SCHEDULER"
"""Address of an existing Dask scheduler (e.g. ``tcp://10.0.0.5:8786``) used when none is passed."""

SYNCHRONOUS = "synchronous"
LOCAL = "local"
"""A LocalCluster started for the job, whatever ``$MIDDLEPOWER_SCHEDULER`` says."""
DEFAULT_MEMORY_LIMIT = "2GiB"
"""Memory limit of each LocalCluster worker process (Dask spills, then pauses, as it nears it)."""


@dataclass(frozen=True)
class Runner:
    """The client a job computes on (None for the synchronous scheduler) and a description of it."""

    client: object | None
    description: str
    workers: int

    def map(self, function: Callable, items, **kwargs) -> list:
        """Return ``[function(item, **kwargs) for item in items]``, computed on this runner, in order.

        The hook for work that is already cut into independent blocks (e.g. seeded blocks of Monte
        Carlo replications): one task per item on a cluster, a plain loop on the synchronous runner.
        """
        items = list(items)
        if self.client is None:
            return [function(item, **kwargs) for item in items]
        return self.client.gather(self.client.map(function, items, pure=False, **kwargs))

    def mapper(self, function: Callable) -> Callable[[object, Iterable], Iterator]:
        """Return ``mapper(shared, items)``, which yields ``function(shared, item)`` for every item,
        each as soon as it is done (in any order).

        The shape of the index engine's block hook (``mapper=`` of uncertainty and sensitivity,
        with ``compute_blocks``): on a cluster ``shared`` is sent to the workers once (scattered:
        each worker fetches it once and keeps it for all its tasks) and each item is one task; on
        the synchronous runner it is a plain loop. Tasks not yet consumed when the caller stops
        are cancelled.
        """
        def run(shared: object, items: Iterable) -> Iterator:
            items = list(items)
            if self.client is None:
                for item in items:
                    yield function(shared, item)
                return
            from distributed import as_completed

            client = self.client
            [handle] = client.scatter([shared], hash=False)  # a list: a dict or list itself would be split
            futures = client.map(function, [handle] * len(items), items, pure=False)
            try:
                for future in as_completed(futures):
                    yield future.result()
                    future.release()
            finally:
                client.cancel(futures)
                handle.release()
        return run

    def compute(self, collection, *, prefix: str | None = None, on_progress: Callable[[int], None] | None = None):
        """Return the computed value of a Dask collection on this runner.

        With ``on_progress``, it is called with the number of finished tasks whose key starts
        with ``prefix`` (e.g. the map tasks of a map-reduce), as they finish.
        """
        import dask

        if on_progress is None or prefix is None:
            if self.client is None:
                return dask.compute(collection, scheduler="synchronous")[0]
            return self.client.compute(collection, sync=True)
        if self.client is None:
            with _LocalCounter(prefix, on_progress):
                return dask.compute(collection, scheduler="synchronous")[0]
        return _compute_counting(self.client, collection, prefix, on_progress)


def scheduler_address(scheduler: str | None = None) -> str | None:
    """Return the scheduler to use: ``scheduler``, else ``$MIDDLEPOWER_SCHEDULER``, else None (LocalCluster)."""
    value = scheduler if scheduler else os.environ.get(SCHEDULER_ENV, "")
    return value.strip() or None


@contextlib.contextmanager
def dask_client(scheduler=None, *, workers: int | None = None, threads_per_worker: int = 1,
                memory_limit: str = DEFAULT_MEMORY_LIMIT, timeout_s: float = 10.0) -> Iterator[Runner]:
    """Yield a :class:`Runner` for ``scheduler`` (see the module docstring); clean up on exit.

    ``scheduler`` is None, an address, ``"local"`` or ``"synchronous"``, or a
    ``distributed.Client`` the caller owns (it is used and left open).
    ``workers`` (default: the machine's CPU count), ``threads_per_worker`` and ``memory_limit``
    size a LocalCluster; they are ignored for an existing cluster. An address that cannot be
    reached within ``timeout_s`` seconds is a DataError naming it.
    """
    if scheduler is not None and not isinstance(scheduler, str):
        yield Runner(scheduler, f"Dask client {scheduler.scheduler.address}", len(scheduler.nthreads()))
        return
    address = scheduler_address(scheduler)
    if address == SYNCHRONOUS:
        yield Runner(None, "Dask synchronous scheduler (in-process, no cluster)", 1)
        return
    from distributed import Client, LocalCluster

    if address not in (None, LOCAL):
        try:
            client = Client(address, timeout=timeout_s)
        except (OSError, TimeoutError) as exc:
            raise DataError(f"Dask scheduler {address}: cannot connect ({type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else 'timed out'})") from None
        try:
            count = len(client.scheduler_info().get("workers", {}))
            yield Runner(client, f"Dask cluster at {address} ({count} workers)", count)
        finally:
            client.close()
        return
    count = workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=count, threads_per_worker=threads_per_worker, processes=True,
                           memory_limit=memory_limit, dashboard_address=":0")
    try:
        with Client(cluster) as client:
            client.register_plugin(_QuietExpectedFailures(), name="middlepower-quiet-expected-failures")
            yield Runner(client, f"Dask LocalCluster ({count} worker processes × {threads_per_worker} thread, "
                                 f"{memory_limit} each)", count)
    finally:
        cluster.close()


def _worker_plugin_base():
    from distributed.diagnostics.plugin import WorkerPlugin

    return WorkerPlugin


class _QuietExpectedFailures(_worker_plugin_base()):
    """Keeps a LocalCluster worker from logging a task that failed with a middlepower error.

    Such an error (a malformed input file, say) reaches the caller, which reports it as its one
    line; the worker's "Compute Failed" record with its traceback would only repeat it on stderr.
    Any other failure is still logged by the worker. Not installed on a cluster the caller owns.
    """

    def setup(self, worker) -> None:
        import logging

        logging.getLogger("distributed.worker").addFilter(_expected_failure_filter)


def _expected_failure_filter(record) -> bool:
    """Return False (drop) for a worker's "Compute Failed" record whose exception is a middlepower error."""
    from middlepower import errors

    if not (isinstance(record.msg, str) and record.msg.startswith("Compute Failed") and len(record.args) >= 4):
        return True
    names = {cls.__name__ for cls in _subclasses(errors.MiddlepowerError)}
    return str(record.args[3]).split("(", 1)[0] not in names


def _subclasses(cls: type) -> set[type]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def _key_name(key) -> str:
    return str(key[0] if isinstance(key, tuple) else key)


def _compute_counting(client, collection, prefix: str, on_progress: Callable[[int], None]):
    """Compute on a distributed client while a scheduler plugin counts finished ``prefix`` tasks."""
    name = f"middlepower-progress-{uuid.uuid4().hex[:8]}"
    try:
        client.register_plugin(_SchedulerCounter(prefix), name=name)
    except Exception:  # a remote scheduler without middlepower installed: compute without progress
        return client.compute(collection, sync=True)
    try:
        future = client.compute(collection)
        while not future.done():
            on_progress(client.run_on_scheduler(_read_count, name=name))
            time.sleep(0.25)
        result = future.result()
        on_progress(client.run_on_scheduler(_read_count, name=name))
        return result
    finally:
        client.unregister_scheduler_plugin(name)


def _read_count(dask_scheduler, name: str) -> int:
    return dask_scheduler.plugins[name].done


def _scheduler_plugin_base():
    from distributed.diagnostics.plugin import SchedulerPlugin

    return SchedulerPlugin


class _SchedulerCounter(_scheduler_plugin_base()):
    """Counts tasks with a key prefix that reach memory (runs on the scheduler)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.done = 0

    def transition(self, key, start, finish, *args, **kwargs) -> None:
        if finish == "memory" and start == "processing" and _key_name(key).startswith(self.prefix):
            self.done += 1


class _LocalCounter:
    """The same count for Dask's local schedulers, as a scheduler callback."""

    def __init__(self, prefix: str, on_progress: Callable[[int], None]):
        from dask.callbacks import Callback

        counter = self

        class _Posttask(Callback):
            def _posttask(self, key, result, dsk, state, worker_id):
                if _key_name(key).startswith(prefix):
                    counter.done += 1
                    on_progress(counter.done)

        self.done = 0
        self._callback = _Posttask()

    def __enter__(self):
        self._callback.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._callback.__exit__(*exc)
