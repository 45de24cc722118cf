"""The outermost ASGI layer: refuses to answer from a replaced store, and shortcuts cached profiles.

Every request first checks (one ``stat``) that the store file is still the one the server opened;
once it was rebuilt or changed, every answer is 503 naming the store, so no cache outlives its
build. Then the shortcut for the hottest route: a cached country profile answered without routing.

``GET /api/countries/{ISO3}/profile?year=YYYY`` whose (ISO3, year) is already in the profile cache
is answered straight from the pre-serialised bytes, with the same headers the routed endpoint
sends. Anything else (another route, a cache miss, a conditional request, a lower-case code, any
other query) goes to the FastAPI app unchanged, where it is validated as usual.
"""

from __future__ import annotations

from middlepower.web.data import WebData, dumps
from middlepower.web.responses import MAX_AGE_S

PREFIX = "/api/countries/"
SUFFIX = "/profile"


class ProfileFastPath:
    """ASGI middleware answering cached profile requests from ``data``'s byte cache."""

    def __init__(self, app, data: WebData):
        self.app = app
        self.data = data
        etag = f'"{str(data.build.get("content_fingerprint", ""))[:16]}"'.encode()
        self.headers = [
            (b"content-type", b"application/json"),
            (b"cache-control", f"public, max-age={MAX_AGE_S}".encode()),
            (b"etag", etag),
        ]

    def _cached(self, scope) -> bytes | None:
        path = scope["path"]
        if scope["method"] != "GET" or not path.startswith(PREFIX) or not path.endswith(SUFFIX):
            return None
        query = scope.get("query_string", b"")
        if not query.startswith(b"year=") or len(query) != 9 or not query[5:].isdigit():
            return None
        for name, _ in scope.get("headers", ()):
            if name == b"if-none-match":
                return None
        return self.data.profiles.get((path[len(PREFIX) : -len(SUFFIX)], int(query[5:])))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and (stale := self.data.stale()) is not None:
            body = dumps({"detail": stale})
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        body = self._cached(scope) if scope["type"] == "http" else None
        if body is None:
            await self.app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*self.headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
