"""Resolving registered files to verified local paths: mirror folder, cache, mirror URL, download.

For an upstream :class:`~middlepower.sources.registry.SourceFile` the order is:

1. a mirror **folder** holding the file verbatim at its path (read in place);
2. the **cache** (``<data home>/cache/<path>``), re-verified on every use;
3. a mirror folder holding it gzipped (``<path>.gz``): decompressed into the cache;
4. a mirror **URL**: ``<mirror>/<path>``, else ``<mirror>/<path>.gz``, downloaded into the cache;
5. the canonical URL, downloaded into the cache (not for files whose licence forbids it).

Every byte is checked against the declared sha256 before a loader sees it; a gzip is checked on
its decompressed bytes, while it streams. Downloads go to ``<file>.part`` and resume from there
(HTTP Range) after an interruption. A :class:`~middlepower.sources.registry.Derived` file is read
from a mirror holding it with the declared checksum, else from the cache when it was made from
the same inputs, else made from its (resolved) inputs into the cache.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from pathlib import Path

from middlepower import __version__, config
from middlepower.errors import SourceError
from middlepower.sources.registry import Derived, Entry, SourceFile, owner

Progress = Callable[[str, int, "int | None"], None]
"""``progress(label, bytes_done, bytes_total_or_None)``, called while a file downloads."""

CHUNK = 1 << 20
TIMEOUT_S = 60


class ManualDownload(SourceError):
    """A file whose licence lets only the user download it is missing (``url`` -> ``target``)."""

    def __init__(self, message: str, url: str, target: Path):
        super().__init__(message)
        self.url = url
        self.target = target


class _NotFound(Exception):
    """A mirror URL answered 404: the mirror does not hold that form of the file."""


_HASH_CACHE: dict[tuple[str, int, int], str] = {}


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of ``path``; memoised per (path, size, mtime) within a process."""
    stat = path.stat()
    memo_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    cached = _HASH_CACHE.get(memo_key)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    _HASH_CACHE[memo_key] = digest.hexdigest()
    return _HASH_CACHE[memo_key]


def _mismatch(candidate: object, path: str, origin: str, expected: str, actual: str) -> SourceError:
    return SourceError(
        f"{candidate}: checksum mismatch for {path} from {origin} (expected sha256 {expected[:16]}…, "
        f"got {actual[:16]}…); the file is truncated or a different version — replace it or delete it "
        f"to re-download"
    )


def _verified(candidate: Path, path: str, expected: str, origin: str) -> Path:
    actual = sha256_of(candidate)
    if actual != expected:
        raise _mismatch(candidate, path, origin, expected, actual)
    return candidate


def _mirrors() -> tuple[Path | None, str | None]:
    location = config.mirror()
    if location is None:
        return None, None
    return (None, location) if config.is_url(location) else (Path(location), None)


def _where() -> str:
    location = config.mirror()
    if location is None:
        return f"{config.MIRROR_ENV} is not set"
    return f"not in mirror {location}"


def _missing_message(path: str, url: str, reason: str) -> str:
    return (
        f"{path} is needed but not available ({_where()}; not in cache {config.cache_dir()}; "
        f"{reason}): download it from {url} or set {config.MIRROR_ENV} to a folder or URL holding it"
    )


def _cached_ok(cached: Path, expected: str) -> bool:
    """Return True if the cache copy is intact; a damaged copy is removed so it is fetched again."""
    if not cached.is_file():
        return False
    if sha256_of(cached) == expected:
        return True
    with contextlib.suppress(OSError):
        cached.unlink()
    return False


def resolve(entry: Entry, *, download: bool = True, progress: Progress | None = None) -> Path:
    """Return a local path to ``entry`` whose bytes have been verified.

    ``download=False`` allows only local work (mirror folder, cache, decompressing, making a
    derived file from local inputs). Raises SourceError with a one-line message naming the file
    when nothing works; :class:`ManualDownload` when the licence requires the user to fetch it.
    """
    if isinstance(entry, Derived):
        return _resolve_derived(entry, download=download, progress=progress)
    return _resolve_file(entry, download=download, progress=progress)


