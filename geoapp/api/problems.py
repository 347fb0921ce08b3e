"""The one error table: every refusal becomes RFC 9457 application/problem+json.

Services raise domain errors with a message key; this module alone decides the status code
and renders the message in the request's language. Internal text never reaches a client.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from geoapp.api.headers import NO_STORE, security_headers
from geoapp.errors import (
    BadQuery,
    Busy,
    DomainError,
    InvalidInput,
    NotAllowedNow,
    NotConfigured,
    NotFound,
    NotPermitted,
    NotReady,
    NotSignedIn,
    TooLarge,
    TooManyAttempts,
    UnsupportedMedia,
)
from geoapp.i18n import megabytes, negotiate, translate
from geoapp.models import NAME_MAX, TEXT_MAX
from geoapp.services.export_formats import Format

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

STATUS_OF: dict[type[DomainError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    NotAllowedNow: 409,
    NotConfigured: 409,
    TooLarge: 413,
    UnsupportedMedia: 415,
    NotSignedIn: 401,
    NotPermitted: 403,
    TooManyAttempts: 429,
    Busy: 503,
    BadQuery: 400,
    NotReady: 503,
}

# What each refusal means to a client, for the OpenAPI document.
MEANING: dict[int, str] = {
    400: "The body is not valid JSON or not a readable form, or a query parameter of the OGC "
    "API cannot be read.",
    401: "Not signed in, the session has ended, or the sign-in failed.",
    403: "Not allowed: admins only, the X-CSRF-Token header does not match the session, or "
    "the browser has no participant token from POST /api/participant.",
    404: "No such consultation, contribution, reply or photo, or it is not public.",
    409: "Not now: the consultation does not take this at present, or the item has changed; "
    "or the deployment lacks a setting this needs (posters: GEOAPP_PUBLIC_URL).",
    413: "The body or file is larger than allowed.",
    415: "The file is not an image the server can read.",
    422: "The request breaks a rule; `detail` and `errors` say what to fix.",
    429: "Too many attempts; the next one is possible after `Retry-After` seconds.",
    503: "The server is busy with this kind of work (try again after `Retry-After` seconds), "
    "or not ready: its database is unreachable or not migrated.",
}
PROBLEM_SCHEMA_REF = "#/components/schemas/Problem"


def declare(*refusals: type[DomainError] | int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these refusals (domain errors or status codes) as problem+json."""
    statuses = {r if isinstance(r, int) else STATUS_OF[r] for r in refusals}
    return {status: problem_response(status) for status in sorted(statuses)}


def problem_response(status: int) -> dict[str, Any]:
    """The OpenAPI response object of a problem+json answer with `status`."""
    response: dict[str, Any] = {
        "description": MEANING[status],
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before the next attempt.",
                "schema": {"type": "integer"},
            }
        }
    return response


# (field, pydantic error type) → message key; None as type matches any type for that field.
VALIDATION_KEYS: dict[tuple[str, str | None], tuple[str, dict[str, Any]]] = {
    ("text", "missing"): ("text_empty", {}),
    ("text", "string_too_short"): ("text_empty", {}),
    ("text", "string_too_long"): ("text_too_long", {"max": TEXT_MAX}),
    ("author_name", "string_too_long"): ("name_too_long", {"max": NAME_MAX}),
    ("contact_email", None): ("email_invalid", {}),
    ("consent", None): ("consent_missing", {}),
    ("geometry", "missing"): ("geometry_missing", {}),
    ("file", "missing"): ("photo_missing", {}),
    ("photo_alt", "string_too_long"): ("photo_alt_too_long", {}),
    ("note", "string_too_long"): ("note_too_long", {}),
    ("reason", None): ("report_reason_invalid", {}),
    ("format", None): ("export_format_unknown", {"formats": ", ".join(f for f in Format)}),
    ("poster", None): ("poster_unknown", {}),
    ("size", None): ("poster_size_unknown", {}),
}


# pydantic error type → message key, whichever field it is about.
KIND_KEYS: dict[str, tuple[str, dict[str, Any]]] = {
    "control_characters": ("text_control_characters", {}),
}


class BodyTooLarge(StarletteHTTPException):
    """Raised by the body-size limit before the whole body is read.

    An HTTPException, because FastAPI turns any other error while reading a body into a 400.
    """

    def __init__(self, limit: int, key: str = "body_too_large") -> None:
        super().__init__(413)
        self.limit = limit
        self.key = key


def problem(
    request: Request,
    status: int,
    key: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> JSONResponse:
    """A problem+json response whose detail is message `key` in the request's language."""
    language = _language(request)
    body: dict[str, Any] = {
        "type": f"urn:geoapp:problem:{key}",
        "title": translate(f"title_{status}", language),
        "status": status,
        "detail": translate(key, language, **params),
        "code": key,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into problem+json."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        status = next(s for cls, s in STATUS_OF.items() if isinstance(exc, cls))
        language = _language(request)
        errors = None
        if exc.field:
            errors = [{"field": exc.field, "message": translate(exc.key, language, **exc.params)}]
        headers = None
        if isinstance(exc, TooManyAttempts | Busy):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, NotSignedIn) and exc.key.startswith("api_token"):
            headers = {"WWW-Authenticate": 'Bearer realm="ogc"'}  # RFC 6750
        return problem(request, status, exc.key, errors, headers, **exc.params)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = _language(request)
        errors = [_field_error(error, language) for error in exc.errors()]
        if any(e["code"] == "json_invalid" for e in errors):
            return problem(request, 400, "json_invalid")
        public = [{"field": e["field"], "message": e["message"]} for e in errors]
        if len(errors) == 1:
            return problem(request, 422, errors[0]["code"], public, **errors[0]["params"])
        messages = " ".join(e["message"] for e in errors)
        return problem(request, 422, "validation_summary", public, messages=messages)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, BodyTooLarge):
            return problem(request, 413, exc.key, max=exc.limit, max_mb=megabytes(exc.limit))
        keys = {400: "request_malformed", 404: "not_found", 405: "method_not_allowed"}
        return problem(request, exc.status_code, keys.get(exc.status_code, "not_found"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = problem(request, 500, "internal_error")
        response.headers.update(security_headers(request.app.state.settings))
        response.headers["Cache-Control"] = NO_STORE
        return response


def _language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"), request.app.state.settings.languages)


def _field_error(error: dict[str, Any], language: str) -> dict[str, Any]:
    """One pydantic error as {field, message, code, params} a resident can act on."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    field = loc[0] if loc else "body"
    kind = error.get("type", "")
    if kind == "json_invalid" or (not loc and kind in ("model_attributes_type", "dict_type")):
        return {"field": "body", "message": "", "code": "json_invalid", "params": {}}
    key, params = (
        VALIDATION_KEYS.get((field, kind))
        or KIND_KEYS.get(kind)
        or VALIDATION_KEYS.get(
            (field, None), ("field_missing" if kind == "missing" else "field_invalid", {})
        )
    )
    params = {"field": field, "reason": error.get("msg", ""), **params}
    # The model's own limit, so that one message serves pins (2000) and replies (1000) alike.
    if "max_length" in error.get("ctx", {}):
        params["max"] = error["ctx"]["max_length"]
    return {
        "field": field,
        "message": translate(key, language, **params),
        "code": key,
        "params": params,
    }
