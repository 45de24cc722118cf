"""Map-reduce of GDELT files to state-year and directed dyad-year counts, on Dask.

Map: each partition (consecutive files, :func:`partitions`) is read in bounded record batches and
counted into one small long frame (:func:`count_partition`). Reduce: partial frames are summed
:data:`FAN_IN` at a time up a tree (:func:`combine`). Both are plain functions in a Dask task graph,
so the same graph runs on the synchronous scheduler, a LocalCluster or a remote cluster
(:mod:`middlepower.cluster`). Memory per task is bounded by one record batch plus one partial
frame, whose size is bounded by the number of states, dyads and families, not by the number of
files. Counts and Goldstein scores (summed in integer tenths) are exact, so every scheduler and
every tree shape gives the same tables.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from middlepower.events import families as fam
from middlepower.events.files import EventFile

KEYS = ["kind", "year", "file", "iso3", "partner", "role", "family"]
VALUES = ["events", "goldstein_tenths"]
LONG = {**{key: pa.string() for key in KEYS}, "year": pa.int32(), "events": pa.int64(), "goldstein_tenths": pa.int64()}
"""The long counts every map and reduce task returns, as an arrow schema (name -> type)."""
READ_COLUMNS = ("Actor1CountryCode", "Actor2CountryCode", "EventBaseCode", "EventRootCode", "GoldsteinScale",
                "ActionGeo_CountryCode")
FAN_IN = 8
MAX_PARTITIONS = 20_000
"""Files are grouped so a job has at most this many map tasks (a whole 2.0 archive is ~400,000 files)."""
TARGET_BYTES = 16_000_000
"""CSV text per map task by default: about 25 of the sample's 15-minute files, or one GDELT 1.0 daily file."""
UNKNOWN_BYTES = 1_000_000
"""CSV text assumed for a file of unknown size (about one 15-minute 2.0 file)."""
ZIP_RATIO = 6.0
"""GDELT's export zips hold about six times their size in CSV text (the sample's zip: 658,880 / 109,078)."""


@dataclass(frozen=True)
class CodeMaps:
    """The code mappings a worker needs, shipped with the graph: CAMEO actor and FIPS place -> ISO3."""

    actor: dict[str, str]
    place: dict[str, str]

    @classmethod
    def load(cls) -> CodeMaps:
        """Return the mappings of :mod:`middlepower.codes` (read once, on the client)."""
        from middlepower import codes

        return cls(codes.cameo_iso3_map(), codes.fips_iso3_map())

    def actor_iso3(self, values: pa.ChunkedArray) -> pa.Array:
        return _map(values, self.actor)

    def place_iso3(self, values: pa.ChunkedArray) -> pa.Array:
        return _map(values, self.place)


def _map(values, mapping: dict[str, str]) -> pa.Array:
    # "" marks "no state" (missing code, region, ocean), so keys never hold nulls.
    keys = pa.array(list(mapping), type=pa.string())
    targets = pa.array(list(mapping.values()), type=pa.string())
    return pc.fill_null(pc.take(targets, pc.index_in(values, value_set=keys)), "")


