"""Everyone can take part: keyboard only, without the map, narrow screens, axe-core clean."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from geoapp.domain import ContributionQuery
from tests.browser.conftest import LiveApp
from tests.browser.pages import fill_form, open_map, popup, send, tab_to

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def newest(live_app: LiveApp, slug: str = "ortsmitte"):
    consultation = live_app.store.get_consultation(slug)
    return live_app.store.list_contributions(ContributionQuery(consultation_id=consultation.id))[0]


def assert_no_axe_violations(page: Page) -> None:
    results = Axe().run(page, options=WCAG_AA)
    violations = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
    ]
    assert violations == []


def test_keyboard_only_contribution_with_the_centre_cross(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    tab_to(page, "#add-button")
    page.keyboard.press("Enter")
    expect(page.locator("#form-heading")).to_be_focused()
    tab_to(page, "#map", backwards=True)
    expect(page.locator("#crosshair")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)  # the map glides for 0.25 s per key press
    page.keyboard.press("Enter")
    expect(page.locator("#location-status")).to_contain_text("Ort gesetzt: etwa")
    expect(page.locator("#location-status")).to_contain_text("von")
    tab_to(page, "#field-category")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#field-text")
    page.keyboard.type("Nur mit der Tastatur: bitte eine Bank hier.")
    tab_to(page, "#field-consent")
    page.keyboard.press("Space")
    tab_to(page, "#contribution-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#thanks")).to_be_focused()
    stored = newest(live_app)
    assert stored.text == "Nur mit der Tastatur: bitte eine Bank hier."
    assert stored.category == "sitzen-aufenthalt"
    assert stored.geometry is not None


def test_choose_a_street_from_the_list_instead_of_the_map(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    page.get_by_label("Oder Straße oder Ort suchen").fill("mittel")
    expect(page.locator("#place-select option")).to_contain_text(["Mittelstraße"])
    page.get_by_label("Ort aus der Liste wählen").select_option(label="Mittelstraße")
    expect(page.locator("#location-status")).to_contain_text("kennen wir keinen genauen Punkt")
    fill_form(page, "An der Mittelstraße wird gegen die Fahrtrichtung geparkt.", "parken-verkehr")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    stored = newest(live_app)
    assert stored.text.startswith("An der Mittelstraße")
    consultation = live_app.store.get_consultation("ortsmitte")
    choices = page.request.get(f"{live_app.url}/api/consultations/ortsmitte/places").json()
    [street] = [c for c in choices if c["label"] == "Mittelstraße"]
    assert stored.geometry == street["geometry"]
    assert consultation is not None


def test_places_outside_the_area_are_marked_and_cannot_be_chosen(
    page: Page, live_app: LiveApp
) -> None:
    open_map(page, live_app.url)
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    page.get_by_label("Oder Straße oder Ort suchen").fill("Haus Heeren")
    option = page.locator("#place-select option", has_text="Haus Heeren (außerhalb des Gebiets)")
    expect(option).to_be_disabled()
    expect(page.locator("#place-select option", has_text="Ortsmitte")).to_have_count(0)


def test_contribution_without_a_place_appears_in_the_list(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    page.get_by_label("Mein Beitrag betrifft die ganze Beteiligung (ohne Ort)").check()
    expect(page.locator("#location-status")).to_contain_text("keinen bestimmten Ort")
    fill_form(page, "Insgesamt: mehr Angebote für Jugendliche im Stadtteil.")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    assert newest(live_app).geometry is None
    entry = page.locator("#contribution-list > li", has_text="mehr Angebote für Jugendliche")
    expect(entry).to_contain_text("ohne Ort")
    entry.locator(".list-button").click()
    expect(entry.locator(".list-detail")).to_contain_text("mehr Angebote für Jugendliche")
    expect(entry.locator(".list-button")).to_have_attribute("aria-expanded", "true")


def test_markers_have_names_and_open_with_the_keyboard(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url, "ideen-heeren-werve")
    best = max(
        live_app.store.list_contributions(
            ContributionQuery(live_app.store.get_consultation("ideen-heeren-werve").id)
        ),
        key=lambda c: c.support_count,
    )
    marker = page.get_by_role("button", name="Natur, Seseke & Mühlbach: Mehr Sitzplätze am")
    expect(marker).to_have_accessible_name(
        "Natur, Seseke & Mühlbach: Mehr Sitzplätze am Heerener Mühlbach – der Blick aufs Wasser "
        "ist das Schönste i…, 21 Unterstützungen"
    )
    assert best.support_count == 21
    marker.focus()
    page.keyboard.press("Enter")
    expect(popup(page)).to_contain_text(best.text)
    expect(page.locator(".pin-popup")).to_be_focused()
    # The list marks the open pin, so map and list stay in sync.
    expect(page.locator("#contribution-list .list-button[aria-current]")).to_contain_text(
        best.text[:40]
    )
    page.keyboard.press("Escape")
    expect(marker).to_be_focused()


def test_list_sorts_by_support_and_works_without_the_map(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_label("Sortieren").select_option("supported")
    counts = page.locator("#contribution-list .list-meta").all_inner_texts()
    numbers = [int(text.split("·")[1].split()[0]) for text in counts]
    assert numbers == sorted(numbers, reverse=True)
    page.get_by_role("button", name="Nur Liste").click()
    expect(page.locator("#map")).to_be_hidden()
    page.locator("#contribution-list .list-button").first.click()
    expect(page.locator("#contribution-list .list-detail")).to_have_count(1)


def test_high_contrast_is_remembered(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.get_by_role("button", name="Hoher Kontrast").click()
    expect(page.locator("body")).to_have_class("high-contrast")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.get_by_role("button", name="Hoher Kontrast")).to_have_attribute(
        "aria-pressed", "true"
    )


@pytest.mark.viewport(320, 640)
def test_narrow_screen_reflows_and_takes_a_contribution(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    page.get_by_role("button", name="Mitte der Karte als Ort nehmen").click()
    expect(page.locator("#location-status")).to_contain_text("Ort gesetzt")
    fill_form(page, "Auf dem schmalen Bildschirm geschrieben.")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert newest(live_app).text == "Auf dem schmalen Bildschirm geschrieben."


@pytest.mark.parametrize("language", ["de", "ar"])
def test_axe_finds_nothing_on_map_form_and_list(page: Page, live_app: LiveApp, language) -> None:
    open_map(page, live_app.url)
    if language != "de":
        page.locator("#language-select").select_option(language)
        expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_axe_violations(page)
    page.locator("#contribution-list .list-button").first.click()
    expect(popup(page).locator(".report .link-button")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("#mine-button").click()
    assert_no_axe_violations(page)
    page.locator("#add-button").click()
    expect(page.locator("#contribution-form")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("#cancel-button").click()
    page.locator("#list-only").click()
    assert_no_axe_violations(page)
    page.locator("#contrast").click()
    assert_no_axe_violations(page)


def test_every_control_is_at_least_44_px(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.locator("#contribution-list .list-button").first.click()
    expect(popup(page)).to_be_visible()
    page.locator("#add-button").click()
    small = page.evaluate(
        """() => [...document.querySelectorAll(
            'button, select, [role=button], .leaflet-control-zoom a, .site-footer a,'
            + 'input:not([type=checkbox]), textarea')]
          .filter((e) => e.offsetParent !== null)
          .map((e) => [e.id || e.className || e.textContent, e.getBoundingClientRect()])
          .filter(([, r]) => r.width < 43.5 || r.height < 43.5)
          .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert small == []


@pytest.mark.viewport(1280, 900)
def test_text_at_double_size_still_fits(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    expect(page.get_by_role("button", name="Senden")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # No control is cut off: every button's text fits inside the button.
    clipped = page.evaluate(
        "[...document.querySelectorAll('button')].filter(b => b.offsetParent &&"
        " b.scrollWidth > b.clientWidth + 1).map(b => b.textContent)"
    )
    assert clipped == []
