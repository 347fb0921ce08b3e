"""Geometries GEOS cannot build are refused with a 422 (each was a 500 before).

Numbers no float can hold are tests/api/test_number_limits.py's.
"""

import json

from fastapi.testclient import TestClient

from geoapp.store.base import Store
from tests.factories import INSIDE, PERIMETER, make_consultation, sign_in_as

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
