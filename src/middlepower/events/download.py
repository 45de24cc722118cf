"""Download GDELT event files for a date range, verified against GDELT's own file lists.

GDELT 2.0 publishes ``gdeltv2/masterfilelist.txt`` (one ``size md5 url`` line per file); GDELT 1.0
publishes ``events/md5sums`` (``md5  name``) and ``events/filesizes`` (``size name``). The lists
are the root of trust: every file is checked against the listed size (a truncated download) and
md5 (a damaged or substituted one) before it enters the cache, and a file that fails is named and
refused, never kept. Files already in the cache (or in a GDELT-layout mirror) are verified and not
downloaded again; an interrupted download resumes from its ``.part`` file when the server honours
HTTP ranges. Cache layout: ``<cache>/gdelt/<path of the URL>``, e.g.
``gdelt/gdeltv2/20150218230000.export.CSV.zip``.
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from middlepower import config
from middlepower.errors import DataError, SourceError
from middlepower.events.files import EventFile, slot_of

DEFAULT_BASE = "http://data.gdeltproject.org/"
BASE_ENV = "MIDDLEPOWER_GDELT_BASE"
"""Overrides GDELT's address (a local copy of data.gdeltproject.org in the same layout)."""
V2_LIST = "gdeltv2/masterfilelist.txt"
V1_MD5S = "events/md5sums"
V1_SIZES = "events/filesizes"
LIST_MAX_AGE_S = 15 * 60
"""A cached file list younger than this is reused even if it ends before the range (GDELT adds a file every 15 min)."""
CHUNK = 1 << 16

Tick = Callable[[str, int], None]
"""Progress callback: (event, amount) with event ``file`` (one file done) or ``bytes`` (bytes received)."""


@dataclass(frozen=True)
class ListedFile:
    """One file of a GDELT file list: address, md5, size in bytes and its slot stamp."""

    url: str
    md5: str
    size: int
    slot: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    def cache_path(self) -> Path:
        """Return where the file lives in the cache (``<cache>/gdelt/<URL path>``)."""
        return config.cache_dir() / "gdelt" / urllib.parse.urlsplit(self.url).path.lstrip("/")

    def mirror_path(self) -> Path | None:
        mirror = config.mirror_dir()
        return mirror / "gdelt" / urllib.parse.urlsplit(self.url).path.lstrip("/") if mirror else None

    def as_event_file(self, path: Path) -> EventFile:
        return EventFile(name=self.name, slot=self.slot, path=str(path), url=self.url, md5=self.md5, size=self.size)


@dataclass
class FetchReport:
    """What a fetch did: files listed for the range, downloaded, already present, and bytes received."""

    listed: int = 0
    downloaded: int = 0
    present: int = 0
    bytes_received: int = 0
    files: list[EventFile] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self, first: date, last: date) -> str:
        return (f"{first}..{last}: {self.listed:,} GDELT export files listed, {self.downloaded:,} downloaded "
                f"({self.bytes_received / 1e6:,.1f} MB), {self.present:,} already cached, all verified "
                f"(md5 + size), {self.seconds:.1f} s")


def base_url(base: str | None = None) -> str:
    """Return GDELT's base address (``base``, else ``$MIDDLEPOWER_GDELT_BASE``, else data.gdeltproject.org)."""
    value = base or os.environ.get(BASE_ENV) or DEFAULT_BASE
    return value if value.endswith("/") else value + "/"


def parse_master_list(text: str) -> list[ListedFile]:
    """Return the export files of a GDELT 2.0 master file list (``size md5 url`` lines; others skipped)."""
    listed = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or ".export." not in parts[2]:
            continue
        slot = slot_of(parts[2].rsplit("/", 1)[-1])
        if slot:
            listed.append(ListedFile(parts[2], parts[1].lower(), int(parts[0]), slot))
    return listed


