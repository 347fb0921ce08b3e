"""Residents engage with pins: supports, replies, reports, "Meine Beiträge", the cookie."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.domain import AuditEvent, ConsultationStatus, Moderation, Status, TargetKind
from geoapp.security.participants import COOKIE_NAME, hash_token
from geoapp.store import Store
from tests.api.test_contributions import assert_problem, body
from tests.factories import (
    as_new_participant,
    become_participant,
    client_from,
    make_consultation,
    make_contribution,
    make_reply,
    with_form_token,
)
from tests.live_server import serve


def features(client: TestClient, slug: str = "test") -> dict[str, dict]:
    collection = client.get(f"/api/consultations/{slug}/contributions").json()
    return {f["id"]: f["properties"] for f in collection["features"]}


def report(client: TestClient, path: str, reason: str = "insult", **extra) -> httpx.Response:
    return client.post(path, json={"reason": reason, **extra})


# supports


def test_ten_supports_from_one_participant_count_once(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    responses = [app_client.post(f"/api/contributions/{pin.id}/supports") for _ in range(10)]
    assert [r.status_code for r in responses] == [200] * 10
    assert responses[-1].json() == {"support_count": 1, "supported_by_me": True}
    assert features(app_client)[pin.id]["support_count"] == 1
    assert app_client.get(f"/api/contributions/{pin.id}").json()["support_count"] == 1


def test_supports_from_ten_participants_count_ten(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    for _ in range(10):
        as_new_participant(app_client)
        assert app_client.post(f"/api/contributions/{pin.id}/supports").status_code == 200
    assert features(app_client)[pin.id]["support_count"] == 10


def test_second_click_takes_the_support_back(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    app_client.post(f"/api/contributions/{pin.id}/supports")
    assert app_client.get(f"/api/contributions/{pin.id}").json()["supported_by_me"] is True
    taken_back = app_client.delete(f"/api/contributions/{pin.id}/supports")
    assert taken_back.json() == {"support_count": 0, "supported_by_me": False}
    again = app_client.delete(f"/api/contributions/{pin.id}/supports")
    assert again.json() == {"support_count": 0, "supported_by_me": False}
    detail = app_client.get(f"/api/contributions/{pin.id}").json()
    assert detail["support_count"] == 0 and detail["supported_by_me"] is False


def test_supported_by_me_is_per_browser(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    app_client.post(f"/api/contributions/{pin.id}/supports")
    as_new_participant(app_client)
    detail = app_client.get(f"/api/contributions/{pin.id}").json()
    assert detail["support_count"] == 1 and detail["supported_by_me"] is False


def test_refuses_support_for_pending_or_unknown_pin(app_client, app_store) -> None:
    pending = make_contribution(app_store, make_consultation(app_store), status=Status.PENDING)
    problem = assert_problem(app_client.post(f"/api/contributions/{pending.id}/supports"), 404)
    assert problem["detail"] == "Diesen Beitrag gibt es nicht oder er ist nicht öffentlich."
    assert_problem(app_client.post("/api/contributions/gibt-es-nicht/supports"), 404)
    assert app_store.get_contribution(pending.id).support_count == 0


def test_refuses_support_after_the_consultation_closed(app_client, app_store) -> None:
    consultation = make_consultation(app_store, status=ConsultationStatus.CLOSED)
    pin = make_contribution(app_store, consultation)
    problem = assert_problem(app_client.post(f"/api/contributions/{pin.id}/supports"), 409)
    assert "beendet" in problem["detail"]
    assert_problem(app_client.delete(f"/api/contributions/{pin.id}/supports"), 409)
    # The pin stays readable.
    assert app_client.get(f"/api/contributions/{pin.id}").status_code == 200


# replies


def test_reply_under_post_moderation_shows_at_once(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    response = app_client.post(
        f"/api/contributions/{pin.id}/replies",
        json=with_form_token(app_client, {"text": "  Da stimme ich zu.  ", "author_name": "Jonas"}),
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "published" and created["text"] == "Da stimme ich zu."
    detail = app_client.get(f"/api/contributions/{pin.id}").json()
    assert detail["reply_count"] == 1
    assert [(r["text"], r["author_name"]) for r in detail["replies"]] == [
        ("Da stimme ich zu.", "Jonas")
    ]
    assert features(app_client)[pin.id]["reply_count"] == 1


def test_reply_under_pre_moderation_waits_for_approval(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store, moderation=Moderation.PRE))
    created = app_client.post(
        f"/api/contributions/{pin.id}/replies",
        json=with_form_token(app_client, {"text": "Gute Idee"}),
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    detail = app_client.get(f"/api/contributions/{pin.id}").json()
    assert detail["replies"] == [] and detail["reply_count"] == 0
    assert features(app_client)[pin.id]["reply_count"] == 0


def test_refuses_reply_when_replies_are_off(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store, allow_replies=False))
    response = app_client.post(
        f"/api/contributions/{pin.id}/replies", json=with_form_token(app_client, {"text": "Hallo"})
    )
    assert "keine Antworten" in assert_problem(response, 409)["detail"]
    assert app_store.list_replies(pin.id, list(Status)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "Bitte schreiben Sie einen Text."), ("a" * 1001, "höchstens 1.000 Zeichen")],
)
def test_refuses_empty_or_too_long_reply(app_client, app_store, text, expected) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    response = app_client.post(
        f"/api/contributions/{pin.id}/replies", json=with_form_token(app_client, {"text": text})
    )
    assert expected in assert_problem(response, 422, "text")["detail"]
    ok = app_client.post(
        f"/api/contributions/{pin.id}/replies",
        json=with_form_token(app_client, {"text": "ä" * 1000}),
    )
    assert ok.status_code == 201


def test_refuses_reply_to_hidden_pin(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store), status=Status.HIDDEN)
    response = app_client.post(
        f"/api/contributions/{pin.id}/replies", json=with_form_token(app_client, {"text": "Hallo"})
    )
    assert_problem(response, 404)


# reports


def test_report_threshold_hides_the_pin_at_once(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/reports"
    for neighbour in ("198.51.100.1", "198.51.100.2"):
        assert (
            report(client_from(app_client, neighbour), path, note="Beleidigend").status_code == 201
        )
    assert pin.id in features(app_client)
    assert report(client_from(app_client, "2001:db8:1::5"), path, reason="spam").status_code == 201

    assert pin.id not in features(app_client)
    assert_problem(app_client.get(f"/api/contributions/{pin.id}"), 404)
    hidden = app_store.get_contribution(pin.id)
    assert hidden.status == Status.HIDDEN and hidden.status_reason == "reported"
    [event] = app_store.list_audit(TargetKind.CONTRIBUTION, pin.id)
    assert (event.actor, event.action) == ("system", "auto_hide")
    assert event.changes == {
        "status": ["published", "hidden"],
        "open_reports": [None, 3],
        "report_networks": [None, 3],
    }
    kept = app_store.list_reports(TargetKind.CONTRIBUTION, pin.id)
    assert len(kept) == 3 and all(r.resolved_at is None for r in kept)


def test_repeated_report_from_one_participant_counts_once(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/reports"
    assert report(app_client, path).status_code == 201
    repeats = [report(app_client, path) for _ in range(5)]
    assert [r.status_code for r in repeats] == [200] * 5
    assert repeats[0].json() == {"target": "contribution", "id": pin.id, "reason": "insult"}
    assert pin.id in features(app_client)
    assert len(app_store.list_reports(TargetKind.CONTRIBUTION, pin.id)) == 1


def test_report_threshold_comes_from_settings(settings) -> None:
    settings.report_threshold = 1
    settings.report_network_threshold = 1
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        pin = make_contribution(store, make_consultation(store))
        assert report(client, f"/api/contributions/{pin.id}/reports").status_code == 201
        assert pin.id not in features(client)


def test_reported_reply_is_hidden_at_the_threshold(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    rude = make_reply(app_store, pin, text="Unverschämt!")
    kind = make_reply(app_store, pin, text="Gute Idee.")
    for neighbour in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        reporter = client_from(app_client, neighbour)
        response = report(reporter, f"/api/replies/{rude.id}/reports", reason="other")
        assert response.status_code == 201
    detail = app_client.get(f"/api/contributions/{pin.id}").json()
    assert [r["id"] for r in detail["replies"]] == [kind.id]
    assert detail["reply_count"] == 1
    assert features(app_client)[pin.id]["reply_count"] == 1
    assert app_store.get_reply(rude.id).status == Status.HIDDEN
    [event] = app_store.list_audit(TargetKind.REPLY, rude.id)
    assert (event.actor, event.action) == ("system", "auto_hide")
    # The pin itself is untouched.
    assert app_store.get_contribution(pin.id).status == Status.PUBLISHED


def test_reports_are_allowed_after_the_consultation_closed(app_client, app_store) -> None:
    consultation = make_consultation(
        app_store, opens_in=timedelta(days=-30), closes_in=timedelta(days=-1)
    )
    pin = make_contribution(app_store, consultation)
    assert report(app_client, f"/api/contributions/{pin.id}/reports").status_code == 201


def test_refuses_report_with_unknown_reason_or_long_note(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/reports"
    problem = assert_problem(report(app_client, path, reason="langweilig"), 422, "reason")
    assert "Beleidigung" in problem["detail"]
    problem = assert_problem(report(app_client, path, note="x" * 501), 422, "note")
    assert "500" in problem["detail"]
    english = app_client.post(
        path, json={"reason": "boring"}, headers={"Accept-Language": "en"}
    ).json()
    assert "insult, personal data, spam or other" in english["detail"]
    assert app_store.list_reports(TargetKind.CONTRIBUTION, pin.id) == []


def test_refuses_report_on_unknown_reply(app_client) -> None:
    problem = assert_problem(report(app_client, "/api/replies/gibt-es-nicht/reports"), 404)
    assert "Antwort" in problem["detail"]


# Meine Beiträge


def test_my_contributions_lists_own_pins_and_replies_with_status(app_client, app_store) -> None:
    consultation = make_consultation(app_store, moderation=Moderation.PRE)
    open_one = make_consultation(app_store, slug="offen")
    mine = app_client.post(
        "/api/consultations/test/contributions", json=with_form_token(app_client, body())
    ).json()
    other_pin = make_contribution(app_store, open_one)
    my_reply = app_client.post(
        f"/api/contributions/{other_pin.id}/replies",
        json=with_form_token(app_client, {"text": "Finde ich auch."}),
    ).json()
    make_contribution(app_store, consultation)  # someone else's
    app_store.set_status(
        TargetKind.CONTRIBUTION,
        mine["id"],
        Status.REJECTED,
        "Außerhalb der Zuständigkeit",
        _planner_event(mine["id"]),
    )

    listing = app_client.get("/api/me/contributions").json()
    [pin] = listing["contributions"]
    assert pin["id"] == mine["id"] and pin["consultation"] == "test"
    assert pin["status"] == "rejected"
    assert pin["status_reason"] == "Außerhalb der Zuständigkeit"
    assert pin["planner_response"] is None
    [reply] = listing["replies"]
    assert reply["id"] == my_reply["id"] and reply["status"] == "published"
    assert reply["contribution_id"] == other_pin.id

    as_new_participant(app_client)
    assert app_client.get("/api/me/contributions").json() == {"contributions": [], "replies": []}


def _planner_event(target_id: str) -> AuditEvent:
    return AuditEvent(
        id=str(uuid.uuid4()),
        target_kind=TargetKind.CONTRIBUTION,
        target_id=target_id,
        actor="planerin",
        action="reject",
        changes={"status": ["pending", "rejected"]},
        created_at=datetime.now(UTC),
    )


# participant cookie and privacy


def test_participant_cookie_is_httponly_lax_and_only_its_hash_is_stored(settings) -> None:
    with TestClient(create_app(settings)) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        make_consultation(store)
        assert client.get("/api/me/contributions").headers.get("set-cookie") is None
        issued = client.post("/api/participant")
        assert issued.status_code == 201 and issued.json() == {"new": True}
        cookie = issued.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE_NAME}=")
        flags = [part.strip().lower() for part in cookie.split(";")]
        assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
        assert "secure" not in flags
        assert any(f.startswith("max-age=") and int(f.split("=")[1]) > 30 * 86400 for f in flags)
        token = client.cookies[COOKIE_NAME]
        response = client.post(
            "/api/consultations/test/contributions", json=with_form_token(client, body())
        )
        assert "set-cookie" not in response.headers
        stored = store.get_contribution(response.json()["id"])
        assert stored.participant_hash == hash_token(token) != token
        # Asking again keeps the cookie instead of setting a new one.
        again = client.post("/api/participant")
        assert again.status_code == 200 and again.json() == {"new": False}
        assert "set-cookie" not in again.headers


def test_cookie_is_secure_when_configured(settings) -> None:
    settings.cookie_secure = True
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        cookie = client.post("/api/participant").headers["set-cookie"]
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]


def test_a_forged_cookie_is_replaced_when_the_page_asks_for_a_token(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    app_client.cookies.clear()
    app_client.cookies.set(COOKIE_NAME, "../../etc/passwd")
    assert_problem(app_client.post(f"/api/contributions/{pin.id}/supports"), 403)
    response = app_client.post("/api/participant")
    assert response.status_code == 201
    issued = response.headers["set-cookie"].split(";")[0].removeprefix(f"{COOKIE_NAME}=")
    assert app_client.post(f"/api/contributions/{pin.id}/supports").status_code == 200
    assert app_store.supported_among(hash_token(issued), [pin.id]) == {pin.id}


def test_no_response_reveals_participant_hash_or_email(app_client, app_store) -> None:
    make_consultation(app_store)
    created = app_client.post(
        "/api/consultations/test/contributions",
        json=with_form_token(app_client, body(contact_email="erika@example.org")),
    ).json()
    pin_id = created["id"]
    secret = hash_token(app_client.cookies[COOKIE_NAME])
    responses = [
        app_client.post(f"/api/contributions/{pin_id}/supports"),
        app_client.post(
            f"/api/contributions/{pin_id}/replies",
            json=with_form_token(app_client, {"text": "Ich auch"}),
        ),
        report(app_client, f"/api/contributions/{pin_id}/reports"),
        app_client.get(f"/api/contributions/{pin_id}"),
        app_client.get("/api/consultations/test/contributions"),
        app_client.get("/api/me/contributions"),
    ]
    for response in responses:
        assert response.status_code < 300, response.text
        assert secret not in response.text
        assert "participant_hash" not in response.text
        assert "erika@example.org" not in response.text


def test_concurrent_supports_count_once_per_participant(settings) -> None:
    app = create_app(settings)
    with serve(app) as base_url:
        store: Store = app.state.store
        pin = make_contribution(store, make_consultation(store))
        path = f"/api/contributions/{pin.id}/supports"

        async def same_browser_ten_times_then_ten_browsers() -> None:
            async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
                await client.post("/api/participant")
                first = await client.post(path)
                assert first.status_code == 200
                same = await asyncio.gather(*(client.post(path) for _ in range(10)))
                assert {r.json()["support_count"] for r in same} == {1}
            browsers = [httpx.AsyncClient(base_url=base_url, timeout=60) for _ in range(9)]
            try:
                await asyncio.gather(*(b.post("/api/participant") for b in browsers))
                others = await asyncio.gather(*(b.post(path) for b in browsers))
            finally:
                await asyncio.gather(*(b.aclose() for b in browsers))
            assert [r.status_code for r in others] == [200] * 9

        asyncio.run(same_browser_ten_times_then_ten_browsers())
        assert store.get_contribution(pin.id).support_count == 10


def test_openapi_documents_the_engagement_routes(app_client) -> None:
    spec = app_client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/contributions/{contribution_id}",
        "/api/contributions/{contribution_id}/supports",
        "/api/contributions/{contribution_id}/replies",
        "/api/contributions/{contribution_id}/reports",
        "/api/replies/{reply_id}/reports",
        "/api/me/contributions",
        "/api/photos",
        "/api/photos/{photo_id}/{variant}.jpg",
    ):
        assert path in paths, path
    assert "photo_id" in paths["/api/photos"]["post"]["description"]
    create = spec["components"]["schemas"]["ContributionCreate"]["properties"]
    assert "POST /api/photos" in create["photo_id"]["description"]
