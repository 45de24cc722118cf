"""The JSON API on the real store: answers, sources, validation, and no server error on hostile input."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from middlepower.warehouse import open_store

HOSTILE = [
    "' OR 1=1 --",
    "KAZ'; DROP TABLE panel; --",
    '" UNION SELECT * FROM _sources --',
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "..\\..\\windows\\win.ini",
    "9" * 400,
    "-99999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "Ωμέγα-Қазақстан",
    "\U0001F1F0\U0001F1FF",
    "KAZ\x00",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "%",
    " ",
    "null",
    "x" * 5000,
]

PATH_ROUTES = [
    "/api/countries/{}",
    "/api/countries/{}/profile",
    "/api/report/{}",
    "/api/power/history/{}",
    "/api/alignment/{}",
    "/api/sources/{}",
    "/api/corridor/scenarios/{}",
    "/country/{}",
]

QUERY_ROUTES = {
    "/api/countries/KAZ/profile": {"year": "2020"},
    "/api/panel": {"year": "2020", "columns": "gdp_usd"},
    "/api/power/rank": {"year": "2020", "tier": "middle"},
    "/api/power/map": {"year": "2020", "layer": "tier"},
    "/api/power/compare": {"countries": "KAZ,TUR", "first": "2015", "last": "2020"},
    "/api/corridor/compare": {"origin": "CN_XIAN", "destination": "DE_DUISBURG", "draws": "0"},
    "/api/corridor/scenarios/roadmap": {"draws": "10"},
    "/api/corridor/transit": {"year": "2024"},
    "/api/report/KAZ": {"year": "2020", "format": "html"},
}


@pytest.fixture(scope="module")
def client(store_path):
    from fastapi.testclient import TestClient

    from middlepower.web import create_app

    with TestClient(create_app(store_path), raise_server_exceptions=False) as test_client:
        yield test_client


def test_profile_figures_match_the_store_and_name_their_source(client, store_path):
    with open_store(store_path) as store:
        expected = store.query("SELECT gdp_usd, cinc FROM panel WHERE iso3 = 'KAZ' AND year = 2020").iloc[0]
    body = client.get("/api/countries/KAZ/profile", params={"year": 2020}).json()
    figures = {f["column"]: f for f in body["panel"]}
    assert body["name"] == "Kazakhstan" and body["member"] is True
    assert figures["gdp_usd"]["value"] == pytest.approx(float(expected["gdp_usd"]))
    assert figures["gdp_usd"]["source"] == "wdi"
    assert figures["cinc"]["value"] == pytest.approx(float(expected["cinc"]))
    assert figures["cinc"]["source"] == "cow_nmc"
    sources = {s["source"] for s in client.get("/api/sources").json()["rows"]}
    assert {f["source"] for f in body["panel"]} <= sources


def test_unknown_country_is_404_naming_the_code(client):
    response = client.get("/api/countries/XYZ/profile")
    assert response.status_code == 404
    assert "unknown country code 'XYZ'" in response.json()["detail"]
    assert client.get("/country/XYZ").status_code == 404


@pytest.mark.parametrize("year", ["1200", "2999", "99999999999999999999", "twenty", "2020.5"])
def test_bad_year_is_422(client, year):
    assert client.get("/api/countries/KAZ/profile", params={"year": year}).status_code == 422
    assert client.get("/api/panel", params={"year": year}).status_code == 422


def test_non_redistributable_columns_are_shown_one_state_at_a_time_but_never_in_bulk(client):
    refused = client.get("/api/panel", params={"year": 2020, "columns": "gdp_usd,sipri_milex_current_usd_m"})
    assert refused.status_code == 422 and "bulk" in refused.json()["detail"]
    assert client.get("/api/panel", params={"year": 2020, "columns": "oil_production_kbd"}).status_code == 422
    figures = {f["column"]: f for f in client.get("/api/countries/KAZ/profile?year=2020").json()["panel"]}
    assert figures["sipri_milex_current_usd_m"]["value"] > 0
    assert figures["sipri_milex_current_usd_m"]["source"] == "sipri_milex"


def test_panel_year_has_one_row_per_member_state(client, store_path):
    with open_store(store_path) as store:
        members = int(store.query("SELECT count(*) AS n FROM state_years WHERE year = 2020")["n"][0])
    rows = client.get("/api/panel", params={"year": 2020, "columns": "gdp_usd,cinc"}).json()["rows"]
    assert len(rows) == members and len({r["iso3"] for r in rows}) == members


def test_world_map_has_iso3_ids_including_kazakhstan(client):
    topology = client.get("/api/map/world").json()
    ids = {g["id"] for g in topology["objects"]["countries"]["geometries"]}
    assert {"KAZ", "USA", "CHN", "BRA"} <= ids
    assert topology["arcs"] and topology["transform"]["scale"]


def test_corridor_routes_answer_with_sources(client):
    compare = client.get("/api/corridor/compare").json()
    assert [r["corridor"] for r in compare["rows"]] == ["middle", "northern", "suez", "cape"]
    network = client.get("/api/corridor/network").json()
    assert len(network["nodes"]) >= 20 and len(network["edges"]) >= 30
    scenario = client.get("/api/corridor/scenarios/baku_phase2", params={"draws": 50}).json()
    assert scenario["rows"][0]["max_flow_teu_per_year_after"] > scenario["rows"][0]["max_flow_teu_per_year_before"]
    assert client.get("/api/corridor/scenarios/nope").status_code == 422
    assert client.get("/api/corridor/scenarios/roadmap", params={"draws": 10**9}).status_code == 422


def test_answers_carry_caching_headers_and_revalidate(client):
    first = client.get("/api/countries/KAZ/profile", params={"year": 2020})
    assert "max-age" in first.headers["cache-control"]
    again = client.get("/api/countries/KAZ/profile", params={"year": 2020},
                       headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_openapi_documents_the_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for route in ("/api/countries/{iso3}/profile", "/api/panel", "/api/power/rank", "/api/corridor/compare"):
        assert route in paths


@pytest.mark.parametrize("route", PATH_ROUTES)
def test_hostile_path_parameters_never_cause_a_server_error(client, route):
    for text in HOSTILE:
        for encoded in (quote(text, safe=""), quote(text, safe="/")):
            response = client.get(route.format(encoded))
            assert response.status_code < 500, (route, text, response.text[:200])
            assert response.status_code in (404, 422), (route, text, response.status_code)


@pytest.mark.parametrize("route", sorted(QUERY_ROUTES))
def test_hostile_query_parameters_never_cause_a_server_error(client, route):
    valid = QUERY_ROUTES[route]
    for name in valid:
        for text in HOSTILE:
            response = client.get(route, params={**valid, name: text})
            assert response.status_code < 500, (route, name, text, response.text[:200])
            assert response.status_code in (404, 422), (route, name, text, response.status_code)


def test_cached_profile_shortcut_answers_exactly_like_the_routed_endpoint(client):
    from middlepower.web.fastpath import ProfileFastPath

    routed = client.get("/api/countries/AZE/profile", params={"year": 2019})  # a miss: routed, then cached
    shortcut = ProfileFastPath(None, client.app.state.data)
    scope = {"type": "http", "method": "GET", "path": "/api/countries/AZE/profile", "query_string": b"year=2019",
             "headers": []}
    assert shortcut._cached(scope) == routed.content
    fast = client.get("/api/countries/AZE/profile?year=2019")
    assert fast.content == routed.content
    for header in ("content-type", "cache-control", "etag", "content-length"):
        assert fast.headers[header] == routed.headers[header]
    assert shortcut._cached({**scope, "query_string": b"year=2019&x=1"}) is None
    assert shortcut._cached({**scope, "path": "/api/countries/AZE/../profile"}) is None


def test_world_atlas_topology_is_stored_whole_and_keyed_by_iso_numeric(store_path, mirror):
    import json

    with open_store(store_path) as store:
        stored = store.query("SELECT layer, topojson FROM world_atlas_countries_110m")
    assert list(stored["layer"]) == ["countries"]
    assert stored["topojson"].iloc[0] == (mirror / "world_atlas_topojson" / "countries-110m.json").read_text()
    geometries = json.loads(stored["topojson"].iloc[0])["objects"]["countries"]["geometries"]
    assert len(geometries) == 177
    assert {g.get("id"): g["properties"]["name"] for g in geometries}["398"] == "Kazakhstan"


def test_report_download_is_the_library_report(client, quick_alignment):
    response = client.get("/api/report/KAZ", params={"year": 2020, "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response.headers["content-disposition"]
    html = client.get("/api/report/KAZ", params={"year": 2020, "format": "html"})
    assert "Kazakhstan (KAZ), 2020" in html.text


def test_alignment_series_is_the_panel_verbs_for_the_state(client, store_path, quick_alignment):
    from middlepower import panel
    from middlepower.panel.alignment import CHART_SERIES

    assert client.get("/api/meta").json()["alignment"]["series"] == CHART_SERIES
    body = client.get("/api/alignment/KAZ").json()
    series = {s["column"]: s for s in body["series"]}
    assert list(series) == list(CHART_SERIES) and body["source"] == "un_votes"  # kept for earlier clients
    declared = panel.declared().drop_duplicates("name").set_index("name")
    for column, entry in series.items():  # each series says what it rests on: the catalogue's sources and unit
        assert entry["sources"] == list(declared.loc[column, "sources"])
        assert entry["unit"] == declared.loc[column, "unit"]
        assert [entry["first_year"], entry["last_year"]] == [entry["points"][0][0], entry["points"][-1][0]]
    assert "un_votes" in body["sources"] and set(body["sources"]) >= set(series["un_agree_usa"]["sources"])
    for name in body["sources"]:  # the label names every source by its registry title
        assert client.get(f"/api/sources/{name}").json()["title"] in body["label"]
    first = min(s["first_year"] for s in series.values())
    assert body["label"].endswith(f"({first}-{max(s['last_year'] for s in series.values())} for KAZ)")
    meta = client.get("/api/meta").json()["alignment"]
    assert meta["sources"] == body["sources"] and body["label"].startswith(meta["label"])
    years = [year for year, *_ in series["un_agree_usa"]["points"]]
    assert years == sorted(years) and years[0] == 1992 and 1946 not in years  # Kazakhstan's years only
    expected = panel.add_alignment(panel.state_years(2019, 2019, db=store_path), db=store_path).set_index("iso3")
    assert dict((y, v) for y, v, *_ in series["un_agree_usa"]["points"])[2019] == pytest.approx(
        expected.loc["KAZ", "un_agree_usa"])


def test_uncached_benchmark_route_exists_only_when_asked_for(client, store_path, monkeypatch):
    from fastapi.testclient import TestClient

    from middlepower.web import create_app

    assert client.get("/api/countries/KAZ/profile/uncached?year=2020").status_code == 404
    monkeypatch.setenv("MIDDLEPOWER_WEB_BASELINE", "1")
    with TestClient(create_app(store_path)) as baseline:
        uncached = baseline.get("/api/countries/KAZ/profile/uncached?year=2020")
        assert uncached.status_code == 200
        assert uncached.content == baseline.get("/api/countries/KAZ/profile?year=2020").content


def test_every_profile_is_computed_once_per_build_then_read_from_its_file(store_path, monkeypatch):
    from middlepower.web import create_app, warm
    from middlepower.web.api_panel import profile_bytes
    from middlepower.web.data import WebData

    first = WebData(store_path)
    first.panel_years = (2004, 2005)  # two years keep the test short
    state = warm.warm_all(first)
    assert state["ready"] and not state["from_file"] and state["total"] == 2 * len(first.countries)
    path = warm.profiles_file(first)
    assert path.is_file() and path.is_relative_to(first_build_cache(first))

    second = WebData(store_path)
    second.panel_years = (2004, 2005)
    from middlepower.web import api_panel

    def computing(*args):
        raise AssertionError("a profile was computed again")

    monkeypatch.setattr(api_panel, "profile_bytes", computing)
    again = warm.warm_all(second)
    assert again["ready"] and again["from_file"]
    for iso3, year in [("KAZ", 2005), ("USA", 2004), ("TUV", 2004)]:  # a member, a great power, a late member
        assert second.profiles[(iso3, year)] == profile_bytes(first, iso3, year)
    from fastapi.testclient import TestClient

    answer = TestClient(create_app(store_path)).get("/api/warm")
    assert answer.json()["ready"] is False and answer.headers["cache-control"] == "no-store"  # not warmed here


def first_build_cache(data):
    from middlepower import config

    return config.build_cache_dir(str(data.build["build_id"]))


def test_meta_gives_the_corridor_volumes_years(client):
    """The country page asked for transit figures of 2022-2025, years typed in its script."""
    from importlib.resources import files

    import pandas as pd

    volumes = pd.read_csv(files("middlepower") / "data" / "corridor" / "volumes.csv")
    both = set.intersection(*(set(volumes.loc[volumes["corridor"] == c, "year"]) for c in ("middle", "northern")))
    meta = client.get("/api/meta").json()["corridor"]
    assert meta == {"volume_years": sorted(volumes["year"].unique().tolist()), "transit_year": max(both)}
