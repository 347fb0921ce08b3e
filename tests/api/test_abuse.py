"""Attacks by anonymous clients, each written as the attacker would try it (issue 10).

The client address is set through the ASGI scope (TestClient(client=...)) or, behind a
trusted proxy, through X-Forwarded-For.
"""

import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.domain import ContributionQuery, Status, TargetKind
from geoapp.security.participants import COOKIE_NAME, hash_token
from geoapp.store import Store
from tests.api.test_contributions import assert_problem, body
from tests.api.test_photos import camera_jpeg, upload
from tests.factories import (
    PLANNER_PASSWORD,
    become_participant,
    client_from,
    everything_stored,
    make_consultation,
    make_contribution,
    make_planner,
    make_reply,
    sign_in_as,
    stored_rows,
    with_form_token,
)

ATTACKER = "203.0.113.7"


@pytest.fixture
def attacker(app_client: TestClient) -> Iterator[TestClient]:
    """A client on the attacker's address, without any cookie."""
    yield TestClient(app_client.app, client=(ATTACKER, 40000))


def pin_path(slug: str = "test") -> str:
    return f"/api/consultations/{slug}/contributions"


def send_pin(client: TestClient, slug: str = "test", **headers: str):
    return client.post(pin_path(slug), json=with_form_token(client, body()), headers=headers)


def cookie_set_by(response) -> str:
    return response.headers["set-cookie"].split(";")[0].removeprefix(f"{COOKIE_NAME}=")


def counts(store: Store, pin_id: str) -> tuple[Status, int]:
    pin = store.get_contribution(pin_id)
    return pin.status, pin.support_count


# tokens the server did not issue


def test_cookieless_and_forged_supports_count_nothing(app_client, app_store, attacker) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/supports"
    for _ in range(5):
        problem = assert_problem(attacker.post(path), 403)
        assert "Teilnahme-Kennung" in problem["detail"]
    # Made-up tokens of the old shape and of the new shape alike.
    for forged in (secrets.token_urlsafe(32), f"{secrets.token_urlsafe(32)}.{'A' * 43}"):
        attacker.cookies.set(COOKIE_NAME, forged)
        assert_problem(attacker.post(path), 403)
        attacker.cookies.clear()
    assert counts(app_store, pin.id) == (Status.PUBLISHED, 0)


def test_cookieless_and_forged_reports_hide_nothing(app_client, app_store, attacker) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    reply = make_reply(app_store, pin)
    for path in (f"/api/contributions/{pin.id}/reports", f"/api/replies/{reply.id}/reports"):
        for _ in range(5):
            assert_problem(attacker.post(path, json={"reason": "spam"}), 403)
            attacker.cookies.set(COOKIE_NAME, secrets.token_urlsafe(32))
            assert_problem(attacker.post(path, json={"reason": "spam"}), 403)
            attacker.cookies.clear()
    assert app_store.get_contribution(pin.id).status == Status.PUBLISHED
    assert app_store.get_reply(reply.id).status == Status.PUBLISHED
    assert app_store.list_reports(TargetKind.CONTRIBUTION, pin.id) == []


def test_cookieless_pin_and_reply_are_refused_without_storing(app_store, attacker) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    assert_problem(send_pin(attacker), 403)
    reply = attacker.post(
        f"/api/contributions/{pin.id}/replies", json=with_form_token(attacker, {"text": "Hallo"})
    )
    assert_problem(reply, 403)
    every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    assert app_store.count_contributions(every) == 1
    assert app_store.list_replies(pin.id, list(Status)) == []


def test_a_browser_from_before_signing_keeps_its_contributions(app_client, app_store) -> None:
    old_token = secrets.token_urlsafe(32)
    pin = make_contribution(
        app_store, make_consultation(app_store), participant_hash=hash_token(old_token)
    )
    browser = TestClient(app_client.app, client=("198.51.100.50", 1))
    browser.cookies.set(COOKIE_NAME, old_token)
    assert_problem(browser.post(f"/api/contributions/{pin.id}/supports"), 403)
    signed = browser.post("/api/participant")
    assert signed.status_code == 200 and signed.json() == {"new": False}
    assert cookie_set_by(signed).startswith(f"{old_token}.")
    browser.cookies.clear()
    browser.cookies.set(COOKIE_NAME, cookie_set_by(signed))
    mine = browser.get("/api/me/contributions").json()["contributions"]
    assert [c["id"] for c in mine] == [pin.id]
    assert browser.post(f"/api/contributions/{pin.id}/supports").status_code == 200


