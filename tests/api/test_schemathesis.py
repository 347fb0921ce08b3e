"""Schemathesis drives the real app from its OpenAPI document: no request gets a server error,
and every answer is one the document declares (status, media type, schema).

The app runs on a fresh SQLite file with the Heeren-Werve demo, one per operation, so that
fuzzing one operation (say, archiving consultations) cannot change what the next one sees;
within an operation the state carries over from request to request, as on a real server.
Only signing out is left out (the signed-in run needs its session); signing in is fuzzed in
the anonymous run.
Half of the path parameters name things that exist in the demo, the rest are whatever
Schemathesis makes up, so both the 404s and the routes behind them are exercised.
"""

import zlib
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import ContributionQuery, PlannerRole, Status
from geoapp.store.base import Store
from tests.factories import PLANNER_PASSWORD, make_planner, make_reply

CONFIG = schemathesis.Config.from_dict(
    {
        # Derandomised and without an example database: every run sends the same requests.
        "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
    }
)
# The document only: the app that answers is built per test, on its own database.
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings()).openapi(), config=CONFIG)

PLANNER = "^/api/planner/"
SIGN_IN = "/api/planner/session"
# Residents, the map, and signing in: everything a browser reaches without a session.
public_api = SCHEMA.exclude(path_regex=f"{PLANNER}(?!session$)").exclude(
    method=["GET", "DELETE"], path=SIGN_IN
)
# Signed in as an admin; signing out would end the session the rest of the run needs.
planner_api = SCHEMA.include(path_regex=PLANNER).exclude(method=["POST", "DELETE"], path=SIGN_IN)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ONE_DATABASE_PER_OPERATION = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def demo(make_settings: Callable[..., Settings]) -> Iterator[tuple[FastAPI, TestClient]]:
    """The app with the demo seeded, and a reply so that reply routes have one to find."""
    # A form may be sent at once: the fuzz run is about answers as documented, the bot rule
    # is tests/api/test_abuse.py's.
    app = create_app(make_settings(seed_demo=True, form_min_seconds=0))
    with TestClient(app) as client:
        store: Store = app.state.store
        consultation = store.get_consultation("ortsmitte")
        assert consultation is not None
        pin = store.list_contributions(ContributionQuery(consultation.id))[0]
        make_reply(store, pin)
        yield app, client


@pytest.fixture
def known(demo: tuple[FastAPI, TestClient]) -> dict[str, list[str]]:
    """Path parameter values that name something in the demo database."""
    app, _ = demo
    store: Store = app.state.store
    consultations = store.list_consultations()
    pins = [
        pin
        for c in consultations
        for pin in store.list_contributions(ContributionQuery(c.id, statuses=tuple(Status)))
    ]
    replies = [reply.id for pin in pins for reply in store.list_replies(pin.id, tuple(Status))]
    return {
        "slug": [c.slug for c in consultations],
        "contribution_id": [pin.id for pin in pins],
        "reply_id": replies,
        "variant": ["large", "thumb"],
    }


@pytest.fixture
def browser(demo: tuple[FastAPI, TestClient]) -> asgi.ASGIClient:
    """A session into the app that keeps its cookies, as a browser does: it obtains the
    participant cookie as the page does before its first send, and sends it from then on.

    Not entered as a context manager: the TestClient above already runs the app's lifespan.
    """
    app, _ = demo
    client = asgi.get_client(app)
    assert client.post(f"http://{asgi.HOST}/api/participant").status_code == 201
    return client


@pytest.fixture
def planner_browser(demo: tuple[FastAPI, TestClient], browser: asgi.ASGIClient) -> asgi.ASGIClient:
    """`browser`, signed in as an admin, sending the CSRF token the sign-in returned."""
    app, _ = demo
    make_planner(app.state.store, "fuzzer", PlannerRole.ADMIN)
    response = browser.post(
        f"http://{asgi.HOST}{SIGN_IN}", json={"username": "fuzzer", "password": PLANNER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    browser.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return browser


def name_known_things(case: schemathesis.Case, known: dict[str, list[str]]) -> None:
    """Replace each path parameter, half of the time, by a value that exists.

    Which one follows from the generated value, so a run stays reproducible (a Hypothesis
    draw here would rule out the schema's own examples).
    """
    for name, value in (case.path_parameters or {}).items():
        pick = zlib.crc32(str(value).encode())
        if known.get(name) and pick % 2:
            case.path_parameters[name] = known[name][pick // 2 % len(known[name])]


@public_api.parametrize()
@ONE_DATABASE_PER_OPERATION
def test_the_public_api_answers_every_request_as_documented(
    case: schemathesis.Case, known: dict[str, list[str]], browser: asgi.ASGIClient
) -> None:
    name_known_things(case, known)
    case.call_and_validate(session=browser, checks=CHECKS)


@planner_api.parametrize()
@ONE_DATABASE_PER_OPERATION
def test_the_planner_api_answers_every_request_as_documented(
    case: schemathesis.Case, known: dict[str, list[str]], planner_browser: asgi.ASGIClient
) -> None:
    name_known_things(case, known)
    case.call_and_validate(session=planner_browser, checks=CHECKS)
