"""Typed dependencies: a route's signature reads like its contract."""

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from geoapp.config import Settings
from geoapp.errors import InvalidInput
from geoapp.i18n import negotiate
from geoapp.store.base import BBox, Store


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_language(
    request: Request,
    accept_language: Annotated[str | None, Header()] = None,
) -> str:
    """The response language: from Accept-Language, among the languages the app offers."""
    return negotiate(accept_language, request.app.state.settings.languages)


def get_bbox(
    bbox: Annotated[
        str | None,
        Query(
            description="minLon,minLat,maxLon,maxLat in WGS84",
            examples=["7.70,51.57,7.72,51.59"],
        ),
    ] = None,
) -> BBox | None:
    if bbox is None:
        return None
    try:
        values = [float(v) for v in bbox.split(",")]
    except ValueError:
        raise InvalidInput("bbox_invalid", field="bbox") from None
    if len(values) != 4:
        raise InvalidInput("bbox_invalid", field="bbox")
    box = BBox(*values)
    if not (-180 <= box.min_lon <= box.max_lon <= 180 and -90 <= box.min_lat <= box.max_lat <= 90):
        raise InvalidInput("bbox_invalid", field="bbox")
    return box


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
LanguageDep = Annotated[str, Depends(get_language)]
BBoxDep = Annotated[BBox | None, Depends(get_bbox)]
