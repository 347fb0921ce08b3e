"""The public map of many pins: lean pins or clusters per view, detail on opening, ETag, gzip."""

import math
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geoapp.config import Settings
from geoapp.domain import Contribution, Status
from geoapp.services import mapview
from geoapp.store import Store
from tests.factories import make_consultation, make_contribution, make_reply, sign_in_as

PINS_MAX = 20
VIEW = "7.709,51.575,7.716,51.580"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, seed_demo=False, form_min_seconds=0, map_pins_max=PINS_MAX)


def scatter(store: Store, consultation, n: int) -> list[Contribution]:
    rng = random.Random(3)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    pins = [
        Contribution(
            id=str(uuid.uuid4()),
            consultation_id=consultation.id,
            geometry={
                "type": "Point",
                "coordinates": [
                    round(rng.uniform(7.7078, 7.7178), 7),
                    round(rng.uniform(51.5748, 51.5808), 7),
                ],
            },
            category=rng.choice(["sitzen-aufenthalt", "parken-verkehr"]),
            text=f"Beitrag {i}: mehr Grün und Schatten an der Straße",
            status=Status.PUBLISHED if i % 5 else Status.PENDING,
            support_count=rng.randrange(9),
            created_at=start + timedelta(minutes=i),
            updated_at=start,
        )
        for i in range(n)
    ]
    store.add_contributions(pins, [])
    return pins


def in_view(pins: list[Contribution], bbox: str) -> list[Contribution]:
    x0, y0, x1, y1 = map(float, bbox.split(","))
    return [
        p
        for p in pins
        if p.status == Status.PUBLISHED
        and x0 <= p.geometry["coordinates"][0] <= x1
        and y0 <= p.geometry["coordinates"][1] <= y1
    ]


