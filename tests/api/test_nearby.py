"""“Someone already said this nearby”: published pins of the topic close to the resident's point."""

from fastapi.testclient import TestClient
from httpx import Response

from geoapp.domain import Status
from geoapp.store import Store
from tests.factories import INSIDE, make_consultation, make_contribution


def _at(metres_east: float) -> list[float]:
    return [INSIDE[0] + metres_east / 69_230.0, INSIDE[1]]


def _nearby(client: TestClient, category: str = "sitzen-aufenthalt", **params: object) -> Response:
    query = {"lon": INSIDE[0], "lat": INSIDE[1], "category": category, **params}
    return client.get("/api/consultations/test/nearby", params=query)


def test_nearby_lists_published_pins_of_the_topic_within_50_m(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    near = make_contribution(app_store, consultation, coordinates=_at(20), text="Bank fehlt.")
    nearer = make_contribution(app_store, consultation, coordinates=_at(5), text="Mehr Bänke!")
    make_contribution(app_store, consultation, coordinates=_at(70))
    make_contribution(app_store, consultation, coordinates=_at(1), category="parken-verkehr")
    make_contribution(app_store, consultation, coordinates=_at(2), status=Status.PENDING)
    make_contribution(app_store, consultation, coordinates=_at(3), status=Status.REJECTED)
    private = make_contribution(
        app_store, consultation, coordinates=_at(4), contact_email="geheim@example.org"
    )
    app_store.set_support(nearer.id, "someone", True, nearer.created_at)
    response = _nearby(app_client)
    assert response.status_code == 200, response.text
    found = response.json()
    assert [(p["id"], p["distance_m"]) for p in found] == [
        (private.id, 4),
        (nearer.id, 5),
        (near.id, 20),
    ]
    assert found[1]["support_count"] == 1
    assert "geheim" not in response.text
    assert set(found[0]) == {"id", "category", "text", "support_count", "created_at", "distance_m"}


def test_nearby_never_lists_more_than_three(app_client: TestClient, app_store: Store) -> None:
    consultation = make_consultation(app_store)
    for metres in range(6):
        make_contribution(app_store, consultation, coordinates=_at(metres * 5))
    assert [p["distance_m"] for p in _nearby(app_client).json()] == [0, 5, 10]


def test_nearby_is_empty_for_another_topic_or_far_away(
    app_client: TestClient, app_store: Store
) -> None:
    consultation = make_consultation(app_store)
    make_contribution(app_store, consultation, coordinates=_at(60))
    assert _nearby(app_client).json() == []
    assert _nearby(app_client, category="parken-verkehr").json() == []


def test_nearby_refuses_unknown_topic_and_bad_coordinates(
    app_client: TestClient, app_store: Store
) -> None:
    make_consultation(app_store)
    unknown = _nearby(app_client, category="nope")
    assert unknown.status_code == 422 and unknown.json()["code"] == "category_unknown"
    for lon in ("nan", "inf", "200"):
        response = _nearby(app_client, lon=lon)
        assert response.status_code == 422, (lon, response.text)
