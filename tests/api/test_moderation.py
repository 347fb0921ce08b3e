"""Moderation: status rules, audit trail of every transition and edit, erasure, entered pins."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from geoapp.domain import (
    ConsultationStatus,
    Moderation,
    PlannerRole,
    Report,
    ReportReason,
    Source,
    Status,
    TargetKind,
)
from tests.api.test_contributions import body, post
from tests.api.test_photos import camera_jpeg, uploaded
from tests.factories import (
    INSIDE,
    make_consultation,
    make_contribution,
    make_reply,
    sign_in_as,
    stored_photo_files,
)

ELSEWHERE = [7.7100, 51.5760]


def decide(client, contribution_id: str, **change):
    return client.post(f"/api/planner/contributions/{contribution_id}/status", json=change)


def audit(client, contribution_id: str) -> list[dict]:
    response = client.get(f"/api/planner/contributions/{contribution_id}/audit")
    assert response.status_code == 200, response.text
    return response.json()


def public_features(client, slug: str = "test") -> list[dict]:
    return client.get(f"/api/consultations/{slug}/contributions").json()["features"]


def report(store, kind: TargetKind, target_id: str, who: str) -> None:
    store.add_report(
        Report(
            id=who,
            target_kind=kind,
            target_id=target_id,
            participant_hash=who,
            reason=ReportReason.INSULT,
            created_at=datetime.now(UTC),
        )
    )


def test_queue_lists_pending_pins_newest_first_with_private_fields(app_client, app_store):
    consultation = make_consultation(app_store, moderation=Moderation.PRE)
    now = datetime.now(UTC)
    old = make_contribution(
        app_store, consultation, status=Status.PENDING, created_at=now - timedelta(hours=2)
    )
    new = make_contribution(
        app_store, consultation, status=Status.PENDING, contact_email="erika@example.org"
    )
    make_contribution(app_store, consultation, status=Status.PUBLISHED)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    queue = app_client.get("/api/planner/contributions").json()["items"]
    assert [c["id"] for c in queue] == [new.id, old.id]
    assert queue[0]["contact_email"] == "erika@example.org"
    assert queue[0]["consultation"] == "test"
    assert queue[0]["source"] == "online"
    other = make_consultation(app_store, slug="andere")
    make_contribution(app_store, other, status=Status.PENDING)
    only_test = app_client.get("/api/planner/contributions", params={"consultation": "test"})
    assert len(only_test.json()["items"]) == 2
    assert len(app_client.get("/api/planner/contributions").json()["items"]) == 3


def test_publish_shows_the_pin_and_the_audit_records_who_and_when(app_client, app_store):
    consultation = make_consultation(app_store, moderation=Moderation.PRE)
    pin = make_contribution(app_store, consultation, status=Status.PENDING)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR, username="mona")
    assert public_features(app_client) == []
    response = decide(app_client, pin.id, status="published")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert [f["id"] for f in public_features(app_client)] == [pin.id]
    [event] = audit(app_client, pin.id)
    assert event["actor"] == "mona"
    assert event["action"] == "publish"
    assert event["changes"] == {"status": ["pending", "published"]}
    assert datetime.fromisoformat(event["created_at"]) > datetime.now(UTC) - timedelta(minutes=1)


def test_reject_needs_a_reason_and_keeps_the_public_response(app_client, app_store) -> None:
    consultation = make_consultation(app_store, moderation=Moderation.PRE)
    pin = make_contribution(app_store, consultation, status=Status.PENDING)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    without = decide(app_client, pin.id, status="rejected")
    assert without.status_code == 422
    assert "Grund" in without.json()["detail"]
    unknown = decide(app_client, pin.id, status="rejected", reason="weil")
    assert unknown.status_code == 422
    response = decide(
        app_client,
        pin.id,
        status="rejected",
        reason="outside_remit",
        response="Das betrifft den Busfahrplan; bitte wenden Sie sich an die VKU.",
        response_status="not_possible",
    )
    assert response.status_code == 200, response.text
    rejected = response.json()
    assert (rejected["status"], rejected["status_reason"]) == ("rejected", "outside_remit")
    assert rejected["planner_response"].startswith("Das betrifft den Busfahrplan")
    assert rejected["response_status"] == "not_possible"
    assert [e["action"] for e in audit(app_client, pin.id)] == ["reject", "respond"]
    assert audit(app_client, pin.id)[0]["changes"] == {
        "status": ["pending", "rejected"],
        "status_reason": [None, "outside_remit"],
    }


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (Status.PENDING, "hidden"),
        (Status.PUBLISHED, "rejected"),
        (Status.PUBLISHED, "published"),
        (Status.REJECTED, "hidden"),
        (Status.HIDDEN, "pending"),
    ],
)
def test_invalid_transition_is_refused_with_409(app_client, app_store, start, wanted) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation, status=start)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = decide(app_client, pin.id, status=wanted, reason="other")
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "veröffentlicht" in response.json()["detail"]
    assert app_store.get_contribution(pin.id).status == start
    assert audit(app_client, pin.id) == []


def test_hide_and_restore_are_each_audited(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    assert decide(app_client, pin.id, status="hidden", reason="insult").status_code == 200
    assert public_features(app_client) == []
    restored = decide(app_client, pin.id, status="published")
    assert restored.json()["status_reason"] is None
    assert [f["id"] for f in public_features(app_client)] == [pin.id]
    trail = audit(app_client, pin.id)
    assert [(e["action"], e["changes"]["status"]) for e in trail] == [
        ("hide", ["published", "hidden"]),
        ("restore", ["hidden", "published"]),
    ]


def test_edit_keeps_the_original_in_the_audit_trail(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation, text="Bank an der Kirch")
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR, username="mona")
    response = app_client.patch(
        f"/api/planner/contributions/{pin.id}",
        json={
            "text": "Bank an der Kirche",
            "category": "parken-verkehr",
            "geometry": {"type": "Point", "coordinates": ELSEWHERE},
        },
    )
    assert response.status_code == 200, response.text
    [feature] = public_features(app_client)
    assert feature["properties"]["text"] == "Bank an der Kirche"
    assert feature["properties"]["category"] == "parken-verkehr"
    assert feature["geometry"]["coordinates"] == ELSEWHERE
    [event] = audit(app_client, pin.id)
    assert (event["actor"], event["action"]) == ("mona", "edit")
    assert event["changes"] == {
        "text": ["Bank an der Kirch", "Bank an der Kirche"],
        "category": ["sitzen-aufenthalt", "parken-verkehr"],
        "geometry": [
            {"type": "Point", "coordinates": INSIDE},
            {"type": "Point", "coordinates": ELSEWHERE},
        ],
    }
    # The moved pin is found where it now is, not where it was.
    box = f"{ELSEWHERE[0] - 0.0001},{ELSEWHERE[1] - 0.0001},{ELSEWHERE[0]},{ELSEWHERE[1]}"
    found = app_client.get("/api/consultations/test/contributions", params={"bbox": box})
    assert [f["id"] for f in found.json()["features"]] == [pin.id]


def test_edit_refuses_positions_outside_and_unknown_categories(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    outside = app_client.patch(
        f"/api/planner/contributions/{pin.id}",
        json={"geometry": {"type": "Point", "coordinates": [7.73, 51.59]}},
    )
    assert outside.status_code == 422
    unknown = app_client.patch(f"/api/planner/contributions/{pin.id}", json={"category": "x"})
    assert unknown.status_code == 422
    assert audit(app_client, pin.id) == []


def test_public_response_with_status_shows_under_the_pin(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.patch(
        f"/api/planner/contributions/{pin.id}",
        json={"planner_response": "Die Bank kommt im Frühjahr.", "response_status": "planned"},
    )
    assert response.status_code == 200, response.text
    [feature] = public_features(app_client)
    assert feature["properties"]["planner_response"] == "Die Bank kommt im Frühjahr."
    assert feature["properties"]["response_status"] == "planned"
    [event] = audit(app_client, pin.id)
    assert event["action"] == "respond"
    assert event["changes"]["response_status"] == [None, "planned"]


def test_reported_queue_and_decision_resolves_the_reports(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    reported = make_contribution(app_store, consultation)
    make_contribution(app_store, consultation)
    for who in ("a", "b"):
        report(app_store, TargetKind.CONTRIBUTION, reported.id, who)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    queue = app_client.get("/api/planner/contributions", params={"reported": "true"}).json()[
        "items"
    ]
    assert [(c["id"], c["open_reports"]) for c in queue] == [(reported.id, 2)]
    assert decide(app_client, reported.id, status="hidden", reason="insult").status_code == 200
    assert (
        app_client.get("/api/planner/contributions", params={"reported": "true"}).json()["items"]
        == []
    )


def test_replies_are_moderated_and_audited(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    reply = make_reply(app_store, pin, status=Status.PENDING)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    queue = app_client.get("/api/planner/replies", params={"consultation": "test"}).json()
    assert [r["id"] for r in queue] == [reply.id]
    published = app_client.post(
        f"/api/planner/replies/{reply.id}/status", json={"status": "published"}
    )
    assert published.status_code == 204, published.text
    assert app_store.get_reply(reply.id).status == Status.PUBLISHED
    again = app_client.post(f"/api/planner/replies/{reply.id}/status", json={"status": "rejected"})
    assert again.status_code == 409
    trail = app_client.get(f"/api/planner/replies/{reply.id}/audit").json()
    assert [e["action"] for e in trail] == ["publish"]


def test_erasure_removes_name_email_and_photo_and_audits_only_the_fact(
    app_client, app_store, settings
) -> None:
    make_consultation(app_store)
    photo = uploaded(app_client, camera_jpeg())
    created = post(
        app_client,
        body(author_name="Erika Muster", contact_email="erika@example.org", photo_id=photo["id"]),
    ).json()
    assert app_client.get(photo["url"]).status_code == 200
    sign_in_as(app_client, app_store, PlannerRole.ADMIN, username="anna")
    response = app_client.post(f"/api/planner/contributions/{created['id']}/erasure")
    assert response.status_code == 200, response.text
    erased = response.json()
    assert erased["author_name"] is None and erased["contact_email"] is None
    assert erased["has_photo"] is False
    assert erased["text"] == created["text"]
    stored = app_store.get_contribution(created["id"])
    assert (stored.author_name, stored.contact_email, stored.photo_id) == (None, None, None)
    assert app_store.get_photo(photo["id"]) is None
    assert app_client.get(photo["url"]).status_code == 404
    assert stored_photo_files(settings) == []
    [event] = audit(app_client, created["id"])
    assert (event["actor"], event["action"]) == ("anna", "erased")
    trail = json.dumps(event)
    assert "Erika" not in trail and "erika@example.org" not in trail


def test_erasure_removes_the_earlier_texts_from_the_audit_trail(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(
        app_store, consultation, text="Ich, Erika Muster, Tel. 0171 2345678, wünsche eine Bank."
    )
    sign_in_as(app_client, app_store, PlannerRole.ADMIN, username="anna")
    edit = app_client.patch(
        f"/api/planner/contributions/{pin.id}", json={"text": "Ich wünsche eine Bank."}
    )
    assert edit.status_code == 200
    decide(app_client, pin.id, status="hidden", reason="personal_data")
    assert "0171 2345678" in json.dumps(audit(app_client, pin.id))
    assert app_client.post(f"/api/planner/contributions/{pin.id}/erasure").status_code == 200
    trail = audit(app_client, pin.id)
    assert [e["action"] for e in trail] == ["edit", "hide", "erased"]
    assert trail[0]["changes"]["text"] == [None, None]
    assert "0171" not in json.dumps(trail) and "Erika" not in json.dumps(trail)
    assert trail[1]["changes"]["status"] == ["published", "hidden"]
    assert app_store.get_contribution(pin.id).text == "Ich wünsche eine Bank."


def test_moderator_cannot_erase(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation, contact_email="erika@example.org")
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    assert app_client.post(f"/api/planner/contributions/{pin.id}/erasure").status_code == 403
    assert app_store.get_contribution(pin.id).contact_email == "erika@example.org"


def entry(**overrides):
    data = {
        "geometry": {"type": "Point", "coordinates": INSIDE},
        "category": "sitzen-aufenthalt",
        "text": "Postkarte: Bitte Bänke am Spielplatz.",
        "author_name": "Herr K.",
        "source": "paper",
    }
    data.update(overrides)
    return data


def test_moderator_enters_a_paper_card_published_at_once(app_client, app_store) -> None:
    make_consultation(app_store, moderation=Moderation.PRE)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR, username="mona")
    response = app_client.post("/api/planner/consultations/test/contributions", json=entry())
    assert response.status_code == 201, response.text
    entered = response.json()
    assert (entered["status"], entered["source"]) == ("published", "paper")
    assert [f["id"] for f in public_features(app_client)] == [entered["id"]]
    [event] = audit(app_client, entered["id"])
    assert (event["actor"], event["action"]) == ("mona", "entered")
    assert app_store.get_contribution(entered["id"]).source == Source.PAPER


def test_entering_works_after_closing_but_not_when_archived(app_client, app_store) -> None:
    make_consultation(app_store, status=ConsultationStatus.CLOSED, closes_in=timedelta(days=-1))
    make_consultation(app_store, slug="alt", status=ConsultationStatus.ARCHIVED)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    late = app_client.post("/api/planner/consultations/test/contributions", json=entry())
    assert late.status_code == 201, late.text
    archived = app_client.post("/api/planner/consultations/alt/contributions", json=entry())
    assert archived.status_code == 409
    online = app_client.post(
        "/api/planner/consultations/test/contributions", json=entry(source="online")
    )
    assert online.status_code == 422


def test_a_decision_with_only_a_response_status_keeps_the_answer(app_client, app_store):
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    app_client.patch(
        f"/api/planner/contributions/{pin.id}", json={"planner_response": "Wir prüfen das."}
    )
    hidden = decide(app_client, pin.id, status="hidden", reason="duplicate", response_status="done")
    assert hidden.json()["planner_response"] == "Wir prüfen das."
    assert hidden.json()["response_status"] == "done"


def test_queue_pages_with_a_cursor_through_every_pending_pin(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    now = datetime.now(UTC)
    made = [
        make_contribution(
            app_store, consultation, status=Status.PENDING, created_at=now - timedelta(minutes=n)
        )
        for n in range(7)
    ]
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = app_client.get("/api/planner/contributions", params=params).json()
        assert page["total"] == 7
        seen += [c["id"] for c in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [c.id for c in made]


def test_queue_counts_on_the_first_page_and_carries_the_total(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    now = datetime.now(UTC)
    pending = [
        make_contribution(
            app_store, consultation, status=Status.PENDING, created_at=now - timedelta(minutes=n)
        )
        for n in range(5)
    ]
    parking = make_contribution(
        app_store,
        consultation,
        status=Status.PENDING,
        category="parken-verkehr",
        created_at=now - timedelta(hours=1),
    )
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)

    def page(**params) -> dict:
        return app_client.get("/api/planner/contributions", params=params).json()

    first = page(limit=2)
    assert first["total"] == 6
    make_contribution(app_store, consultation, status=Status.PENDING)
    # The walk's later pages show the total it started with, and go on below its first page.
    second = page(limit=2, cursor=first["next"])
    assert second["total"] == 6
    assert [c["id"] for c in second["items"]] == [pending[2].id, pending[3].id]
    # A cursor of other filters is counted for the filters it is used with.
    assert page(limit=2, cursor=first["next"], category="parken-verkehr")["total"] == 1
    assert page(limit=2, cursor=first["next"], q="Schatten")["total"] == 7
    assert page(limit=2)["total"] == 7
    assert parking.id in [c["id"] for c in page(limit=10)["items"]]


def test_queue_filters_and_searches_through_the_api(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    benches = make_contribution(
        app_store, consultation, status=Status.PENDING, text="Mehr Bänke am Markt."
    )
    make_contribution(
        app_store, consultation, status=Status.PENDING, category="parken-verkehr", text="Parken."
    )
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)

    def ids(**params) -> list[str]:
        return [
            c["id"]
            for c in app_client.get("/api/planner/contributions", params=params).json()["items"]
        ]

    assert ids(q="Bänke") == [benches.id]
    assert ids(category="sitzen-aufenthalt") == [benches.id]
    assert ids(source="office") == []
    assert ids(created_to=(datetime.now(UTC) - timedelta(days=1)).isoformat()) == []
    assert len(ids(status=["pending", "published"])) == 2


def test_queue_refuses_a_made_up_cursor_and_says_to_reload(app_client, app_store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get("/api/planner/contributions", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "neu" in response.json()["detail"]
    too_many = app_client.get("/api/planner/contributions", params={"limit": 1000})
    assert too_many.status_code == 422
