"""Geometry rules: parse a GeoJSON geometry from a client, test it against a perimeter.

Coordinates are GeoJSON order, (longitude, latitude), WGS84, everywhere inside the app.
"""

import json
import math
from functools import lru_cache
from typing import Any

import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geoapp.errors import InvalidInput

ACCEPTED_TYPES = ("Point",)
MAX_DECIMALS = 7  # about 1 cm: more is noise from a click, and RFC 7946 advises the same


def parse_location(value: Any) -> dict[str, Any]:
    """A clean GeoJSON Point from client input, or InvalidInput saying what to fix."""
    if not isinstance(value, dict):
        raise InvalidInput("geometry_not_object", field="geometry")
    kind = value.get("type")
    if kind not in ACCEPTED_TYPES:
        raise InvalidInput("geometry_type_unsupported", field="geometry", type=str(kind))
    coords = value.get("coordinates")
    if (
        not isinstance(coords, list | tuple)
        or len(coords) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
        or not all(math.isfinite(c) for c in coords)
    ):
        raise InvalidInput("coordinates_malformed", field="geometry")
    lon, lat = float(coords[0]), float(coords[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("coordinates_out_of_range", field="geometry")
    return {"type": "Point", "coordinates": [round(lon, MAX_DECIMALS), round(lat, MAX_DECIMALS)]}


def is_inside(location: dict[str, Any], perimeter: dict[str, Any]) -> bool:
    """Whether the GeoJSON `location` lies in (or on the edge of) the perimeter."""
    return _prepared(json.dumps(perimeter, sort_keys=True)).covers(shapely.geometry.shape(location))


def inner_point(perimeter: dict[str, Any]) -> list[float]:
    """A point surely inside the perimeter (its centroid when that is inside), as [lon, lat]."""
    area = _prepared(json.dumps(perimeter, sort_keys=True))
    centroid = area.centroid
    point = centroid if area.covers(centroid) else area.representative_point()
    return [round(point.x, MAX_DECIMALS), round(point.y, MAX_DECIMALS)]


def require_inside(location: dict[str, Any], perimeter: dict[str, Any]) -> None:
    """Refuse a location outside the perimeter; hint at swapped axes when that explains it."""
    if is_inside(location, perimeter):
        return
    area = _prepared(json.dumps(perimeter, sort_keys=True))
    lon, lat = location["coordinates"]
    if area.covers(shapely.geometry.Point(lat, lon)):
        raise InvalidInput("coordinates_swapped", field="geometry")
    raise InvalidInput("outside_perimeter", field="geometry")


@lru_cache(maxsize=64)
def _prepared(geometry_json: str) -> BaseGeometry:
    # Perimeters are tested on every submission; preparing them once makes that cheap.
    shape = shapely.geometry.shape(json.loads(geometry_json))
    shapely.prepare(shape)
    return shape