def test_a_made_up_unsigned_token_becomes_a_new_participant(app_client, app_store) -> None:
    made_up = secrets.token_urlsafe(32)
    browser = TestClient(app_client.app, client=("198.51.100.51", 1))
    browser.cookies.set(COOKIE_NAME, made_up)
    issued = browser.post("/api/participant")
    assert issued.status_code == 201 and issued.json() == {"new": True}
    assert not cookie_set_by(issued).startswith(made_up)


# one network minting fresh cookies


def test_fresh_cookies_from_one_network_cannot_hide_a_pin(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/reports"
    for _ in range(6):
        browser = client_from(app_client, ATTACKER)
        assert browser.post(path, json={"reason": "insult"}).status_code == 201
    assert app_store.get_contribution(pin.id).status == Status.PUBLISHED
    sign_in_as(app_client, app_store)
    [queued] = app_client.get(
        "/api/planner/contributions", params={"reported": "true", "status": "published"}
    ).json()["items"]
    assert (queued["open_reports"], queued["report_networks"]) == (6, 1)


def test_an_ipv6_household_is_one_network(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/reports"
    for host in ("2001:db8:5:7::1", "2001:db8:5:7:aaaa::2", "2001:db8:5:7:ffff::3"):
        assert client_from(app_client, host).post(path, json={"reason": "spam"}).status_code == 201
    assert app_store.get_contribution(pin.id).status == Status.PUBLISHED


def test_minting_participants_is_limited_per_network(settings) -> None:
    settings.rate_participants_per_network = 3
    with TestClient(create_app(settings), client=(ATTACKER, 1234)) as client:
        for _ in range(3):
            client.cookies.clear()
            assert client.post("/api/participant").status_code == 201
        client.cookies.clear()
        refused = client.post("/api/participant", headers={"Accept-Language": "en"})
        problem = assert_problem(refused, 429)
        assert int(refused.headers["Retry-After"]) > 0
        assert "try again in" in problem["detail"]
        # A neighbour on another network is not affected.
        assert TestClient(client.app, client=("198.51.100.9", 1)).post(
            "/api/participant"
        ).status_code == (201)


def test_forwarded_for_counts_only_behind_a_trusted_proxy(settings) -> None:
    settings.trusted_proxies = "10.0.0.0/8"
    app = create_app(settings)
    with TestClient(app, client=("10.0.0.2", 1)) as proxy:
        store: Store = app.state.store
        pin = make_contribution(store, make_consultation(store))
        spoofer = TestClient(app, client=(ATTACKER, 1))
        path = f"/api/contributions/{pin.id}/reports"
        for n in range(3):
            # A client that writes the header itself is still one network.
            spoofer.cookies.clear()
            become_participant(spoofer)
            faked = {"X-Forwarded-For": f"198.51.100.{n}"}
            assert spoofer.post(path, json={"reason": "spam"}, headers=faked).status_code == 201
        assert store.get_contribution(pin.id).status == Status.PUBLISHED
        # Behind the proxy, the hop it heard from is the client (nearest untrusted): two more
        # networks make three, and the pin is hidden.
        for n in range(2):
            proxy.cookies.clear()
            hops = {"X-Forwarded-For": f"6.6.6.6, 192.0.2.{n}, 10.0.0.9"}
            assert proxy.post("/api/participant", headers=hops).status_code == 201
            assert proxy.post(path, json={"reason": "spam"}, headers=hops).status_code == 201
        assert store.get_contribution(pin.id).status == Status.HIDDEN


def test_no_client_address_is_stored(settings) -> None:
    with TestClient(create_app(settings), client=(ATTACKER, 1)) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        pin = make_contribution(store, make_consultation(store))
        become_participant(client)
        assert send_pin(client).status_code == 201
        client.post(f"/api/contributions/{pin.id}/reports", json={"reason": "spam"})
        client.post(f"/api/contributions/{pin.id}/supports")
    assert ATTACKER.encode() not in everything_stored(settings)
    keys = [k for (k,) in stored_rows(settings, "SELECT key FROM rate_counters")]
    assert keys and not any(ATTACKER in k for k in keys)


# the flood


def test_a_flood_of_pins_from_one_client_gets_429(settings) -> None:
    settings.rate_pins_per_participant = 5
    with TestClient(create_app(settings), client=(ATTACKER, 1)) as client:
        make_consultation(client.app.state.store)  # type: ignore[attr-defined]
        become_participant(client)
        assert [send_pin(client).status_code for _ in range(5)] == [201] * 5
        refused = send_pin(client, **{"Accept-Language": "de"})
        problem = assert_problem(refused, 429)
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert "Bitte versuchen Sie es in" in problem["detail"]


def test_fresh_cookies_do_not_escape_the_network_limit(settings) -> None:
    settings.rate_pins_per_network = 4
    app = create_app(settings)
    with TestClient(app) as first:
        store: Store = app.state.store
        consultation = make_consultation(store)
        sent = []
        for _ in range(6):
            browser = TestClient(app, client=(ATTACKER, 1))
            become_participant(browser)
            sent.append(send_pin(browser).status_code)
        assert sent == [201] * 4 + [429] * 2
        # A family elsewhere still gets through.
        become_participant(first)
        assert send_pin(first).status_code == 201
    every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    assert store.count_contributions(every) == 5


def test_the_default_limits_let_a_busy_household_through(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    # Four people behind one address: a few pins, replies, supports and a report each.
    for _ in range(4):
        person = client_from(app_client, "198.51.100.20")
        assert [send_pin(person).status_code for _ in range(5)] == [201] * 5
        reply = with_form_token(person, {"text": "Gute Idee"})
        assert person.post(f"/api/contributions/{pin.id}/replies", json=reply).status_code == 201
        assert person.post(f"/api/contributions/{pin.id}/supports").status_code == 200
        report = person.post(f"/api/contributions/{pin.id}/reports", json={"reason": "other"})
        assert report.status_code == 201


def test_a_consultation_takes_at_most_its_daily_intake(settings) -> None:
    settings.intake_daily_cap = 3
    app = create_app(settings)
    with TestClient(app) as first:
        store: Store = app.state.store
        pin = make_contribution(store, make_consultation(store))
        neighbours = [client_from(first, f"198.51.100.{n}") for n in range(4)]
        assert [send_pin(n).status_code for n in neighbours[:3]] == [201] * 3
        refused = send_pin(neighbours[3], **{"Accept-Language": "en"})
        assert "as many contributions today" in assert_problem(refused, 429)["detail"]
        assert int(refused.headers["Retry-After"]) <= 86400
        reply = neighbours[3].post(
            f"/api/contributions/{pin.id}/replies",
            json=with_form_token(neighbours[3], {"text": "Auch ich"}),
        )
        assert_problem(reply, 429)
        # Another consultation has its own cap.
        make_consultation(store, slug="andere")
        assert send_pin(neighbours[3], slug="andere").status_code == 201


def test_photo_uploads_are_rate_limited(settings) -> None:
    settings.rate_photos_per_participant = 2
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        photo = camera_jpeg()
        assert [upload(client, photo).status_code for _ in range(2)] == [201, 201]
        refused = upload(client, photo)
        assert_problem(refused, 429)
        assert "Retry-After" in refused.headers


def test_one_network_is_limited_in_sign_in_attempts_even_with_the_right_password(
    settings, app_client, app_store
) -> None:
    settings.rate_signins_per_network = 3
    make_planner(app_store)
    credentials = {"username": "anna", "password": PLANNER_PASSWORD}
    for _ in range(3):
        assert app_client.post("/api/planner/session", json=credentials).status_code == 200
    refused = app_client.post("/api/planner/session", json=credentials)
    assert_problem(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= settings.rate_window_seconds
    elsewhere = client_from(app_client, "198.51.100.20")
    assert elsewhere.post("/api/planner/session", json=credentials).status_code == 200


# a pin a planner restored


def test_a_restored_pin_is_not_hidden_again_by_reports(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    path = f"/api/contributions/{pin.id}/reports"
    for n in range(3):
        client_from(app_client, f"198.51.100.{n}").post(path, json={"reason": "spam"})
    assert app_store.get_contribution(pin.id).status == Status.HIDDEN
    sign_in_as(app_client, app_store)
    hidden = app_client.get(f"/api/planner/contributions/{pin.id}").json()
    assert (hidden["status_reason"], hidden["open_reports"], hidden["report_networks"]) == (
        "reported",
        3,
        3,
    )
    restored = app_client.post(
        f"/api/planner/contributions/{pin.id}/status", json={"status": "published"}
    )
    assert restored.status_code == 200, restored.text
    for n in range(3, 9):
        reporter = client_from(app_client, f"198.51.100.{n}")
        assert reporter.post(path, json={"reason": "insult"}).status_code == 201
    assert app_store.get_contribution(pin.id).status == Status.PUBLISHED
    flagged = app_client.get("/api/planner/contributions", params={"reported": "true"}).json()[
        "items"
    ]
    assert [(f["id"], f["open_reports"], f["report_networks"]) for f in flagged] == [(pin.id, 6, 6)]


# bots


def test_a_bot_sending_at_once_is_refused_with_the_default_two_seconds(make_settings) -> None:
    settings = make_settings(seed_demo=False)
    assert settings.form_min_seconds == 2
    with TestClient(create_app(settings)) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        pin = make_contribution(store, make_consultation(store))
        become_participant(client)
        start = client.get("/api/form-start")
        assert start.headers["Cache-Control"] == "no-store"
        assert start.json()["min_seconds"] == 2
        fast = client.post(pin_path(), json=body(form_token=start.json()["token"]))
        assert "2 Sekunden" in assert_problem(fast, 422)["detail"]
        reply = {"text": "Spam", "form_token": client.get("/api/form-start").json()["token"]}
        assert_problem(client.post(f"/api/contributions/{pin.id}/replies", json=reply), 422)
        assert store.list_replies(pin.id, list(Status)) == []


def test_a_bot_without_or_with_a_forged_form_token_is_refused(app_client, app_store) -> None:
    make_consultation(app_store)
    assert_problem(app_client.post(pin_path(), json=body()), 422, "form_token")
    stamp = "1000000000000"
    forged = app_client.post(pin_path(), json=body(form_token=f"{stamp}.{'A' * 43}"))
    assert_problem(forged, 422, "form_token")


def test_a_bot_filling_the_honeypot_is_refused(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    filled = with_form_token(app_client, body(website="https://spam.example"))
    problem = assert_problem(app_client.post(pin_path(), json=filled), 422)
    assert "unsichtbares Feld" in problem["detail"]
    reply = with_form_token(app_client, {"text": "Billig!", "website": "x"})
    assert_problem(app_client.post(f"/api/contributions/{pin.id}/replies", json=reply), 422)
    # An empty honeypot, as a person leaves it, is fine.
    assert app_client.post(
        pin_path(), json=with_form_token(app_client, body(website=""))
    ).is_success


# the emergency brake


def test_a_planner_pauses_intake_with_a_message_residents_see(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation)
    resident = client_from(app_client, "198.51.100.30")
    sign_in_as(app_client, app_store, username="mona")
    message = "Wir räumen gerade Spam auf, ab 14 Uhr geht es weiter."
    paused = app_client.put(
        "/api/planner/consultations/test/pause", json={"paused": True, "message": message}
    )
    assert paused.status_code == 200, paused.text
    assert paused.json()["paused"] is True
    shown = resident.get("/api/consultations/test", headers={"Accept-Language": "en"}).json()
    assert (shown["paused"], shown["pause_message"]) == (True, message)
    refused = resident.post(
        pin_path(), json=with_form_token(resident, body()), headers={"Accept-Language": "en"}
    )
    detail = assert_problem(refused, 409)["detail"]
    assert detail.startswith("New contributions and replies are not possible") and message in detail
    reply = resident.post(
        f"/api/contributions/{pin.id}/replies", json=with_form_token(resident, {"text": "Hallo"})
    )
    assert_problem(reply, 409)
    # Supports and reports go on: only new text is held back.
    assert resident.post(f"/api/contributions/{pin.id}/supports").status_code == 200
    [event] = app_store.list_audit(TargetKind.CONSULTATION, consultation.id)
    assert (event.actor, event.action) == ("mona", "pause")
    assert event.changes["pause_message"] == [None, message]

    resumed = app_client.put("/api/planner/consultations/test/pause", json={"paused": False})
    assert resumed.json()["paused"] is False
    assert send_pin(resident).status_code == 201
    actions = [e.action for e in app_store.list_audit(TargetKind.CONSULTATION, consultation.id)]
    assert actions == ["pause", "resume"]


def test_a_pause_without_message_shows_the_default_text(app_client, app_store) -> None:
    make_consultation(app_store)
    resident = client_from(app_client, "198.51.100.31")
    sign_in_as(app_client, app_store, username="ben")
    app_client.put("/api/planner/consultations/test/pause", json={"paused": True, "message": " "})
    assert resident.get("/api/consultations/test").json()["pause_message"] is None
    refused = send_pin(resident, **{"Accept-Language": "tr"})
    assert "Semt bürosu" in assert_problem(refused, 409)["detail"]


def test_only_signed_in_planners_pull_the_brake(app_client, app_store) -> None:
    make_consultation(app_store)
    refused = app_client.put("/api/planner/consultations/test/pause", json={"paused": True})
    assert_problem(refused, 401)
    assert app_store.get_consultation("test").paused_at is None


# idempotent retries


def test_a_retried_pin_returns_the_first_answer(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    payload = with_form_token(app_client, body())
    key = {"Idempotency-Key": "5f1b6f0e-retry-1"}
    first = app_client.post(pin_path(), json=payload, headers=key)
    again = app_client.post(pin_path(), json=payload, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    assert app_store.count_contributions(every) == 1
    changed = app_client.post(pin_path(), json={**payload, "text": "Etwas anderes"}, headers=key)
    assert "andere Anfrage" in assert_problem(changed, 422)["detail"]
    # Another browser's key is its own, even when it is the same string.
    other = client_from(app_client, "198.51.100.40")
    theirs = other.post(pin_path(), json=with_form_token(other, body()), headers=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    assert app_store.count_contributions(every) == 2


def test_a_retried_reply_returns_the_first_answer(app_client, app_store) -> None:
    pin = make_contribution(app_store, make_consultation(app_store))
    payload = with_form_token(app_client, {"text": "Da stimme ich zu."})
    path = f"/api/contributions/{pin.id}/replies"
    key = {"Idempotency-Key": "reply-attempt-7"}
    answers = [app_client.post(path, json=payload, headers=key) for _ in range(3)]
    assert {a.json()["id"] for a in answers} == {answers[0].json()["id"]}
    assert len(app_store.list_replies(pin.id, list(Status))) == 1


def test_the_same_send_arriving_twice_at_once_stores_one_pin(app_client, app_store) -> None:
    # A double click or a proxy's retry: copies of one send, all in flight together.
    consultation = make_consultation(app_store)
    payload = with_form_token(app_client, body())
    key = {"Idempotency-Key": "double-click-1"}
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(lambda _: app_client.post(pin_path(), json=payload, headers=key), range(6))
        )
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") != "true" for a in answers) == 1
    every = ContributionQuery(consultation_id=consultation.id, statuses=list(Status))
    assert app_store.count_contributions(every) == 1


def test_a_refused_send_does_not_keep_its_key(app_client, app_store) -> None:
    make_consultation(app_store)
    key = {"Idempotency-Key": "attempt-after-fix"}
    wrong = with_form_token(app_client, body(category="schwimmbad"))
    assert_problem(app_client.post(pin_path(), json=wrong, headers=key), 422)
    fixed = with_form_token(app_client, body())
    assert app_client.post(pin_path(), json=fixed, headers=key).status_code == 201
    bad = app_client.post(pin_path(), json=fixed, headers={"Idempotency-Key": "no spaces allowed"})
    assert_problem(bad, 422, "Idempotency-Key")
