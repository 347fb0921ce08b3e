"""On the spot (issue 15): pins already said nearby, and posters whose QR code opens the form."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import RedirectResponse, Response

from geoapp.api import problems
from geoapp.api.deps import (
    PlannerConsultationDep,
    PlannerDep,
    PublicConsultationDep,
    ReferenceDep,
    SettingsDep,
    StoreDep,
    require_planner,
)
from geoapp.errors import InvalidInput, NotAllowedNow, NotConfigured, NotFound
from geoapp.models import NearbyContribution, PosterCreate, PosterList, PosterOut
from geoapp.services import consultations, nearby, posters
from geoapp.services.posters import PosterSettings

router = APIRouter(prefix="/api", tags=["residents"])
short_router = APIRouter(tags=["residents"])
planner_router = APIRouter(
    prefix="/api/planner", tags=["planners"], dependencies=[Depends(require_planner)]
)
PDF = "application/pdf"


@router.get(
    "/consultations/{slug}/nearby",
    response_model=list[NearbyContribution],
    responses=problems.declare(InvalidInput),
)
def nearby_contributions(
    consultation: PublicConsultationDep,
    store: StoreDep,
    settings: SettingsDep,
    lon: Annotated[float, Query(description="Longitude (WGS84).")],
    lat: Annotated[float, Query(description="Latitude (WGS84).")],
    category: Annotated[str, Query(description="Category key: only pins of this topic.")],
) -> list[NearbyContribution]:
    """Up to three published pins of the topic near the point, nearest first.

    The form shows them while a resident writes, so that an idea already there can be
    supported instead of written again. The radius is GEOAPP_NEARBY_RADIUS_M (50 m).
    """
    return nearby.near(store, consultation, category, lon, lat, settings.nearby_radius_m)


@short_router.get(
    "/p/{key}",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses=problems.declare(NotFound),
)
def poster_short_link(key: str, store: StoreDep) -> RedirectResponse:
    """The short address printed on a poster: on to the form at the poster's spot."""
    poster = store.get_poster(key)
    if poster is None:
        raise NotFound("poster_not_found")
    found = store.get_consultation_by_id(poster.consultation_id)
    # A draft's poster leads nowhere yet: the same 404 as for a consultation that is not public.
    consultation = consultations.get_public(store, found.slug if found else "")
    return RedirectResponse(
        posters.link("", consultation, poster), status_code=status.HTTP_303_SEE_OTHER
    )


@planner_router.get("/consultations/{slug}/posters", response_model=PosterList)
def list_posters(
    consultation: PlannerConsultationDep, store: StoreDep, settings: SettingsDep
) -> PosterList:
    """The consultation's posters, oldest first, each with the pins it brought.

    `ready` is false while GEOAPP_PUBLIC_URL is unset: then no poster can be made.
    """
    return posters.listed(store, consultation, PosterSettings.of(settings))


@planner_router.post(
    "/consultations/{slug}/posters",
    status_code=status.HTTP_201_CREATED,
    response_model=PosterOut,
    responses=problems.declare(InvalidInput, NotAllowedNow, NotConfigured),
)
def create_poster(
    body: PosterCreate,
    consultation: PlannerConsultationDep,
    store: StoreDep,
    settings: SettingsDep,
    reference: ReferenceDep,
    planner: PlannerDep,
) -> PosterOut:
    """A new poster at a named place or a point; download its PDF from `pdf_url`.

    Refused (409) while GEOAPP_PUBLIC_URL is unset: the QR code would lead nowhere.
    """
    poster_settings = PosterSettings.of(settings)
    poster = posters.create(
        store,
        consultation,
        reference,
        body,
        poster_settings,
        planner.planner.username,
        datetime.now(UTC),
    )
    return posters.to_out(poster_settings.base_url(), consultation, poster, 0)


@planner_router.get(
    "/consultations/{slug}/posters/{key}.pdf",
    response_class=Response,
    responses={
        200: {"content": {PDF: {}}, "description": "The poster, one page A4 or A3."},
        **problems.declare(NotFound, NotConfigured),
    },
)
def poster_pdf(
    key: str,
    consultation: PlannerConsultationDep,
    store: StoreDep,
    settings: SettingsDep,
    reference: ReferenceDep,
) -> Response:
    """The poster as PDF: question, QR code, short address, map of the spot, dates, contact."""
    poster = posters.find(store, consultation, key)
    document = posters.render(consultation, poster, reference, PosterSettings.of(settings))
    name = f"plakat-{consultation.slug}-{poster.key}.pdf"
    return Response(
        document,
        media_type=PDF,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
