"""The bad-input corpus: every case in ``tests/bad_inputs/*.yaml``, each a hostile or mistaken input to
one command, the web API or the store, answered by one line naming the culprit.

A case (see tests/bad_inputs/README.md) gives the command line (``argv``) or an API request
(``get``), the exit code or HTTP status it must end with, and the words (``says``) its one-line
message must contain. Each case asserts: that exit code or status (never 0 or 200: a silent success
is a failure), exactly one line on stderr starting ``error:`` (no traceback, no warning), each word
of ``says`` in that line, an answer within ``timeout`` seconds (default 20: no hang), and no file
created, changed or removed in the store's folder, the data home, the fixtures or the folder the
command ran in. CLI cases run in-process (``middlepower.cli.main``), so the corpus stays fast;
``subprocess: true`` runs a case as a real process.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from bad_inputs import hostile

CORPUS = Path(__file__).parent / "bad_inputs"
REPO = CORPUS.parents[1]
DEFAULT_TIMEOUT_S = 20


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    argv: tuple[str, ...] = ()
    get: str | None = None
    exit: int | None = None
    status: int | None = None
    says: tuple[str, ...] = ()
    files: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT_S
    subprocess: bool = False
    reports: bool = False  # the command's answer is a report on stdout that the error line follows


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or ():
            raw = dict(raw)
            raw["argv"] = tuple(str(a) for a in raw.get("argv", ()))
            raw["says"] = tuple(str(s) for s in raw.get("says", ()))
            cases.append(Case(file=path.name, **raw))
    ids = [c.id for c in cases]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicated, f"case ids used twice: {duplicated}"
    return cases


CASES = load_cases()
CLI_CASES = [c for c in CASES if c.get is None]
API_CASES = [c for c in CASES if c.get is not None]


def test_the_corpus_has_at_least_200_cases_across_every_command():
    from middlepower.cli import COMMANDS

    assert len(CASES) >= 200, len(CASES)
    covered = {c.argv[0] for c in CLI_CASES if c.argv}
    assert set(COMMANDS) <= covered, sorted(set(COMMANDS) - covered)
    assert len(API_CASES) >= 20
    for case in CASES:
        assert (case.exit is None) != (case.status is None), f"{case.id}: give exit or status"
        assert case.exit != 0 and case.status != 200, f"{case.id}: a bad input must not succeed"
        assert case.says, f"{case.id}: name the culprit the message must contain"


# -- the places a case fills in -------------------------------------------------------------------


@pytest.fixture(scope="session")
def generated(tmp_path_factory, store_path, mirror) -> Path:
    """The hostile files too large or too odd to commit, made once per session (see hostile.py), and
    ``truncated_mirror``: the mirror with one file cut in half."""
    from test_bad_input import NMC, partial_mirror

    folder = tmp_path_factory.mktemp("bad-inputs-generated")
    hostile.generate(folder, store_path)
    fake = partial_mirror(mirror, folder, NMC)
    data = (mirror / NMC).read_bytes()
    (fake / NMC).write_bytes(data[: len(data) // 2])
    fake.rename(folder / "truncated_mirror")
    return folder


@pytest.fixture(scope="session")
def places(generated, store_path, mirror) -> dict[str, str]:
    from middlepower import power
    from middlepower.power.spec import default_spec_path
    from middlepower.warehouse import open_store

    with open_store(store_path):  # the integrity check writes its record once, before any snapshot
        pass
    power.model(store_path)  # the model's disk cache is written once, before any snapshot
    return {
        "db": str(store_path),
        "files": str(CORPUS / "files"),
        "gen": str(generated),
        "spec": str(default_spec_path()),
        "claims": str(REPO / "src" / "middlepower" / "data" / "power" / "claims_example.yaml"),
        "mirror": str(mirror),
        "long": "x" * 3000,
    }


def fill(text: str, places: dict[str, str]) -> str:
    for name, value in places.items():
        text = text.replace("{" + name + "}", value)
    return text


def write_case_files(case: Case, folder: Path, places: dict[str, str]) -> None:
    """Write the case's ``files`` into its folder: inline text, or another file with replacements."""
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(fill(content, places), encoding="utf-8")
            continue
        text = Path(fill(content["from"], places)).read_text(encoding="utf-8")
        for old, new in content.get("replace", ()):
            assert old in text, f"{case.id}: {old!r} not in {content['from']}"
            text = text.replace(old, fill(new, places), 1)
        target.write_text(text + content.get("append", ""), encoding="utf-8")


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folders``: size and modification time (a change of either is a change)."""
    seen = {}
    for folder in folders:
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if path.is_file() or path.is_symlink():
                stat = path.lstat()
                seen[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return seen


class CaseTimedOut(BaseException):
    """Raised in the main thread when a case runs past its timeout (a hang)."""


@contextlib.contextmanager
def deadline(seconds: float):
    def expire(signum, frame):
        raise CaseTimedOut(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_in_process(argv: list[str], seconds: float) -> tuple[int, str, str]:
    """Run ``middlepower argv`` in this process: (exit code, stdout, stderr)."""
    from middlepower.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with deadline(seconds), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except CaseTimedOut:
            raise
        except BaseException:  # a traceback: shown as the user would see it
            import traceback

            traceback.print_exc(file=err)
            code = -1
    return code, out.getvalue(), err.getvalue()


def run_as_process(argv: list[str], seconds: float, cwd: Path, env: dict) -> tuple[int, str, str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO / "src"), **env}
    try:
        done = subprocess.run([sys.executable, "-m", "middlepower", *argv], capture_output=True, text=True,
                              env=full_env, cwd=cwd, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise CaseTimedOut(f"no answer within {seconds} s") from None
    return done.returncode, done.stdout, done.stderr


def assert_one_line(case: Case, stderr: str, stdout: str) -> str:
    assert "Traceback" not in stderr + stdout, f"{case.id}: a traceback\n{stderr[-3000:]}"
    lines = stderr.splitlines()
    assert len(lines) == 1, f"{case.id}: expected one line on stderr, got {len(lines)}:\n{stderr[-3000:]!r}"
    assert case.reports or not stdout.strip(), f"{case.id}: printed before failing:\n{stdout[-1500:]}"
    assert lines[0].startswith("error: "), f"{case.id}: {lines[0]!r}"
    for needle in case.says:
        assert needle in lines[0], f"{case.id}: {needle!r} not in {lines[0]!r}"
    return lines[0]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_case(case: Case, places, tmp_path, monkeypatch, store_path):
    folder = tmp_path / "case"
    folder.mkdir()
    here = {**places, "tmp": str(folder)}
    write_case_files(case, folder, here)
    argv = [fill(a, here) for a in case.argv]
    env = {k: fill(str(v), here) for k, v in case.env.items()}
    watched = [store_path.parent, Path(os.environ["MIDDLEPOWER_HOME"]), CORPUS, Path(places["gen"]), folder]
    before = snapshot(*watched)
    monkeypatch.chdir(folder)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if case.subprocess:
        code, stdout, stderr = run_as_process(argv, case.timeout, folder, env)
    else:
        code, stdout, stderr = run_in_process(argv, case.timeout)
    assert code == case.exit, f"{case.id}: exit {code}, expected {case.exit}\n{stderr[-3000:]}\n{stdout[-1500:]}"
    assert_one_line(case, stderr, stdout)
    assert snapshot(*watched) == before, f"{case.id}: files changed on disk"


@pytest.fixture(scope="module")
def api_client(store_path):
    from fastapi.testclient import TestClient

    from middlepower.web import create_app

    with TestClient(create_app(store_path), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("case", API_CASES, ids=[c.id for c in API_CASES])
def test_api_case(case: Case, api_client, places, store_path):
    watched = [store_path.parent, Path(os.environ["MIDDLEPOWER_HOME"])]
    before = snapshot(*watched)
    with deadline(case.timeout):
        response = api_client.get(fill(case.get, places))
    assert response.status_code == case.status, f"{case.id}: {response.status_code} {response.text[:500]}"
    detail = answer_line(response)
    assert isinstance(detail, str) and "\n" not in detail, f"{case.id}: {detail!r}"
    assert "Traceback" not in detail
    for needle in case.says:
        assert needle in detail, f"{case.id}: {needle!r} not in {detail!r}"
    assert snapshot(*watched) == before, f"{case.id}: files changed on disk"


def answer_line(response) -> str:
    """The one line a 4xx answer gives: ``detail`` of the API's JSON, or the message of a dashboard page
    (``/search``: the HTML error page's ``#error-message``, unescaped)."""
    if response.headers.get("content-type", "").startswith("text/html"):
        import html

        found = re.search(r'id="error-message">(.*?)</p>', response.text, re.S)
        assert found, f"no error message in the page: {response.text[:300]}"
        return html.unescape(found.group(1))
    return response.json()["detail"]


def corpus_summary() -> str:
    """The line the test run prints: how many cases, by kind (tests/conftest.py shows it)."""
    files = sorted({c.file for c in CASES})
    return (f"bad-input corpus: {len(CASES)} cases ({len(CLI_CASES)} command-line, {len(API_CASES)} web API) "
            f"from {len(files)} files in tests/bad_inputs/")

