"""The GDELT downloader against a loopback server in GDELT's layout, with a master list of real md5s."""

from __future__ import annotations

import shutil
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from middlepower import events, sources
from middlepower.errors import DataError, SourceError
from middlepower.events import download as fetcher
from middlepower.events import mapreduce

SLOTS = ["20241022130000", "20241022131500", "20241022133000", "20241022134500"]
ORIGIN = "gdelt/v2_export/oreillyross__GDELT_Downloader"
ZIP = "gdelt/v2_export/narayave__Insight-GDELT-Feed/20190121220000.export.CSV.zip"


def _md5sums(mirror: Path) -> dict[str, str]:
    """The mirror's own MD5SUMS file (md5 of each staged file), keyed by mirror path."""
    pairs = (line.split(None, 1) for line in (mirror / "gdelt/MD5SUMS").read_text().splitlines() if line.strip())
    return {f"gdelt/{path.strip()}": md5 for md5, path in pairs}


class _Handler(SimpleHTTPRequestHandler):
    """Serves a folder; honours single ``bytes=N-`` ranges; logs every path requested."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        self.server.requests.append((self.path, self.headers.get("Range")))
        wanted = self.headers.get("Range")
        if not wanted:
            return super().send_head()
        path = Path(self.translate_path(self.path))
        start = int(wanted.removeprefix("bytes=").rstrip("-"))
        data = path.read_bytes()[start:]
        self.send_response(206)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Range", f"bytes {start}-{start + len(data) - 1}/{path.stat().st_size}")
        self.end_headers()
        import io

        return io.BytesIO(data)


@pytest.fixture()
def gdelt_site(mirror, tmp_path, monkeypatch):
    """A loopback copy of data.gdeltproject.org: four 2.0 files, GDELT's own zip, and a master list.

    Also points the cache at a fresh data home, so each test starts with nothing downloaded.
    """
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    root = tmp_path / "site"
    (root / "gdeltv2").mkdir(parents=True)
    md5 = _md5sums(mirror)
    lines = []
    for slot in SLOTS:
        rel = f"{ORIGIN}/{slot}.export.CSV"
        shutil.copyfile(mirror / rel, root / "gdeltv2" / f"{slot}.export.CSV")
        lines.append((rel, f"{slot}.export.CSV"))
    shutil.copyfile(mirror / ZIP, root / "gdeltv2" / "20190121220000.export.CSV.zip")
    lines.append((ZIP, "20190121220000.export.CSV.zip"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Handler(*a, directory=str(root)))
    server.requests = []
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    listing = [f"{(mirror / rel).stat().st_size} {md5[rel]} {base}gdeltv2/{name}" for rel, name in lines]
    listing += [f"12345 00000000000000000000000000000000 {base}gdeltv2/{SLOTS[0]}.mentions.CSV.zip"]
    (root / "gdeltv2" / "masterfilelist.txt").write_text("\n".join(listing) + "\n")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, base, server
    server.shutdown()
    server.server_close()


DAY = date(2024, 10, 22)


def test_good_files_are_cached_and_a_rerun_downloads_nothing(gdelt_site):
    root, base, server = gdelt_site
    report = events.fetch(DAY, DAY, base=base)
    assert report.listed == 4 and report.downloaded == 4 and report.present == 0
    for file in report.files:
        assert Path(file.path).read_bytes() == (root / "gdeltv2" / file.name).read_bytes()
    assert not list(Path(report.files[0].path).parent.glob("*.part"))
    server.requests.clear()
    again = events.fetch(DAY, DAY, base=base)
    assert again.downloaded == 0 and again.present == 4 and again.bytes_received == 0
    assert server.requests == []  # not even the master list again


def test_an_md5_mismatch_is_refused_naming_the_file_and_the_others_are_kept(gdelt_site):
    root, base, _ = gdelt_site
    bad = root / "gdeltv2" / f"{SLOTS[1]}.export.CSV"
    data = bytearray(bad.read_bytes())
    data[1000] = ord("X") if data[1000] != ord("X") else ord("Y")  # same size, different bytes
    bad.write_bytes(bytes(data))
    with pytest.raises(SourceError) as caught:
        events.fetch(DAY, DAY, base=base)
    message = str(caught.value)
    assert message.startswith(f"{SLOTS[1]}.export.CSV: refused, md5") and "\n" not in message
    cache = fetcher.ListedFile(f"{base}gdeltv2/x", "", 0, "").cache_path().parent
    assert sorted(p.name for p in cache.iterdir() if p.name != "masterfilelist.txt") == sorted(
        f"{slot}.export.CSV" for slot in SLOTS if slot != SLOTS[1])


def test_a_truncated_download_is_refused_by_its_size(gdelt_site):
    root, base, _ = gdelt_site
    short = root / "gdeltv2" / f"{SLOTS[2]}.export.CSV"
    short.write_bytes(short.read_bytes()[:-500])
    with pytest.raises(SourceError, match=rf"{SLOTS[2]}\.export\.CSV: refused, [\d,]+ bytes .*truncated"):
        events.fetch(DAY, DAY, base=base)


def test_an_interrupted_download_resumes_from_its_part_file(gdelt_site):
    root, base, server = gdelt_site
    target = fetcher.ListedFile(f"{base}gdeltv2/{SLOTS[0]}.export.CSV", "", 0, SLOTS[0]).cache_path()
    target.parent.mkdir(parents=True)
    whole = (root / "gdeltv2" / f"{SLOTS[0]}.export.CSV").read_bytes()
    (target.parent / f"{target.name}.part").write_bytes(whole[:100_000])
    events.fetch(DAY, DAY, base=base)
    assert target.read_bytes() == whole
    assert (f"/gdeltv2/{SLOTS[0]}.export.CSV", "bytes=100000-") in server.requests


def test_gdelts_own_zip_is_fetched_verified_and_read(gdelt_site):
    _, base, _ = gdelt_site
    report = events.fetch(date(2019, 1, 21), date(2019, 1, 21), base=base)
    assert [f.name for f in report.files] == ["20190121220000.export.CSV.zip"]
    assert len(events.read_events(report.files[0].path)) == 1629


def test_a_fetched_range_builds_from_the_cache(gdelt_site, tmp_path):
    _, base, _ = gdelt_site
    events.fetch(DAY, DAY, base=base)
    report = events.build(first=DAY, last=DAY, base=base, db=tmp_path / "m.duckdb", scheduler="synchronous")
    files = events.files(db=tmp_path / "m.duckdb")
    assert list(files["slot"]) == SLOTS and files["url"].str.startswith(base).all()
    assert report.aggregates.coverage["files"].tolist() == [4]


def test_building_a_range_before_fetching_it_says_to_fetch(gdelt_site, tmp_path):
    _, base, server = gdelt_site
    with pytest.raises(DataError, match=r"no GDELT 2\.0 file list .* run `middlepower events fetch"):
        events.build(first=DAY, last=DAY, base=base, db=tmp_path / "m.duckdb", scheduler="synchronous")
    assert server.requests == []


def test_a_worker_that_cannot_see_the_file_fetches_and_verifies_it(gdelt_site, mirror):
    _, base, server = gdelt_site
    listed = [item for item in fetcher.file_list(base=base) if item.slot == SLOTS[0]][0]
    elsewhere = listed.as_event_file(Path("/nonexistent/on/this/worker") / listed.name)
    counted = mapreduce.count_file(elsewhere, mapreduce.CodeMaps.load()).to_pandas()
    rows = counted.loc[counted["kind"] == "file", "events"].tolist()
    assert rows == [len(events.read_events(mirror / ORIGIN / f"{SLOTS[0]}.export.CSV"))]
    assert listed.cache_path().is_file() and (f"/gdeltv2/{SLOTS[0]}.export.CSV", None) in server.requests


def test_the_cli_fetches_with_a_summary_line(gdelt_site):
    from middlepower.cli import app

    _, base, _ = gdelt_site
    args = ["events", "fetch", "--from", "2024-10-22", "--to", "2024-10-22", "--base-url", base]
    first = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "4 GDELT export files listed, 4 downloaded" in first.output
    again = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert "0 downloaded (0.0 MB), 4 already cached" in again.output


def test_the_cli_prints_one_line_and_exits_3_on_a_refused_file(gdelt_site):
    from middlepower.cli import app

    root, base, _ = gdelt_site
    (root / "gdeltv2" / f"{SLOTS[3]}.export.CSV").write_bytes(b"not gdelt\n")
    result = CliRunner().invoke(app, ["events", "fetch", "--from", "2024-10-22", "--to", "2024-10-22",
                                      "--base-url", base])
    assert result.exit_code != 0
    assert isinstance(result.exception, SourceError) and result.exception.exit_code == 3
    assert str(result.exception).startswith(f"{SLOTS[3]}.export.CSV: refused")


def test_gdelts_real_file_lists_parse():
    listing = sources.load("gdelt_file_lists").set_index("path")["local_path"]
    master = fetcher.parse_master_list(Path(listing.iloc[0]).read_text())
    # SOURCES-gdelt.md: the excerpt holds 334 export entries; its first line is quoted there.
    assert len(master) == 334
    assert (master[0].size, master[0].md5, master[0].slot) == (150383, "297a16b493de7cf6ca809a7cc31d0b93",
                                                               "20150218230000")
    v1 = fetcher.parse_v1_lists(Path(listing.iloc[1]).read_text(), None, fetcher.DEFAULT_BASE)
    # 1979-2005 yearly, 200601-200607 monthly, 20200319-24 daily; the reduced master file is skipped.
    assert len(v1) == 27 + 7 + 6
    chosen = fetcher.select(v1, date(2006, 6, 15), date(2020, 3, 20))
    assert [item.slot for item in chosen] == ["200606", "200607", "20200319", "20200320"]