def count_batch(batch: pa.Table, maps: CodeMaps) -> pa.Table:
    """Return the long counts of one batch of events (columns ``KEYS`` but year/file, plus ``VALUES``).

    Rows: ``state`` (a state involved as Actor1 or Actor2, once per event; or the state where the
    event took place, role ``hosted``), ``dyad`` (Actor1's state -> Actor2's, different states),
    ``total`` (all events of the batch) and ``unmapped`` (country codes that name no state), each
    per family (``all`` and the diplomatic families of :mod:`.families`).
    """
    a1 = maps.actor_iso3(batch["Actor1CountryCode"])
    a2 = maps.actor_iso3(batch["Actor2CountryCode"])
    host = maps.place_iso3(batch["ActionGeo_CountryCode"])
    g10 = pc.fill_null(pc.cast(pc.round(pc.multiply(batch["GoldsteinScale"], 10.0)), pa.int64()), 0)
    events = pa.table({"a1": a1, "a2": a2, "host": host, "g10": g10})
    root, base = batch["EventRootCode"], batch["EventBaseCode"]
    in_root = pc.fill_null(pc.is_in(root, value_set=pa.array(sorted(fam.ROOT_CODES))), False)
    in_base = pc.fill_null(pc.is_in(base, value_set=pa.array(sorted(fam.BASE_CODES))), False)
    long = pa.concat_tables([
        events.append_column("family", pa.array([fam.ALL] * len(events), pa.string())),
        events.filter(in_root).append_column("family", pc.filter(root, in_root).cast(pa.string())),
        events.filter(in_base).append_column("family", pc.filter(base, in_base).cast(pa.string())),
    ])
    has1, has2 = pc.not_equal(long["a1"], ""), pc.not_equal(long["a2"], "")
    differ = pc.not_equal(long["a1"], long["a2"])
    involved = pa.concat_tables([
        long.filter(has1).select(["a1", "family", "g10"]).rename_columns(["iso3", "family", "g10"]),
        long.filter(pc.and_(has2, differ)).select(["a2", "family", "g10"]).rename_columns(["iso3", "family", "g10"]),
    ])
    hosted = long.filter(pc.not_equal(long["host"], "")).select(["host", "family", "g10"])
    dyads = long.filter(pc.and_(pc.and_(has1, has2), differ)).select(["a1", "a2", "family", "g10"])
    return pa.concat_tables([
        _sum(involved, {"iso3": "iso3"}, kind="state", role=fam.INVOLVED),
        _sum(hosted, {"host": "iso3"}, kind="state", role=fam.HOSTED),
        _sum(dyads, {"a1": "iso3", "a2": "partner"}, kind="dyad", role=fam.DIRECTED),
        _sum(long, {}, kind="total"),
        _unmapped([(batch["Actor1CountryCode"], a1), (batch["Actor2CountryCode"], a2)], "actor"),
        _unmapped([(batch["ActionGeo_CountryCode"], host)], "place"),
    ])


def _sum(rows: pa.Table, keys: dict[str, str], **constant: str) -> pa.Table:
    """Group ``rows`` by ``keys`` + family; return the long frame with counts and Goldstein tenths."""
    grouped = rows.group_by([*keys, "family"], use_threads=False).aggregate([("g10", "count"), ("g10", "sum")])
    columns = {name: grouped[source] for source, name in keys.items()}
    columns |= {"family": grouped["family"], "events": grouped["g10_count"],
                "goldstein_tenths": pc.fill_null(grouped["g10_sum"], 0)}
    return _long(columns, len(grouped), **constant)


def _unmapped(pairs: list[tuple[pa.ChunkedArray, pa.Array]], role: str) -> pa.Table:
    raw = pa.chunked_array([pc.filter(codes, pc.and_(pc.is_valid(codes), pc.equal(mapped, "")))
                            for codes, mapped in pairs], type=pa.string())
    counts = pc.value_counts(raw) if len(raw) else pa.StructArray.from_arrays(
        [pa.array([], pa.string()), pa.array([], pa.int64())], names=["values", "counts"])
    columns = {"iso3": counts.field("values"), "events": pc.cast(counts.field("counts"), pa.int64()),
               "goldstein_tenths": pa.array([0] * len(counts), pa.int64())}
    return _long(columns, len(counts), kind="unmapped", role=role, family=fam.ALL)


def _long(columns: dict, rows: int, **constant: str) -> pa.Table:
    """Return a table with every column of ``LONG`` (constants broadcast, absent keys ""), year 0."""
    out = {}
    for name, kind in LONG.items():
        if name in columns:
            out[name] = pc.cast(columns[name], kind)
        elif name in ("year",) + tuple(VALUES):
            out[name] = pa.array([0] * rows, kind)
        else:
            out[name] = pa.array([constant.get(name, "")] * rows, kind)
    return pa.table(out, schema=pa.schema(list(LONG.items())))


def count_file(file: EventFile, maps: CodeMaps) -> pa.Table:
    """Return the long counts of one GDELT file (all ``KEYS`` and ``VALUES``), read batch by batch."""
    from middlepower.events.reader import iter_batches

    path = _local_path(file)
    parts = [count_batch(pa.Table.from_batches([batch]), maps) for batch in iter_batches(path, READ_COLUMNS)]
    counted = _sum_tables(parts)
    rows = pc.sum(counted.filter(pc.and_(pc.equal(counted["kind"], "total"),
                                         pc.equal(counted["family"], fam.ALL)))["events"]).as_py() or 0
    file_row = _long({"events": pa.array([rows], pa.int64())}, 1, kind="file", file=file.name)
    counted = pa.concat_tables([counted, file_row])
    return counted.set_column(KEYS.index("year"), "year", pa.array([file.year] * len(counted), pa.int32()))


