"""The country report (HTML or PDF) as a download, built by :mod:`middlepower.report`."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path as FilePath

from fastapi import APIRouter, Path, Query, Request, Response

from middlepower.errors import SpecError
from middlepower.web.data import WebData

router = APIRouter()

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@lru_cache(maxsize=16)
def _report_bytes(data: WebData, iso3: str, year: int | None, fmt: str) -> tuple[str, bytes]:
    from middlepower.report import build_report

    with tempfile.TemporaryDirectory() as folder:
        path = build_report(iso3, year=year, fmt=fmt, out=FilePath(folder) / f"report.{fmt}", db=data.db)
        return path.name, path.read_bytes()


@router.get("/report/{iso3}", summary="Country report: self-contained HTML or PDF with charts and bibliography",
            response_class=Response)
def report(request: Request, iso3: str = Path(..., max_length=64),
           year: int | None = Query(None, ge=1000, le=3000),
           format: str = Query("html", max_length=8, description="html or pdf")) -> Response:  # noqa: A002
    data: WebData = request.app.state.data
    code = data.check_iso3(iso3)
    if format not in MEDIA_TYPES:
        raise SpecError(f"format {format!r}: expected html or pdf")
    _, body = _report_bytes(data, code, year, format)
    name = f"middlepower-{code}-{year or 'latest'}.{format}"
    disposition = "inline" if format == "html" else "attachment"
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"',
                             "Cache-Control": "public, max-age=3600"})
