"""The events map-reduce on a real dask.distributed LocalCluster equals the in-process run exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psutil
import pytest

from middlepower import cluster, events
from middlepower.errors import DataError
from middlepower.events import mapreduce
from middlepower.events.files import EventFile, sample_files

KAZ_INVOLVED = ('$8=="KAZ" || $18=="KAZ" {r[$29]++; b[substr($27,1,3)]++} '
                'END {for (k in r) print k "\t" r[k]; for (k in b) print k "\t" b[k]}')
KAZ_HOSTED = ('$54=="KZ" {r[$29]++; b[substr($27,1,3)]++} '
              'END {for (k in r) print k "\t" r[k]; for (k in b) print k "\t" b[k]}')


@pytest.fixture(scope="module")
def sample():
    files, _ = sample_files()
    return files


@pytest.fixture(scope="module")
def local_tables(sample):
    return events.aggregate(sample, scheduler="synchronous")


def test_local_cluster_with_two_workers_gives_the_same_tables_as_the_local_path(client, sample, local_tables):
    seen = []
    distributed = events.aggregate(sample, scheduler=client, files_per_partition=3, on_progress=seen.append)
    for name, frame in local_tables.frames().items():
        pd.testing.assert_frame_equal(distributed.frames()[name], frame, check_exact=True, obj=name)
    assert len(local_tables.state_year) > 5000 and len(local_tables.dyad_year) > 9000
    assert seen and seen[-1] == len(sample)  # progress counted every map task on the scheduler


def test_kazakhstan_counts_match_awk_over_the_raw_files(local_tables, sample, gdelt_awk):
    files = [Path(f.path) for f in sample]
    table = local_tables.state_year[local_tables.state_year["iso3"] == "KAZ"]
    for role, program in (("involved", KAZ_INVOLVED), ("hosted", KAZ_HOSTED)):
        expected = gdelt_awk(program, files)
        got = table[table["role"] == role].groupby("family")["events"].sum()
        for family in ("04", "043", "044", "045", "046", "05", "057"):
            assert int(got.get(family, 0)) == expected.get(family, 0), (role, family)
    assert int(table[(table["role"] == "involved") & (table["family"] == "all")]["events"].sum()) == 244


def test_shares_are_normalised_by_the_years_whole_event_volume(local_tables, sample, gdelt_awk):
    coverage = local_tables.coverage.set_index("year")
    assert coverage.loc[2024, "files"] == 42 and coverage.loc[2025, "files"] == 50
    rows_2024 = gdelt_awk('END {print "rows\t" NR}', [Path(f.path) for f in sample if f.year == 2024])["rows"]
    assert coverage.loc[2024, "year_events"] == rows_2024
    row = local_tables.state_year.query("iso3 == 'KAZ' and year == 2024 and role == 'involved' and family == '04'")
    assert row["share"].iloc[0] == pytest.approx(row["events"].iloc[0] / coverage.loc[2024, "year_events"])
    assert row["coverage_days"].iloc[0] == pytest.approx(42 / 96)


def test_an_existing_cluster_is_used_by_address_or_environment_and_left_running(client, sample, tmp_path,
                                                                              monkeypatch):
    address = client.scheduler.address
    with cluster.dask_client(address) as runner:
        assert runner.workers == 2 and address in runner.description
    monkeypatch.setenv(cluster.SCHEDULER_ENV, address)
    report = events.build(sample=True, db=tmp_path / "m.duckdb")
    assert address in report.runner
    assert client.submit(sum, [1, 2]).result() == 3  # still up


def test_an_unreachable_scheduler_is_a_one_line_error():
    with (pytest.raises(DataError, match=r"Dask scheduler tcp://127\.0\.0\.1:9: cannot connect"),
          cluster.dask_client("tcp://127.0.0.1:9", timeout_s=1)):
        pass


def _live_children() -> dict[int, str]:
    # multiprocessing's resource tracker is started with the first worker process and lives as
    # long as this interpreter, cluster or not: it is no part of the cluster.
    return {p.pid: " ".join(p.cmdline()) for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
            and "multiprocessing.resource_tracker" not in " ".join(p.cmdline())}


def test_the_default_local_cluster_starts_and_shuts_down(sample):
    before = _live_children()
    seen = []
    tables = events.aggregate(sample[:4], workers=1, on_progress=seen.append)
    assert tables.coverage["files"].sum() == 4 and seen[-1] == 4
    left = {pid: command for pid, command in _live_children().items() if pid not in before}
    assert not left, left


def test_map_tasks_group_small_files_and_stay_bounded_for_a_whole_archive(sample):
    groups = mapreduce.partitions(sample)
    assert 2 <= len(groups) <= 8 and sum(map(len, groups)) == 96  # ~16 MB of CSV per task
    archive = [EventFile(f"{i}.export.CSV.zip", "20150218230000", f"/x/{i}", size=150_000) for i in range(420_000)]
    groups = mapreduce.partitions(archive)
    assert len(groups) == mapreduce.MAX_PARTITIONS and sum(map(len, groups)) == 420_000
    unknown = [EventFile(f"{i}.export.CSV", "20150218230000", f"/x/{i}") for i in range(160)]
    assert len(mapreduce.partitions(unknown)) == 10


def _square_plus(value: int, offset: int = 0) -> int:
    return value * value + offset


def test_runner_map_gives_the_same_ordered_results_on_the_cluster_and_in_process(client):
    with cluster.dask_client(client) as on_cluster, cluster.dask_client("synchronous") as local:
        expected = [v * v + 3 for v in range(40)]
        assert on_cluster.map(_square_plus, range(40), offset=3) == expected
        assert local.map(_square_plus, range(40), offset=3) == expected
