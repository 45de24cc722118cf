"""Responses for pre-serialised JSON, with caching headers (the store is immutable per build)."""

from __future__ import annotations

from fastapi import Request, Response

from middlepower.web.data import WebData, dumps

MAX_AGE_S = 3600
"""Browsers may reuse an answer for an hour; the ETag (the store's content checksum) revalidates it."""


def json_bytes(body: bytes, request: Request | None = None) -> Response:
    """Return ``body`` (UTF-8 JSON) with Cache-Control and an ETag tied to the store build."""
    data: WebData | None = request.app.state.data if request is not None else None
    headers = {"Cache-Control": f"public, max-age={MAX_AGE_S}"}
    if data is not None:
        etag = f'"{str(data.build.get("content_fingerprint", ""))[:16]}"'
        headers["ETag"] = etag
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)


def json_payload(payload, request: Request | None = None) -> Response:
    """Serialise ``payload`` (JSON-safe values) and answer it like :func:`json_bytes`."""
    return json_bytes(dumps(payload), request)
