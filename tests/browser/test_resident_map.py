"""The resident map in real Chromium: see pins, place one, read it, filter, all offline."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from geoapp.domain import ContributionQuery, Status
from tests.browser.conftest import TILE_HOST, LiveApp, PageProblems, on_every_backend
from tests.browser.pages import fill_form, map_point, open_map, place_pin, popup, send


def published(live_app: LiveApp, slug: str) -> list:
    consultation = live_app.store.get_consultation(slug)
    return live_app.store.list_contributions(ContributionQuery(consultation_id=consultation.id))


def pins_on_map(page: Page) -> int:
    """Single markers plus the numbers on clusters: every published pin is somewhere."""
    singles = page.locator(".leaflet-marker-pane .pin-icon").count()
    clustered = sum(int(n) for n in page.locator(".marker-cluster span").all_inner_texts())
    return singles + clustered


@on_every_backend
def test_map_shows_perimeter_pins_legend_and_list(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    expect(
        page.get_by_role("heading", name="Die neue Ortsmitte – was gefällt, was fehlt?")
    ).to_be_visible()
    # District outline and consultation perimeter are drawn even without base-map tiles.
    assert page.locator(".leaflet-overlay-pane path").count() >= 2
    expect(page.locator(".place-label", has_text="Ortsmitte")).to_be_visible()
    expected = len(published(live_app, "ortsmitte"))
    assert expected >= 5
    assert pins_on_map(page) == expected
    expect(page.locator("#contribution-list > li")).to_have_count(expected)
    expect(page.locator("#legend-list > li")).to_have_count(10)
    expect(page.locator("#legend-list")).to_contain_text("Sitzgelegenheiten & Aufenthaltsqualität")


def test_clicking_a_list_entry_opens_the_pin(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    newest = published(live_app, "ortsmitte")[0]
    page.locator("#contribution-list button").first.click()
    expect(popup(page)).to_contain_text(newest.text)


@on_every_backend
def test_resident_places_a_pin_and_sees_it_at_once(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    before = len(published(live_app, "ortsmitte"))
    place_pin(page)
    fill_form(page, "Ein Trinkbrunnen am Platz wäre toll.", name="Erika", email="erika@example.org")
    send(page)
    expect(page.locator("#thanks")).to_contain_text("jetzt auf der Karte")
    expect(popup(page)).to_contain_text("Ein Trinkbrunnen am Platz wäre toll.")
    expect(popup(page)).to_contain_text("Erika")
    expect(page.locator("#contribution-list > li")).to_have_count(before + 1)
    stored = published(live_app, "ortsmitte")[0]
    assert stored.text == "Ein Trinkbrunnen am Platz wäre toll."
    assert stored.contact_email == "erika@example.org"
    assert "erika@example.org" not in page.content()
    # The pin lies where it was clicked: inside the perimeter, near the map centre.
    lon, lat = stored.geometry["coordinates"]
    assert 7.705 < lon < 7.72 and 51.573 < lat < 51.582


def test_pre_moderated_pin_is_shown_to_its_author_as_pending(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url, "park-bergstrasse")
    public_before = len(published(live_app, "park-bergstrasse"))
    place_pin(page, dx=-60, dy=60)
    fill_form(page, "Eine Boulderwand für Jugendliche.", category="gruen-spiel-bewegung")
    send(page)
    expect(page.locator("#thanks")).to_contain_text("wird geprüft")
    pending = page.locator(".pin-badge.pending")
    expect(pending).to_have_count(1)
    pending.click()
    expect(popup(page)).to_contain_text("wird geprüft")
    expect(popup(page)).to_contain_text("Eine Boulderwand für Jugendliche.")
    assert len(published(live_app, "park-bergstrasse")) == public_before
    consultation = live_app.store.get_consultation("park-bergstrasse")
    waiting = live_app.store.list_contributions(
        ContributionQuery(consultation_id=consultation.id, statuses=[Status.PENDING])
    )
    assert [c.text for c in waiting] == ["Eine Boulderwand für Jugendliche."]


def test_markup_in_a_contribution_is_shown_as_text(page: Page, live_app: LiveApp) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attack = "<img src=x onerror=alert(1)> <b>fett</b>"
    open_map(page, live_app.url)
    place_pin(page)
    fill_form(page, attack, name="<script>alert(2)</script>")
    send(page)
    expect(popup(page).locator(".pin-text")).to_have_text(attack)
    expect(popup(page)).to_contain_text("<script>alert(2)</script>")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#contribution-list")).to_contain_text("<img src=x onerror=alert(1)>")
    assert (
        page.locator("#contribution-list img, .leaflet-popup img, #contribution-list b").count()
        == 0
    )
    assert dialogs == []


def test_missing_fields_are_named_next_to_the_form(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    send(page)
    expect(page.locator("#error-geometry")).to_have_text(
        "Bitte setzen Sie einen Punkt auf die Karte."
    )
    expect(page.locator("#error-text")).to_have_text("Bitte schreiben Sie einen Text.")
    expect(page.locator("#error-consent")).to_contain_text("Datenschutzhinweis")
    expect(page.get_by_label("Thema")).to_be_focused()


def test_server_refusal_outside_the_perimeter_is_shown(
    page: Page, live_app: LiveApp, problems: PageProblems
) -> None:
    problems.allow("422")
    open_map(page, live_app.url)
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    # The top-left corner of the map view lies outside the Ortsmitte ellipse.
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + 80, box["y"] + box["height"] - 40)
    fill_form(page, "Hier fehlt eine Bank.")
    send(page)
    expect(page.locator("#error-geometry")).to_contain_text("außerhalb des Gebiets")
    expect(page.locator("#contribution-form")).to_be_visible()
    expect(page.get_by_label("Was wünschen Sie sich, was stört Sie?")).to_have_value(
        "Hier fehlt eine Bank."
    )


def test_category_filter_narrows_map_and_list(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    pins = published(live_app, "ortsmitte")
    for checkbox in page.locator("#legend-list input").all():
        checkbox.uncheck()
    expect(page.locator("#contribution-list > li")).to_have_count(0)
    page.get_by_label("Parken, Verkehr & Radwege").check()
    parking = [c for c in pins if c.category == "parken-verkehr"]
    expect(page.locator("#contribution-list > li")).to_have_count(len(parking))
    assert pins_on_map(page) == len(parking)


def test_closed_consultation_is_read_only(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url, "luisenpark-2018")
    expect(page.locator("#consultation-status")).to_contain_text("Beendet")
    expect(page.get_by_role("button", name="Beitrag hinzufügen")).to_be_hidden()
    expect(page.locator("#contribution-list > li")).to_have_count(
        len(published(live_app, "luisenpark-2018"))
    )


def test_english_interface_and_english_refusals(
    page: Page, live_app: LiveApp, problems: PageProblems
) -> None:
    problems.allow("422")
    open_map(page, live_app.url)
    page.get_by_label("Sprache").select_option("en")
    expect(page.get_by_role("button", name="Add a contribution")).to_be_visible()
    expect(page.locator("#consultation-title")).to_have_text(
        "The new village centre – what works, what is missing?"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Add a contribution").click()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + 80, box["y"] + box["height"] - 40)
    page.get_by_label("Topic").select_option("parken-verkehr")
    page.get_by_label("What do you wish for").fill("A crossing here.")
    page.get_by_label("I have read the privacy notice.").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#error-geometry")).to_contain_text("outside")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.get_by_role("button", name="Add a contribution")).to_be_visible()


def test_page_loads_offline_with_only_tiles_missing(
    page: Page, live_app: LiveApp, problems: PageProblems
) -> None:
    open_map(page, live_app.url)
    expect(page.locator("#contribution-list > li").first).to_be_visible()
    # Nothing but base-map tiles is fetched from outside (no CDN); console errors are checked
    # by the fixture after the test.
    assert problems.blocked, "the page should have tried to load base-map tiles"
    assert all(TILE_HOST in url for url in problems.blocked), problems.blocked


@pytest.mark.viewport(390, 844)
def test_phone_sized_screen_can_contribute(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    page.locator("#map").scroll_into_view_if_needed()
    page.mouse.click(*map_point(page, -40, 40))
    expect(page.locator("#location-status")).to_contain_text("Ort gesetzt")
    fill_form(page, "Vom Handy: mehr Schatten bitte.")
    send(page)
    expect(page.locator("#thanks")).to_contain_text("jetzt auf der Karte")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_screenshot_for_the_readme(page: Page, live_app: LiveApp) -> None:
    """Renders the map with the demo pins; `make screenshot` keeps it as docs/screenshot.png."""
    open_map(page, live_app.url)
    page.locator("#contribution-list button").first.click()
    expect(popup(page).locator(".support")).to_be_visible()
    # The popup grew when its detail arrived; the map moved so that it is whole in view.
    # (A function, not an expression string: Playwright would eval a string, which the CSP
    # forbids.)
    page.wait_for_function(
        "() => document.querySelector('.leaflet-popup').getBoundingClientRect().top"
        " >= document.getElementById('map').getBoundingClientRect().top"
    )
    target = Path(os.environ.get("GEOAPP_SCREENSHOT") or Path("test-artifacts") / "screenshot.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000