def parse_v1_lists(md5sums: str, filesizes: str | None, base: str) -> list[ListedFile]:
    """Return GDELT 1.0 event files from its ``md5sums`` and ``filesizes`` lists (size 0 if unlisted).

    Daily files (``YYYYMMDD.export.CSV.zip``) and the back files (``YYYYMM.zip``, ``YYYY.zip``)
    are kept; the reduced master file and anything else is skipped.
    """
    sizes = {}
    for line in (filesizes or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            sizes[parts[1]] = int(parts[0])
    listed = []
    for line in md5sums.splitlines():
        parts = line.split()
        if len(parts) != 2:
            continue
        md5, name = parts
        slot = slot_of(name)
        if slot and (name.endswith(".export.CSV.zip") or name == f"{slot}.zip"):
            listed.append(ListedFile(f"{base}events/{name}", md5.lower(), sizes.get(name, 0), slot))
    return listed


def select(listed: list[ListedFile], first: date, last: date) -> list[ListedFile]:
    """Return the files whose slot (15-minute stamp, day, month or year) overlaps ``first``..``last``."""
    lo, hi = first.strftime("%Y%m%d"), last.strftime("%Y%m%d")
    chosen = {}
    for item in listed:
        start = item.slot[:8].ljust(8, "0")
        end = item.slot[:8].ljust(8, "9")
        if start <= hi and end >= lo:
            chosen[item.url] = item
    return sorted(chosen.values(), key=lambda item: item.slot)


def file_list(version: int = 2, *, base: str | None = None, refresh: bool = False, last: date | None = None,
              tick: Tick | None = None) -> list[ListedFile]:
    """Return GDELT's list of event files (2.0 master list, or 1.0 md5sums + filesizes), cached.

    The cached list is fetched again when ``refresh`` is set, or when it ends before ``last`` and
    is older than :data:`LIST_MAX_AGE_S`.
    """
    root = base_url(base)
    if version == 2:
        text = _list_text(root + V2_LIST, refresh, last, tick)
        return parse_master_list(text)
    if version == 1:
        md5s = _list_text(root + V1_MD5S, refresh, last, tick)
        try:
            sizes = _list_text(root + V1_SIZES, refresh, last, tick)
        except SourceError:
            sizes = None  # an older copy of GDELT 1.0 without the size list: md5 alone is checked
        return parse_v1_lists(md5s, sizes, root)
    raise DataError(f"GDELT version {version!r}: expected 1 or 2")


def _list_text(url: str, refresh: bool, last: date | None, tick: Tick | None) -> str:
    target = ListedFile(url, "", 0, "").cache_path()
    if target.is_file() and not refresh and _fresh_enough(target, last):
        return target.read_text(encoding="utf-8", errors="replace")
    part = _part(target)
    part.unlink(missing_ok=True)
    _get(url, part, 0, tick, what=f"file list {url}")
    os.replace(part, target)
    return target.read_text(encoding="utf-8", errors="replace")


def _fresh_enough(cached_list: Path, last: date | None) -> bool:
    if last is None or time.time() - cached_list.stat().st_mtime < LIST_MAX_AGE_S:
        return True
    lines = cached_list.read_text(encoding="utf-8", errors="replace").splitlines()
    newest = max((slot_of(line.split()[-1].rsplit("/", 1)[-1]) or "" for line in lines if line.strip()), default="")
    return newest[:8] >= last.strftime("%Y%m%d")


def fetch(first: date, last: date, *, version: int = 2, base: str | None = None, refresh_list: bool = False,
          parallel: int = 4, tick: Tick | None = None, on_listed: Callable[[int, int], None] | None = None
          ) -> FetchReport:
    """Download (or find cached) every GDELT export file of ``first``..``last``, each verified.

    Returns a :class:`FetchReport` whose ``files`` are the verified local files. Files that fail
    verification or download are not kept; after every other file is done, a SourceError names
    the first of them (and how many failed). ``on_listed(files, bytes)`` is told the size of the job.
    """
    started = time.perf_counter()
    chosen = select(file_list(version, base=base, refresh=refresh_list, last=last), first, last)
    report = FetchReport(listed=len(chosen))
    if on_listed:
        on_listed(len(chosen), sum(item.size for item in chosen))

    def one(item: ListedFile) -> tuple[ListedFile, Path | None, int, str]:
        try:
            path, received = _ensure(item, tick)
            return item, path, received, ""
        except SourceError as exc:
            return item, None, 0, str(exc)
        finally:
            if tick:
                tick("file", 1)

    # Threads only overlap network waits; every file is still verified before it is kept.
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        outcomes = list(pool.map(one, chosen))
    failures = [error for _, _, _, error in outcomes if error]
    for item, path, received, _ in outcomes:
        if path is not None:
            report.files.append(item.as_event_file(path))
            report.bytes_received += received
            report.downloaded += bool(received)
            report.present += not received
    report.seconds = time.perf_counter() - started
    if failures:
        more = f" ({len(failures) - 1} more refused; {len(report.files):,} verified)" if len(failures) > 1 else ""
        raise SourceError(failures[0] + more)
    return report


def cached(first: date, last: date, *, version: int = 2, base: str | None = None) -> tuple[list[EventFile], int]:
    """Return the verified local files of ``first``..``last`` and how many listed are missing.

    Reads only the cached file list and cached files: nothing is downloaded (DataError if no list
    has been fetched yet).
    """
    root = base_url(base)
    lists = [root + V2_LIST] if version == 2 else [root + V1_MD5S]
    for url in lists:
        if not ListedFile(url, "", 0, "").cache_path().is_file():
            raise DataError(f"no GDELT {version}.0 file list from {root} in the cache; run "
                            f"`middlepower events fetch --from {first} --to {last}` first")
    chosen = select(file_list(version, base=base, last=None), first, last)
    found = []
    for item in chosen:
        path = _present(item)
        if path is not None:
            found.append(item.as_event_file(path))
    return found, len(chosen) - len(found)


def ensure_local(file: EventFile) -> Path:
    """Return a verified local copy of ``file`` (used by a worker that cannot see the client's path)."""
    if not file.url or not file.md5:
        raise SourceError(f"{file.path}: not on this machine and no GDELT address to fetch it from")
    path, _ = _ensure(ListedFile(file.url, file.md5, file.size, file.slot), None)
    return path


def _present(item: ListedFile) -> Path | None:
    for candidate in (item.mirror_path(), item.cache_path()):
        if candidate is not None and candidate.is_file():
            return _verify(candidate, item, str(candidate), hint="; delete it to download it again")
    return None


def _ensure(item: ListedFile, tick: Tick | None) -> tuple[Path, int]:
    present = _present(item)
    if present is not None:
        return present, 0
    target = item.cache_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = _part(target)
    offset = part.stat().st_size if part.is_file() else 0
    if item.size and offset > item.size:
        part.unlink()
        offset = 0
    received = 0 if (item.size and offset == item.size) else _get(item.url, part, offset, tick, what=item.name)
    try:
        _verify(part, item, item.url)
    except SourceError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    return target, received


def _part(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def _get(url: str, part: Path, offset: int, tick: Tick | None, *, what: str) -> int:
    """Append ``url`` from byte ``offset`` to ``part`` (restarting if ranges are refused); return bytes received."""
    request = urllib.request.Request(url, headers={"Range": f"bytes={offset}-"} if offset else {})
    received = 0
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(request, timeout=60) as response:
            resumed = offset and response.status == 206
            with part.open("ab" if resumed else "wb") as out:
                for block in iter(lambda: response.read(CHUNK), b""):
                    out.write(block)
                    received += len(block)
                    if tick:
                        tick("bytes", len(block))
    except urllib.error.HTTPError as exc:
        raise SourceError(f"{what}: download failed from {url} (HTTP {exc.code} {exc.reason})") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SourceError(f"{what}: download failed from {url} ({reason}); run again to resume") from None
    return received


def _verify(path: Path, item: ListedFile, origin: str, hint: str = "") -> Path:
    size = path.stat().st_size
    if item.size and size != item.size:
        raise SourceError(f"{item.name}: refused, {size:,} bytes from {origin} but GDELT's list says "
                          f"{item.size:,} (truncated or a different file){hint}")
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != item.md5:
        raise SourceError(f"{item.name}: refused, md5 {digest.hexdigest()} from {origin} does not match "
                          f"GDELT's list ({item.md5}){hint}")
    return path