def test_a_view_of_many_pins_comes_as_clusters_that_count_every_pin(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    pins = scatter(app_store, consultation, 600)
    response = app_client.get(f"/api/consultations/test/map?bbox={VIEW}&zoom=16")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "clusters"
    shown = in_view(pins, VIEW)
    assert body["total"] == len(shown) > PINS_MAX
    # Brute force: the same pins counted per cell and category in Python.
    grid = mapview.grid(16, mapview.BBox(*map(float, VIEW.split(","))))
    expected: dict[tuple[int, int], dict[str, int]] = {}
    for pin in shown:
        lon, lat = pin.geometry["coordinates"]
        cell = (math.floor((lon + 180) / grid.size_lon), math.floor((lat + 90) / grid.size_lat))
        counts = expected.setdefault(cell, {})
        counts[pin.category] = counts.get(pin.category, 0) + 1
    got = sorted(sorted(f["properties"]["categories"].items()) for f in body["features"])
    assert got == sorted(sorted(c.items()) for c in expected.values())
    for feature in body["features"]:
        props = feature["properties"]
        assert props["count"] == sum(props["categories"].values())
        x0, y0, x1, y1 = feature["bbox"]
        lon, lat = feature["geometry"]["coordinates"]
        assert x0 - 1e-7 <= lon <= x1 + 1e-7 and y0 - 1e-7 <= lat <= y1 + 1e-7


def test_the_category_filter_narrows_the_clusters(app_client: TestClient, app_store) -> None:
    consultation = make_consultation(app_store)
    pins = scatter(app_store, consultation, 600)
    url = f"/api/consultations/test/map?bbox={VIEW}&zoom=15&category=parken-verkehr"
    body = app_client.get(url).json()
    parking = [p for p in in_view(pins, VIEW) if p.category == "parken-verkehr"]
    assert body["total"] == len(parking)
    assert {k for f in body["features"] for k in f["properties"]["categories"]} == {
        "parken-verkehr"
    }


def test_a_small_view_comes_as_lean_pins(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    pins = scatter(app_store, consultation, 600)
    small = "7.7100,51.5760,7.7112,51.5768"
    body = app_client.get(f"/api/consultations/test/map?bbox={small}&zoom=19").json()
    assert body["kind"] == "pins"
    expected = {p.id: p for p in in_view(pins, small)}
    assert 0 < len(expected) <= PINS_MAX
    assert {f["id"] for f in body["features"]} == set(expected)
    for feature in body["features"]:
        pin = expected[feature["id"]]
        assert feature["geometry"] == pin.geometry
        assert feature["properties"] == {
            "category": pin.category,
            "support_count": pin.support_count,
            "excerpt": pin.text[:81],
        }


def test_lean_pin_and_detail_carry_everything_the_popup_showed(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation, text="Eine Bank " + "im Schatten " * 20)
    make_reply(app_store, pin)
    app_client.post(f"/api/contributions/{pin.id}/supports")
    before = app_client.get("/api/consultations/test/contributions").json()["features"][0]
    lean = app_client.get("/api/consultations/test/map?zoom=15").json()["features"][0]
    detail = app_client.get(f"/api/contributions/{pin.id}").json()
    assert lean["id"] == before["id"] == detail["id"]
    assert lean["geometry"] == before["geometry"] == detail["geometry"]
    assert lean["properties"]["category"] == before["properties"]["category"]
    assert lean["properties"]["support_count"] == before["properties"]["support_count"] == 1
    for key, value in before["properties"].items():
        assert detail[key] == value, key
    assert detail["reply_count"] == len(detail["replies"]) == 1
    assert detail["supported_by_me"] is True


def test_an_unchanged_view_is_answered_304_until_a_pin_changes(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    url = f"/api/consultations/test/map?bbox={VIEW}&zoom=16"
    first = app_client.get(url)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = app_client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    # Another view has another tag, though the data is the same.
    assert app_client.get(url.replace("zoom=16", "zoom=17")).headers["etag"] != tag
    changes = [
        lambda: app_client.post(f"/api/contributions/{pin.id}/supports"),
        lambda: make_reply(app_store, pin),
        lambda: make_contribution(app_store, consultation, text="Noch einer"),
    ]
    for change in changes:
        change()
        changed = app_client.get(url, headers={"If-None-Match": tag})
        assert changed.status_code == 200
        assert changed.headers["etag"] != tag
        tag = changed.headers["etag"]
    # Not a stale copy kept by the worker: the new pin and the support are in the answer.
    pins = changed.json()["features"]
    assert len(pins) == 2
    assert {p["properties"]["support_count"] for p in pins} == {0, 1}
    assert app_client.get(url, headers={"If-None-Match": f'"x", {tag}'}).status_code == 304


def test_map_and_list_are_compressed(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    scatter(app_store, consultation, 300)
    for url in (
        f"/api/consultations/test/map?bbox={VIEW}&zoom=16",
        "/api/consultations/test/contributions?limit=50",
        "/js/map.js",
    ):
        response = app_client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip", url
        assert int(response.headers["content-length"]) < len(response.content), url


def test_a_client_without_gzip_gets_the_view_plain(app_client: TestClient, app_store) -> None:
    consultation = make_consultation(app_store)
    scatter(app_store, consultation, 300)
    url = f"/api/consultations/test/map?bbox={VIEW}&zoom=16"
    zipped = app_client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = app_client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == zipped.headers["vary"] == "Accept-Encoding"
    assert plain.json() == zipped.json()


def test_planner_answers_are_never_compressed(app_client: TestClient, app_store: Store) -> None:
    """Their CSRF token beside text anyone can send would leak through the compressed size."""
    consultation = make_consultation(app_store)
    scatter(app_store, consultation, 300)
    sign_in_as(app_client, app_store)
    for url in ("/api/planner/session", "/api/planner/contributions?consultation=test"):
        response = app_client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, (url, response.text)
        assert "content-encoding" not in response.headers, url


def test_the_list_pages_through_the_view_with_pins_without_a_place(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    pins = scatter(app_store, consultation, 300)
    unplaced = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry=None,
        category="parken-verkehr",
        text="Für den ganzen Ort",
        status=Status.PUBLISHED,
        created_at=datetime(2026, 4, 1, tzinfo=UTC),
        updated_at=datetime(2026, 4, 1, tzinfo=UTC),
    )
    app_store.add_contributions([unplaced], [])
    seen: list[dict] = []
    base = (
        f"/api/consultations/test/contributions?bbox={VIEW}&limit=40&sort=supported&unplaced=true"
    )
    offset = 0
    while True:
        page = app_client.get(f"{base}&offset={offset}").json()
        seen.extend(page["features"])
        offset += 40
        if offset >= page["numberMatched"]:
            break
    assert page["numberMatched"] == len(in_view(pins, VIEW)) + 1 == len(seen)
    assert len({f["id"] for f in seen}) == len(seen)
    assert unplaced.id in {f["id"] for f in seen}
    supports = [f["properties"]["support_count"] for f in seen]
    assert supports == sorted(supports, reverse=True)
    assert "contact_email" not in seen[0]["properties"]


def test_refuses_a_zoom_out_of_range(app_client: TestClient, app_store: Store) -> None:
    make_consultation(app_store)
    response = app_client.get("/api/consultations/test/map?zoom=99")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
