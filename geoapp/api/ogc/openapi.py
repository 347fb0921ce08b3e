"""The OpenAPI 3.0 document of the OGC API (its `service-desc`).

Clients read their page size from it: QGIS takes `components.parameters.limit.schema`
(default and maximum), GDAL the items operation's `limit` parameter.
"""

from typing import Any

from geoapp.config import Settings
from geoapp.i18n import translate
from geoapp.services import ogc

PROBLEM = "application/problem+json"


def _parameter(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
        **extra,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _answer(description: str, media: str, *problems: int) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": description,
            "content": {media: {"schema": {"type": "object"}}, "text/html": {}},
        }
    }
    for status in problems:
        responses[str(status)] = {
            "description": {
                400: "A query parameter cannot be read; `detail` says which and why.",
                401: "The planner collection needs an API token, or the token is not valid.",
                404: "No such collection or feature.",
            }[status],
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return responses


def document(base: str, settings: Settings, language: str) -> dict[str, Any]:
    """The OpenAPI 3.0 description of the service at `base` (absolute URL of /ogc)."""
    crs_uris = [crs.uri for crs in ogc.CRSS]
    parameters = {
        "collectionId": {
            "name": "collectionId",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        },
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        },
        "f": _parameter("f", "json or html", {"type": "string", "enum": ["json", "html"]}),
        "limit": _parameter(
            "limit",
            "Features per page.",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": settings.ogc_max_limit,
                "default": settings.ogc_default_limit,
            },
        ),
        "bbox": _parameter(
            "bbox",
            "minx,miny,maxx,maxy in bbox-crs (CRS84 by default).",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        ),
        "bbox-crs": _parameter(
            "bbox-crs", "CRS of bbox.", {"type": "string", "format": "uri", "enum": crs_uris}
        ),
        "crs": _parameter(
            "crs", "CRS of the response.", {"type": "string", "format": "uri", "enum": crs_uris}
        ),
        "datetime": _parameter(
            "datetime",
            "Time received: an instant or an interval (RFC 3339, '..' for open ends).",
            {"type": "string"},
        ),
        "category": _parameter(
            "category", "Category key(s), comma-separated (see queryables).", {"type": "string"}
        ),
        "cursor": _parameter(
            "cursor", "Where the page starts; taken from a next or prev link.", {"type": "string"}
        ),
    }
    items_parameters = [
        _ref(name)
        for name in (
            "collectionId",
            "f",
            "limit",
            "bbox",
            "bbox-crs",
            "crs",
            "datetime",
            "category",
            "cursor",
        )
    ]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": translate("ogc_title", language),
            "description": translate("ogc_description", language),
            "version": "1.0.0",
        },
        "servers": [{"url": base}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "getLandingPage",
                    "parameters": [_ref("f")],
                    "responses": _answer("Landing page", "application/json", 400),
                }
            },
            "/conformance": {
                "get": {
                    "operationId": "getConformance",
                    "parameters": [_ref("f")],
                    "responses": _answer("Conformance classes", "application/json", 400),
                }
            },
            "/api": {
                "get": {
                    "operationId": "getApi",
                    "parameters": [_ref("f")],
                    "responses": _answer(
                        "This document", "application/vnd.oai.openapi+json;version=3.0", 400
                    ),
                }
            },
            "/collections": {
                "get": {
                    "operationId": "getCollections",
                    "parameters": [_ref("f")],
                    "responses": _answer("Collections", "application/json", 400, 401),
                }
            },
            "/collections/{collectionId}": {
                "get": {
                    "operationId": "describeCollection",
                    "parameters": [_ref("collectionId"), _ref("f")],
                    "responses": _answer("A collection", "application/json", 400, 401, 404),
                }
            },
            "/collections/{collectionId}/queryables": {
                "get": {
                    "operationId": "getQueryables",
                    "parameters": [_ref("collectionId"), _ref("f")],
                    "responses": _answer(
                        "Queryable properties", "application/schema+json", 400, 401, 404
                    ),
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "operationId": "getFeatures",
                    "parameters": items_parameters,
                    "responses": _answer("Features", "application/geo+json", 400, 401, 404),
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "operationId": "getFeature",
                    "parameters": [_ref("collectionId"), _ref("featureId"), _ref("f"), _ref("crs")],
                    "responses": _answer("A feature", "application/geo+json", 400, 401, 404),
                }
            },
        },
        "components": {
            "parameters": parameters,
            "schemas": {
                "Problem": {
                    "type": "object",
                    "description": "RFC 9457 problem details; `detail` says what to fix.",
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "code": {"type": "string"},
                    },
                }
            },
            "securitySchemes": {
                "apiToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Planner API token (geoapp planner token create); "
                    "needed for the planner_… collections only.",
                }
            },
        },
    }
