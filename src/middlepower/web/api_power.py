"""API routes of the middle-power model: ranking, map layers, history and comparison."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request, Response

from middlepower.errors import DataError
from middlepower.web import power_data
from middlepower.web.responses import json_bytes

router = APIRouter(prefix="/power")

YEAR = Query(..., ge=1000, le=3000, description="Year within the model's coverage (see /api/meta)")
TIERS = ("great", "middle", "small")


@router.get("/rank", summary="States of a year ranked on the tier pillar, with rank interval and tier probabilities",
            description="rank_lo/rank_hi: positions from the 90 % (5-95 %) Monte Carlo interval of the percentile.")
def rank(request: Request, year: int = YEAR, tier: str | None = Query(None, max_length=16)) -> Response:
    _check_tier(tier)
    return json_bytes(power_data.rank_bytes(request.app.state.data, year, tier), request)


@router.get("/rank.csv", summary="The ranking of /api/power/rank as CSV (the same rows and values)",
            response_class=Response)
def rank_csv(request: Request, year: int = YEAR, tier: str | None = Query(None, max_length=16)) -> Response:
    _check_tier(tier)
    body = power_data.rank_csv(request.app.state.data, year, tier)
    name = f"middlepower-rank-{year}{'-' + tier if tier else ''}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "public, max-age=3600"})


def _check_tier(tier: str | None) -> None:
    if tier is not None and tier not in TIERS:
        raise DataError(f"tier {tier[:16]!r}: expected one of {', '.join(TIERS)}")


@router.get("/map", summary="One value per state for the world map: tier or a pillar's percentile")
def world_layer(request: Request, year: int = YEAR, layer: str = Query("tier", max_length=64)) -> Response:
    return json_bytes(power_data.map_bytes(request.app.state.data, year, layer), request)


@router.get("/history/{iso3}", summary="One state over the years: tier probabilities, index percentile, power gap")
def history(request: Request, iso3: str = Path(..., max_length=64)) -> Response:
    data = request.app.state.data
    return json_bytes(power_data.history_bytes(data, data.check_iso3(iso3)), request)


@router.get("/compare", summary="2 to 6 states side by side over a span of years")
def compare(request: Request, countries: str = Query(..., max_length=200, description="Comma-separated ISO3, 2-6"),
            first: int = Query(..., ge=1000, le=3000), last: int = Query(..., ge=1000, le=3000)) -> Response:
    data = request.app.state.data
    codes = list(dict.fromkeys(data.check_iso3(c) for c in countries.split(",") if c.strip()))
    if not 2 <= len(codes) <= 6:
        raise DataError(f"countries: name 2 to 6 distinct states, got {len(codes)}")
    if last < first:
        raise DataError(f"years {first}-{last}: the range ends before it starts")
    return json_bytes(power_data.compare_bytes(data, codes, first, last), request)


@router.get("/indicators", summary="Every indicator of the model: pillar, column, unit, source, why")
def indicators(request: Request) -> Response:
    return json_bytes(power_data.indicators_bytes(request.app.state.data), request)
