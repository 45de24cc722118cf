"""The index engine's Monte Carlo and Sobol runs, and the power model's, on a real dask.distributed
LocalCluster (2 worker processes) give the local run's results exactly, for the same seed."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from distributed import get_task_stream
from typer.testing import CliRunner

from conftest import wdi_frame
from middlepower import cluster
from middlepower.errors import SpecError
from middlepower.index import sensitivity, spec_from_dict, uncertainty

WDI = {"gdp": "ny.gdp.mktp.cd", "pop": "sp.pop.totl", "milex": "ms.mil.xpnd.gd.zs", "life": "sp.dyn.le00.in",
       "gdppc": "ny.gdp.pcap.cd", "power_access": "eg.elc.accs.zs", "internet": "it.net.bbnd.p2"}

SPEC = {
    "name": "WDI test index",
    "unit": "Country Code",
    "time": "Year",
    "indicators": [
        {"code": "gdp", "parent": "size"}, {"code": "pop", "parent": "size"}, {"code": "milex", "parent": "size"},
        {"code": "life", "parent": "welfare"}, {"code": "gdppc", "parent": "welfare", "weight": 2},
        {"code": "power_access", "parent": "welfare"}, {"code": "internet", "parent": "index"},
    ],
    "aggregates": [{"code": "size", "parent": "index"}, {"code": "welfare", "parent": "index"}, {"code": "index"}],
    "methods": {"imputation": "none"},  # gaps: the level-by-level rules apply to many unit-years
    "uncertainty": [
        {"input": "treatment", "alternatives": [{"method": "winsorise", "winmax": w} for w in (1, 3, 5)]},
        {"input": "normalisation", "alternatives": [{"method": "minmax", "low": 1, "high": 100},
                                                     {"method": "zscore", "mean": 10, "sd": 2}]},
        {"input": "weights", "level": 2, "noise": 0.25},
        {"input": "aggregation", "alternatives": ["arithmetic", "geometric"]},
        {"input": "exclusion", "indicators": ["milex", "internet"]},
    ],
}


@pytest.fixture(scope="module")
def wdi(mirror):
    return wdi_frame(mirror, WDI, 2005, 2019)


def test_index_uncertainty_on_a_local_cluster_equals_the_local_run(client, wdi):
    spec = spec_from_dict(SPEC)
    local = uncertainty(spec, wdi, n=1300, seed=4)  # three blocks of 500
    distributed = uncertainty(spec, wdi, n=1300, seed=4, scheduler=client)
    pd.testing.assert_frame_equal(distributed, local, check_exact=True)
    assert client.scheduler.address in distributed.attrs["runner"] and "thread" in local.attrs["runner"]
    assert local["score_q05"].lt(local["score_q95"]).mean() > 0.9  # the inputs do move the scores
    assert not local.equals(uncertainty(spec, wdi, n=1300, seed=5))


def test_sobol_indices_on_a_local_cluster_equal_the_local_run(client, wdi):
    spec = spec_from_dict(SPEC)
    kwargs = {"n": 128, "output": "rank", "unit": "KAZ", "year": 2018, "seed": 2}  # 128 x 7 runs: two blocks
    local = sensitivity(spec, wdi, **kwargs)
    distributed = sensitivity(spec, wdi, **kwargs, scheduler=client.scheduler.address)
    pd.testing.assert_frame_equal(distributed, local, check_exact=True)
    assert distributed.attrs["runs"] == 896 and "2 workers" in distributed.attrs["runner"]


def test_the_default_power_models_monte_carlo_on_a_local_cluster_equals_the_local_run(client, store_path):
    from middlepower.power.compute import compute

    # 250 replications over the spec's 50 imputed data sets: 50 jobs of one block, spread over both workers
    local = compute(first=2005, db=store_path, replications=250, seed=9, cache=False)
    with get_task_stream(client) as stream:
        distributed = compute(first=2005, db=store_path, replications=250, seed=9, cache=False, scheduler=client)
    blocks = [task for task in stream.data if task["key"].startswith("compute_blocks")]
    assert len(blocks) == 50 and len({task["worker"] for task in blocks}) == 2  # really on both workers
    for name in ("scores", "tiers", "classes", "gap", "vintage"):
        pd.testing.assert_frame_equal(getattr(distributed, name), getattr(local, name), check_exact=True, obj=name)
    assert local.tiers["p_middle"].between(0.05, 0.95).any()  # replications that change tiers


def test_the_scheduler_variable_sends_index_runs_to_that_cluster(client, wdi, monkeypatch):
    monkeypatch.setenv(cluster.SCHEDULER_ENV, client.scheduler.address)
    result = uncertainty(spec_from_dict(SPEC), wdi, n=200, seed=1)
    assert client.scheduler.address in result.attrs["runner"]
    with pytest.raises(SpecError, match="mapper or a scheduler, not both"):
        uncertainty(spec_from_dict(SPEC), wdi, n=10, scheduler="synchronous", mapper=lambda job, batches: [])


def test_index_commands_take_a_scheduler_address(client, wdi, tmp_path):
    from middlepower.cli import app

    (tmp_path / "spec.yaml").write_text(json.dumps(SPEC))  # JSON is YAML
    wdi.to_csv(tmp_path / "wdi.csv", index=False)
    base = ["index", "uncertainty", str(tmp_path / "spec.yaml"), "--data", str(tmp_path / "wdi.csv"), "-n", "700"]
    runner = CliRunner()
    on_cluster = runner.invoke(app, [*base, "--scheduler", client.scheduler.address, "--out",
                                     str(tmp_path / "cluster.csv")], env={"COLUMNS": "200"})
    assert on_cluster.exit_code == 0, on_cluster.output
    assert f"Dask cluster at {client.scheduler.address} (2 workers)" in on_cluster.output
    local = runner.invoke(app, [*base, "--out", str(tmp_path / "local.csv")], env={"COLUMNS": "200"})
    assert local.exit_code == 0 and "on this process" in local.output
    assert (tmp_path / "cluster.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    for clash in (["--cluster", "--scheduler", "tcp://127.0.0.1:9"], ["--workers", "2"]):
        refused = runner.invoke(app, [*base, *clash])
        assert refused.exit_code == 2 and ("choose one" in refused.output or "needs --cluster" in refused.output)


def _shifted(shared: dict, item: int) -> int:
    return shared["offset"] + item


def test_runner_mapper_sends_the_shared_object_once_and_yields_every_result(client):
    with cluster.dask_client(client) as on_cluster, cluster.dask_client("synchronous") as local:
        shared = {"offset": 100}
        assert sorted(on_cluster.mapper(_shifted)(shared, range(30))) == list(range(100, 130))
        assert list(local.mapper(_shifted)(shared, range(30))) == list(range(100, 130))
        first = next(iter(on_cluster.mapper(_shifted)(shared, range(30))))  # stopping early cancels the rest
        assert 100 <= first < 130
