"""The source registry: every upstream dataset declared once, resolved to verified local files.

The rules (also in docs/sources.md, "Registering a source"):

* A :class:`SourceFile` is one upstream file **exactly as its canonical URL serves it**: ``url``
  and the ``sha256`` of those bytes. Its ``path`` places it in the mirror layout
  (``../shared/data``) and in the local cache.
* A mirror may hold those bytes at ``path``, or a gzip of them at ``path + ".gz"`` (verified on
  the decompressed bytes). Nothing else is accepted for an upstream file.
* Where the project needs another form than any upstream file offers (a table inside a wheel's
  pickle, an adjacency list in a Python module, an index of many small metadata files), the
  source declares a :class:`Derived` file: its upstream ``inputs`` and a ``make`` function that
  writes it into the cache. A mirror may hold the derived file too; it is then accepted only
  with the declared ``mirror_sha256``.
* Only a file whose upstream bytes are unknown may be declared ``converted`` (its checksum is the
  mirror copy's): it comes only from a mirror, and says so when missing.
* ``redistributable=False`` sources (SIPRI, Energy Institute) are never downloaded from their
  canonical address by middlepower: the user fetches them (``middlepower fetch`` says where to
  put them); a mirror the user points at may serve them.

Resolution (mirror folder, cache, mirror URL, canonical URL) lives in :mod:`.files`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from middlepower.errors import SourceError
from middlepower.sources.columns import Column

Loader = Callable[[Mapping[str, Path]], pd.DataFrame]
Maker = Callable[[Mapping[str, Path], Path], None]


@dataclass(frozen=True)
class SourceFile:
    """One upstream file as its canonical URL serves it.

    ``path`` is its place in the mirror layout and the cache; ``sha256`` is the hex digest of
    the bytes ``url`` serves. A mirror may hold it verbatim at ``path`` or gzipped at
    ``path + '.gz'``.
    """

    path: str
    url: str
    sha256: str
    converted: str = ""
    """Non-empty only where the mirror's copy is not what ``url`` serves and no recipe can make it
    (it says how the copy differs; ``sha256`` is then the copy's): such a file comes only from a
    mirror. Prefer a :class:`Derived` file; this is for copies whose upstream bytes are unknown
    (GDELT's sample export files and file-list excerpts)."""


@dataclass(frozen=True)
class Derived:
    """A file middlepower makes locally from upstream files, because none has the needed form.

    ``make(inputs, out)`` receives ``{input.path: verified local Path}`` and writes the file at
    ``out``. ``recipe`` says in one line how the file is made; ``version`` is bumped when
    ``make`` changes, so that cached copies are made again. ``mirror_sha256`` is the checksum of
    the copy a mirror may hold instead ('' when no mirror copy is accepted).
    """

    path: str
    inputs: tuple[SourceFile, ...]
    make: Maker
    recipe: str
    mirror_sha256: str = ""
    version: int = 1


Entry = SourceFile | Derived


@dataclass(frozen=True)
class LeftOut:
    """A file beside a source's files (upstream or in the mirror) that its loader deliberately does not read.

    ``path`` is its place in the mirror layout, ``reason`` says why it is not read, ``rows`` how many
    data rows it holds (0 for an empty file). The build lists every one in the store's
    ``_exclusions``, so that nothing is skipped silently.
    """

    path: str
    reason: str
    rows: int = 0


@dataclass(frozen=True)
class Source:
    """One upstream dataset as the project reads it; the warehouse writes it as one store table.

    ``files`` are what the loader reads (upstream files or derived ones); ``columns`` maps every
    column the loader returns to a description that names its unit; ``loader`` receives
    ``{entry.path: local Path}`` for verified files and returns one tidy frame.
    ``redistributable`` is False where the licence forbids re-publishing (SIPRI, Energy
    Institute): such files are a manual download.
    ``panel`` declares the columns this source adds to the store's ``panel`` view (the column
    catalogue, :mod:`middlepower.sources.columns`); ``pivot`` = (key column, value column) for a long
    table, whose panel columns then name a key value as ``upstream``. A source with no ``files``
    is shipped with the package (typed facts) and read by its loader from there; ``table`` is
    False only for such shipped sources that other modules read from the package directly. ``producer``
    names who makes the dataset (an organisation or its authors), for bibliographies. ``left_out``
    declares the files beside ``files`` that are deliberately not read (:class:`LeftOut`). Every
    source with upstream files is a store table, so no query reads an upstream file.
    """

    name: str
    title: str
    files: tuple[Entry, ...]
    licence: str
    citation: str
    coverage: str
    homepage: str
    columns: Mapping[str, str]
    loader: Loader
    redistributable: bool = True
    table: bool = True
    notes: str = ""
    producer: str = ""
    key: tuple[str, ...] = field(default_factory=tuple)
    panel: tuple[Column, ...] = ()
    pivot: tuple[str, str] | None = None
    left_out: tuple[LeftOut, ...] = ()

    def upstream(self) -> tuple[SourceFile, ...]:
        """Return every upstream file this source rests on (inputs of derived files included), once each."""
        seen: dict[str, SourceFile] = {}
        for entry in self.files:
            for file in (entry.inputs if isinstance(entry, Derived) else (entry,)):
                seen.setdefault(file.path, file)
        return tuple(seen.values())


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


def owner(file: SourceFile) -> Source | None:
    """Return the registered source that declares ``file`` (directly or as a derived input)."""
    for source in all_sources():
        if any(candidate.path == file.path for candidate in source.upstream()):
            return source
    return None


def _discover() -> None:
    # Importing the package imports every source module, each of which registers itself.
    import middlepower.sources  # noqa: F401


def load(name: str, *, download: bool = True) -> pd.DataFrame:
    """Return the tidy frame of source ``name``, read from verified files.

    The frame has exactly the documented columns, in the documented order. A loader failure on a
    file that passed its checksum (a malformed column, an unreadable layout) is a SourceError
    naming the source and the problem.
    """
    from middlepower.sources.files import resolve

    source = get(name)
    paths = {entry.path: resolve(entry, download=download) for entry in source.files}
    try:
        frame = source.loader(paths)
    except SourceError:
        raise
    except Exception as exc:  # a reader's own error: keep the message, name the source
        first = next(iter(paths.values()), f"source {name}")
        reason = " ".join(str(exc).split())
        raise SourceError(f"{first}: cannot read source {name!r}: {type(exc).__name__}: {reason}") from None
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
