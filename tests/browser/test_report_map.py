"""The report map opens offline in Chromium: heat map, pins, perimeter and legend."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from geoapp.config import Settings
from geoapp.services import report_map
from geoapp.store import Store, open_store
from tests.browser.conftest import ARTIFACTS
from tests.factories import make_consultation, make_contribution

pytestmark = pytest.mark.browser

# Pins are circles filled with their category's colour, or cluster icons when close together.
MARKERS = 'path[fill="#1f6feb"], path[fill="#b35900"], .marker-cluster'
PINS = [
    ([7.7100, 51.5760], "sitzen-aufenthalt"),
    ([7.7110, 51.5765], "sitzen-aufenthalt"),
    ([7.7150, 51.5790], "parken-verkehr"),
    ([7.7160, 51.5795], "parken-verkehr"),
    ([7.7130, 51.5780], "parken-verkehr"),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    backend = open_store(f"sqlite:///{tmp_path / 'report.sqlite'}")
    yield backend
    backend.close()


@pytest.fixture
def report_file(store: Store, tmp_path: Path) -> Path:
    consultation = make_consultation(store)
    for coordinates, category in PINS:
        make_contribution(store, consultation, coordinates, category=category)
    path = tmp_path / "report.html"
    settings = Settings(data_dir=tmp_path, seed_demo=False)
    path.write_text(
        report_map.build(store, store.get_consultation("test"), settings), encoding="utf-8"
    )
    return path


@pytest.fixture
def offline_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page for which every network request fails: only file: and data: URLs load."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    blocked: list[str] = []

    def block_network(route, _request) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", block_network)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.blocked = blocked  # type: ignore[attr-defined]
    yield page
    if getattr(request.node, "failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
    assert errors == []


def test_report_map_shows_heat_map_and_pins_with_every_host_blocked(
    offline_page: Page, report_file: Path
) -> None:
    offline_page.goto(report_file.as_uri())
    heat = offline_page.locator("canvas.leaflet-heatmap-layer")
    heat.wait_for(state="attached")
    assert heat.count() == 1
    markers = offline_page.locator(MARKERS)
    markers.first.wait_for()
    assert markers.count() >= 2
    legend = offline_page.locator(".report-legend")
    assert "Sitzen & Aufenthalt (2)" in legend.inner_text()
    assert "Parken & Verkehr (3)" in legend.inner_text()
    overlays = offline_page.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Sitzen & Aufenthalt" in overlays and "Dichte" in overlays
    # Only base-map tiles were asked for on the network; scripts and styles are all inline.
    assert all("tile" in url for url in offline_page.blocked)  # type: ignore[attr-defined]


def test_category_layers_can_be_switched_off(offline_page: Page, report_file: Path) -> None:
    offline_page.goto(report_file.as_uri())
    markers = offline_page.locator(MARKERS)
    markers.first.wait_for()
    before = markers.count()
    offline_page.get_by_label("Parken & Verkehr").uncheck()
    offline_page.wait_for_function(f"document.querySelectorAll({MARKERS!r}).length < {before}")


def test_pin_popup_shows_the_text_as_text(offline_page: Page, tmp_path: Path, store) -> None:
    consultation = make_consultation(store)
    make_contribution(store, consultation, [7.7128, 51.5778], text="<b>fett</b> & Bank")
    path = tmp_path / "one.html"
    path.write_text(
        report_map.build(store, store.get_consultation("test"), Settings(data_dir=tmp_path)),
        "utf-8",
    )
    offline_page.goto(path.as_uri())
    pin = offline_page.locator(MARKERS).first
    pin.wait_for()
    pin.click(force=True)
    popup = offline_page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<b>fett</b> & Bank" in popup.inner_text()
    assert offline_page.locator(".leaflet-popup-content b").count() == 0


def test_report_map_shows_the_themes_table(
    offline_page: Page, store: Store, tmp_path: Path
) -> None:
    from tests.themes_corpus import plant_themes

    plant_themes(store, make_consultation(store))
    path = tmp_path / "themen.html"
    settings = Settings(data_dir=tmp_path, seed_demo=False)
    path.write_text(
        report_map.build(store, store.get_consultation("test"), settings), encoding="utf-8"
    )
    offline_page.goto(path.as_uri())
    themes = offline_page.locator("details.report-themes")
    themes.locator("summary", has_text="Themen auf einen Blick").click()
    expect(themes).to_contain_text("60 von 60 veröffentlichten Beiträgen ausgewertet.")
    rows = themes.locator("tbody tr")
    expect(rows).to_have_count(3)
    for index in range(3):
        expect(rows.nth(index).locator("th")).to_have_text(f"Gruppe {index + 1} (de)")
        expect(rows.nth(index).locator(".report-count")).to_have_text("20")
    table = themes.locator("table").inner_text()
    assert "Bänke" in table and "Radweg" in table
