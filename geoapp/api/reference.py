"""Map settings and reference layers for the page (no user data here)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from geoapp.api.deps import PublicConsultationDep, SettingsDep
from geoapp.api.public import GeoJSONResponse
from geoapp.models import MapConfig, NearestPlace, PlaceChoice
from geoapp.services import reference as reference_layers

router = APIRouter(prefix="/api", tags=["map"])


@router.get("/config", response_model=MapConfig)
def map_config(settings: SettingsDep) -> MapConfig:
    """Tile source, attribution, start view and languages, so nothing is templated into JS."""
    return MapConfig(
        tile_url=settings.tile_url,
        tile_attribution=settings.tile_attribution,
        center=list(settings.map_center),
        zoom=settings.map_zoom,
        languages=list(settings.languages),
    )


@router.get("/reference/district", response_class=GeoJSONResponse)
def district(request: Request) -> GeoJSONResponse:
    """The approximate outline of Heeren-Werve."""
    return GeoJSONResponse(request.app.state.reference.district)


@router.get("/reference/places", response_class=GeoJSONResponse)
def places(request: Request) -> GeoJSONResponse:
    """Named places residents know (Ortsmitte, Luisenpark, …)."""
    return GeoJSONResponse(request.app.state.reference.places)


@router.get("/reference/nearest", response_model=NearestPlace | None)
def nearest(
    request: Request,
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude, WGS84")],
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude, WGS84")],
) -> Any:
    """The named place nearest to a point, so a chosen spot can be described in words."""
    return reference_layers.nearest_place(request.app.state.reference, lon, lat)


@router.get("/consultations/{slug}/places", response_model=list[PlaceChoice])
def place_choices(consultation: PublicConsultationDep, request: Request) -> Any:
    """Places and streets to choose instead of clicking the map; `inside` says if allowed."""
    return reference_layers.choices(request.app.state.reference, consultation.perimeter)
