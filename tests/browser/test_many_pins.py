"""The resident map with 5,000 pins: clusters with counts, a pin's detail, a new pin, pages."""

import random
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shapely.geometry
from playwright.sync_api import Page, expect

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import Contribution, ContributionQuery, Status
from tests.browser.conftest import LiveApp
from tests.browser.pages import fill_form, open_map, place_pin, popup, send
from tests.live_server import serve

MANY = 5000
TEXTS = (
    "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
    "Der Radweg endet hier plötzlich; bitte durchgehend bis zum Bahnhof.",
    "Schöner Platz, aber abends zu dunkel.",
)


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[LiveApp]:
    """The demo app with 5,000 more published pins in `ortsmitte`, inside its perimeter."""
    app = create_app(Settings(data_dir=tmp_path, seed_demo=True, form_min_seconds=0))
    with serve(app) as url:
        store = app.state.store
        consultation = store.get_consultation("ortsmitte")
        area = shapely.geometry.shape(consultation.perimeter)
        min_lon, min_lat, max_lon, max_lat = area.bounds
        rng = random.Random(14)
        now = datetime.now(UTC)
        pins = []
        while len(pins) < MANY:
            point = [rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)]
            if not area.contains(shapely.geometry.Point(point)):
                continue
            pins.append(
                Contribution(
                    id=str(uuid.uuid4()),
                    consultation_id=consultation.id,
                    geometry={"type": "Point", "coordinates": [round(v, 7) for v in point]},
                    category=rng.choice(consultation.categories).key,
                    text=rng.choice(TEXTS),
                    status=Status.PUBLISHED,
                    support_count=rng.randrange(20),
                    created_at=now - timedelta(days=1, seconds=len(pins)),
                    updated_at=now,
                )
            )
        store.add_contributions(pins, [])
        yield LiveApp(url, store)


def published(live_app: LiveApp) -> list[Contribution]:
    consultation = live_app.store.get_consultation("ortsmitte")
    return live_app.store.list_contributions(ContributionQuery(consultation_id=consultation.id))


def test_the_page_draws_clusters_that_count_every_pin(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    clusters = page.locator(".leaflet-marker-pane .marker-cluster")
    expect(clusters.first).to_be_visible()
    counts = [int(n) for n in page.locator(".marker-cluster span").all_inner_texts()]
    placed = [c for c in published(live_app) if c.geometry is not None]
    assert sum(counts) == len(placed) >= MANY
    # Far fewer elements than pins: the page never draws one node per pin.
    assert page.locator(".leaflet-marker-icon").count() < 400
    assert page.locator("#contribution-list > li").count() == 50
    name = clusters.first.get_attribute("aria-label") or ""
    # "6 Beiträge: 2 Natur, Seseke & Mühlbach; 4 Sicherheit, Beleuchtung & Sauberkeit"
    count, topics = re.fullmatch(r"(\d+) Beiträge: (.+)", name).groups()  # type: ignore[union-attr]
    assert int(count) == sum(int(topic.split(" ", 1)[0]) for topic in topics.split("; "))


def test_enter_on_a_cluster_zooms_in_until_pins_open_with_their_detail(
    page: Page, live_app: LiveApp
) -> None:
    open_map(page, live_app.url)
    for _ in range(6):
        if page.locator(".leaflet-marker-pane .pin-icon").count():
            break
        cluster = page.locator(".leaflet-marker-pane .marker-cluster").first
        expect(cluster).to_be_visible()
        before = page.locator("#list-count").inner_text()
        cluster.focus()
        page.keyboard.press("Enter")
        # The map has moved on and asked for its new view.
        expect(page.locator("#list-count")).not_to_have_text(before)
    pin = page.locator(".leaflet-marker-pane .pin-icon").first
    expect(pin).to_be_visible()
    assert re.search(r", \d+ Unterstützungen$", pin.get_attribute("aria-label") or "")
    pin.focus()
    page.keyboard.press("Enter")
    expect(popup(page).locator(".pin-meta")).to_be_visible()
    expect(popup(page).locator(".report .link-button")).to_be_visible()
    assert popup(page).locator(".pin-text").inner_text() in TEXTS


def test_a_new_pin_is_placed_among_the_clusters(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    place_pin(page, dx=-40, dy=30)
    fill_form(page, "Zwischen fünftausend anderen: ein Trinkbrunnen.")
    send(page)
    expect(page.locator("#thanks")).to_contain_text("jetzt auf der Karte")
    assert published(live_app)[0].text == "Zwischen fünftausend anderen: ein Trinkbrunnen."
    expect(page.locator("#contribution-list > li").first).to_contain_text(
        "Zwischen fünftausend anderen"
    )


def test_the_list_pages_through_the_view(page: Page, live_app: LiveApp) -> None:
    open_map(page, live_app.url)
    total = len(published(live_app))
    expect(page.locator("#list-count")).to_have_text(f"Beiträge 1–50 von {total}")
    expect(page.get_by_role("button", name="Vorherige Seite")).to_be_disabled()
    first = page.locator("#contribution-list > li").first.get_attribute("data-id")
    page.get_by_role("button", name="Nächste Seite").click()
    expect(page.locator("#list-count")).to_have_text(f"Beiträge 51–100 von {total}")
    expect(page.locator("#contribution-list > li")).to_have_count(50)
    assert page.locator("#contribution-list > li").first.get_attribute("data-id") != first
    page.get_by_role("button", name="Vorherige Seite").click()
    expect(page.locator("#list-count")).to_have_text(f"Beiträge 1–50 von {total}")
    expect(page.locator("#contribution-list > li").first).to_have_attribute("data-id", first)
