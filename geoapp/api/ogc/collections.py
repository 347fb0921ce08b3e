"""The list of collections, one collection's description and its queryables."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from geoapp.api.deps import LanguageDep, StoreDep
from geoapp.api.ogc import render
from geoapp.api.ogc.landing import vary
from geoapp.api.ogc.params import Representation, RepresentationDep, TokenPlannerDep
from geoapp.i18n import translate
from geoapp.services import ogc
from geoapp.services.exports import iso_utc

router = APIRouter(include_in_schema=False)
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


@router.get("/collections")
def list_collections(
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    store: StoreDep,
    planner: TokenPlannerDep,
) -> Response:
    found = ogc.list_collections(store, planner, language)
    title = translate("ogc_collections", language)
    body = {
        "links": render.with_self(
            render.alternates(request, "/collections", render.JSON, title), representation
        ),
        "collections": [describe(request, c, language) for c in found],
    }
    if representation is Representation.HTML:
        return render.html_response(
            "collections.html", language, vary(planner), body=body, home=render.base(request)
        )
    return render.json_response(body, headers=vary(planner))


@router.get("/collections/{collection_id}")
def get_collection(
    collection_id: str,
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    store: StoreDep,
    planner: TokenPlannerDep,
) -> Response:
    collection = ogc.get_collection(store, collection_id, planner, language)
    body = describe(request, collection, language, representation)
    if representation is Representation.HTML:
        return render.html_response(
            "collection.html",
            language,
            vary(planner),
            body=body,
            home=render.base(request),
            map_items=render.href(
                request, f"/collections/{collection.id}/items", f="json", limit=1000
            ),
        )
    return render.json_response(body, headers=vary(planner))


@router.get("/collections/{collection_id}/queryables")
def queryables(
    collection_id: str,
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    store: StoreDep,
    planner: TokenPlannerDep,
) -> Response:
    """The properties items can be filtered by, as JSON Schema (Part 3: `category`)."""
    collection = ogc.get_collection(store, collection_id, planner, language)
    properties: dict[str, Any] = {}
    if collection.categories:
        properties["category"] = {
            "title": translate("ogc_queryable_category", language),
            "type": "string",
            "enum": collection.categories,
        }
    body = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": render.href(request, f"/collections/{collection.id}/queryables"),
        "type": "object",
        "title": _title(collection, language),
        "properties": properties,
        "additionalProperties": False,
    }
    if representation is Representation.HTML:
        return render.html_response(
            "queryables.html",
            language,
            vary(planner),
            body=body,
            home=render.base(request),
            collection=collection.id,
        )
    return render.json_response(body, media_type=render.SCHEMA, headers=vary(planner))


def _title(collection: ogc.Collection, language: str) -> str:
    if collection.kind is ogc.Kind.PERIMETERS:
        return translate("ogc_perimeters_title", language)
    if collection.kind is ogc.Kind.PLANNER:
        return translate("ogc_planner_title", language, title=collection.title)
    return translate("ogc_pins_title", language, title=collection.title)


def _description(collection: ogc.Collection, language: str) -> str:
    if collection.kind is ogc.Kind.PERIMETERS:
        return translate("ogc_perimeters_description", language)
    if collection.kind is ogc.Kind.PLANNER:
        return translate("ogc_planner_description", language)
    return translate("ogc_pins_description", language)


def describe(
    request: Request,
    collection: ogc.Collection,
    language: str,
    representation: Representation = Representation.JSON,
) -> dict[str, Any]:
    """A collection as /collections lists it and /collections/{id} answers."""
    path = f"/collections/{collection.id}"
    title = _title(collection, language)
    start, end = collection.interval
    links = [
        *render.with_self(render.alternates(request, path, render.JSON, title), representation),
        {
            "rel": "items",
            "type": render.GEOJSON,
            "title": translate("ogc_items", language),
            "href": render.href(request, f"{path}/items"),
        },
        {
            "rel": "items",
            "type": render.HTML,
            "title": translate("ogc_items", language),
            "href": render.href(request, f"{path}/items", f="html"),
        },
        {
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "type": render.SCHEMA,
            "title": translate("ogc_queryables", language),
            "href": render.href(request, f"{path}/queryables"),
        },
    ]
    return {
        "id": collection.id,
        "title": title,
        "description": _description(collection, language),
        "links": links,
        "extent": {
            "spatial": {"bbox": [list(collection.bbox)], "crs": ogc.CRS84.uri},
            "temporal": {
                "interval": [[iso_utc(start) if start else None, iso_utc(end) if end else None]],
                "trs": GREGORIAN,
            },
        },
        "itemType": "feature",
        "crs": [crs.uri for crs in ogc.CRSS],
        "storageCrs": ogc.CRS84.uri,
    }
