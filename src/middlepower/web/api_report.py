"""The country report (HTML or PDF) as a download, built by :mod:`middlepower.report` (cached per store build)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request, Response

from middlepower.errors import SpecError
from middlepower.web.data import WebData

router = APIRouter()

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@router.get("/report/{iso3}", summary="Country report: self-contained HTML or PDF with charts and bibliography",
            description="Drawn once per store build, state, year and format, then served from the build's cache "
                        "(header X-Report-Cache: hit or miss).",
            response_class=Response)
def report(request: Request, iso3: str = Path(..., max_length=64),
           year: int | None = Query(None, ge=1000, le=3000),
           format: str = Query("html", max_length=8, description="html or pdf")) -> Response:  # noqa: A002
    data: WebData = request.app.state.data
    code = data.check_iso3(iso3)
    if format not in MEDIA_TYPES:
        raise SpecError(f"format {format!r}: expected html or pdf")
    from middlepower.report import report_file

    path, hit = report_file(code, year, format, data.db)
    body = path.read_bytes()
    name = f"middlepower-{path.name}"
    disposition = "inline" if format == "html" else "attachment"
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"',
                             "Cache-Control": "public, max-age=3600", "X-Report-Cache": "hit" if hit else "miss"})
