"""Numbers a client can write that are no finite float, and perimeters too large to test."""

import json

import pytest
import shapely.geometry
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.domain import ContributionQuery, Status
from tests.api.test_contributions import assert_problem
from tests.api.test_contributions import body as pin_body
from tests.api.test_planner_consultations import payload as consultation_payload
from tests.api.test_planner_consultations import upload as upload_perimeter
from tests.factories import (
    INSIDE,
    PERIMETER,
    make_consultation,
    make_contribution,
    sign_in_as,
    with_form_token,
)

# JSON allows any length of integer, and Python's parser also takes NaN and Infinity.
NOT_FLOATS = ["1" + "0" * 399, "-" + "7" * 400, "NaN", "Infinity", "-Infinity", "1e400"]
PLACEHOLDER = '"@@number@@"'


def perimeter_with_placeholder() -> dict:
    ring = [list(c) for c in PERIMETER["coordinates"][0]]
    ring[1][0] = PLACEHOLDER
    return {"type": "Polygon", "coordinates": [ring]}


def send(client: TestClient, method: str, url: str, payload: dict, number: str):
    text = json.dumps(payload).replace(json.dumps(PLACEHOLDER), number)
    return client.request(method, url, content=text, headers={"Content-Type": "application/json"})


def geometry_routes(client: TestClient, store) -> list[tuple[str, str, dict, str]]:
    """(method, url, body with the placeholder, field) for every route that takes a geometry."""
    point = {"type": "Point", "coordinates": [PLACEHOLDER, INSIDE[1]]}
    pin = make_contribution(store, store.get_consultation("test"))
    return [
        (
            "POST",
            "/api/consultations/test/contributions",
            with_form_token(client, pin_body(geometry=point)),
            "geometry",
        ),
        (
            "POST",
            "/api/planner/consultations/test/contributions",
            {
                "geometry": point,
                "category": "sitzen-aufenthalt",
                "text": "Vom Papierbogen übernommen.",
                "source": "paper",
            },
            "geometry",
        ),
        ("PATCH", f"/api/planner/contributions/{pin.id}", {"geometry": point}, "geometry"),
        (
            "POST",
            "/api/planner/consultations",
            consultation_payload(perimeter=perimeter_with_placeholder()),
            "perimeter",
        ),
        (
            "PATCH",
            "/api/planner/consultations/test",
            {"perimeter": perimeter_with_placeholder()},
            "perimeter",
        ),
    ]


@pytest.mark.parametrize("number", NOT_FLOATS)
def test_every_geometry_route_refuses_a_coordinate_that_is_no_finite_float(
    app_client, app_store, number
) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    for method, url, payload, field in geometry_routes(app_client, app_store):
        problem = assert_problem(send(app_client, method, url, payload, number), 422, field)
        assert "[7.7128, 51.5778]" in problem["detail"], (url, problem)
    assert app_store.get_consultation("spielplatz-2027") is None
    assert app_store.get_consultation("test").perimeter == PERIMETER
    # Nothing else was stored either: only the pin the routes were given to edit, unchanged.
    consultation = app_store.get_consultation("test")
    every_status = ContributionQuery(consultation.id, statuses=tuple(Status))
    [pin] = app_store.list_contributions(every_status)
    assert pin.geometry["coordinates"] == INSIDE


@pytest.mark.parametrize("bbox", ["nan,51,8,52", "7,51,inf,52", "1" * 400 + ",51,8,52"])
def test_bbox_that_is_no_finite_float_is_refused(app_client, app_store, bbox) -> None:
    make_consultation(app_store)
    response = app_client.get("/api/consultations/test/contributions", params={"bbox": bbox})
    assert assert_problem(response, 422, "bbox")["code"] == "bbox_invalid"


@pytest.mark.parametrize("lon", ["nan", "inf", "1" * 400])
def test_nearest_place_refuses_a_longitude_that_is_no_finite_float(app_client, lon) -> None:
    assert_problem(app_client.get("/api/reference/nearest", params={"lon": lon, "lat": 51.5}), 422)


def ring_with(vertices: int) -> list[list[float]]:
    circle = shapely.geometry.Point(7.7128, 51.5778).buffer(0.003, quad_segs=(vertices - 1) // 4)
    ring = [list(c) for c in circle.exterior.coords]
    assert len(ring) == vertices
    return ring


def test_drawn_perimeter_with_too_many_vertices_is_refused_on_create_and_update(
    make_settings,
) -> None:
    settings = make_settings(seed_demo=False, max_perimeter_vertices=100)
    huge = {"type": "Polygon", "coordinates": [ring_with(101)]}
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store
        make_consultation(store)
        sign_in_as(client, store)
        created = client.post(
            "/api/planner/consultations", json=consultation_payload(perimeter=huge)
        )
        problem = assert_problem(created, 422, "perimeter")
        assert problem["code"] == "perimeter_too_many_vertices"
        assert "100" in problem["detail"]
        updated = client.patch("/api/planner/consultations/test", json={"perimeter": huge})
        assert assert_problem(updated, 422, "perimeter")["code"] == "perimeter_too_many_vertices"
        assert store.get_consultation("test").perimeter == PERIMETER
        fits = {"type": "Polygon", "coordinates": [ring_with(97)]}
        assert (
            client.patch("/api/planner/consultations/test", json={"perimeter": fits}).status_code
            == 200
        )


def test_uploaded_perimeter_over_ten_thousand_vertices_is_refused(app_client, app_store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring_with(10_001)]},
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    response = upload_perimeter(app_client, "gebiet.geojson", data)
    problem = assert_problem(response, 422, "perimeter")
    assert problem["code"] == "perimeter_too_many_vertices"
    assert "10000" in problem["detail"].replace(".", "").replace("\u202f", "")
    assert app_store.get_consultation("test").perimeter == PERIMETER


@pytest.mark.parametrize("number", ["1" + "0" * 399, "NaN", "1e400"])
def test_uploaded_files_with_such_numbers_are_refused_cleanly(app_client, app_store, number):
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    ring = [list(c) for c in PERIMETER["coordinates"][0]]
    ring[1][0] = PLACEHOLDER
    area = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    pin = {
        "type": "Feature",
        "properties": {"category": "sitzen-aufenthalt", "text": "Eine Bank, bitte."},
        "geometry": {"type": "Point", "coordinates": [PLACEHOLDER, INSIDE[1]]},
    }

    def geojson(feature: dict) -> bytes:
        collection = {"type": "FeatureCollection", "features": [feature]}
        return json.dumps(collection).replace(json.dumps(PLACEHOLDER), number).encode()

    assert_problem(upload_perimeter(app_client, "gebiet.geojson", geojson(area)), 422)
    assert app_store.get_consultation("test").perimeter == PERIMETER
    for name, data in [
        ("karten.geojson", geojson(pin)),
        (
            "karten.csv",
            f"lon,lat,category,text\n{number},51.5778,sitzen-aufenthalt,Bank\n".encode(),
        ),
    ]:
        response = app_client.post(
            "/api/planner/consultations/test/imports", files={"file": (name, data)}
        )
        assert response.status_code in (200, 422), response.text
        if response.status_code == 200:
            assert response.json()["created"] == 0 and len(response.json()["refused"]) == 1