def _resolve_file(file: SourceFile, *, download: bool, progress: Progress | None) -> Path:
    folder, url_mirror = _mirrors()
    if folder is not None and (folder / file.path).is_file():
        return _verified(folder / file.path, file.path, file.sha256, f"mirror {folder}")
    cached = config.cache_dir() / file.path
    if _cached_ok(cached, file.sha256):
        return cached
    if folder is not None and (folder / f"{file.path}.gz").is_file():
        return _gunzip(folder / f"{file.path}.gz", file, cached, f"mirror {folder}")
    if url_mirror is not None:
        if not download:
            raise SourceError(_missing_message(file.path, file.url, "downloads are disabled"))
        with contextlib.suppress(_NotFound):
            return _fetch(_join(url_mirror, file.path), cached, file.path, file.sha256, progress,
                          f"mirror {url_mirror}")
        with contextlib.suppress(_NotFound):
            packed = config.cache_dir() / f"{file.path}.gz"
            _fetch(_join(url_mirror, f"{file.path}.gz"), packed, f"{file.path}.gz", None, progress,
                   f"mirror {url_mirror}")
            try:
                return _gunzip(packed, file, cached, f"mirror {url_mirror}")
            finally:
                with contextlib.suppress(OSError):
                    packed.unlink()
    if file.converted:
        raise SourceError(
            f"{file.path} is needed but not available ({_where()}; not in cache {config.cache_dir()}): only a "
            f"mirror can provide it, since its copy is {file.converted}, not what {file.url} serves; set "
            f"{config.MIRROR_ENV} to a folder or URL holding it")
    if not download:
        raise SourceError(_missing_message(file.path, file.url, "downloads are disabled"))
    source = owner(file)
    if source is not None and not source.redistributable:
        raise ManualDownload(manual_message(file), file.url, cached)
    try:
        return _fetch(file.url, cached, file.path, file.sha256, progress, file.url)
    except _NotFound:
        raise SourceError(_missing_message(file.path, file.url, "download failed: HTTP 404 Not Found")) from None


def manual_message(file: SourceFile) -> str:
    """Return the one-line instruction for a file the user must download (licence terms)."""
    source = owner(file)
    name = source.name if source else file.path
    return (
        f"{file.path} needs a manual download: the terms of {name} do not let middlepower fetch it for you; "
        f"download {file.url} and save it as {config.cache_dir() / file.path} (or put it in your mirror folder)"
    )


def _join(base: str, path: str) -> str:
    return base + urllib.parse.quote(path)


def _gunzip(packed: Path, file: SourceFile, target: Path, origin: str) -> Path:
    """Decompress ``packed`` into ``target`` while hashing; keep it only if the sha256 matches."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.gunzip")
    digest = hashlib.sha256()
    try:
        with gzip.open(packed, "rb") as source, partial.open("wb") as out:
            for block in iter(lambda: source.read(CHUNK), b""):
                digest.update(block)
                out.write(block)
        actual = digest.hexdigest()
        if actual != file.sha256:
            raise _mismatch(packed, file.path, f"{origin}, decompressed", file.sha256, actual)
        os.replace(partial, target)
    except (OSError, EOFError, zlib.error) as exc:
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
        raise SourceError(f"{packed}: not a readable gzip of {file.path} from {origin} ({reason})") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return target


def _fetch(url: str, target: Path, path: str, expected: str | None, progress: Progress | None,
           origin: str) -> Path:
    """Download ``url`` into ``target`` through ``<target>.part`` (resumed if present); verify."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(_missing_message(path, url, f"cache not writable: {exc.strerror}")) from None
    partial = target.with_name(f"{target.name}.part")
    resumed = _transfer(url, partial, path, progress)
    if expected is not None:
        actual = sha256_of(partial)
        if actual != expected and resumed:  # the partial file may predate a change upstream: start over
            partial.unlink()
            _transfer(url, partial, path, progress)
            actual = sha256_of(partial)
        if actual != expected:
            partial.unlink()
            raise _mismatch(url, path, origin, expected, actual)
    os.replace(partial, target)
    return target


