"""Geometry rules: parse a GeoJSON geometry from a client, test it against a perimeter, project.

Coordinates are GeoJSON order, (longitude, latitude), WGS84, everywhere inside the app.
"""

import json
import math
from functools import lru_cache
from typing import Any, TypeVar

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
    if not isinstance(coords, list | tuple) or len(coords) != 2:
        raise InvalidInput("coordinates_malformed", field="geometry")
    lon, lat = (finite_number(c, "geometry", "coordinates_malformed") for c in coords)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("coordinates_out_of_range", field="geometry")
    return {"type": "Point", "coordinates": [round(lon, MAX_DECIMALS), round(lat, MAX_DECIMALS)]}


def finite_number(value: Any, field: str, key: str) -> float:
    """`value` as a finite float, else InvalidInput(`key`).

    JSON numbers may be 400-digit integers (too large for a float), NaN or Infinity.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(key, field=field)
    try:
        number = float(value)
    except OverflowError:
        raise InvalidInput(key, field=field) from None
    if not math.isfinite(number):
        raise InvalidInput(key, field=field)
    return number


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


WGS84_EPSG = 4326


def parse_crs(value: str) -> int:
    """The EPSG code of an `EPSG:NNNN` string that pyproj knows, else InvalidInput."""
    prefix, _, code = value.strip().partition(":")
    # isascii: str.isdigit() also accepts digits int() cannot read, such as "①".
    if prefix.upper() != "EPSG" or not (code.isascii() and code.isdigit()):
        raise InvalidInput("crs_invalid", field="crs", crs=value)
    try:
        pyproj.CRS.from_epsg(int(code))
    except pyproj.exceptions.CRSError:
        raise InvalidInput("crs_unknown", field="crs", crs=value) from None
    return int(code)


WGS84 = pyproj.CRS.from_epsg(WGS84_EPSG)
Geometries = TypeVar("Geometries", BaseGeometry, npt.NDArray[np.object_])
PERIMETER_TYPES = ("Polygon", "MultiPolygon")


def transform(geometry: Geometries, source: Any, target: Any = WGS84) -> Geometries:
    """`geometry` (or an array of them) from CRS `source` to CRS `target`, x/y order kept.

    The one place where coordinates change CRS: imports, uploads and exports all come here.
    """
    transformer = _transformer(
        pyproj.CRS.from_user_input(source), pyproj.CRS.from_user_input(target)
    )
    if transformer is None:
        return geometry

    def apply(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, apply)


def to_wgs84(geometry: BaseGeometry, crs: Any) -> BaseGeometry:
    """`geometry` from `crs` to WGS84 longitude/latitude."""
    return transform(geometry, crs, WGS84)


@lru_cache(maxsize=16)
def _transformer(source: pyproj.CRS, target: pyproj.CRS) -> pyproj.Transformer | None:
    if source.equals(target, ignore_axis_order=True):
        return None
    # always_xy: GeoJSON order (lon, lat / east, north) whatever axis order the CRS declares.
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def parse_perimeter(value: Any, max_vertices: int) -> dict[str, Any]:
    """One valid WGS84 (Multi)Polygon from a geometry, Feature or one-feature collection."""
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise InvalidInput("perimeter_feature_count", field="perimeter", count=len(features))
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if isinstance(value, dict) and value.get("type") in PERIMETER_TYPES:
        _require_plain_positions(value.get("coordinates"), max_vertices)
    try:
        shape = shapely.geometry.shape(value)
    except (
        AttributeError,
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        OverflowError,
        shapely.GEOSException,
    ):
        raise InvalidInput("perimeter_malformed", field="perimeter") from None
    return perimeter_from_shape(shape, max_vertices)


def _require_plain_positions(coordinates: Any, max_vertices: int) -> None:
    """Refuse non-finite numbers and too many vertices before shapely builds the shape."""
    positions = 0
    pending = [coordinates]
    while pending:
        item = pending.pop()
        if not isinstance(item, list):
            raise InvalidInput("perimeter_malformed", field="perimeter")
        if item and not isinstance(item[0], list):
            for number in item:
                finite_number(number, "perimeter", "perimeter_coordinates_invalid")
            positions += 1
            if positions > max_vertices:
                raise _too_many_vertices(max_vertices)
        else:
            pending.extend(item)


def _too_many_vertices(max_vertices: int) -> InvalidInput:
    return InvalidInput("perimeter_too_many_vertices", field="perimeter", max=max_vertices)


def perimeter_from_shape(shape: BaseGeometry, max_vertices: int) -> dict[str, Any]:
    """The shape as a perimeter GeoJSON geometry, or InvalidInput saying what is wrong."""
    if shape.geom_type not in PERIMETER_TYPES:
        raise InvalidInput("perimeter_not_polygon", field="perimeter", type=shape.geom_type)
    if shapely.get_num_coordinates(shape) > max_vertices:
        raise _too_many_vertices(max_vertices)
    if shape.is_empty:
        raise InvalidInput("perimeter_malformed", field="perimeter")
    min_x, min_y, max_x, max_y = shape.bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        raise InvalidInput("perimeter_not_wgs84", field="perimeter")
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        raise InvalidInput("perimeter_invalid", field="perimeter", reason=reason)
    return json.loads(shapely.to_geojson(shape))