def count_partition(files: Sequence[EventFile], maps: CodeMaps) -> pd.DataFrame:
    """Map task: return the summed long counts of a few files (as a DataFrame, the currency between tasks)."""
    return _sum_tables([count_file(file, maps) for file in files]).to_pandas()


def combine(*frames: pd.DataFrame) -> pd.DataFrame:
    """Reduce task: return the long counts of ``frames`` summed by ``KEYS`` (exact integer sums)."""
    # pandas here, not arrow: tables that crossed process boundaries arrive with unaligned buffers.
    stacked = pd.concat(frames, ignore_index=True)
    return stacked.groupby(KEYS, sort=False, observed=True)[VALUES].sum().reset_index()


def _sum_tables(tables: list[pa.Table]) -> pa.Table:
    """Return arrow long counts (made in this task) summed by ``KEYS``."""
    if not tables:
        return pa.schema(list(LONG.items())).empty_table()
    grouped = pa.concat_tables(tables).group_by(KEYS, use_threads=False).aggregate(
        [("events", "sum"), ("goldstein_tenths", "sum")])
    return grouped.rename_columns([*KEYS, *VALUES]).select(list(LONG))


def _local_path(file: EventFile) -> Path:
    path = Path(file.path)
    if path.is_file():
        return path
    from middlepower.events import download

    return download.ensure_local(file)


def partitions(files: Sequence[EventFile], files_per_partition: int | None = None) -> list[list[EventFile]]:
    """Return ``files`` in consecutive groups, one map task each.

    By default a group holds about :data:`TARGET_BYTES` of CSV text (a zip counts as
    :data:`ZIP_RATIO` times its size), so a task does enough work to outweigh Dask's per-task cost,
    and never more than :data:`MAX_PARTITIONS` groups are made; ``files_per_partition`` fixes the size.
    """
    size = files_per_partition
    if not size:
        groups = min(len(files), MAX_PARTITIONS, max(1, round(sum(map(_text_bytes, files)) / TARGET_BYTES)))
        size = math.ceil(len(files) / groups) if files else 1
    return [list(files[i:i + size]) for i in range(0, len(files), size)]


def _text_bytes(file: EventFile) -> float:
    size = file.size or (Path(file.path).stat().st_size if Path(file.path).is_file() else 0)
    if not size:
        return UNKNOWN_BYTES
    return size * (ZIP_RATIO if file.name.lower().endswith(".zip") else 1)


def graph(files: Sequence[EventFile], maps: CodeMaps, files_per_partition: int | None = None):
    """Return (the Dask Delayed of the summed counts, the map-task key prefix, files per map task)."""
    import dask

    groups = partitions(files, files_per_partition)
    token = uuid.uuid4().hex[:12]
    prefix = f"gdelt-count-{token}"
    shared = dask.delayed(maps, pure=True)
    level = [dask.delayed(count_partition, pure=True)(group, shared, dask_key_name=f"{prefix}-{i}")
             for i, group in enumerate(groups)]
    depth = 0
    while len(level) > 1:
        level = [dask.delayed(combine, pure=True)(*level[i:i + FAN_IN],
                                                  dask_key_name=f"gdelt-combine-{token}-{depth}-{j}")
                 for j, i in enumerate(range(0, len(level), FAN_IN))]
        depth += 1
    return level[0], prefix, [len(group) for group in groups]


def count_files(files: Sequence[EventFile], runner, *, files_per_partition: int | None = None,
                on_progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Return the summed long counts of ``files``, computed on ``runner`` (a :class:`cluster.Runner`).

    ``on_progress`` receives the number of files counted so far as map tasks finish.
    """
    if not files:
        return _sum_tables([]).to_pandas()
    final, prefix, sizes = graph(files, CodeMaps.load(), files_per_partition)
    report = None
    if on_progress is not None:
        def report(done_tasks: int) -> None:
            on_progress(sum(sizes[:done_tasks]))
    return runner.compute(final, prefix=prefix, on_progress=report)
