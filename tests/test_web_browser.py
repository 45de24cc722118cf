"""End-to-end: a real headless Chromium drives the dashboard served by uvicorn from a real store.

Screenshots go to ``test-artifacts/`` at the repository root (git-ignored).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(store_path, quick_fit):
    import uvicorn

    from middlepower.alignment import series
    from middlepower.web import alignment_data, create_app
    from middlepower.web.warm import warm_up

    # The alignment layer's first full ideal-point fit takes 20-40 s; the pages draw one on 2005-2025.
    patch = pytest.MonkeyPatch()
    patch.setattr(series, "yearly_ideal_points", lambda db=None, period="year": quick_fit)
    series.clear_caches()
    for cache in (alignment_data.frame, alignment_data.series_bytes):
        cache.cache_clear()
    app = create_app(store_path)
    warm_up(app.state.data)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield base
    instance.should_exit = True
    thread.join(timeout=10)
    patch.undo()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    # Playwright's launch gives Chromium a fresh temporary profile (its own --user-data-dir).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60000)
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.errors = errors
        tab.requested = []  # every URL the pages ask for: nothing may come from another host
        tab.on("request", lambda request: tab.requested.append(request.url))
        yield tab
        browser.close()


def _set_year(tab, year: int) -> None:
    tab.eval_on_selector("#year", "(el, y) => { el.value = y; el.dispatchEvent(new Event('input'));"
                                  " el.dispatchEvent(new Event('change')); }", year)
    tab.wait_for_selector(f"#map[data-year='{year}']", timeout=15000)


def test_map_year_change_then_click_kazakhstan_shows_the_api_profile(page, server):
    meta = httpx.get(f"{server}/api/meta").json()
    page.goto(f"{server}/")
    page.wait_for_selector("#map path#c-KAZ", timeout=20000)
    page.wait_for_selector("#map[data-year]", timeout=20000)
    year = meta["default_year"] - 2
    _set_year(page, year)
    fill = page.get_attribute("#map path#c-KAZ", "fill")
    assert fill and fill != "#e4e6ea", "Kazakhstan has no colour on the map"
    page.screenshot(path=str(ARTIFACTS / "web-map.png"), full_page=True)

    page.click("#map path#c-KAZ", force=True)
    page.wait_for_url(f"**/country/KAZ?year={year}", timeout=15000)
    page.wait_for_selector(f"#summary[data-year='{year}']", timeout=20000)
    page.wait_for_selector("#figure-table tr[data-column='gdp_usd']", timeout=20000)
    assert f"Kazakhstan (KAZ), {year}" in page.inner_text("#country-name")

    api = httpx.get(f"{server}/api/countries/KAZ/profile", params={"year": year}).json()
    gdp = next(f for f in api["panel"] if f["column"] == "gdp_usd")
    shown = float(page.get_attribute("#figure-table tr[data-column='gdp_usd'] td[data-value]", "data-value"))
    assert shown == pytest.approx(gdp["value"])
    assert page.get_attribute("#figure-table tr[data-column='gdp_usd'] td[data-value]", "data-source") == "wdi"
    if api["power"] is not None:
        page.wait_for_selector("#pillar-table tr[data-pillar]", timeout=20000)
        for pillar in api["power"]["pillars"]:
            cell = page.get_attribute(
                f"#pillar-table tr[data-pillar='{pillar['pillar']}'] td[data-value]", "data-value"
            )
            expected = pillar["score"]
            assert (cell in ("", None) and expected is None) or float(cell) == pytest.approx(expected)
        assert page.get_attribute("#stat-tier", "data-value") == api["power"]["tier"]["tier"]
    page.wait_for_selector("#transit-table tbody tr", timeout=20000)  # Kazakhstan is a corridor transit state
    page.hover("#figure-table tr[data-column='gdp_usd'] td[data-value]")
    assert "World Development Indicators" in page.inner_text("#tooltip")
    page.screenshot(path=str(ARTIFACTS / "web-country-KAZ.png"), full_page=True)
    assert page.errors == []


def test_corridor_page_shows_network_comparison_and_scenario(page, server):
    page.goto(f"{server}/corridor")
    page.wait_for_selector("#scenario-result tbody tr", timeout=30000)
    assert page.locator("#network line.edge").count() >= 20
    assert page.locator("#compare-table tbody tr").count() == 4
    page.screenshot(path=str(ARTIFACTS / "web-corridor.png"), full_page=True)
    assert page.errors == []


def test_compare_page_draws_the_chosen_states(page, server):
    meta = httpx.get(f"{server}/api/meta").json()
    if meta["power"] is None:
        pytest.skip("the power model is not available in this installation")
    page.goto(f"{server}/compare?countries=KAZ,TUR,AZE&first=2000&last=2020")
    page.wait_for_selector("#compare-table tbody tr", timeout=30000)
    assert page.locator("#compare-table tbody tr").count() == 3
    assert page.locator("#chart polyline").count() == 3
    page.screenshot(path=str(ARTIFACTS / "web-compare.png"), full_page=True)
    assert page.errors == []


def test_api_page_lists_the_routes_from_the_local_openapi_document(page, server):
    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".card.route", timeout=20000)
    assert page.locator(".card.route").count() >= 15
    assert "/api/countries/{iso3}/profile" in page.inner_text("#routes")
    assert page.requested and all(url.startswith(server) for url in page.requested), [
        url for url in page.requested if not url.startswith(server)
    ]
    assert page.errors == []
