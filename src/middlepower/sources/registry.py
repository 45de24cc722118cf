"""The source registry: every upstream dataset declared once, resolved to a verified local file.

A :class:`Source` names its files (path in the mirror layout, canonical URL, sha256), its licence,
citation and coverage, the columns its loader returns, and the loader itself. Resolution order for
each file: the mirror folder (``MIDDLEPOWER_MIRROR``), then the local cache, then a download from the
canonical URL. Every file is checked against its sha256 before any loader sees it, so a truncated
or substituted file can never reach the warehouse.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from middlepower import config
from middlepower.errors import SourceError
from middlepower.sources.columns import Column

Loader = Callable[[Mapping[str, Path]], pd.DataFrame]


@dataclass(frozen=True)
class SourceFile:
    """One upstream file: where it sits in the mirror layout, where to download it, its sha256.

    ``converted`` says how the mirror's copy differs from what ``url`` serves (e.g. "gzipped",
    "written out from the package's pickle"); such a file cannot be verified after a download and
    must come from a mirror. A ``.gz`` path whose URL is not gzipped counts as converted.
    """

    path: str
    url: str
    sha256: str
    converted: str = ""

    @property
    def conversion(self) -> str:
        """Return how the mirror copy differs from the download ('' when they are the same bytes)."""
        if self.converted:
            return self.converted
        if self.path.endswith(".gz") and not self.url.endswith(".gz"):
            return "gzipped"
        return ""


@dataclass(frozen=True)
class Source:
    """One upstream dataset as the project reads it.

    ``columns`` maps every column the loader returns to a description that names its unit.
    ``loader`` receives ``{file.path: local Path}`` for verified files and returns one tidy frame.
    ``redistributable`` is False where the licence forbids re-publishing (SIPRI, Energy Institute).
    ``table`` is False for reference files that other modules read directly (networks, maps).
    ``panel`` declares the columns this source adds to the store's ``panel`` view (the column
    catalogue, :mod:`middlepower.sources.columns`); ``pivot`` = (key column, value column) for a long
    table, whose panel columns then name a key value as ``upstream``. A source with no ``files``
    is shipped with the package (typed facts) and read by its loader from there.
    """

    name: str
    title: str
    files: tuple[SourceFile, ...]
    licence: str
    citation: str
    coverage: str
    homepage: str
    columns: Mapping[str, str]
    loader: Loader
    redistributable: bool = True
    table: bool = True
    notes: str = ""
    key: tuple[str, ...] = field(default_factory=tuple)
    panel: tuple[Column, ...] = ()
    pivot: tuple[str, str] | None = None


REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add ``source`` to the registry (names are unique) and return it."""
    if source.name in REGISTRY and REGISTRY[source.name] is not source:
        raise ValueError(f"source {source.name!r} is registered twice")
    REGISTRY[source.name] = source
    return source


def get(name: str) -> Source:
    """Return the registered source called ``name`` (SourceError naming it if unknown)."""
    _discover()
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise SourceError(f"unknown source {name!r}; known sources: {known}") from None


def all_sources() -> list[Source]:
    """Return every registered source, sorted by name."""
    _discover()
    return [REGISTRY[name] for name in sorted(REGISTRY)]


def _discover() -> None:
    # Importing the package imports every source module, each of which registers itself.
    import middlepower.sources  # noqa: F401


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
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    _HASH_CACHE[memo_key] = digest.hexdigest()
    return _HASH_CACHE[memo_key]


def _verified(candidate: Path, file: SourceFile, origin: str) -> Path:
    actual = sha256_of(candidate)
    if actual != file.sha256:
        raise SourceError(
            f"{candidate}: checksum mismatch for {file.path} from {origin} "
            f"(expected sha256 {file.sha256[:16]}…, got {actual[:16]}…); the file is truncated or a "
            f"different version — replace it or delete it to re-download"
        )
    return candidate


def locate(file: SourceFile) -> tuple[str, Path | None]:
    """Return where ``file`` would be read from without downloading: (state, path).

    ``state`` is one of ``mirror``, ``cache`` or ``missing``. The checksum is not verified here.
    """
    mirror = config.mirror_dir()
    if mirror is not None and (mirror / file.path).is_file():
        return "mirror", mirror / file.path
    cached = config.cache_dir() / file.path
    if cached.is_file():
        return "cache", cached
    return "missing", None


def resolve(file: SourceFile, *, download: bool = True) -> Path:
    """Return a local path to ``file`` whose sha256 has been verified.

    Looks in the mirror, then the cache, then (if ``download``) fetches the canonical URL into the
    cache. Raises SourceError with a one-line message naming the file when none of these works.
    """
    state, path = locate(file)
    if path is not None:
        return _verified(path, file, state)
    if not download:
        raise SourceError(_missing_message(file, "downloads are disabled"))
    if file.conversion:
        raise SourceError(_missing_message(
            file, f"the expected copy is {file.conversion}, so a download cannot match its checksum; "
                  f"convert the downloaded file the same way into a mirror folder"))
    return _download(file)


def _missing_message(file: SourceFile, reason: str) -> str:
    mirror = config.mirror_dir()
    where = f"not in mirror {mirror}" if mirror else f"{config.MIRROR_ENV} is not set"
    return (
        f"{file.path} is needed but not available ({where}; not in cache {config.cache_dir()}; "
        f"{reason}): download it from {file.url} or set {config.MIRROR_ENV} to a folder holding it"
    )


def _download(file: SourceFile) -> Path:
    target = config.cache_dir() / file.path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
            tmp_path = Path(tmp.name)
    except OSError as exc:
        raise SourceError(_missing_message(file, f"cache not writable: {exc.strerror}")) from None
    try:
        with urllib.request.urlopen(file.url, timeout=30) as response, tmp_path.open("wb") as out:
            shutil.copyfileobj(response, out)
        _verified(tmp_path, file, file.url)
        os.replace(tmp_path, target)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        tmp_path.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise SourceError(_missing_message(file, f"download failed: {reason}")) from None
    except SourceError:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def load(name: str, *, download: bool = True) -> pd.DataFrame:
    """Return the tidy frame of source ``name``, read from verified files.

    The frame has exactly the documented columns, in the documented order. A loader failure on a
    file that passed its checksum (a malformed column, an unreadable layout) is a SourceError
    naming the source and the problem.
    """
    source = get(name)
    paths = {file.path: resolve(file, download=download) for file in source.files}
    try:
        frame = source.loader(paths)
    except SourceError:
        raise
    except Exception as exc:  # a reader's own error: keep the message, name the source
        first = next(iter(paths.values()))
        raise SourceError(f"{first}: cannot read source {name!r}: {type(exc).__name__}: {exc}") from None
    return check_columns(frame, source)


def check_columns(frame: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Return ``frame`` with the declared columns in order; SourceError naming any that is missing."""
    expected = list(source.columns)
    missing = [column for column in expected if column not in frame.columns]
    if missing:
        raise SourceError(
            f"source {source.name!r}: loader returned no column {missing[0]!r} "
            f"(expected {', '.join(expected)})"
        )
    return frame[expected].reset_index(drop=True)


def require_columns(frame: pd.DataFrame, columns: list[str], where: str) -> None:
    """Raise SourceError naming ``where`` and the first of ``columns`` absent from a raw frame."""
    for column in columns:
        if column not in frame.columns:
            has = ", ".join(map(str, frame.columns[:12]))
            raise SourceError(f"{where}: expected column {column!r} not found (has {has})")
