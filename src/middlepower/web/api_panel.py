"""API routes over the store: countries, country profiles, panel columns, sources and the basemap."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from middlepower.errors import DataError
from middlepower.web import alignment_data, api_corridor, power_data
from middlepower.web.data import WebData, dumps
from middlepower.web.responses import json_bytes, json_payload

router = APIRouter()

ISO3 = Path(..., description="ISO 3166-1 alpha-3 code, e.g. KAZ", max_length=64)
YEAR = Query(None, ge=1000, le=3000, description="Year (default: the latest year with data)")


def _data(request: Request) -> WebData:
    return request.app.state.data


def default_year(data: WebData) -> int:
    """The year the dashboard opens on: the power model's last year with every layer scored
    (:func:`~middlepower.web.power_data.complete_last_year`), else the panel's latest."""
    try:
        return power_data.meta(data)["complete_last"]
    except DataError:
        return data.latest_year


@router.get("/meta", summary="Build, years covered and which layers are available")
def meta(request: Request) -> Response:
    data = _data(request)
    power = power_data.meta(data)
    alignment = {"source": alignment_data.SOURCE, **alignment_data.sources(data), "series": alignment_data.CHART_SERIES}
    return json_payload({"build": data.build, "panel_years": list(data.panel_years), "default_year": default_year(data),
                         "power": power, "alignment": alignment, "corridor": api_corridor.years()}, request)


@router.get("/warm", summary="How far the server is in computing every country profile ahead of requests",
            description="done and total state-years; ready once all are in memory; from_file when they were read "
                        "from the store build's cache; seconds it took.")
def warm(request: Request) -> Response:
    return Response(dumps(dict(_data(request).warm)), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


@router.get("/alignment/{iso3}", summary="UN voting agreement with the poles and the balance index by year")
def alignment(request: Request, iso3: str = ISO3) -> Response:
    data = _data(request)
    code = data.check_iso3(iso3)
    return json_bytes(alignment_data.series_bytes(data, code), request)


@router.get("/countries", summary="Every state the store knows: ISO3, name, region, years in the system")
def countries(request: Request) -> Response:
    data = _data(request)
    return json_payload({"source": "cw_gw_panel", "rows": list(data.countries.values())}, request)


@router.get("/countries/{iso3}", summary="One state's codes, name, region and years in the system")
def country(request: Request, iso3: str = ISO3) -> Response:
    data = _data(request)
    return json_payload(data.countries[data.check_iso3(iso3)], request)


@router.get("/countries/{iso3}/profile", summary="One state in one year: panel figures and the power profile",
            description="Every panel figure names its source; the power profile holds pillar scores with their "
                        "90 % intervals, tier probabilities and the power gap (null outside the model's years).")
async def profile(request: Request, iso3: str = ISO3, year: int | None = YEAR) -> Response:
    data = _data(request)
    code = data.check_iso3(iso3)
    year = data.check_panel_year(default_year(data) if year is None else year)
    body = data.profiles.get((code, year))
    if body is None:  # computing may take a while the first time (the power model): off the event loop
        body = await run_in_threadpool(profile_bytes, data, code, year)
        data.profiles[(code, year)] = body
    return json_bytes(body, request)


def profile_bytes(data: WebData, iso3: str, year: int, batch: bool = True) -> bytes:
    """Serialise one state-year's profile (not cached here). ``batch``: its power profile from the
    year's batch; ``batch=False`` computes it for this state alone (the benchmark's baseline path)."""
    frame = data.panel_year(year)
    member = iso3 in frame.index
    return dumps({"iso3": iso3, "name": data.countries[iso3]["name"], "year": year, "member": member,
                  "panel": data.panel_values(iso3, year), "power": power_data.profile(data, iso3, year, batch)})


baseline_router = APIRouter()
"""Mounted only when the environment sets BASELINE_ENV=1 (the load benchmark's comparison path)."""

BASELINE_ENV = "MIDDLEPOWER_WEB_BASELINE"


@baseline_router.get("/countries/{iso3}/profile/uncached", include_in_schema=False)
def profile_uncached(request: Request, iso3: str = ISO3, year: int | None = YEAR) -> Response:
    # The load benchmark's baseline: the same answer, serialised on every request.
    data = _data(request)
    code = data.check_iso3(iso3)
    year = data.check_panel_year(default_year(data) if year is None else year)
    return Response(profile_bytes(data, code, year, batch=False), media_type="application/json")


@router.get("/panel", summary="Chosen panel columns for every state in one year",
            description="Columns of sources whose terms forbid redistribution (SIPRI, Energy Institute) are "
                        "refused here (422); see them one state at a time in the country profile.")
def panel(
    request: Request,
    year: int = Query(..., ge=1000, le=3000),
    columns: str = Query("gdp_usd,cinc", max_length=2000, description="Comma-separated column names"),
) -> Response:
    data = _data(request)
    chosen = tuple(dict.fromkeys(c.strip() for c in columns.split(",") if c.strip()))
    if not chosen:
        raise DataError("columns: name at least one panel column")
    return json_bytes(data.panel_table(year, chosen), request)


@router.get(
    "/panel/columns",
    summary="Panel columns: source, upstream key, unit, description, years of data, "
    "and whether bulk download is allowed (the store's column catalogue)",
)
def panel_columns(request: Request) -> Response:
    data = _data(request)
    rows = [
        {
            "column": name,
            **{k: v for k, v in row.items() if k != "name"},
            "bulk": bool(data.sources.get(row["source"], {}).get("redistributable", True)),
        }
        for name, row in data.columns.items()
    ]
    return json_payload({"rows": rows}, request)


@router.get("/sources", summary="Every source: title, citation, licence, coverage, homepage")
def sources(request: Request) -> Response:
    return json_payload({"rows": list(_data(request).sources.values())}, request)


@router.get("/sources/{name}", summary="One source by registry name")
def source(request: Request, name: str = Path(..., max_length=64)) -> Response:
    data = _data(request)
    if name not in data.sources:
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise DataError(f"unknown source {shown!r}; see /api/sources")
    return json_payload(data.sources[name], request)


@router.get("/map/world", summary="World basemap (world-atlas 1:110m TopoJSON, ids set to ISO3)")
def world(request: Request) -> Response:
    return json_bytes(_data(request).world_topology(), request)
