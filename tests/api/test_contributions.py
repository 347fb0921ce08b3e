"""Residents' API: creating pins, reading them, and every refusal as problem+json."""

import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import ConsultationStatus, ContributionQuery, Moderation, Status
from geoapp.store import Store, open_store
from tests.factories import INSIDE, OUTSIDE, make_consultation, make_contribution, with_form_token
from tests.live_server import serve


def body(**overrides):
    data = {
        "geometry": {"type": "Point", "coordinates": INSIDE},
        "category": "sitzen-aufenthalt",
        "text": "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
        "consent": True,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not ...}


def post(client: TestClient, payload, slug: str = "test", language: str = "de"):
    return client.post(
        f"/api/consultations/{slug}/contributions",
        json=with_form_token(client, payload),
        headers={"Accept-Language": language},
    )


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"] and problem["type"]
    if field:
        assert [e["field"] for e in problem["errors"]] == [field]
    return problem


def test_post_moderated_pin_is_published_and_listed(app_client, app_store) -> None:
    make_consultation(app_store)
    response = post(app_client, body(author_name="Erika", contact_email="erika@example.org"))
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "published"
    assert "contact_email" not in created

    listed = app_client.get("/api/consultations/test/contributions")
    assert listed.headers["content-type"] == "application/geo+json"
    collection = listed.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["id"] == created["id"]
    assert feature["geometry"] == {"type": "Point", "coordinates": INSIDE}
    props = feature["properties"]
    assert props["text"] == "Mehr Bänke mit Aufstehhilfe vor der Sparkasse."
    assert props["author_name"] == "Erika"
    assert props["category"] == "sitzen-aufenthalt"
    assert props["support_count"] == 0
    assert "erika@example.org" not in listed.text


def test_contribution_acknowledged_is_on_disk(app_client, app_store, settings: Settings) -> None:
    make_consultation(app_store)
    created = post(app_client, body(contact_email="erika@example.org")).json()
    other_reader = open_store(settings.effective_database_url)
    try:
        stored = other_reader.get_contribution(created["id"])
    finally:
        other_reader.close()
    assert stored is not None
    assert stored.text == "Mehr Bänke mit Aufstehhilfe vor der Sparkasse."
    assert stored.contact_email == "erika@example.org"


def test_pre_moderated_pin_is_pending_and_not_public(app_client, app_store) -> None:
    make_consultation(app_store, moderation=Moderation.PRE)
    created = post(app_client, body()).json()
    assert created["status"] == "pending"
    assert app_client.get("/api/consultations/test/contributions").json()["features"] == []


def test_category_filter_and_bbox(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    parking = make_contribution(
        app_store, consultation, category="parken-verkehr", coordinates=[7.7090, 51.5778]
    )
    make_contribution(app_store, consultation, coordinates=[7.7170, 51.5778])
    by_category = app_client.get(
        "/api/consultations/test/contributions", params={"category": "parken-verkehr"}
    ).json()
    assert [f["id"] for f in by_category["features"]] == [parking.id]
    by_bbox = app_client.get(
        "/api/consultations/test/contributions", params={"bbox": "7.708,51.57,7.712,51.58"}
    ).json()
    assert [f["id"] for f in by_bbox["features"]] == [parking.id]


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "7.72,51.57,7.70,51.58", "0,0,200,10"])
def test_refuses_malformed_bbox(app_client, app_store, bbox: str) -> None:
    make_consultation(app_store)
    response = app_client.get("/api/consultations/test/contributions", params={"bbox": bbox})
    assert "minLon,minLat,maxLon,maxLat" in assert_problem(response, 422, "bbox")["detail"]


def test_consultations_list_in_requested_language(app_client, app_store) -> None:
    make_consultation(app_store, slug="ortsmitte")
    make_consultation(app_store, slug="entwurf", status=ConsultationStatus.DRAFT)
    german = app_client.get("/api/consultations").json()
    assert [c["slug"] for c in german] == ["ortsmitte"]
    assert german[0]["title"] == "Test ortsmitte"
    assert german[0]["categories"][0] == {
        "key": "sitzen-aufenthalt",
        "label": "Sitzen & Aufenthalt",
        "color": "#1f6feb",
    }
    assert german[0]["perimeter"]["type"] == "Polygon"
    english = app_client.get("/api/consultations", headers={"Accept-Language": "en"}).json()
    assert english[0]["title"] == "Test ortsmitte (en)"
    one = app_client.get("/api/consultations/ortsmitte").json()
    assert one["moderation"] == "post" and one["status"] == "open"


def test_unknown_consultation_is_404_problem(app_client) -> None:
    problem = assert_problem(app_client.get("/api/consultations/gibt-es-nicht"), 404)
    assert "gibt-es-nicht" in problem["detail"]
    assert_problem(post(app_client, body(), slug="gibt-es-nicht"), 404)


def test_refuses_unknown_category(app_client, app_store) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(category="schwimmbad")), 422, "category")
    assert "schwimmbad" in problem["detail"] and "Thema" in problem["detail"]


@pytest.mark.parametrize("text", ["", "   ", ...])
def test_refuses_empty_text(app_client, app_store, text) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(text=text)), 422, "text")
    assert problem["detail"] == "Bitte schreiben Sie einen Text."


def test_refuses_too_long_text_and_accepts_the_maximum(app_client, app_store) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(text="a" * 2001)), 422, "text")
    assert "2.000" in problem["detail"]
    assert post(app_client, body(text="ä" * 2000)).status_code == 201


