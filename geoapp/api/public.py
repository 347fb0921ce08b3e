"""Residents' routes: consultations, their published pins, and new contributions."""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse

from geoapp.api import problems
from geoapp.api.deps import (
    BBoxDep,
    LanguageDep,
    PublicConsultationDep,
    SettingsDep,
    StoreDep,
    ViewsDep,
)
from geoapp.api.sends import SenderDep
from geoapp.api.view_cache import Encoded
from geoapp.domain import ListOrder
from geoapp.errors import NotAllowedNow
from geoapp.models import ConsultationPublic, ContributionCreate, ContributionPublic
from geoapp.security.rate_limits import Action
from geoapp.services import consultations, contributions, mapview

router = APIRouter(prefix="/api", tags=["residents"])

GEOJSON = "application/geo+json"
LIST_PAGE_MAX = 200
CategoryFilter = Annotated[list[str] | None, Query(description="Category key; repeatable.")]


class GeoJSONResponse(JSONResponse):
    media_type = GEOJSON


@router.get("/consultations", response_model=list[ConsultationPublic])
def list_consultations(store: StoreDep, language: LanguageDep) -> list[ConsultationPublic]:
    """Open and closed consultations, texts in the request's language."""
    return consultations.list_public(store, language)


@router.get("/consultations/{slug}", response_model=ConsultationPublic)
def get_consultation(
    consultation: PublicConsultationDep, language: LanguageDep
) -> ConsultationPublic:
    return consultations.to_public(consultation, language)


@router.get(
    "/consultations/{slug}/contributions",
    response_class=GeoJSONResponse,
    responses={200: {"content": {GEOJSON: {}}, "description": "GeoJSON FeatureCollection"}},
)
def list_contributions(
    consultation: PublicConsultationDep,
    store: StoreDep,
    bbox: BBoxDep,
    category: CategoryFilter = None,
    limit: Annotated[
        int | None,
        Query(ge=1, le=LIST_PAGE_MAX, description="A page of this many; without it, every pin."),
    ] = None,
    offset: Annotated[int, Query(ge=0, description="Pins skipped (with `limit`).")] = 0,
    sort: Annotated[ListOrder, Query(description="Order of a page (with `limit`).")] = (
        ListOrder.NEWEST
    ),
    unplaced: Annotated[
        bool, Query(description='With `limit` and `bbox`: pins "ohne Ort" count as in view.')
    ] = False,
) -> GeoJSONResponse:
    """Published pins of a consultation as GeoJSON, newest first.

    With `limit` one page of them (the list beside the map), its total in `numberMatched`.
    """
    if limit is not None:
        return GeoJSONResponse(
            contributions.published_page(
                store, consultation, bbox, category or [], sort, unplaced, limit, offset
            )
        )
    features: dict[str, Any] = contributions.published_features(
        store, consultation, bbox, category or []
    )
    return GeoJSONResponse(features)


@router.get(
    "/consultations/{slug}/map",
    response_class=Response,
    responses={
        200: {
            "content": {GEOJSON: {}},
            "description": "GeoJSON FeatureCollection; `kind` is `pins` or `clusters`.",
        },
        304: {"description": "The view is unchanged since the ETag sent in If-None-Match."},
    },
)
def map_view(
    consultation: PublicConsultationDep,
    store: StoreDep,
    settings: SettingsDep,
    views: ViewsDep,
    bbox: BBoxDep,
    zoom: Annotated[int, Query(ge=0, le=24, description="The map's zoom level (Web Mercator).")],
    category: CategoryFilter = None,
    if_none_match: Annotated[str | None, Header()] = None,
    accept_encoding: Annotated[str | None, Header()] = None,
) -> Response:
    """What the map shows of a view: its pins, lean, or clusters when it holds many.

    Up to `map_pins_max` pins (a setting) come one by one with id, category, point, supports
    and the start of the text; GET /api/contributions/{id} gives the rest when a pin is
    opened. A view holding more comes as clusters: per grid cell (about 64 px at `zoom`) the
    number of pins per category. Without `bbox` the view is the whole consultation. The ETag
    changes with every change to the consultation's public pins; send it in If-None-Match.
    """
    view = bbox or mapview.whole(consultation)
    categories = category or []
    version = store.change_version(consultation.id)
    tag = mapview.etag(version, view, zoom, categories, settings.map_pins_max)
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if if_none_match is not None and _matches(if_none_match, tag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    key = (consultation.id, tag)
    encoded = views.get(key)
    if encoded is None:
        body = mapview.view(store, consultation, view, zoom, categories, settings.map_pins_max)
        encoded = Encoded.of(orjson.dumps(body))
        views.put(key, encoded)
    if accept_encoding is not None and "gzip" in accept_encoding:
        headers["Content-Encoding"] = "gzip"
        return Response(encoded.gzipped, media_type=GEOJSON, headers=headers)
    return Response(encoded.plain, media_type=GEOJSON, headers=headers)


def _matches(if_none_match: str, tag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 13.1.2): any listed tag, or `*`."""
    opaque = tag.removeprefix("W/")
    listed = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in listed or opaque in listed


@router.post(
    "/consultations/{slug}/contributions",
    status_code=status.HTTP_201_CREATED,
    response_model=ContributionPublic,
    responses=problems.declare(NotAllowedNow),
)
def create_contribution(
    body: ContributionCreate,
    sender: SenderDep,
    store: StoreDep,
    settings: SettingsDep,
    language: LanguageDep,
    consultation: PublicConsultationDep,
) -> JSONResponse:
    """A new pin. `status` says whether it is shown at once ("published") or after review.

    A photo is uploaded first (POST /api/photos) and named here by `photo_id`. The form asks
    GET /api/form-start when it opens and sends that token as `form_token`.
    """
    return sender.send(
        Action.PIN,
        f"pin:{consultation.slug}",
        body,
        lambda now, key, hits: contributions.create(
            store,
            consultation,
            body,
            language,
            sender.participant,
            settings.intake_daily_cap,
            now,
            key,
            hits,
        ),
    )
