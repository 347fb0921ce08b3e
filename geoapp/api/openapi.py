"""The OpenAPI document declares every problem+json answer a route can give.

Most refusals follow from a route's shape and dependencies, so they are derived here for all
routes at once: a path parameter names something that may not exist (404), query parameters
and bodies are validated (422), a body may be malformed (400) or too large (413), and each
dependency in `deps.REFUSALS` adds its own. What only a service knows (a closed consultation,
an unreadable photo) the route declares itself with `problems.declare(...)`.
"""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from geoapp.api.deps import REFUSALS, SAFE_METHODS, require_planner
from geoapp.api.problems import PROBLEM_SCHEMA_REF, STATUS_OF, problem_response
from geoapp.models import Problem

# FastAPI's own 422 schema, which our handler never sends: it answers problem+json.
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def install(app: FastAPI) -> None:
    """Make `app.openapi()` return the document with the problem responses declared."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_problems(generate(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def with_problems(document: dict[str, Any], routes: list[Any]) -> dict[str, Any]:
    """`document` with each operation's derived refusals and the Problem schema."""
    for route in _api_routes(routes):
        if not route.include_in_schema:
            continue
        for method in route.methods:
            operation = document["paths"][route.path_format][method.lower()]
            responses = operation["responses"]
            if _is_fastapis_validation_error(responses.get("422", {})):
                del responses["422"]  # re-added below as the problem our handler answers
            declared = {int(code) for code in responses if code.isdigit() and code[0] == "4"}
            for status in sorted(refusals(route, method) | declared):
                responses[str(status)] = problem_response(status)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas[PROBLEM_SCHEMA_REF.rsplit("/", 1)[1]] = problem
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    return document


def _is_fastapis_validation_error(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1] == FASTAPI_VALIDATION_SCHEMAS[0]


def refusals(route: APIRoute, method: str) -> set[int]:
    """The statuses of the problems `route` can answer `method` with, from its shape."""
    dependants = [route.dependant, *_dependencies(route.dependant)]
    statuses: set[int] = set()
    if any(d.path_params for d in dependants):
        statuses.add(404)
    if any(d.query_params or d.body_params for d in dependants):
        statuses.add(422)
    if any(d.body_params for d in dependants):
        statuses |= {400, 413}
    for dependant in dependants:
        if dependant.call is require_planner and method in SAFE_METHODS:
            continue
        statuses |= {STATUS_OF[error] for error in REFUSALS.get(dependant.call, ())}
    return statuses


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """The API routes among `routes`, also those of included routers.

    FastAPI copies an included router's routes into the app's (up to 0.1xx) or keeps the
    router behind a wrapper that names it `original_router` (later versions).
    """
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (router := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(router.routes)


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    """Every dependency of `dependant`, and theirs, depth first."""
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)
