"""A store that notices and heals, on copies of the real store.

Each way of damaging a store (``DAMAGES``) must give a one-line error naming the store on every
command that reads it (``STORE_COMMANDS``), and ``middlepower build`` must turn it back into a
store with the same content as the session's. The cases are table-driven so that a later bad-input
corpus can take them over. Also: two builds of one store at once, leftovers of a killed build,
caches keyed to a build.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from middlepower import warehouse
from middlepower.errors import DataError
from middlepower.warehouse.lock import build_lock
from middlepower.warehouse.store import sidecar_path

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "src" / "middlepower" / "data" / "power" / "claims_example.yaml"


def cli(*args: str, env: dict | None = None, cwd: Path | None = None, **popen) -> subprocess.CompletedProcess:
    """Run ``python -m middlepower`` as a user would."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "middlepower", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=600, **popen)


def garbage_in_the_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(random.Random(10).randbytes(65_536))


def drop_panel_view(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("DROP VIEW panel")


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def older_version(path: Path) -> None:
    # The build record as schema 1 wrote it: no content checksum, no build id.
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE OR REPLACE TABLE _build AS SELECT fingerprint, 1 AS schema_version, package_version, "
                    "built_at FROM _build")


DAMAGES = {  # name: (how, words the one-line error must contain)
    "garbage": (garbage_in_the_middle, "store"),
    "dropped view": (drop_panel_view, "view 'panel'"),
    "truncated": (truncate, "store"),
    "older version": (older_version, "older version"),
}

STORE_COMMANDS = {  # every command that reads the store (index and the corridor's shipped network do not)
    "profile": ["profile", "KAZ", "--year", "2022"],
    "rank": ["rank", "--year", "2022"],
    "compare": ["compare", "KAZ", "AZE", "--from", "2020", "--to", "2022"],
    "check": ["check", str(CLAIMS)],
    "panel": ["panel", "--years", "2022", "--out", "{tmp}/panel.csv"],
    "report": ["report", "KAZ", "--year", "2022", "--format", "html", "--out", "{tmp}/kaz.html"],
    "serve": ["serve", "--port", "1", "--no-warm"],
    "corridor map": ["corridor", "map", "--out", "{tmp}/map.png"],
    "alignment": ["alignment", "KAZ", "--with", "USA"],
    "balance": ["balance", "--year", "2019"],
    "diplomacy council": ["diplomacy", "council", "KAZ"],
    "diplomacy peace": ["diplomacy", "peace", "KAZ"],
    "diplomacy peacekeeping": ["diplomacy", "peacekeeping", "KAZ"],
    "diplomacy exclusions": ["diplomacy", "exclusions"],
    "sources": ["sources", "--no-check"],
}


def default_store_env(home: Path) -> dict:
    return {"MIDDLEPOWER_HOME": str(home)}


def main(*args: str) -> tuple[int, str, str]:
    """Run the CLI's entry point in this process (as the console script does); return (code, out, err)."""
    import contextlib
    import io

    from middlepower import cli as cli_module

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["middlepower", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli_module.main()
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv = saved
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def store_copy(store_path, tmp_path) -> Path:
    """A copy of the session store as a user's default store (in its own data home)."""
    home = tmp_path / "home"
    home.mkdir()
    target = home / "middlepower.duckdb"
    shutil.copy2(store_path, target)
    return target


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_store_gives_one_line_on_every_command_and_build_heals_it(damage, store_copy, store_path, tmp_path,
                                                                          monkeypatch):
    import importlib

    from middlepower import config, power

    how, words = DAMAGES[damage]
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(store_copy.parent))
    with warehouse.open_store(store_copy) as intact:
        derived_cache = config.build_cache_dir(intact.build_info()["build_id"])
    if damage == "dropped view":  # once, the real thing: the power model's disk cache of this build
        importlib.import_module("middlepower.power.compute")._MEMORY.clear()  # copies share the build id
        power.model(store_copy, replications=20)
        assert any((derived_cache / "power").rglob("*.parquet"))
    else:
        (derived_cache / "power").mkdir(parents=True)
    how(store_copy)

    for name, args in STORE_COMMANDS.items():
        code, out, err = main(*[a.format(tmp=tmp_path) for a in args])
        assert code == DataError.exit_code, (name, out[-500:], err[-2000:])
        message = err.strip()
        assert message.startswith("error:") and "\n" not in message and "Traceback" not in err, (name, err)
        for needle in (str(store_copy), words, "middlepower build"):
            assert needle in message, (name, message)
    assert not (tmp_path / "panel.csv").exists() and not (tmp_path / "kaz.html").exists()

    code, out, err = main("build")
    assert code == 0, err
    assert "rebuilt because" in out and "built " in out
    with warehouse.open_store(store_copy) as fixed, warehouse.open_store(store_path) as reference:
        assert fixed.build_info()["content_fingerprint"] == reference.build_info()["content_fingerprint"]
        assert fixed.build_info()["build_id"] != reference.build_info()["build_id"]
    assert not derived_cache.exists()  # caches of the replaced build went with it
    assert main("panel", "--years", "2022", "--out", str(tmp_path / "panel.csv"))[0] == 0


