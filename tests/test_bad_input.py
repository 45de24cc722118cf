"""Bad input at the foundation's boundaries: each gives a one-line error naming the culprit, a
non-zero exit, and leaves the previous store usable."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
from pathlib import Path

import pandas as pd
import pytest

from middlepower import sources, warehouse
from middlepower.errors import DataError, SourceError
from middlepower.sources.files import sha256_of
from middlepower.sources.registry import REGISTRY, Source, SourceFile

NMC = "peacesciencer/cow_nmc.rda"


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m middlepower`` in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    return subprocess.run([sys.executable, "-m", "middlepower", *args], capture_output=True, text=True,
                          env=full_env, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0, result.stdout
    message = " ".join(result.stderr.split())  # rich may wrap a long line on narrow terminals
    assert message.startswith("error:"), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in message, result.stderr


@pytest.fixture()
def previous_store(store_path, tmp_path) -> Path:
    """A copy of the session store, standing in for a user's existing store."""
    target = tmp_path / "store" / "middlepower.duckdb"
    target.parent.mkdir()
    shutil.copy2(store_path, target)
    return target


def assert_store_intact(path: Path, fingerprint: str) -> None:
    with warehouse.open_store(path) as store:
        assert store.build_info()["fingerprint"] == fingerprint
        assert store.query("SELECT count(*) n FROM panel")["n"][0] > 10_000
    assert not list(path.parent.glob(".*building*"))


def partial_mirror(mirror: Path, tmp_path: Path, leave_out: str) -> Path:
    """Return a mirror of symlinks to the real files (as the mirror holds them), without ``leave_out``."""
    fake = tmp_path / "mirror"
    for source in sources.all_sources():
        for file in source.files:
            if file.path == leave_out:
                continue
            held = next(name for name in (file.path, f"{file.path}.gz") if (mirror / name).is_file())
            link = fake / held
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(mirror / held)
    return fake


def fingerprint_of(path: Path) -> str:
    with warehouse.open_store(path) as store:
        return store.build_info()["fingerprint"]


def test_missing_file_offline_names_the_file_and_the_mirror_variable(mirror, previous_store, tmp_path):
    before = fingerprint_of(previous_store)
    fake = partial_mirror(mirror, tmp_path, NMC)
    home = tmp_path / "home"
    result = run_cli("build", "--db", str(previous_store), "--force",
                     env={"MIDDLEPOWER_MIRROR": str(fake), "MIDDLEPOWER_HOME": str(home),
                          "https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"})
    assert_one_line_error(result, NMC, "MIDDLEPOWER_MIRROR")
    assert_store_intact(previous_store, before)


def _mirror_with_replaced_nmc(mirror: Path, tmp_path: Path, content: bytes) -> Path:
    fake = partial_mirror(mirror, tmp_path, NMC)
    (fake / NMC).parent.mkdir(parents=True, exist_ok=True)
    (fake / NMC).write_bytes(content)
    return fake


