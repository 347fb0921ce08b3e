"""The landing page, the conformance declaration and the service's OpenAPI document."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from geoapp.api.deps import LanguageDep, SettingsDep
from geoapp.api.ogc import openapi, render
from geoapp.api.ogc.params import Representation, RepresentationDep, TokenPlannerDep
from geoapp.i18n import translate

router = APIRouter(include_in_schema=False)

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
)
"""What the service implements and its tests prove (tests/api/test_ogc*.py)."""


def vary(planner: object) -> dict[str, str]:
    """Headers of every /ogc answer: what it depends on; nothing kept when a token was used."""
    headers = {"Vary": "Accept, Accept-Language, Authorization"}
    if planner is not None:
        headers["Cache-Control"] = "no-store"
    return headers


@router.get("")
@router.get("/")
def landing(
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    planner: TokenPlannerDep,
) -> Response:
    title = translate("ogc_title", language)
    links = [
        *render.with_self(render.alternates(request, "", render.JSON, title), representation),
        {
            "rel": "service-desc",
            "type": render.OPENAPI,
            "title": "OpenAPI 3.0",
            "href": render.href(request, "/api"),
        },
        {
            "rel": "service-doc",
            "type": render.HTML,
            "title": translate("ogc_api_doc", language),
            "href": render.href(request, "/api", f="html"),
        },
        {
            "rel": "conformance",
            "type": render.JSON,
            "title": translate("ogc_conformance", language),
            "href": render.href(request, "/conformance"),
        },
        {
            "rel": "data",
            "type": render.JSON,
            "title": translate("ogc_collections", language),
            "href": render.href(request, "/collections"),
        },
    ]
    body = {"title": title, "description": translate("ogc_description", language), "links": links}
    if representation is Representation.HTML:
        return render.html_response("landing.html", language, vary(planner), body=body)
    return render.json_response(body, headers=vary(planner))


@router.get("/conformance")
def conformance(
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    planner: TokenPlannerDep,
) -> Response:
    body = {"conformsTo": list(CONFORMANCE)}
    if representation is Representation.HTML:
        return render.html_response(
            "conformance.html", language, vary(planner), body=body, home=render.base(request)
        )
    return render.json_response(body, headers=vary(planner))


@router.get("/api")
def api_document(
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    settings: SettingsDep,
    planner: TokenPlannerDep,
) -> Response:
    document = openapi.document(render.base(request), settings, language)
    if representation is Representation.HTML:
        return render.html_response(
            "api.html", language, vary(planner), document=document, home=render.base(request)
        )
    return render.json_response(document, media_type=render.OPENAPI, headers=vary(planner))