def test_a_stray_wal_beside_the_store_is_noticed(store_copy):
    # DuckDB replays a WAL found beside a file even read-only; one written after the build must not
    # change what queries see unnoticed.
    work = store_copy.with_name("work.duckdb")
    shutil.copy2(store_copy, work)
    with duckdb.connect(str(work)) as con:
        con.execute("SET checkpoint_threshold = '1TB'")
        con.execute("DELETE FROM cow_nmc WHERE ccode = 705")
        shutil.copy2(work.with_name("work.duckdb.wal"), store_copy.with_name("middlepower.duckdb.wal"))
    with pytest.raises(DataError, match="differs from what its build recorded"):
        warehouse.open_store(store_copy)


def test_the_content_check_runs_once_per_state_of_the_file(store_copy):
    with warehouse.open_store(store_copy):
        pass
    assert sidecar_path(store_copy).is_file()
    with duckdb.connect(str(store_copy)) as con:  # changed behind the record's back: same size, new mtime
        con.execute("UPDATE cow_nmc SET cinc = cinc * 2 WHERE ccode = 705")
    with pytest.raises(DataError, match="differs from what its build recorded"):
        warehouse.open_store(store_copy)


def test_a_second_build_of_the_same_store_waits_for_the_first(store_copy):
    env = default_store_env(store_copy.parent)
    with build_lock(store_copy):
        second = subprocess.Popen([sys.executable, "-m", "middlepower", "build"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(REPO / "src"), **env})
        first_line = second.stdout.readline()
        assert "waiting for the build of" in first_line and str(os.getpid()) in first_line
        assert second.poll() is None  # still waiting while the lock is held
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert "up to date" in out
    with warehouse.open_store(store_copy):
        pass


def test_a_killed_build_leaves_nothing_the_next_build_does_not_remove(store_copy):
    env = default_store_env(store_copy.parent)
    folder = store_copy.parent
    build = subprocess.Popen([sys.executable, "-m", "middlepower", "build", "--force"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO / "src"), **env})
    temporary = folder / f".middlepower.duckdb.{build.pid}.building"
    deadline = time.monotonic() + 300
    while not temporary.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert temporary.exists(), "the build never started writing"
    time.sleep(0.5)  # let it write something
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert temporary.exists()  # what a killed build leaves
    with warehouse.open_store(store_copy):  # the previous store is untouched
        pass
    result = cli("build", env=env)
    assert result.returncode == 0 and "up to date" in result.stdout, result.stderr
    assert sorted(p.name for p in folder.iterdir() if ".building" in p.name) == []


def test_a_no_op_build_needs_no_input_file(store_copy, tmp_path):
    env = {**default_store_env(store_copy.parent), "MIDDLEPOWER_MIRROR": str(tmp_path / "empty"),
           "https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    result = cli("build", env=env)
    assert result.returncode == 0 and "up to date" in result.stdout, result.stderr
