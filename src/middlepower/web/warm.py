"""Pre-computing the caches a running dashboard answers from.

``warm_up`` fills the opening year (model, ranking, map layers, basemap, profiles). ``warm_all``
fills every country profile the API can be asked for (every state the store knows, every panel
year), so that no request pays for a first computation: from a file kept per store build
(``<data home>/builds/<build id>/web/``, removed with the build) when an earlier server wrote it,
else computed (minutes on two cores, once per build) and then written there.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from functools import lru_cache
from pathlib import Path

from middlepower.errors import DataError
from middlepower.web import alignment_data, power_data
from middlepower.web.data import WebData


def warm_up(data: WebData, year: int | None = None, alignment: bool = True) -> float:
    """Fill the caches for the opening year: model, ranking, map layers, basemap, profiles, and (with
    ``alignment``) the alignment series. Returns seconds."""
    from middlepower.web.api_panel import default_year, profile_bytes

    started = time.perf_counter()
    year = default_year(data) if year is None else year
    data.world_topology()
    frame = data.panel_year(year)
    try:
        power_data.rank_bytes(data, year, None)
        for layer in ("tier", *[p["code"] for p in power_data.meta(data)["pillars"]]):
            power_data.map_bytes(data, year, layer)
    except DataError:
        pass
    if alignment:
        alignment_data.frame(data)  # the first fit of the ideal points takes about a minute; then on disk
    for iso3 in frame.index:
        if iso3 in data.countries and (iso3, year) not in data.profiles:
            data.profiles[(iso3, year)] = profile_bytes(data, iso3, year)
    return time.perf_counter() - started


@lru_cache(maxsize=1)
def _code_key() -> str:
    """What the cached bytes depend on besides the store: the web layer's code, the power model's version
    and the shipped spec."""
    from middlepower import config, power

    return config.code_digest(Path(__file__).parent, power.model_key())


def profiles_file(data: WebData) -> Path:
    """The file holding every profile of ``data``'s store build (one line per state-year:
    ``ISO3<TAB>year<TAB>json``)."""
    from middlepower import config

    return config.build_cache_dir(str(data.build["build_id"])) / "web" / f"profiles-{_code_key()}.tsv"


def _read(path: Path) -> dict[tuple[str, int], bytes]:
    out = {}
    for line in path.read_bytes().splitlines():  # compact JSON holds no raw newline
        iso3, year, body = line.split(b"\t", 2)
        out[(iso3.decode(), int(year))] = body
    return out


def _write(path: Path, profiles: dict[tuple[str, int], bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    try:
        partial.write_bytes(b"".join(f"{iso3}\t{year}\t".encode() + body + b"\n"
                                     for (iso3, year), body in sorted(profiles.items())))
        partial.replace(path)  # atomic: another server reads the whole file or none
    finally:
        partial.unlink(missing_ok=True)


def warm_all(data: WebData) -> dict:
    """Fill ``data.profiles`` with every (state, panel year) and keep ``data.warm`` up to date
    (done, total, ready, from_file, seconds). Returns ``data.warm``."""
    from middlepower.web.api_panel import profile_bytes

    started = time.perf_counter()
    first, last = data.panel_years
    keys = [(iso3, year) for year in range(first, last + 1) for iso3 in data.countries]
    data.warm.update(done=0, total=len(keys), ready=False, from_file=False, seconds=None)
    path = profiles_file(data)
    if path.is_file():
        stored = _read(path)
        if all(key in stored for key in keys):
            for key in keys:
                data.profiles.setdefault(key, stored[key])
            data.warm.update(done=len(keys), ready=True, from_file=True,
                             seconds=round(time.perf_counter() - started, 1))
            return data.warm
    for done, (iso3, year) in enumerate(keys, start=1):
        if (iso3, year) not in data.profiles:
            data.profiles[(iso3, year)] = profile_bytes(data, iso3, year)
        data.warm["done"] = done
    with contextlib.suppress(OSError):  # an unwritable data home costs the next server the same minutes
        _write(path, {key: data.profiles[key] for key in keys})
    data.warm.update(ready=True, seconds=round(time.perf_counter() - started, 1))
    return data.warm
