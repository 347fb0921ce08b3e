"""Planner sign-in, sessions, the slow-down, and the guard on every planner route."""

from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from geoapp.api.deps import get_admin
from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import PlannerRole
from geoapp.security.planner_sessions import token_hash
from geoapp.services import planners
from tests.factories import PLANNER_PASSWORD, make_planner, network_hash_of, sign_in_as

SIGN_IN = ("POST", "/api/planner/session")

# Routes only admins may use; every other planner route is open to moderators too.
ADMIN_ROUTES = {
    ("POST", "/api/planner/consultations"),
    ("PATCH", "/api/planner/consultations/{slug}"),
    ("PUT", "/api/planner/consultations/{slug}/perimeter"),
    ("POST", "/api/planner/consultations/{slug}/imports"),
    ("POST", "/api/planner/contributions/{contribution_id}/erasure"),
}


@cache
def api_routes() -> list[APIRoute]:
    """Every API route of the app, also those of included routers."""
    app = create_app(Settings(seed_demo=False))
    found: list[APIRoute] = []
    pending = list(app.routes)
    while pending:
        route = pending.pop()
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


def planner_routes() -> list[tuple[str, str]]:
    """Every (method, path) under /api/planner except signing in, as the OpenAPI lists them."""
    paths = create_app(Settings(seed_demo=False)).openapi()["paths"]
    found = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/planner")
        for method in operations
    }
    return sorted(found - {SIGN_IN})


def needs_admin(method: str, path: str) -> bool:
    [route] = [r for r in api_routes() if r.path == path and method in r.methods]
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        if dependant.call is get_admin:
            return True
        pending.extend(dependant.dependencies)
    return False


ROUTES = planner_routes()
STATE_CHANGING = [r for r in ROUTES if r[0] not in ("GET", "HEAD")]


def url(path: str) -> str:
    unknown = "00000000-0000-0000-0000-000000000000"
    return path.format(slug="test", contribution_id=unknown, reply_id=unknown)


def sign_in(client: TestClient, username: str = "anna", password: str = PLANNER_PASSWORD):
    return client.post("/api/planner/session", json={"username": username, "password": password})


def test_sign_in_sets_a_strict_http_only_cookie_and_returns_csrf_token(
    app_client, app_store
) -> None:
    make_planner(app_store, "anna", PlannerRole.ADMIN)
    response = sign_in(app_client, "Anna")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["username"] == "anna"
    assert body["role"] == "admin"
    assert len(body["csrf_token"]) >= 32
    cookie = response.headers["set-cookie"]
    assert "geoapp_planner=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie
    assert "Path=/api/planner" in cookie
    assert app_client.get("/api/planner/session").json()["username"] == "anna"


def test_cookie_is_secure_when_the_setting_says_tls(make_settings) -> None:
    settings = make_settings(seed_demo=False, cookie_secure=True)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        make_planner(client.app.state.store)
        assert "Secure" in sign_in(client).headers["set-cookie"]


def test_the_database_holds_only_a_hash_of_the_session_token(app_client, app_store) -> None:
    make_planner(app_store)
    sign_in(app_client)
    token = app_client.cookies["geoapp_planner"]
    assert app_store.get_planner("anna").password_hash.startswith("$argon2id$")
    now = datetime.now(UTC)
    assert app_store.get_planner_session(token, now) is None
    assert app_store.get_planner_session(token_hash(token), now) is not None


def test_wrong_password_and_unknown_user_get_the_same_answer(app_client, app_store) -> None:
    make_planner(app_store)
    wrong = sign_in(app_client, "anna", "falsches-passwort-123")
    unknown = sign_in(app_client, "niemand", PLANNER_PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert "Passwort" in wrong.json()["detail"]
    assert "set-cookie" not in wrong.headers


def test_sign_in_needs_json(app_client, app_store) -> None:
    make_planner(app_store)
    response = app_client.post(
        "/api/planner/session", data={"username": "anna", "password": PLANNER_PASSWORD}
    )
    assert response.status_code in (400, 422)
    assert "set-cookie" not in response.headers


def test_sign_out_ends_the_session(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    token = app_client.cookies["geoapp_planner"]
    assert app_client.delete("/api/planner/session").status_code == 204
    app_client.cookies.set("geoapp_planner", token, path="/api/planner")
    response = app_client.get("/api/planner/session")
    assert response.status_code == 401
    assert "abgelaufen" in response.json()["detail"]


def test_session_expires(make_settings) -> None:
    settings = make_settings(seed_demo=False, planner_session_minutes=0)
    with TestClient(create_app(settings)) as client:
        make_planner(client.app.state.store)
        assert sign_in(client).status_code == 200
        assert client.get("/api/planner/session").status_code == 401


def test_new_password_ends_open_sessions(app_client, app_store) -> None:
    sign_in_as(app_client, app_store, username="anna")
    planners.change_password(app_store, "anna", "ein-ganz-neues-passwort")
    assert app_client.get("/api/planner/session").status_code == 401


def test_repeated_failures_slow_down_sign_in_with_429(app_client, app_store) -> None:
    make_planner(app_store)
    for _ in range(5):
        assert sign_in(app_client, "anna", "falsch-falsch-falsch").status_code == 401
    throttled = sign_in(app_client, "anna", PLANNER_PASSWORD)
    assert throttled.status_code == 429
    assert throttled.headers["content-type"] == "application/problem+json"
    wait = int(throttled.headers["retry-after"])
    assert 0 < wait <= 15
    assert f"{wait} Sekunden" in throttled.json()["detail"]
    english = app_client.post(
        "/api/planner/session",
        json={"username": "anna", "password": PLANNER_PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert "seconds" in english.json()["detail"]


def test_sign_in_works_again_after_the_wait(app_client, app_store) -> None:
    make_planner(app_store)
    for _ in range(5):
        sign_in(app_client, "anna", "falsch-falsch-falsch")
    network = network_hash_of(app_client)
    assert app_store.get_signin_failures("anna", network).count == 5
    long_ago = datetime.now(UTC) - timedelta(minutes=1)
    app_store.clear_signin_failures("anna")
    for _ in range(5):
        app_store.add_signin_failure(network, "anna", long_ago)
    assert sign_in(app_client).status_code == 200
    assert app_store.get_signin_failures("anna", network) is None


def test_every_planner_route_is_listed_for_its_role() -> None:
    assert {r for r in ROUTES if needs_admin(*r)} == ADMIN_ROUTES


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_callers_get_401(app_client, method: str, path: str) -> None:
    response = app_client.request(method, url(path))
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING)
def test_state_changing_requests_without_csrf_token_get_403(
    app_client, app_store, method: str, path: str
) -> None:
    sign_in_as(app_client, app_store)
    del app_client.headers["X-CSRF-Token"]
    response = app_client.request(method, url(path))
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "csrf"
    wrong = app_client.request(method, url(path), headers={"X-CSRF-Token": "falsch"})
    assert wrong.status_code == 403


@pytest.mark.parametrize(("method", "path"), sorted(ADMIN_ROUTES))
def test_moderators_get_403_on_admin_routes(app_client, app_store, method, path) -> None:
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.request(method, url(path))
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "admin_only"
