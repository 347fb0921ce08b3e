"""Attacks on planner sign-in: lock-out, name spraying, argon2 exhaustion; idle sessions."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.security.planner_sessions import token_hash
from tests.api.test_contributions import assert_problem
from tests.factories import (
    PLANNER_PASSWORD,
    everything_stored,
    make_planner,
    network_hash_of,
    sign_in_as,
    stored_rows,
)

ATTACKER = ("203.0.113.7", 1234)
OWNER = ("198.51.100.20", 5678)
WRONG = "falsch-falsch-falsch"


def sign_in(client: TestClient, username: str = "anna", password: str = PLANNER_PASSWORD):
    return client.post("/api/planner/session", json={"username": username, "password": password})


def throttle_rows(settings: Settings) -> list[tuple[str, int]]:
    return stored_rows(settings, "SELECT username, count FROM signin_throttles ORDER BY 1")


@pytest.fixture
def attacker(settings: Settings):
    with TestClient(create_app(settings), client=ATTACKER) as client:
        make_planner(client.app.state.store)
        yield client


def from_address(client: TestClient, address: tuple[str, int], **options) -> TestClient:
    """Another browser on the same running app, at another client address."""
    return TestClient(client.app, client=address, **options)


def test_attacker_failing_fifty_times_does_not_lock_the_owner_out(attacker) -> None:
    answers = [sign_in(attacker, "anna", WRONG).status_code for _ in range(50)]
    assert answers[:5] == [401] * 5
    assert set(answers[5:]) == {429}
    # The attacker is held back even with the right password ...
    assert sign_in(attacker).status_code == 429
    # ... while the owner, elsewhere, signs in at once.
    owner = from_address(attacker, OWNER)
    response = sign_in(owner)
    assert response.status_code == 200, response.text
    assert owner.get("/api/planner/session").json()["username"] == "anna"


def test_the_wait_is_capped_however_many_failures(attacker) -> None:
    store = attacker.app.state.store
    network = network_hash_of(attacker, ATTACKER[0])
    for _ in range(200):
        store.add_signin_failure(network, "anna", datetime.now(UTC))
    throttled = sign_in(attacker)
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["retry-after"]) <= 15 * 60


def test_one_network_spraying_usernames_is_throttled_and_leaves_no_row_per_name(
    make_settings,
) -> None:
    settings = make_settings(seed_demo=False, signin_network_free_failures=6)
    with TestClient(create_app(settings), client=ATTACKER) as sprayer:
        make_planner(sprayer.app.state.store)
        names = [f"user-{uuid.uuid4().hex[:8]}" for _ in range(6)]
        assert [sign_in(sprayer, name).status_code for name in names] == [401] * 6
        throttled = sign_in(sprayer, "noch-ein-name")
        assert_problem(throttled, 429)
        assert "Retry-After" in throttled.headers
        assert sign_in(sprayer).status_code == 429  # the whole network waits, known names too
        assert throttle_rows(settings) == [("", 6)]
        assert sign_in(from_address(sprayer, OWNER)).status_code == 200


def test_failures_for_a_known_name_count_for_the_name_and_the_network(attacker, settings) -> None:
    sign_in(attacker, "anna", WRONG)
    sign_in(attacker, "niemand", WRONG)
    assert throttle_rows(settings) == [("", 2), ("anna", 1)]
    assert sign_in(attacker).status_code == 200
    assert throttle_rows(settings) == [("", 2)]


def test_clients_in_one_ipv6_64_are_one_network(attacker) -> None:
    first = from_address(attacker, ("2001:db8:1:2::1", 1))
    neighbour = from_address(attacker, ("2001:db8:1:2:ffff:ffff:ffff:fffe", 2))
    other = from_address(attacker, ("2001:db8:1:3::1", 3))
    for _ in range(5):
        assert sign_in(first, "anna", WRONG).status_code == 401
    assert sign_in(neighbour).status_code == 429
    assert sign_in(other).status_code == 200


def test_forwarded_for_counts_only_behind_a_trusted_proxy(make_settings) -> None:
    settings = make_settings(seed_demo=False, trusted_proxies="10.0.0.0/8")
    with TestClient(create_app(settings), client=("10.0.0.2", 80)) as proxy:
        make_planner(proxy.app.state.store)
        attacker_via_proxy = {"X-Forwarded-For": ATTACKER[0]}
        for _ in range(5):
            proxy.post(
                "/api/planner/session",
                json={"username": "anna", "password": WRONG},
                headers=attacker_via_proxy,
            )
        owner = proxy.post(
            "/api/planner/session",
            json={"username": "anna", "password": PLANNER_PASSWORD},
            headers={"X-Forwarded-For": f"{OWNER[0]}, 10.0.0.9"},
        )
        assert owner.status_code == 200, owner.text
        # A client that is no proxy cannot pretend to be another network by sending the header.
        direct = from_address(proxy, ATTACKER)
        for _ in range(5):
            sign_in(direct, "anna", WRONG)
        spoofed = direct.post(
            "/api/planner/session",
            json={"username": "anna", "password": PLANNER_PASSWORD},
            headers={"X-Forwarded-For": OWNER[0]},
        )
        assert spoofed.status_code == 429


def test_the_database_keeps_no_address(attacker, settings) -> None:
    sign_in(attacker, "anna", WRONG)
    sign_in(attacker, "jemand", WRONG)
    everything = everything_stored(settings)
    assert ATTACKER[0].encode() not in everything
    assert b"jemand" not in everything


def test_sign_ins_over_the_concurrent_password_checks_get_503(make_settings) -> None:
    settings = make_settings(seed_demo=False, signin_hashes_at_once=1, signin_hash_wait_seconds=0)
    with TestClient(create_app(settings)) as client:
        make_planner(client.app.state.store)
        with client.app.state.gates.hashes.slot():
            # Unknown names take the same way through the password check as known ones.
            for name in ("anna", "niemand"):
                busy = sign_in(client, name)
                assert assert_problem(busy, 503)["code"] == "signin_busy"
                assert int(busy.headers["retry-after"]) >= 1
            assert throttle_rows(settings) == []
        assert sign_in(client).status_code == 200


def test_an_idle_session_ends_but_an_active_one_stays(app_client, app_store) -> None:
    sign_in_as(app_client, app_store, username="anna")
    session = token_hash(app_client.cookies["geoapp_planner"])
    app_store.touch_planner_session(session, datetime.now(UTC) - timedelta(minutes=59))
    assert app_client.get("/api/planner/session").status_code == 200
    found, _ = app_store.get_planner_session(session, datetime.now(UTC))
    assert datetime.now(UTC) - found.last_seen_at < timedelta(minutes=1)
    app_store.touch_planner_session(session, datetime.now(UTC) - timedelta(minutes=61))
    idle = app_client.get("/api/planner/session")
    assert assert_problem(idle, 401)["code"] == "session_idle"
    assert "60 Minuten" in idle.json()["detail"]
    assert app_store.get_planner_session(session, datetime.now(UTC)) is None


def test_sign_out_everywhere_ends_every_session_of_that_planner(app_client, app_store) -> None:
    sign_in_as(app_client, app_store, username="anna")
    laptop = from_address(app_client, OWNER)
    assert sign_in(laptop).status_code == 200
    colleague = from_address(app_client, ("198.51.100.21", 1))
    sign_in_as(colleague, app_store, username="bernd")
    response = app_client.delete("/api/planner/sessions")
    assert response.status_code == 204
    assert "geoapp_planner=" in response.headers["set-cookie"]
    assert laptop.get("/api/planner/session").status_code == 401
    assert app_client.get("/api/planner/session").status_code == 401
    assert colleague.get("/api/planner/session").json()["username"] == "bernd"


def test_sign_out_everywhere_needs_the_csrf_token(app_client, app_store) -> None:
    sign_in_as(app_client, app_store, username="anna")
    del app_client.headers["X-CSRF-Token"]
    assert app_client.delete("/api/planner/sessions").status_code == 403
    assert app_client.get("/api/planner/session").status_code == 200
