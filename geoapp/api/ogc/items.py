"""A collection's features, page by page (keyset cursor in the links), and one feature."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from geoapp.api.deps import LanguageDep, StoreDep
from geoapp.api.ogc import render
from geoapp.api.ogc.collections import describe
from geoapp.api.ogc.landing import vary
from geoapp.api.ogc.params import (
    CategoriesDep,
    CursorDep,
    DatetimeDep,
    LimitDep,
    OgcBBoxDep,
    OgcCrsDep,
    Representation,
    RepresentationDep,
    TokenPlannerDep,
)
from geoapp.i18n import translate
from geoapp.services import ogc
from geoapp.services.exports import iso_utc

router = APIRouter(include_in_schema=False)


@router.get("/collections/{collection_id}/items")
def list_items(
    collection_id: str,
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    store: StoreDep,
    planner: TokenPlannerDep,
    limit: LimitDep,
    crs: OgcCrsDep,
    bbox: OgcBBoxDep,
    period: DatetimeDep,
    cursor: CursorDep,
    categories: CategoriesDep,
) -> Response:
    collection = ogc.get_collection(store, collection_id, planner, language)
    query = ogc.ItemsQuery(
        limit=limit,
        crs=crs,
        bbox=bbox,
        created_from=period[0],
        created_to=period[1],
        categories=categories,
        cursor=cursor,
    )
    page = ogc.items(store, collection, query, datetime.now(UTC))
    path = f"/collections/{collection.id}/items"
    title = translate("ogc_items", language)
    links = render.with_self(
        render.alternates(request, path, render.GEOJSON, title), representation
    )
    asked = {k: v for k, v in request.query_params.items() if k not in ("cursor", "f")}
    for rel, step in (("next", page.next), ("prev", page.prev)):
        if step is not None:
            links.append(
                {
                    "rel": rel,
                    "type": render.GEOJSON,
                    "title": translate(f"ogc_{rel}", language),
                    "href": render.href(request, path, **asked, cursor=step.encode()),
                }
            )
    links.append(
        {
            "rel": "collection",
            "type": render.JSON,
            "title": describe(request, collection, language)["title"],
            "href": render.href(request, f"/collections/{collection.id}"),
        }
    )
    body: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": page.features,
        "timeStamp": iso_utc(page.timestamp),
        "numberMatched": page.number_matched,
        "numberReturned": len(page.features),
        "links": links,
    }
    headers = {**vary(planner), "Content-Crs": f"<{crs.uri}>"}
    if representation is Representation.HTML:
        return render.html_response(
            "items.html",
            language,
            headers,
            body=body,
            collection=describe(request, collection, language),
            home=render.base(request),
            # The map draws in CRS84 whatever CRS the page shows.
            map_items=render.href(
                request, path, **{k: v for k, v in asked.items() if k != "crs"}, f="json"
            ),
        )
    return render.json_response(body, media_type=render.GEOJSON, headers=headers)


@router.get("/collections/{collection_id}/items/{feature_id}")
def get_item(
    collection_id: str,
    feature_id: str,
    request: Request,
    representation: RepresentationDep,
    language: LanguageDep,
    store: StoreDep,
    planner: TokenPlannerDep,
    crs: OgcCrsDep,
) -> Response:
    collection = ogc.get_collection(store, collection_id, planner, language)
    feature = ogc.item(store, collection, feature_id, crs)
    path = f"/collections/{collection.id}/items/{feature_id}"
    title = translate("ogc_feature", language)
    feature["links"] = [
        *render.with_self(render.alternates(request, path, render.GEOJSON, title), representation),
        {
            "rel": "collection",
            "type": render.JSON,
            "title": describe(request, collection, language)["title"],
            "href": render.href(request, f"/collections/{collection.id}"),
        },
    ]
    headers = {**vary(planner), "Content-Crs": f"<{crs.uri}>"}
    if representation is Representation.HTML:
        return render.html_response(
            "item.html",
            language,
            headers,
            feature=feature,
            collection=describe(request, collection, language),
            home=render.base(request),
            map_items=render.href(request, path, f="json"),
        )
    return render.json_response(feature, media_type=render.GEOJSON, headers=headers)
