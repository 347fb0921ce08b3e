"""Numbers no float can hold, and geometries GEOS cannot build, are refused with a 422.

Each of these was a 500 before: Python's JSON parser reads a 400-digit integer as an int,
which overflows when turned into a float; GEOS refuses to build a ring that is not closed.
"""

import json

import pytest
from fastapi.testclient import TestClient

from geoapp.domain import ContributionQuery, Status
from geoapp.store.base import Store
from tests.factories import INSIDE, PERIMETER, make_consultation, make_contribution, sign_in_as

HUGE = "1" * 400  # an integer literal beyond the float range (about 1.8e308)


RAW = "@raw@"


def send_raw(client: TestClient, method: str, url: str, data: dict, raw: str):
    """Send `data` as JSON with the string RAW replaced by `raw` as it is (no JSON encoder
    writes a 400-digit integer or NaN where a client can)."""
    body = json.dumps(data).replace(f'"{RAW}"', raw)
    return client.request(method, url, content=body, headers={"Content-Type": "application/json"})


POINT = {"type": "Point", "coordinates": [RAW, INSIDE[1]]}


def assert_refused(response, code: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


@pytest.mark.parametrize("coordinate", [HUGE, "-" + HUGE, "NaN", "Infinity", "1e400"])
def test_a_resident_pin_with_a_coordinate_no_float_holds_is_refused(
    app_client: TestClient, app_store: Store, coordinate: str
) -> None:
    consultation = make_consultation(app_store)
    pin = {"geometry": POINT, "category": "sitzen-aufenthalt", "text": "Bank", "consent": True}
    url = "/api/consultations/test/contributions"
    response = send_raw(app_client, "POST", url, pin, coordinate)
    assert_refused(response, "coordinates_malformed")
    every_status = ContributionQuery(consultation.id, statuses=tuple(Status))
    assert app_store.list_contributions(every_status) == []


def test_a_planner_entry_and_an_edit_with_a_huge_coordinate_are_refused(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    sign_in_as(app_client, app_store)
    entry = {"geometry": POINT, "category": "sitzen-aufenthalt", "text": "Karte", "source": "paper"}
    url = "/api/planner/consultations/test/contributions"
    assert_refused(send_raw(app_client, "POST", url, entry, HUGE), "coordinates_malformed")
    url = f"/api/planner/contributions/{pin.id}"
    response = send_raw(app_client, "PATCH", url, {"geometry": POINT}, HUGE)
    assert_refused(response, "coordinates_malformed")
    assert app_store.get_contribution(pin.id).geometry["coordinates"] == INSIDE


def test_a_perimeter_with_a_huge_coordinate_is_refused(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    ring = [[RAW, 51.5748], *PERIMETER["coordinates"][0][1:-1], [RAW, 51.5748]]
    perimeter = {"type": "Polygon", "coordinates": [ring]}
    url = "/api/planner/consultations/test"
    response = send_raw(app_client, "PATCH", url, {"perimeter": perimeter}, HUGE)
    assert_refused(response, "perimeter_malformed")
    assert app_store.get_consultation("test").perimeter == PERIMETER


UNCLOSED = {
    "type": "Feature",
    "properties": {"category": "sitzen-aufenthalt", "text": "Fläche"},
    "geometry": {"type": "Polygon", "coordinates": [PERIMETER["coordinates"][0][:-1]]},
}


def test_an_uploaded_perimeter_whose_ring_is_not_closed_is_refused(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    data = json.dumps({"type": "FeatureCollection", "features": [UNCLOSED]}).encode()
    response = app_client.put(
        "/api/planner/consultations/test/perimeter", files={"file": ("gebiet.geojson", data)}
    )
    assert_refused(response, "file_unreadable")
    assert app_store.get_consultation("test").perimeter == PERIMETER


def test_an_import_with_a_ring_that_is_not_closed_is_refused(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    data = json.dumps({"type": "FeatureCollection", "features": [UNCLOSED]}).encode()
    response = app_client.post(
        "/api/planner/consultations/test/imports", files={"file": ("pins.geojson", data)}
    )
    assert_refused(response, "file_unreadable")