def _transfer(url: str, partial: Path, path: str, progress: Progress | None) -> bool:
    """Fetch ``url`` into ``partial``, continuing an existing partial file; return True if resumed."""
    start = partial.stat().st_size if partial.is_file() else 0
    headers = {"User-Agent": f"middlepower/{__version__}"}
    if start:
        headers["Range"] = f"bytes={start}-"
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and start:  # the partial file is complete or longer than the file: start over
            partial.unlink()
            return _transfer(url, partial, path, progress)
        if exc.code in (404, 410):
            raise _NotFound(url) from None
        raise SourceError(_missing_message(path, url, f"download failed: HTTP {exc.code} {exc.reason}")) from None
    except (urllib.error.URLError, OSError, TimeoutError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SourceError(_missing_message(path, url, f"download failed: {reason}")) from None
    with response:
        resumed = bool(start) and response.status == 206
        if not resumed:
            start = 0
        length = response.headers.get("Content-Length")
        total = start + int(length) if length and length.isdigit() else None
        done = start
        try:
            with partial.open("ab" if resumed else "wb") as out:
                for block in iter(lambda: response.read(CHUNK), b""):
                    out.write(block)
                    done += len(block)
                    if progress is not None:
                        progress(path, done, total)
        except (OSError, TimeoutError) as exc:
            if partial.is_file() and partial.stat().st_size == 0:
                partial.unlink()
            reason = getattr(exc, "strerror", None) or exc
            raise SourceError(_missing_message(path, url, f"download interrupted: {reason}; run the command "
                                                          f"again to resume")) from None
    return resumed


# -- derived files ------------------------------------------------------------------------------

def _stamp_path(cached: Path) -> Path:
    return cached.with_name(f"{cached.name}.stamp.json")


def _made_key(derived: Derived) -> str:
    return f"made v{derived.version} from " + ",".join(f.sha256 for f in derived.inputs)


def _mirror_key(derived: Derived) -> str:
    return f"mirror copy {derived.mirror_sha256}"


def _stamped_ok(derived: Derived, cached: Path) -> bool:
    if not cached.is_file():
        return False
    try:
        stamp = json.loads(_stamp_path(cached).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    valid = {_made_key(derived)} | ({_mirror_key(derived)} if derived.mirror_sha256 else set())
    return stamp.get("key") in valid and stamp.get("sha256") == sha256_of(cached)


def _stamp(derived: Derived, cached: Path, key: str) -> None:
    partial = _stamp_path(cached).with_name(f".{cached.name}.{os.getpid()}.stamp")
    partial.write_text(json.dumps({"key": key, "sha256": sha256_of(cached), "recipe": derived.recipe}),
                       encoding="utf-8")
    os.replace(partial, _stamp_path(cached))


def _resolve_derived(derived: Derived, *, download: bool, progress: Progress | None) -> Path:
    folder, url_mirror = _mirrors()
    if derived.mirror_sha256 and folder is not None and (folder / derived.path).is_file():
        return _verified(folder / derived.path, derived.path, derived.mirror_sha256, f"mirror {folder}")
    cached = config.cache_dir() / derived.path
    if _stamped_ok(derived, cached):
        return cached
    if derived.mirror_sha256 and url_mirror is not None and download:
        with contextlib.suppress(_NotFound):
            _fetch(_join(url_mirror, derived.path), cached, derived.path, derived.mirror_sha256, progress,
                   f"mirror {url_mirror}")
            _stamp(derived, cached, _mirror_key(derived))
            return cached
    inputs = {file.path: _resolve_file(file, download=download, progress=progress) for file in derived.inputs}
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f".{cached.name}.{os.getpid()}.making")
    try:
        derived.make(inputs, partial)
        os.replace(partial, cached)
    except SourceError:
        raise
    except Exception as exc:  # a maker's own error on verified inputs: name the file and the recipe
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise SourceError(f"{derived.path}: cannot be made ({derived.recipe}): {type(exc).__name__}: {reason}") \
            from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    _stamp(derived, cached, _made_key(derived))
    return cached


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: leave its files alone
    return True


def remove_leftovers() -> int:
    """Remove temporary files that killed processes left in the cache; return how many.

    Decompressions, derived files and stamps are written to ``.<name>.<pid>.<kind>`` and renamed;
    those of a process that no longer runs are garbage. ``.part`` downloads are kept: they resume.
    """
    removed = 0
    cache = config.cache_dir()
    if not cache.is_dir():
        return 0
    for kind in ("gunzip", "making", "stamp"):
        for leftover in cache.rglob(f".*.*.{kind}"):
            pid = leftover.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
                    removed += 1
    return removed


# -- status, for `middlepower sources` and `middlepower fetch` ----------------------------------

def locate(entry: Entry) -> tuple[str, Path | None]:
    """Return where ``entry`` would be read from without network or work: (state, path).

    ``state`` is ``mirror`` (a folder mirror holds it as declared), ``mirror-gzip``, ``cache``,
    ``makeable`` (a derived file whose inputs are all local), ``mirror-url`` (an http(s) mirror
    will be asked) or ``missing``. Checksums are not verified here.
    """
    folder, url_mirror = _mirrors()
    cached = config.cache_dir() / entry.path
    if isinstance(entry, Derived):
        if entry.mirror_sha256 and folder is not None and (folder / entry.path).is_file():
            return "mirror", folder / entry.path
        if cached.is_file() and _stamp_path(cached).is_file():
            return "cache", cached
        states = [locate(file)[0] for file in entry.inputs]
        if all(state != "missing" for state in states):
            return ("mirror-url", None) if "mirror-url" in states else ("makeable", None)
        return "missing", None
    if folder is not None and (folder / entry.path).is_file():
        return "mirror", folder / entry.path
    if cached.is_file():
        return "cache", cached
    if folder is not None and (folder / f"{entry.path}.gz").is_file():
        return "mirror-gzip", folder / f"{entry.path}.gz"
    if url_mirror is not None:
        return "mirror-url", None
    return "missing", None

