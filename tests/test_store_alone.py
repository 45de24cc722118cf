"""Commands in a new shell: no middlepower variable, another folder, downloads impossible.

A fresh user (``HOME`` is a temporary folder) builds with the README's relative mirror from the
checkout; then, in a "new shell" with every ``MIDDLEPOWER_*`` variable removed and every download
routed to a closed port, commands run from another folder. A second user has only the store file at
the default place (no remembered mirror, no cache): ``profile``, ``panel``, ``balance``, ``report``,
``corridor map`` and ``serve`` must work from it alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BLOCKED = "http://127.0.0.1:9"


def new_shell(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MIDDLEPOWER_") and k not in ("XDG_DATA_HOME", "PYTHONPATH")}
    env.update(HOME=str(home), http_proxy=BLOCKED, https_proxy=BLOCKED, HTTP_PROXY=BLOCKED, HTTPS_PROXY=BLOCKED)
    return env


def run(env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "middlepower", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def assert_ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def built_user(mirror, tmp_path_factory) -> tuple[dict, Path]:
    """A user who ran the README's build with a relative mirror; returns (new-shell env, another folder)."""
    home = tmp_path_factory.mktemp("user")
    first_shell = {**new_shell(home), "MIDDLEPOWER_MIRROR": os.path.relpath(mirror, REPO)}
    assert not Path(first_shell["MIDDLEPOWER_MIRROR"]).is_absolute()
    assert_ok(run(first_shell, REPO, "build"))
    elsewhere = home / "elsewhere"
    elsewhere.mkdir()
    return new_shell(home), elsewhere


@pytest.fixture(scope="module")
def store_only_user(store_path, tmp_path_factory) -> tuple[dict, Path]:
    """A user who has only the store file, at the default place: no remembered mirror, no cache."""
    home = tmp_path_factory.mktemp("store-only")
    env = new_shell(home)
    default = Path(subprocess.run([sys.executable, "-c", "from middlepower import config; "
                                   "print(config.default_store_path())"], env=env, capture_output=True,
                                  text=True, check=True).stdout.strip())
    assert str(default).startswith(str(home))
    default.parent.mkdir(parents=True)
    shutil.copy2(store_path, default)
    elsewhere = home / "elsewhere"
    elsewhere.mkdir()
    return env, elsewhere


def get_json(port: int, path: str, server: subprocess.Popen, wait_s: float = 300) -> object:
    """GET ``path`` from the local server (waiting for it to start); fail on an HTTP error."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited: {server.stderr.read()[-2000:]}")
        try:
            with opener.open(f"http://127.0.0.1:{port}{path}", timeout=120) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{path}: HTTP {exc.code} {exc.read()[:500]!r}")
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{path}: no answer")


def serve(env: dict, cwd: Path) -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "middlepower", "serve", "--port", str(port), "--no-warm"],
                              env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return server, port


def test_the_readme_build_with_a_relative_mirror_serves_a_new_shell_in_another_folder(built_user):
    env, cwd = built_user
    assert_ok(run(env, cwd, "panel", "--years", "2022", "--countries", "KAZ", "--out", "kaz.csv"))
    assert (cwd / "kaz.csv").read_text().count("\n") == 2
    assert_ok(build := run(env, cwd, "build"))  # a no-op, not a download: the store is current and whole
    assert "up to date" in build.stdout
    assert_ok(listing := run(env, cwd, "sources", "--no-check"))
    assert "remembered" in listing.stdout  # the relative mirror, resolved and remembered by the build


def test_query_commands_need_nothing_but_the_store(store_only_user):
    env, cwd = store_only_user
    assert_ok(profile := run(env, cwd, "profile", "KAZ", "--year", "2022"))
    assert "KAZ 2022:" in profile.stdout
    assert_ok(run(env, cwd, "panel", "--years", "2020-2022", "--countries", "KAZ", "--out", "kaz.csv"))
    assert (cwd / "kaz.csv").read_text().count("\n") == 4
    assert_ok(run(env, cwd, "panel", "--countries", "KAZ", "--columns", "gdp_usd", "--out", "all.csv"))
    years = [int(line.split(",")[1]) for line in (cwd / "all.csv").read_text().splitlines()[1:]]
    assert (min(years), max(years)) == (1991, 2025), (min(years), max(years))  # every year of the store, not 1990-2022
    assert_ok(balance := run(env, cwd, "balance", "--year", "2019", "--top", "5"))
    assert re.search(r"2019: 5 of \d+ states by balance index", balance.stdout), balance.stdout
    assert_ok(run(env, cwd, "report", "KAZ", "--year", "2022", "--out", "kaz.html"))
    assert "Kazakhstan" in (cwd / "kaz.html").read_text(encoding="utf-8")
    assert_ok(run(env, cwd, "corridor", "map", "--out", "map.png"))
    server, port = serve(env, cwd)
    try:
        assert get_json(port, "/api/countries/KAZ/profile?year=2022", server)["iso3"] == "KAZ"
        topology = get_json(port, "/api/map/world", server)
        assert "KAZ" in {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
        assert len(get_json(port, "/api/panel?year=2022&columns=gdp_usd", server)["rows"]) > 150
    finally:
        server.terminate()
        server.wait(timeout=60)
    fetched = [p for p in Path(env["HOME"]).glob("**/middlepower/cache/**/*") if p.is_file()]
    assert not fetched  # nothing fetched, nothing made: the store was the only input


def test_serve_on_a_taken_port_is_a_one_line_error_before_it_says_serving(store_only_user):
    """It printed "serving ... at http://127.0.0.1:PORT/", then uvicorn's own bind error, and exit 3."""
    env, cwd = store_only_user
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(env, cwd, "serve", "--port", str(port), "--no-warm")
    assert result.returncode == 2, result
    assert "serving" not in result.stdout, result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: --port {port}: cannot listen on 127.0.0.1:{port} (Address already in use)"], lines
