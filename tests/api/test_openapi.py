"""The OpenAPI document says which problem+json answers each route can give."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from geoapp.store.base import Store
from tests.factories import make_consultation

PROBLEM_REF = "#/components/schemas/Problem"
# Routes that take no input and need no session: there is nothing for them to refuse.
NOTHING_TO_REFUSE = {
    "GET /api/consultations",
    "GET /api/config",
    "GET /api/reference/district",
    "GET /api/reference/places",
    "GET /api/me/contributions",
    "GET /api/form-start",
    # Health checks: readiness fails with 503 (not a refusal of the request), liveness never.
    "GET /healthz",
    "GET /readyz",
}
SAFE = {"get", "head", "options"}


@pytest.fixture
def document(app_client: TestClient) -> dict[str, Any]:
    response = app_client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", method, path, operation


def refusals(operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(c): r for c, r in operation["responses"].items() if c.startswith("4")}


def test_every_refusal_is_declared_as_problem_json_with_the_problem_schema(document) -> None:
    without = set()
    for label, _, _, operation in operations(document):
        declared = refusals(operation)
        if not declared:
            without.add(label)
        for status, response in declared.items():
            assert response["content"] == {
                "application/problem+json": {"schema": {"$ref": PROBLEM_REF}}
            }, (label, status)
    assert without == NOTHING_TO_REFUSE


def test_fastapis_validation_schema_is_gone_because_422_is_a_problem_too(document) -> None:
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        assert ref.rsplit("/", 1)[1] in document["components"]["schemas"], ref
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}


def test_routes_declare_what_their_shape_and_dependencies_refuse(document) -> None:
    for label, method, path, operation in operations(document):
        declared = refusals(operation)
        has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        if "{" in path:
            assert 404 in declared, label
        if "requestBody" in operation:
            assert {400, 413, 422} <= declared.keys(), label
        elif has_query:
            assert 422 in declared, label
        signs_in = label == "POST /api/planner/session"
        if path.startswith("/api/planner/") and not signs_in:
            assert 401 in declared, label
            assert (403 in declared) == (method not in SAFE), label


def test_what_only_the_services_know_is_declared_too(document) -> None:
    paths = document["paths"]
    sign_in = paths["/api/planner/session"]["post"]["responses"]
    assert {"401", "429"} <= sign_in.keys()
    assert "Retry-After" in sign_in["429"]["headers"]
    assert {"413", "415"} <= paths["/api/photos"]["post"]["responses"].keys()
    while_open = [
        paths["/api/consultations/{slug}/contributions"]["post"],
        paths["/api/contributions/{contribution_id}/replies"]["post"],
        paths["/api/contributions/{contribution_id}/supports"]["post"],
    ]
    assert all("409" in operation["responses"] for operation in while_open)


def test_a_refused_request_answers_what_the_document_declares(
    app_client: TestClient, app_store: Store, document
) -> None:
    make_consultation(app_store)
    response = app_client.post("/api/consultations/test/contributions", json={"consent": True})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) <= body.keys() <= problem["properties"].keys()
    field_problem = document["components"]["schemas"]["FieldProblem"]
    assert all(set(e) == set(field_problem["properties"]) for e in body["errors"])
