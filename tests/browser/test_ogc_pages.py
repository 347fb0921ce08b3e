"""The OGC API's HTML pages in a real browser: landing page and a collection with its map,
reached by following links as a person would, axe-core clean."""

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveApp
from tests.browser.test_accessibility import assert_no_axe_violations


def test_landing_and_collection_pages_are_accessible_and_show_the_map(
    page: Page, live_app: LiveApp
) -> None:
    page.goto(f"{live_app.url}/ogc")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "GIS-Schnittstelle der Beteiligungskarte Heeren-Werve"
    )
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Sammlungen").first.click()
    page.get_by_role("link", name="Beiträge: Die neue Ortsmitte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beiträge: ")
    expect(page.get_by_role("region", name="Karte der Objekte dieser Sammlung")).to_be_visible()
    # The published pins of the demo are drawn as circles over the (blocked) base map.
    expect(page.locator("#ogc-map .leaflet-overlay-pane path").first).to_be_attached()
    assert page.locator("#ogc-map .leaflet-overlay-pane path").count() > 3
    assert_no_axe_violations(page)
    target = Path(
        os.environ.get("GEOAPP_OGC_SCREENSHOT") or Path("test-artifacts") / "ogc-collection.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 20_000


def test_items_page_lists_a_page_of_pins_in_a_table(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/ogc/collections/ortsmitte/items?limit=5")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Objekte: ")
    expect(page.locator("table tbody tr")).to_have_count(5)
    page.get_by_role("link", name="Nächste Seite").click()
    expect(page.get_by_role("link", name="Vorige Seite")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_no_axe_violations(page)
