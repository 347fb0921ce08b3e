"""Geometry rules: parse a GeoJSON geometry from a client, test it against a perimeter, project.

Coordinates are GeoJSON order, (longitude, latitude), WGS84, everywhere inside the app.
"""

import json
import math
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyproj
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


def require_inside(location: dict[str, Any], perimeter: dict[str, Any]) -> None:
    """Refuse a location outside the perimeter; hint at swapped axes when that explains it."""
    area = _prepared(json.dumps(perimeter, sort_keys=True))
    point = shapely.geometry.shape(location)
    if area.covers(point):
        return
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


WGS84 = 4326


def parse_crs(value: str) -> int:
    """The EPSG code of an `EPSG:NNNN` string that pyproj knows, else InvalidInput."""
    prefix, _, code = value.strip().partition(":")
    if prefix.upper() != "EPSG" or not code.isdigit():
        raise InvalidInput("crs_invalid", field="crs", crs=value)
    try:
        pyproj.CRS.from_epsg(int(code))
    except pyproj.exceptions.CRSError:
        raise InvalidInput("crs_unknown", field="crs", crs=value) from None
    return int(code)


def project(geometries: npt.NDArray[np.object_], epsg: int) -> npt.NDArray[np.object_]:
    """WGS84 geometries (lon, lat) transformed to EPSG `epsg`, x = easting or longitude."""
    if epsg == WGS84:
        return geometries
    transformer = _transformer(epsg)

    def forward(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometries, forward)


@lru_cache(maxsize=16)
def _transformer(epsg: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WGS84, epsg, always_xy=True)
