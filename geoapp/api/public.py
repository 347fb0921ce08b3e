"""Residents' routes: consultations, their published pins, and new contributions."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse

from geoapp.api import problems
from geoapp.api.deps import (
    BBoxDep,
    LanguageDep,
    PublicConsultationDep,
    SettingsDep,
    StoreDep,
)
from geoapp.api.sends import SenderDep
from geoapp.errors import NotAllowedNow
from geoapp.models import ConsultationPublic, ContributionCreate, ContributionPublic
from geoapp.security.rate_limits import Action
from geoapp.services import consultations, contributions

router = APIRouter(prefix="/api", tags=["residents"])

GEOJSON = "application/geo+json"


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
    category: Annotated[list[str] | None, Query(description="Category key; repeatable.")] = None,
) -> GeoJSONResponse:
    """Published pins of a consultation as GeoJSON, newest first."""
    features: dict[str, Any] = contributions.published_features(
        store, consultation, bbox, category or []
    )
    return GeoJSONResponse(features)


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