def test_refuses_point_outside_perimeter(app_client, app_store) -> None:
    make_consultation(app_store)
    response = post(app_client, body(geometry={"type": "Point", "coordinates": OUTSIDE}))
    assert "außerhalb des Gebiets" in assert_problem(response, 422, "geometry")["detail"]


def test_swapped_coordinates_get_a_hint(app_client, app_store) -> None:
    make_consultation(app_store)
    swapped = {"type": "Point", "coordinates": [INSIDE[1], INSIDE[0]]}
    problem = assert_problem(post(app_client, body(geometry=swapped), language="en"), 422)
    assert "swapped" in problem["detail"]


def test_refuses_before_opening_and_after_closing(app_client, app_store) -> None:
    make_consultation(app_store, slug="bald", opens_in=timedelta(days=3))
    make_consultation(
        app_store, slug="vorbei", opens_in=timedelta(days=-30), closes_in=timedelta(days=-1)
    )
    make_consultation(app_store, slug="zu", status=ConsultationStatus.CLOSED)
    assert "beginnt erst" in assert_problem(post(app_client, body(), slug="bald"), 409)["detail"]
    assert "beendet" in assert_problem(post(app_client, body(), slug="vorbei"), 409)["detail"]
    assert "beendet" in assert_problem(post(app_client, body(), slug="zu"), 409)["detail"]
    # A closed consultation stays readable.
    assert app_client.get("/api/consultations/zu/contributions").status_code == 200


@pytest.mark.parametrize("consent", [False, None, "yes", ...])
def test_refuses_missing_consent(app_client, app_store, consent) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(consent=consent)), 422, "consent")
    assert "Datenschutzhinweis" in problem["detail"]


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        "7.71,51.57",
        {"type": "Polygon", "coordinates": [INSIDE]},
        {"type": "Point"},
        {"type": "Point", "coordinates": [7.7]},
        {"type": "Point", "coordinates": ["7.7", "51.5"]},
        {"type": "Point", "coordinates": [7.7, 51.5, 3, 4]},
        {"type": "Point", "coordinates": [True, 51.5]},
        {"type": "Point", "coordinates": [500, 51.5]},
        ...,
    ],
)
def test_refuses_malformed_geometry(app_client, app_store, geometry) -> None:
    make_consultation(app_store)
    assert_problem(post(app_client, body(geometry=geometry)), 422, "geometry")


def test_refuses_non_finite_coordinates(app_client, app_store) -> None:
    make_consultation(app_store)
    raw = body(geometry={"type": "Point", "coordinates": [0, 0]})
    content = httpx.Request("POST", "/", json=raw).content.replace(b"[0, 0]", b"[NaN, 51.5]")
    content = content.replace(b"[0,0]", b"[NaN,51.5]")
    response = app_client.post(
        "/api/consultations/test/contributions",
        content=content,
        headers={"content-type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("email", ["erika", "erika@", "@example.org", "a b@example.org"])
def test_refuses_invalid_email(app_client, app_store, email: str) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(contact_email=email)), 422, "contact_email")
    assert "E-Mail" in problem["detail"]


def test_several_mistakes_are_listed_together(app_client, app_store) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(text="", consent=False)), 422)
    assert {e["field"] for e in problem["errors"]} == {"text", "consent"}


def test_refuses_body_over_the_limit(app_client, app_store) -> None:
    make_consultation(app_store)
    huge = body(text="x" * 100_000)
    problem = assert_problem(post(app_client, huge), 413)
    assert "65.536" in problem["detail"]


def test_refuses_malformed_json(app_client, app_store) -> None:
    make_consultation(app_store)
    response = app_client.post(
        "/api/consultations/test/contributions",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert "JSON" in assert_problem(response, 400)["detail"]


def test_problem_details_in_english(app_client, app_store) -> None:
    make_consultation(app_store)
    problem = assert_problem(post(app_client, body(text=""), language="en-GB,en;q=0.9"), 422)
    assert problem["detail"] == "Please write a text."


def test_nothing_is_stored_when_refused(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    post(app_client, body(category="schwimmbad"))
    post(app_client, body(geometry={"type": "Point", "coordinates": OUTSIDE}))
    every_status = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    assert app_store.count_contributions(every_status) == 0


def test_unknown_path_is_problem_json(app_client) -> None:
    assert_problem(app_client.get("/api/nichts-hier"), 404)


def test_fifty_concurrent_submissions_are_all_stored(settings: Settings) -> None:
    settings.rate_pins_per_participant = 50  # one client sends them all; the limit is not tested
    app = create_app(settings)
    with serve(app) as base_url:
        make_consultation(app.state.store)

        async def send_all() -> list[int]:
            async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
                assert (await client.post("/api/participant")).status_code == 201
                token = (await client.get("/api/form-start")).json()["token"]
                responses = await asyncio.gather(
                    *(
                        client.post(
                            "/api/consultations/test/contributions",
                            json=body(text=f"Beitrag Nummer {i}", form_token=token),
                        )
                        for i in range(50)
                    )
                )
            return [r.status_code for r in responses]

        assert asyncio.run(send_all()) == [201] * 50
    reader: Store = open_store(settings.effective_database_url)
    try:
        consultation = reader.get_consultation("test")
        stored = reader.list_contributions(ContributionQuery(consultation_id=consultation.id))
    finally:
        reader.close()
    assert sorted(c.text for c in stored) == sorted(f"Beitrag Nummer {i}" for i in range(50))
