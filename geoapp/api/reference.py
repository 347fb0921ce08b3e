"""Map settings and reference layers for the page (no user data here)."""

from fastapi import APIRouter, Request

from geoapp.api.deps import SettingsDep
from geoapp.api.public import GeoJSONResponse
from geoapp.models import MapConfig

router = APIRouter(prefix="/api", tags=["map"])


@router.get("/config", response_model=MapConfig)
def map_config(settings: SettingsDep) -> MapConfig:
    """Tile source, attribution, start view and languages, so nothing is templated into JS."""
    return MapConfig(
        tile_url=settings.tile_url,
        tile_attribution=settings.tile_attribution,
        center=settings.map_center,
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
