"""Country reports: ``build_report("KAZ", year=2022, fmt="pdf")`` writes a self-contained HTML or PDF.

A report holds the state's pillars with intervals, data years and carried, imputed or missing inputs, its rank
interval among its neighbours, tier probability over time, the power gap, alignment and balance, the
corridor comparison, plain-language explanations, a caption under each chart naming its source and
data year, and a bibliography of every source used. All figures come from the library
(:mod:`middlepower.power`, :mod:`middlepower.corridor`).

Reports are cached per store build (:func:`report_file`): under the build's cache folder
(``config.build_cache_dir``, removed with the build it belongs to), keyed by state, year, format and
a fingerprint of the report code, the model version and the default spec, so a second request for
the same report reads a file instead of drawing it again.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

FORMATS = ("html", "pdf")


@lru_cache(maxsize=1)
def _code_key() -> str:
    """What the cached bytes depend on besides the store: this package's code, the power model's version
    and the shipped spec."""
    from middlepower import config, power

    return config.code_digest(Path(__file__).parent, power.model_key())


def report_file(iso3: str, year: int | None = None, fmt: str = "html",
                db: Path | str | None = None) -> tuple[Path, bool]:
    """Return the cached report of ``iso3`` in ``year`` (default: the model's last year with real
    data in every pillar) as ``fmt``, drawing it first if the store's build has none; and whether
    it was already there (True: served from the cache).

    Raises DataError for an unknown code or a year outside the model, ParameterError for an unknown format.
    """
    from middlepower import config, power
    from middlepower.errors import DataError, ParameterError
    from middlepower.report import content, render
    from middlepower.warehouse import check_iso3, open_store

    if fmt not in FORMATS:
        raise ParameterError(f"expected one of {', '.join(FORMATS)}", parameter="fmt", value=fmt)
    code = check_iso3(iso3, db)
    with open_store(db) as store:
        info = store.build_info()
    if year is None:
        year = int(power.model(db).default_last_year)
    folder = config.build_cache_dir(str(info["build_id"])) / "reports" / _code_key()
    path = folder / f"{code}-{int(year)}.{fmt}"
    if path.is_file():
        return path, True
    data = content.gather(code, int(year), db=db)
    partial = folder / f".{path.name}.{os.getpid()}-{threading.get_ident()}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (render.write_pdf if fmt == "pdf" else render.write_html)(data, partial, str(info.get("built_at", "")))
        partial.replace(path)  # atomic: a concurrent request sees the whole file or none
    except OSError as exc:
        raise DataError(f"report cache {folder}: cannot write ({exc.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)
    return path, False


def report_format(fmt: str | None, out: Path | str | None) -> str:
    """Return ``fmt``, or when it is None the format ``out``'s extension names (``.pdf``, ``.html``), else html."""
    if fmt is not None:
        return fmt
    suffix = Path(out).suffix.lower().lstrip(".") if out is not None else ""
    return suffix if suffix in FORMATS else "html"


def build_report(iso3: str, year: int | None = None, fmt: str | None = None, out: Path | str | None = None,
                 db: Path | str | None = None) -> Path:
    """Write the report of ``iso3`` in ``year`` (default: latest) as ``fmt`` to ``out`` and return the path.

    ``fmt`` defaults to the format ``out``'s extension names (``.pdf``, ``.html``), else html; ``out``
    defaults to ``middlepower-<ISO3>-<year>.<fmt>`` in the working directory. The report comes from
    :func:`report_file` (drawn once per store build). Raises DataError for an unknown code or a year
    outside the model, ParameterError for an unknown format or an ``out`` whose extension is not ``fmt``'s.
    """
    from middlepower.errors import DataError, ParameterError
    from middlepower.outpath import check_out

    fmt = report_format(fmt, out)
    if fmt not in FORMATS:
        raise ParameterError(f"expected one of {', '.join(FORMATS)}", parameter="fmt", value=fmt)
    if out is not None:  # checked before the report is drawn (that takes seconds)
        check_out(out, (f".{fmt}",))
    cached, _ = report_file(iso3, year, fmt, db)
    target = Path(out) if out is not None else check_out(f"middlepower-{cached.name}", (f".{fmt}",))
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(cached.read_bytes())
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DataError(f"cannot write ({exc.strerror})", parameter="out", value=str(target)) from None
    return target
