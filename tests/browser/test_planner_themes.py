"""The themes panel in the analysis view: groups in a table, on the map, narrowed to an area."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveApp
from tests.browser.planner_pages import choose_consultation, open_view, sign_in
from tests.factories import make_consultation
from tests.themes_corpus import plant_themes

pytestmark = pytest.mark.browser


@pytest.fixture
def themed(live_app: LiveApp) -> dict[str, str]:
    return plant_themes(live_app.store, make_consultation(live_app.store, slug="themen"))


def summary(page: Page):
    return page.locator("#themes-summary")


def test_planner_sees_the_groups_their_counts_and_where_they_are(
    page: Page, live_app: LiveApp, themed: dict[str, str]
) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "themen")
    open_view(page, "Auswertung")
    panel = page.get_by_role("region", name="Themen auf einen Blick")
    expect(summary(page)).to_have_text("60 von 60 veröffentlichten Beiträgen ausgewertet.")
    groups = panel.get_by_role("table", name="Gruppen ähnlicher Beiträge (Deutsch)")
    rows = groups.locator("tbody tr")
    expect(rows).to_have_count(3)
    for index in range(3):
        expect(rows.nth(index).locator(".themes-count")).to_have_text("20")
    shown = groups.inner_text()
    assert "Bänke" in shown and "Radweg" in shown and ("nachts" in shown or "dunkel" in shown)
    terms = panel.get_by_role("table", name="Häufige Begriffe (Deutsch)")
    expect(terms.locator("tr", has_text="Bänke")).to_be_visible()
    # The map: every pin in its group's colour, a legend naming each group.
    legend = panel.locator("#themes-legend li")
    expect(legend).to_have_count(3)
    expect(legend.first).to_contain_text("Gruppe 1")
    markers = page.locator("#themes-map path.leaflet-interactive")
    expect(markers).to_have_count(60)
    colours = {markers.nth(i).get_attribute("fill") for i in range(60)}
    assert len(colours) == 3

    # A topic: the cycle path is filed under "Parken & Verkehr".
    panel.get_by_label("Thema").select_option(label="Parken & Verkehr")
    expect(summary(page)).to_contain_text("20 von 20")
    expect(markers).to_have_count(20)


def test_a_rectangle_drawn_on_the_map_narrows_the_themes(
    page: Page, live_app: LiveApp, themed: dict[str, str]
) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "themen")
    open_view(page, "Auswertung")
    expect(summary(page)).to_contain_text("60 von 60")
    page.get_by_role("button", name="Rechteck zeichnen").click()
    page.locator("#themes-map").scroll_into_view_if_needed()
    map_box = page.locator("#themes-map").bounding_box()
    # The benches lie in the west (7.7090–7.7098 E): a box around the left part of the map.
    west = page.evaluate(
        """() => {
            const pins = [...document.querySelectorAll('#themes-map path.leaflet-interactive')];
            const boxes = pins.map((p) => p.getBoundingClientRect());
            return Math.min(...boxes.map((b) => b.left));
        }"""
    )
    start = (west - 10, map_box["y"] + 5)
    end = (west + 60, map_box["y"] + map_box["height"] - 5)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=5)
    page.mouse.up()
    expect(summary(page)).to_contain_text("20 von 20")
    expect(page.locator("#themes-area-state")).to_have_text("Nur Beiträge im gewählten Bereich.")
    expect(page.locator("#themes-map path.leaflet-interactive")).to_have_count(20)

    page.get_by_role("button", name="Bereich aufheben").click()
    expect(summary(page)).to_contain_text("60 von 60")


def test_the_map_view_is_the_area_without_a_mouse(
    page: Page, live_app: LiveApp, themed: dict[str, str]
) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "themen")
    open_view(page, "Auswertung")
    expect(summary(page)).to_contain_text("60 von 60")
    button = page.get_by_role("button", name="Kartenausschnitt als Bereich nehmen")
    button.focus()
    page.keyboard.press("Enter")
    # The view shows the whole perimeter, so every pin is still in the area.
    expect(page.locator("#themes-area-state")).to_have_text("Nur Beiträge im gewählten Bereich.")
    expect(summary(page)).to_contain_text("60 von 60")


def test_a_consultation_without_pins_says_so(page: Page, live_app: LiveApp) -> None:
    make_consultation(live_app.store, slug="leer")
    sign_in(page, live_app)
    choose_consultation(page, "leer")
    open_view(page, "Auswertung")
    expect(summary(page)).to_contain_text("Hier gibt es noch keine veröffentlichten Beiträge.")
