"""On the spot in Chromium: a poster's link opens the form at its spot; pins said nearby."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from geoapp.domain import Contribution, Poster, PosterSize, Source, Status
from geoapp.services import statistics
from tests.browser.conftest import LiveApp
from tests.browser.pages import fill_form, send
from tests.browser.test_engagement import pin_of

ORTSMITTE = (7.712778, 51.577778)
# A spot about 100 m north of the Ortsmitte place, inside its perimeter.
SPOT = (7.713100, 51.578700)


def open_link(page: Page, live_app: LiveApp, query: str) -> None:
    page.goto(f"{live_app.url}/?{query}")
    page.wait_for_selector("body[data-ready=true]")


def test_poster_link_opens_the_form_with_the_pin_at_its_spot(page: Page, live_app: LiveApp) -> None:
    consultation = live_app.store.get_consultation("ortsmitte")
    poster = Poster(
        "k7mq2xab", consultation.id, *ORTSMITTE, PosterSize.A4, "tr", datetime.now(UTC), "anna"
    )
    live_app.store.add_poster(poster)
    lon, lat = ORTSMITTE
    open_link(page, live_app, f"c=ortsmitte&at={lon:.6f},{lat:.6f}&via=poster-{poster.key}")
    expect(page.locator("#contribution-form")).to_be_visible()
    expect(page.locator("#location-status")).to_contain_text("Ortsmitte")
    expect(page.locator(".leaflet-marker-draggable")).to_have_count(1)
    expect(page.get_by_label("Thema")).to_be_focused()

    fill_form(page, "Vom Plakat aus: mehr Bänke am Platz.")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    pin = pin_of(live_app, "ortsmitte", "Vom Plakat aus")
    assert (pin.source, pin.poster_key) == (Source.POSTER, poster.key)
    assert pin.geometry == {"type": "Point", "coordinates": [lon, lat]}
    counted = statistics.for_consultation(live_app.store, consultation).by_poster
    assert [(p.key, p.count) for p in counted] == [(poster.key, 1)]


def _said_nearby(live_app: LiveApp, text: str) -> Contribution:
    consultation = live_app.store.get_consultation("ortsmitte")
    now = datetime.now(UTC)
    pin = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry={"type": "Point", "coordinates": [SPOT[0] + 0.0001, SPOT[1]]},
        category="sitzen-aufenthalt",
        text=text,
        status=Status.PUBLISHED,
        created_at=now,
        updated_at=now,
    )
    live_app.store.add_contribution(pin)
    far = replace(
        pin,
        id=str(uuid.uuid4()),
        text="Weit weg.",
        geometry={"type": "Point", "coordinates": [SPOT[0] + 0.003, SPOT[1]]},
    )
    live_app.store.add_contribution(far)
    return pin


def test_pin_said_nearby_is_offered_and_can_be_supported_instead(
    page: Page, live_app: LiveApp
) -> None:
    said = _said_nearby(live_app, "Eine Bank im Schatten der Linde.")
    open_link(page, live_app, f"c=ortsmitte&at={SPOT[0]},{SPOT[1]}")
    expect(page.locator("#nearby")).to_be_hidden()
    page.get_by_label("Thema").select_option("sitzen-aufenthalt")
    suggestions = page.locator("#nearby")
    expect(suggestions).to_be_visible()
    expect(page.locator("#nearby-status")).to_have_text("Ähnliche Beiträge in der Nähe: 1")
    expect(page.locator("#nearby-status")).to_have_attribute("role", "status")
    entry = suggestions.locator("li", has_text="Eine Bank im Schatten der Linde.")
    expect(entry).to_contain_text("Unterstützungen: 0")
    expect(suggestions).not_to_contain_text("Weit weg.")
    entry.get_by_role("button", name="Stattdessen unterstützen").focus()
    page.keyboard.press("Enter")
    expect(entry).to_contain_text("Unterstützungen: 1")
    expect(entry.get_by_role("button", name="Unterstützt")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#announcer")).to_contain_text("Ihre Unterstützung ist gezählt")
    assert live_app.store.get_contribution(said.id).support_count == 1

    page.get_by_label("Thema").select_option("parken-verkehr")
    expect(suggestions).to_be_hidden()
    expect(page.locator("#nearby-status")).to_have_text("")


def test_sending_anyway_stays_one_click(page: Page, live_app: LiveApp) -> None:
    _said_nearby(live_app, "Eine Bank am Brunnen.")
    open_link(page, live_app, f"c=ortsmitte&at={SPOT[0]},{SPOT[1]}")
    fill_form(page, "Trotzdem: ein Trinkbrunnen wäre gut.")
    expect(page.locator("#nearby")).to_contain_text("Eine Bank am Brunnen.")
    send(page)
    expect(page.locator("#thanks")).to_be_visible()
    pin = pin_of(live_app, "ortsmitte", "Trotzdem:")
    assert (pin.source, pin.poster_key) == (Source.ONLINE, None)
    assert pin.geometry == {"type": "Point", "coordinates": list(SPOT)}
