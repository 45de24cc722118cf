"""Every registered file downloadable and verifiable: canonical URLs, http(s) mirrors, resumes.

The main check builds the store from a loopback HTTP mirror holding what the canonical URLs serve
(``mirror_server.upstream_layout``) and compares its table contents with the session store built
from the folder mirror. The download cases below it are table-driven, on a tiny fixture source
served by the same loopback server, so that a later bad-input corpus can absorb them.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import pytest

import mirror_server
from middlepower import sources, warehouse
from middlepower.errors import SourceError
from middlepower.sources.files import ManualDownload, resolve
from middlepower.sources.registry import REGISTRY, Derived, Source, SourceFile


@pytest.fixture()
def no_proxy(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


MIRROR_ONLY = {"gdelt_v2_sample", "gdelt_file_lists"}
"""Sources with files declared ``converted`` (their upstream bytes are unknown): GDELT's sample
export files and file-list excerpts, which the events layer reads; no store table reads them."""


def test_every_registered_file_has_a_download_address_and_a_checksum():
    mirror_only = set()
    for source in sources.all_sources():
        for file in source.upstream():
            assert file.url.startswith(("https://", "http://data.gdeltproject.org/")), file.url
            assert "#" not in file.url and "/tree/" not in file.url, file.url
            assert len(file.sha256) == 64 and int(file.sha256, 16) >= 0
            if file.converted:
                mirror_only.add(source.name)
                continue
            assert not file.path.endswith(".gz") or file.url.endswith(".gz"), file.path
    assert mirror_only == MIRROR_ONLY
    assert not any(sources.get(name).table for name in mirror_only)  # never needed to build the store


def test_http_mirror_in_the_upstream_layout_builds_the_same_store(mirror, store_path, tmp_path, monkeypatch,
                                                                  no_proxy):
    wheels = mirror_server.WHEELS
    missing = [f.path for f in mirror_server.needed_wheels() if not (wheels / Path(f.path).name).is_file()]
    if missing:
        message = (f"canonical wheels not in {mirror_server.WHEELS} ({', '.join(missing)}): "
                   f".ci/run downloads them with pip at install time")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    layout = mirror_server.upstream_layout(mirror, mirror_server.WHEELS, tmp_path / "upstream")
    assert not [p for p in (tmp_path / "upstream").rglob("*.gz")
                if str(p.relative_to(tmp_path / "upstream")) not in layout["derived copy"]]
    for path in layout["upstream"]:  # the served bytes are the canonical ones, by their declared sha256
        declared = next(f for s in sources.all_sources() for f in s.upstream() if f.path == path)
        assert hashlib.sha256((tmp_path / "upstream" / path).read_bytes()).hexdigest() == declared.sha256
    assert layout["derived copy"] == ["worldbank_wdi/indicators.csv"]  # its inputs are not in the mirror

    home = tmp_path / "home"
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(home))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")  # no canonical (https) address is reachable
    with mirror_server.serve(tmp_path / "upstream") as (url, requests):
        monkeypatch.setenv("MIDDLEPOWER_MIRROR", url)
        report = warehouse.build(tmp_path / "http.duckdb")
    with warehouse.open_store(store_path) as reference:
        assert report.content == reference.build_info()["content_fingerprint"]
    with warehouse.open_store(tmp_path / "http.duckdb") as built:
        assert built.build_info()["mirror"] == url
    made = [p for p in (home / "cache").rglob("*.stamp.json") if '"made v' in p.read_text()]
    assert len(made) == 3  # the code list and both railway tables were made from the wheels
    assert (home / "mirror").read_text().strip() == url


# -- table-driven download cases on a tiny fixture source ------------------------------------------

PLAIN = b"ccode,year,value\n" + b"705,2020,1.5\n705,2021,2.5\n" * 200
DIGEST = hashlib.sha256(PLAIN).hexdigest()
PATH = "fixture/tiny.csv"

CASES = {
    # name: (files on the server, mirror ("none" | "url"), partial file in the cache, expected error or None,
    #        paths the server must have been asked for, in order)
    "canonical download": ({"canonical/tiny.csv": PLAIN}, "none", None, None, ["/canonical/tiny.csv"]),
    "canonical resumes a partial download": ({"canonical/tiny.csv": PLAIN}, "none", PLAIN[:1000], None,
                                             ["/canonical/tiny.csv"]),
    "a stale partial file is started over": ({"canonical/tiny.csv": PLAIN}, "none", b"x" * 1000, None,
                                             ["/canonical/tiny.csv", "/canonical/tiny.csv"]),
    "canonical 404": ({}, "none", None, "HTTP 404", ["/canonical/tiny.csv"]),
    "canonical serves other bytes": ({"canonical/tiny.csv": PLAIN + b"9"}, "none", None, "checksum mismatch",
                                     ["/canonical/tiny.csv"]),
    "url mirror holds the bytes": ({"mirror/fixture/tiny.csv": PLAIN}, "url", None, None,
                                   ["/mirror/fixture/tiny.csv"]),
    "url mirror holds a gzip": ({"mirror/fixture/tiny.csv.gz": gzip.compress(PLAIN)}, "url", None, None,
                                ["/mirror/fixture/tiny.csv", "/mirror/fixture/tiny.csv.gz"]),
    "url mirror gzip of other bytes": ({"mirror/fixture/tiny.csv.gz": gzip.compress(PLAIN[:-1])}, "url", None,
                                       "decompressed", ["/mirror/fixture/tiny.csv", "/mirror/fixture/tiny.csv.gz"]),
    "url mirror gzip that is not one": ({"mirror/fixture/tiny.csv.gz": b"not gzip at all"}, "url", None,
                                        "not a readable gzip",
                                        ["/mirror/fixture/tiny.csv", "/mirror/fixture/tiny.csv.gz"]),
    "url mirror without the file falls back to canonical": (
        {"canonical/tiny.csv": PLAIN}, "url", None, None,
        ["/mirror/fixture/tiny.csv", "/mirror/fixture/tiny.csv.gz", "/canonical/tiny.csv"]),
}


def tiny_source(base: str, redistributable: bool = True) -> Source:
    import pandas as pd

    return Source(
        name="tiny_fixture", title="tiny", files=(SourceFile(PATH, f"{base}canonical/tiny.csv", DIGEST),),
        licence="test", citation="test", coverage="test", homepage="test",
        columns={"ccode": "code", "year": "year", "value": "value"},
        loader=lambda paths: pd.read_csv(paths[PATH]), redistributable=redistributable,
    )


def serve_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("case", list(CASES))
def test_download_case(case, tmp_path, monkeypatch, no_proxy):
    files, mirror_kind, partial, error, asked = CASES[case]
    served = tmp_path / "served"
    served.mkdir()
    serve_files(served, files)
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    cached = tmp_path / "home" / "cache" / PATH
    if partial is not None:
        cached.parent.mkdir(parents=True)
        cached.with_name(cached.name + ".part").write_bytes(partial)
    with mirror_server.serve(served) as (url, requests):
        monkeypatch.setenv("MIDDLEPOWER_MIRROR", f"{url}mirror/" if mirror_kind == "url" else "")
        monkeypatch.setitem(REGISTRY, "tiny_fixture", tiny_source(url))
        if error is None:
            assert len(sources.load("tiny_fixture")) == 400
            assert cached.read_bytes() == PLAIN
        else:
            with pytest.raises(SourceError) as caught:
                sources.load("tiny_fixture")
            message = str(caught.value)
            assert error in message and PATH in message and "\n" not in message, message
            assert not cached.exists()
    assert [path for path, _ in requests] == asked
    if partial == PLAIN[:1000]:
        assert requests[0][1] == "bytes=1000-"
    assert not list((tmp_path / "home").rglob("*.gunzip"))


def test_licence_restricted_file_is_never_downloaded_and_says_where_to_put_it(tmp_path, monkeypatch, no_proxy):
    served = tmp_path / "served"
    serve_files(served, {"canonical/tiny.csv": PLAIN})
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", "")
    with mirror_server.serve(served) as (url, requests):
        source = tiny_source(url, redistributable=False)
        monkeypatch.setitem(REGISTRY, "tiny_fixture", source)
        with pytest.raises(ManualDownload) as caught:
            sources.load("tiny_fixture")
        message = str(caught.value)
        assert "manual download" in message and f"{url}canonical/tiny.csv" in message
        assert str(tmp_path / "home" / "cache" / PATH) in message and "\n" not in message
        assert requests == []
        # Saved where the message says, it is used (and verified).
        target = tmp_path / "home" / "cache" / PATH
        target.parent.mkdir(parents=True)
        target.write_bytes(PLAIN)
        assert len(sources.load("tiny_fixture")) == 400


def test_derived_file_is_made_from_its_inputs_once_and_remade_when_its_recipe_changes(tmp_path, monkeypatch):
    folder = tmp_path / "mirror" / "fixture"
    folder.mkdir(parents=True)
    (folder / "tiny.csv").write_bytes(PLAIN)
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    calls = []

    def make(inputs, out):
        calls.append(out)
        out.write_bytes(inputs[PATH].read_bytes().upper())

    upstream = SourceFile(PATH, "https://example.invalid/tiny.csv", DIGEST)
    derived = Derived("fixture/tiny_upper.csv", (upstream,), make, "upper-cased")
    first = resolve(derived)
    assert first.read_bytes() == PLAIN.upper() and len(calls) == 1
    assert resolve(derived) == first and len(calls) == 1  # the stamped cache copy is reused
    assert resolve(Derived(derived.path, derived.inputs, make, derived.recipe, version=2)) == first
    assert len(calls) == 2  # a new recipe version makes it again
    (tmp_path / "mirror" / derived.path).write_bytes(b"a mirror copy")
    mirrored = Derived(derived.path, derived.inputs, make, derived.recipe,
                       mirror_sha256=hashlib.sha256(b"a mirror copy").hexdigest())
    assert resolve(mirrored) == tmp_path / "mirror" / derived.path  # accepted by its declared checksum
    wrong = Derived(derived.path, derived.inputs, make, derived.recipe, mirror_sha256="0" * 64)
    with pytest.raises(SourceError, match="checksum mismatch"):
        resolve(wrong)


def test_relative_mirror_is_resolved_when_read_and_remembered_by_the_build(mirror, tmp_path, monkeypatch):
    from middlepower import config

    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(mirror.parent)
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", mirror.name)
    assert config.mirror() == str(mirror)
    monkeypatch.chdir(tmp_path)
    assert config.mirror() == str(tmp_path / mirror.name)  # resolved against the directory of the moment
    config.remember_mirror(str(mirror))
    monkeypatch.delenv("MIDDLEPOWER_MIRROR")
    assert config.mirror() == str(mirror) and "remembered" in config.mirror_origin()
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", "")
    assert config.mirror() is None


def mirror_as_held(mirror: Path, out: Path, leave_out: set[str]) -> None:
    """Copy the registered files as ``mirror`` holds them (verbatim, gzipped or derived) into ``out``."""
    import shutil

    for source in sources.all_sources():
        if source.name in leave_out:
            continue
        for entry in source.files:
            held = next(name for name in (entry.path, f"{entry.path}.gz") if (mirror / name).is_file())
            (out / held).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mirror / held, out / held)


def test_fetch_downloads_what_is_missing_and_lists_manual_downloads(mirror, tmp_path, no_proxy):
    import shutil
    import subprocess
    import sys

    restricted = {s.name for s in sources.all_sources() if not s.redistributable}
    assert restricted == {"sipri_milex", "ei_energy", "ei_geos"}
    mirror_as_held(mirror, tmp_path / "served", leave_out=restricted)
    home = tmp_path / "home"
    env = {**{k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")},
           "MIDDLEPOWER_HOME": str(home), "https_proxy": "http://127.0.0.1:9", "COLUMNS": "300"}
    with mirror_server.serve(tmp_path / "served") as (url, requests):
        env["MIDDLEPOWER_MIRROR"] = url
        first = subprocess.run([sys.executable, "-m", "middlepower", "fetch"], env=env, capture_output=True,
                               text=True, timeout=600)
        manual = [f for s in sources.all_sources() if s.name in restricted for f in s.upstream()]
        assert first.returncode == SourceError.exit_code, first.stderr
        assert first.stderr.strip().startswith("error:") and "\n" not in first.stderr.strip()
        for file in manual:
            assert file.url in first.stdout and str(home / "cache" / file.path) in first.stdout
        total = sum(len(s.files) for s in sources.all_sources())
        assert f"{total - len(manual)} of {total} files available" in first.stdout
        assert f"{len(manual)} need a manual download, 0 failed" in first.stdout
        for file in manual:  # the user saves them where fetch said
            (home / "cache" / file.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mirror / file.path, home / "cache" / file.path)
        asked = len(requests)
        second = subprocess.run([sys.executable, "-m", "middlepower", "fetch"], env=env, capture_output=True,
                                text=True, timeout=600)
        assert second.returncode == 0, second.stderr
        assert f"{total} of {total} files available (0 fetched now)" in second.stdout
        assert len(requests) == asked  # everything came from the cache


def test_temporaries_of_killed_processes_are_removed_but_partial_downloads_kept(tmp_path, monkeypatch):
    import subprocess
    import sys

    from middlepower.sources.files import remove_leftovers

    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    folder = tmp_path / "home" / "cache" / "fixture"
    folder.mkdir(parents=True)
    leftovers = [folder / f".tiny.csv.{dead}.gunzip", folder / f".tiny.csv.gz.{dead}.making",
                 folder / f".tiny.csv.{dead}.stamp"]
    kept = [folder / "tiny.csv.part", folder / f".tiny.csv.{os.getpid()}.making"]
    for path in leftovers + kept:
        path.write_bytes(b"x")
    assert remove_leftovers() == 3
    assert [p.exists() for p in leftovers] == [False] * 3 and all(p.exists() for p in kept)
