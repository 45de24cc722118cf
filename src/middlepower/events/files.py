"""Which GDELT files a job reads: the registered sample, downloaded files, or a user's own paths.

An :class:`EventFile` names one GDELT file, its time slot (the stamp in its GDELT name) and, when
known, its download address, md5 and size. The slot fixes the year every event of the file is
counted in and the coverage the file adds (15 minutes, a day, a month or a year of GDELT).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from middlepower.errors import DataError, SourceError

SLOT = re.compile(r"(?<!\d)(\d{14}|\d{8}|\d{6}|\d{4})(?=\.)")
"""GDELT's stamp in a file name: YYYYMMDDHHMMSS (2.0), YYYYMMDD (1.0 daily), YYYYMM or YYYY (back files)."""

SLOTS_PER_DAY_V2 = 96


@dataclass(frozen=True)
class EventFile:
    """One GDELT event file to read.

    ``path`` is where the file is (or will be) on disk; ``url``, ``md5`` and ``size`` come from
    GDELT's file list when known, and let a worker that cannot see ``path`` fetch and verify it.
    """

    name: str
    slot: str
    path: str
    url: str = ""
    md5: str = ""
    size: int = 0

    @property
    def year(self) -> int:
        """Year the file's events are counted in: the year of the slot."""
        return int(self.slot[:4])

    @property
    def coverage_days(self) -> float:
        """Days of GDELT the file stands for: 1/96 for a 15-minute file, 1 for a daily file, etc."""
        if len(self.slot) == 14:
            return 1 / SLOTS_PER_DAY_V2
        if len(self.slot) == 8:
            return 1.0
        year = int(self.slot[:4])
        if len(self.slot) == 6:
            return float(calendar.monthrange(year, int(self.slot[4:6]))[1])
        return 366.0 if calendar.isleap(year) else 365.0


def slot_of(name: str) -> str | None:
    """Return the GDELT stamp in a file name (``20241022130000.export.CSV`` -> ``20241022130000``), or None."""
    match = SLOT.search(Path(name).name)
    return match.group(1) if match else None


def sample_files() -> tuple[list[EventFile], list[str]]:
    """Return the registered sample's files, one per slot, and the paths of duplicates left out.

    The sample holds slot 20190121220000 both unzipped and as GDELT's original zip; the zip is
    kept. Every file is verified against its sha256 by the registry before it is listed.
    """
    from middlepower import sources

    listing = sources.load("gdelt_v2_sample")
    files = [EventFile(name=Path(row.path).name, slot=row.slot, path=row.local_path, md5=row.md5, size=int(row.bytes))
             for row in listing.itertuples()]
    return dedupe(files)


def dedupe(files: Iterable[EventFile]) -> tuple[list[EventFile], list[str]]:
    """Return the files with one per slot (a zip preferred to its unzipped copy) and the paths dropped."""
    chosen: dict[str, EventFile] = {}
    dropped: list[str] = []
    for file in sorted(files, key=lambda f: (f.slot, not f.name.lower().endswith(".zip"), f.name)):
        if file.slot in chosen:
            dropped.append(file.path)
        else:
            chosen[file.slot] = file
    return list(chosen.values()), dropped


def files_from_paths(paths: Iterable[Path | str]) -> tuple[list[EventFile], list[str]]:
    """Return EventFiles for GDELT files (or folders of them) given by path, one per slot.

    The slot comes from the GDELT name; a 2.0 or 1.0 daily file renamed without it gets its slot
    from the DATEADDED of its first row. A path that does not exist is a DataError naming it.
    """
    found: list[EventFile] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            members = sorted(p for p in path.iterdir()
                             if p.is_file() and (".csv" in p.name.lower() or p.suffix.lower() == ".zip"))
        elif path.is_file():
            members = [path]
        else:
            raise DataError(f"{path}: no such file or folder of GDELT files")
        found += [EventFile(name=member.name, slot=slot_of(member.name) or _slot_from_rows(member),
                            path=str(member), size=member.stat().st_size) for member in members]
    if not found:
        raise DataError("no GDELT files found in the given paths")
    return dedupe(found)


def _slot_from_rows(path: Path) -> str:
    from middlepower.events.layout import V2
    from middlepower.events.reader import detect_layout, iter_batches

    layout = detect_layout(path)
    for batch in iter_batches(path, ("DATEADDED",), layout=layout):
        if batch.num_rows and layout.name != "v1_historical":
            stamp = batch.column(0)[0].as_py()
            if stamp is not None:
                return stamp.strftime("%Y%m%d%H%M%S" if layout is V2 else "%Y%m%d")
        break
    raise SourceError(f"{path}: no GDELT stamp in the name and no DATEADDED to take one from; "
                      f"name it as GDELT does (e.g. 20241022130000.export.CSV)")