def test_truncated_file_fails_its_checksum_and_is_named(mirror, previous_store, tmp_path):
    before = fingerprint_of(previous_store)
    data = (mirror / NMC).read_bytes()
    fake = _mirror_with_replaced_nmc(mirror, tmp_path, data[: len(data) // 2])
    result = run_cli("build", "--db", str(previous_store), "--force",
                     env={"MIDDLEPOWER_MIRROR": str(fake), "MIDDLEPOWER_HOME": str(tmp_path / "home")})
    assert_one_line_error(result, NMC, "checksum mismatch")
    assert_store_intact(previous_store, before)


def test_altered_file_of_the_same_size_fails_its_checksum(mirror, previous_store, tmp_path):
    before = fingerprint_of(previous_store)
    data = bytearray((mirror / NMC).read_bytes())
    data[-1] ^= 0xFF
    fake = _mirror_with_replaced_nmc(mirror, tmp_path, bytes(data))
    result = run_cli("build", "--db", str(previous_store), "--force",
                     env={"MIDDLEPOWER_MIRROR": str(fake), "MIDDLEPOWER_HOME": str(tmp_path / "home")})
    assert_one_line_error(result, NMC, "expected sha256")
    assert_store_intact(previous_store, before)


def test_unknown_country_code_is_named(previous_store, tmp_path):
    out = tmp_path / "panel.csv"
    result = run_cli("panel", "--db", str(previous_store), "--years", "2020", "--countries", "KAZ,XYZ",
                     "--out", str(out))
    assert_one_line_error(result, "'XYZ'")
    assert not out.exists()


def test_unknown_cli_option_is_rejected_with_its_name(previous_store):
    result = run_cli("build", "--db", str(previous_store), "--frobnicate")
    assert result.returncode != 0
    assert "--frobnicate" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_panel_column_is_named_and_nothing_is_written(previous_store, tmp_path):
    out = tmp_path / "panel.parquet"
    result = run_cli("panel", "--db", str(previous_store), "--columns", "gdp_usd,not_a_column", "--out", str(out))
    assert_one_line_error(result, "not_a_column")
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_malformed_column_in_a_source_file_is_a_one_line_source_error(tmp_path, monkeypatch):
    folder = tmp_path / "mirror" / "fixture"
    folder.mkdir(parents=True)
    csv = folder / "tiny.csv"
    csv.write_text("ccode,yeer,value\n705,2020,1.5\n")
    source = Source(
        name="tiny_fixture", title="tiny", files=(SourceFile("fixture/tiny.csv", "https://example.invalid/tiny.csv",
                                                              sha256_of(csv)),),
        licence="test", citation="test", coverage="test", homepage="test",
        columns={"ccode": "code", "year": "year", "value": "value"},
        loader=lambda paths: pd.read_csv(paths["fixture/tiny.csv"]),
    )
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setitem(REGISTRY, "tiny_fixture", source)
    with pytest.raises(SourceError) as caught:
        sources.load("tiny_fixture")
    message = str(caught.value)
    assert "\n" not in message and "'year'" in message and "tiny_fixture" in message


def test_interrupted_build_leaves_the_previous_store_and_no_temporary_file(previous_store, monkeypatch):
    before = fingerprint_of(previous_store)
    real_load = sources.load
    calls = {"n": 0}

    def interrupting_load(name, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_load(name, **kwargs)

    monkeypatch.setattr(sources, "load", interrupting_load)
    with pytest.raises(KeyboardInterrupt):
        warehouse.build(previous_store, force=True)
    assert calls["n"] == 3
    assert_store_intact(previous_store, before)


@contextlib.contextmanager
def read_only_folder(source: Path):
    """Yield a read-only view of ``source``: permission bits for normal users, a read-only bind
    mount for root (whom permission bits do not stop)."""
    if os.geteuid() != 0:
        source.chmod(0o555)
        try:
            yield source
        finally:
            source.chmod(0o755)
        return
    view = Path(tempfile.mkdtemp(prefix="mp-readonly-view-"))
    mounted = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if mounted.returncode != 0:
        view.rmdir()
        pytest.skip(f"cannot make a read-only folder as root here: {mounted.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True, capture_output=True)
        yield view
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)
        view.rmdir()


def test_read_only_target_folder_gives_a_one_line_error_and_keeps_the_store(previous_store, mirror, tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    shutil.copy2(previous_store, folder / "middlepower.duckdb")
    with read_only_folder(folder) as view:
        target = view / "middlepower.duckdb"
        before = fingerprint_of(target)
        result = run_cli("build", "--db", str(target), "--force")
        assert_one_line_error(result, str(view))
        assert_store_intact(target, before)


def test_offline_download_failure_is_one_line_and_names_url(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network unreachable")

    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(tmp_path / "empty"))
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("urllib.request.urlopen", refuse)
    with pytest.raises(SourceError) as caught:
        sources.load("cow_nmc")
    message = str(caught.value)
    assert "\n" not in message
    assert NMC in message and "network unreachable" in message and "MIDDLEPOWER_MIRROR" in message
    assert not list((tmp_path / "home").rglob("*.part"))


def test_store_missing_a_registered_table_is_refused_as_stale(previous_store):
    import duckdb

    with duckdb.connect(str(previous_store)) as con:
        con.execute("DROP TABLE cow_trade")
    with pytest.raises(DataError) as caught:
        warehouse.open_store(previous_store)
    message = str(caught.value)
    assert "\n" not in message and "cow_trade" in message and "middlepower build" in message


def test_sources_reports_a_truncated_mirror_file_on_stderr_with_exit_3(mirror, tmp_path):
    data = (mirror / NMC).read_bytes()
    fake = _mirror_with_replaced_nmc(mirror, tmp_path, data[: len(data) // 2])
    result = run_cli("sources", env={"MIDDLEPOWER_MIRROR": str(fake), "MIDDLEPOWER_HOME": str(tmp_path / "home")})
    assert result.returncode == SourceError.exit_code
    assert_one_line_error(result, NMC, "checksum mismatch")
    assert "UNUSABLE" in result.stdout
