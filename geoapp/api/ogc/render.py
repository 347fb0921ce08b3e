"""Responses of the OGC API: JSON bodies with absolute links, or the same as a plain HTML page.

HTML comes from our own Jinja2 templates with autoescaping; every value (titles, pin texts) is
data and is escaped, never template source.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import orjson
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from geoapp.api.ogc.params import Representation
from geoapp.i18n import translate

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
PREFIX = "/ogc"

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def base(request: Request) -> str:
    """The absolute URL of the service's landing page, without a trailing slash."""
    return str(request.base_url).rstrip("/") + PREFIX


def href(request: Request, path: str, **params: Any) -> str:
    """An absolute link to `path` under /ogc with the query `params` (None left out)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base(request)}{path}" + (f"?{query}" if query else "")


def alternates(request: Request, path: str, json_type: str, title: str) -> list[dict[str, str]]:
    """`self` and `alternate` links of a resource in JSON and HTML, `self` the one asked for."""
    asked = dict(request.query_params)
    asked.pop("f", None)
    return [
        {"href": href(request, path, **asked, f="json"), "type": json_type, "title": title},
        {"href": href(request, path, **asked, f="html"), "type": HTML, "title": "HTML"},
    ]


def with_self(links: list[dict[str, str]], representation: Representation) -> list[dict[str, str]]:
    """The two alternates, the one of `representation` marked `self`."""
    chosen = HTML if representation is Representation.HTML else None
    return [
        {"rel": "self" if (link["type"] == HTML) == (chosen == HTML) else "alternate", **link}
        for link in links
    ]


def json_response(
    body: dict[str, Any], media_type: str = JSON, headers: dict[str, str] | None = None
) -> Response:
    # orjson: pages of 10,000 features are serialised several times faster than by json.
    return Response(orjson.dumps(body), media_type=media_type, headers=headers)


def html_response(
    template: str,
    language: str,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page `template` in `language`: texts from the server's catalogs."""

    def t(key: str, **params: Any) -> str:
        return translate(key, language, **params)

    page = _templates.get_template(template).render(
        t=t, language=language, rtl=language == "ar", **context
    )
    return HTMLResponse(page, headers=headers)
