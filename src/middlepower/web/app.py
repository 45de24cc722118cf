"""The FastAPI application: JSON API under ``/api`` and the dashboard pages, over a read-only store.

``create_app(db)`` opens the store once (read-only), builds a :class:`~middlepower.web.data.WebData`
cache and mounts the routers. Library errors become 4xx answers in one handler: an unknown country
code is 404, any other unusable request (year out of range, unknown column, bad scenario) is 422;
a missing upstream file is 503; under ``/api`` as JSON, elsewhere as the dashboard's HTML error page.
No route assembles SQL from request strings.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from middlepower import __version__
from middlepower.errors import DataError, MiddlepowerError, SourceError, SpecError
from middlepower.web.data import UnknownCountry, WebData
from middlepower.web.fastpath import ProfileFastPath

STATIC = Path(__file__).with_name("static")

NAV = [("/", "Map & ranking"), ("/compare", "Compare"), ("/corridor", "Corridor"), ("/methods", "Methods"),
       ("/api/docs", "API")]

PAGES = {  # path: (title, body file and script name in static/, active menu entry)
    "/": ("world map and ranking", "index", "/", "map"),
    "/compare": ("compare states", "compare", "/compare", "compare"),
    "/corridor": ("corridor", "corridor", "/corridor", "corridor"),
    "/api/docs": ("API", "apidocs", "/api/docs", "apidocs"),
    "/country": ("country profile", "country", None, "country"),
}
"""Dashboard pages, each one body in the shared layout. The API page renders the OpenAPI document
itself (FastAPI's Swagger UI would load its assets from a CDN)."""


def _layout():
    import jinja2

    return jinja2.Template((STATIC / "layout.html").read_text(encoding="utf-8"), autoescape=True)


def render_pages() -> dict[str, bytes]:
    """Return each page's HTML (the layout around its body), rendered once."""
    import jinja2

    layout = _layout()
    pages = {}
    for path, (title, body, active, script) in PAGES.items():
        markup = jinja2.utils.markupsafe.Markup((STATIC / f"{body}.body.html").read_text(encoding="utf-8"))
        pages[path] = layout.render(title=title, nav=NAV, active=active, body=markup, script=f"{script}.js").encode()
    return pages


def error_page(status: int, message: str) -> HTMLResponse:
    """Return the dashboard's HTML page for an error: the layout, the status, the message (escaped)
    and the ways on; no script runs."""
    import jinja2

    heading = {404: "Not found"}.get(status, "This request cannot be answered")
    body = jinja2.utils.markupsafe.Markup(
        '<h1>{}</h1><p class="lede error" id="error-message">{}</p><div class="card"><p>Search for a state '
        'above, or go to the <a href="/">map and ranking</a>, <a href="/compare">compare states</a>, read the '
        '<a href="/methods">methods</a> or the <a href="/api/docs">API</a>.</p></div>').format(heading, message)
    html = _layout().render(title=heading.lower(), nav=NAV, active=None, body=body, script=None)
    return HTMLResponse(html, status_code=status)

DESCRIPTION = """Where every state stands between the great and the small powers, from open data.

Every figure carries the registry name of its `source`; `/api/sources` lists each source's
title, citation and licence. Values of sources whose terms forbid redistribution (SIPRI, Energy
Institute) are served one state at a time, never as a bulk table. Unknown ISO3 codes answer 404,
unusable parameters 422, both as `{"detail": "..."}`.
"""


def validation_line(exc: RequestValidationError) -> str:
    """One line naming the first bad request parameter and its value: ``year 'soon': Input should be ...``."""
    first = exc.errors()[0]
    name = str(first.get("loc", ("", "?"))[-1])
    given = first.get("input")
    shown = "" if given is None else f" {str(given)[:60]!r}"
    more = len(exc.errors()) - 1
    return f"{name}{shown}: {first.get('msg', 'invalid')}" + (f" ({more} more)" if more else "")


def status_for(exc: MiddlepowerError) -> int:
    """Return the HTTP status for a library error."""
    if isinstance(exc, UnknownCountry):
        return 404
    if isinstance(exc, SourceError):
        return 503
    if isinstance(exc, (DataError, SpecError)):
        return 422
    return 400


def create_app(db: Path | str | None = None) -> FastAPI:
    """Return the dashboard app serving the store at ``db`` (default: the user's store)."""
    from middlepower.web import api_corridor, api_panel, api_power, api_report, methods, search

    data = WebData(db)
    app = FastAPI(title="middlepower", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.data = data
    app.add_middleware(ProfileFastPath, data=data)

    @app.exception_handler(MiddlepowerError)
    async def library_error(request: Request, exc: MiddlepowerError):
        if not request.url.path.startswith("/api/"):
            return error_page(status_for(exc), str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=status_for(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/api/", "/static/")):
            return await http_exception_handler(request, exc)
        message = "No page at this address." if exc.status_code == 404 else str(exc.detail)
        return error_page(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_line(exc)}, status_code=422)

    app.include_router(api_panel.router, prefix="/api")
    if os.environ.get(api_panel.BASELINE_ENV) == "1":  # an uncached path costs CPU per request: benchmark only
        app.include_router(api_panel.baseline_router, prefix="/api")
    app.include_router(api_power.router, prefix="/api")
    app.include_router(api_corridor.router, prefix="/api")
    app.include_router(api_report.router, prefix="/api")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    pages = render_pages()
    methods_lock = threading.Lock()

    def methods_page() -> HTMLResponse:
        """Rendered on its first request, not at start: its years of derived inputs need the model."""
        with methods_lock:
            if "/methods" not in pages:
                pages["/methods"] = methods.render(data, _layout(), NAV)
        return HTMLResponse(pages["/methods"])

    def page(html: bytes):
        async def serve_page() -> HTMLResponse:
            return HTMLResponse(html)
        return serve_page

    for path in PAGES:
        if path != "/country":
            app.add_api_route(path, page(pages[path]), include_in_schema=False)

    app.add_api_route("/methods", methods_page, include_in_schema=False)  # sync: runs in the thread pool

    @app.get("/search", include_in_schema=False)
    async def search_page(q: str | None = Query(None, description="ISO3 code or (part of) a name")) -> RedirectResponse:
        return RedirectResponse(f"/country/{search.find(data, q)}", status_code=303)

    @app.get("/api/search", summary="The state a name or ISO3 code names (the search box's answer)",
             description="q: an ISO3 code, a state's name or part of it (case and accents ignored). 404 when no "
                         "state matches, 422 naming the candidates when several do.")
    async def search_api(q: str | None = Query(None, description="ISO3 code or (part of) a name")) -> JSONResponse:
        iso3 = search.find(data, q)
        return JSONResponse({"query": q, "iso3": iso3, "name": data.countries[iso3]["name"],
                             "page": f"/country/{iso3}", "source": "cw_gw_panel"})

    @app.get("/country/{iso3}", include_in_schema=False)
    async def country_page(iso3: str) -> HTMLResponse:
        data.check_iso3(iso3)
        return HTMLResponse(pages["/country"])

    return app
