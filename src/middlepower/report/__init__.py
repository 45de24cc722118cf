"""Country reports: ``build_report("KAZ", year=2022, fmt="pdf")`` writes a self-contained HTML or PDF.

A report holds the state's pillars with intervals, its rank interval among its neighbours, tier
probability over time, the power gap, alignment and balance, the
corridor comparison, plain-language explanations and a bibliography of every source used. All
figures come from the library (:mod:`middlepower.power`, :mod:`middlepower.corridor`).
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("html", "pdf")


def build_report(iso3: str, year: int | None = None, fmt: str = "html", out: Path | str | None = None,
                 db: Path | str | None = None) -> Path:
    """Write the report of ``iso3`` in ``year`` (default: latest) as ``fmt`` to ``out`` and return the path.

    ``out`` defaults to ``middlepower-<ISO3>-<year>.<fmt>`` in the working directory. Raises DataError
    for an unknown code or a year outside the model, SpecError for an unknown format.
    """
    from middlepower.errors import DataError, ParameterError
    from middlepower.outpath import check_out
    from middlepower.report import content, render
    from middlepower.warehouse import open_store

    if fmt not in FORMATS:
        raise ParameterError(f"expected one of {', '.join(FORMATS)}", parameter="fmt", value=fmt)
    if out is not None:  # checked before the report is gathered (that takes seconds)
        check_out(out, (f".{fmt}",))
    data = content.gather(iso3, year, db=db)
    target = Path(out) if out is not None else check_out(f"middlepower-{data.iso3}-{data.year}.{fmt}", (f".{fmt}",))
    with open_store(db) as store:
        built = str(store.build_info().get("built_at", ""))
    partial = target.with_name(f".{target.name}.partial")
    try:
        (render.write_pdf if fmt == "pdf" else render.write_html)(data, partial, built)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DataError(f"cannot write ({exc.strerror})", parameter="out", value=str(target)) from None
    return target
