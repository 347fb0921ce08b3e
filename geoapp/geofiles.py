"""Read uploaded GIS files (GeoJSON, GeoPackage, zipped Shapefile) into WGS84 features."""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas
import pandas
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from geoapp import geo
from geoapp.errors import InvalidInput

SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".zip": "Shapefile"}


@dataclass(frozen=True)
class Feature:
    """One feature of an uploaded layer: its 1-based number, WGS84 geometry and attributes."""

    number: int
    geometry: BaseGeometry | None
    properties: dict[str, Any]


def kind_of(filename: str) -> str:
    """The format a file name announces, or InvalidInput listing the accepted ones."""
    kind = SUFFIXES.get(Path(filename).suffix.lower())
    if kind is None:
        raise InvalidInput("file_type_unsupported", field="file", name=Path(filename).name)
    return kind


def read_features(data: bytes, filename: str) -> list[Feature]:
    """The first layer of the file, reprojected to WGS84 from whatever CRS it declares."""
    kind = kind_of(filename)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{Path(filename).suffix.lower()}"
        path.write_bytes(data)
        try:
            frame = geopandas.read_file(path)
        # GEOSException: a geometry GEOS cannot build, e.g. a polygon ring that is not closed.
        except (DataSourceError, DataLayerError, ValueError, OSError, GEOSException):
            raise InvalidInput("file_unreadable", field="file", kind=kind) from None
    crs = frame.crs
    if crs is None:
        if kind != "GeoJSON":
            raise InvalidInput("crs_missing", field="file", kind=kind)
        crs = geo.WGS84  # RFC 7946: GeoJSON without a CRS member is WGS84
    attributes = frame.drop(columns=frame.geometry.name)
    features = []
    for number, (geometry, (_, row)) in enumerate(
        zip(frame.geometry, attributes.iterrows(), strict=True), start=1
    ):
        shape = None if geometry is None or geometry.is_empty else geo.to_wgs84(geometry, crs)
        properties = {k: _plain(v) for k, v in row.items()}
        features.append(Feature(number, shape, properties))
    return features


def _plain(value: Any) -> Any:
    """A JSON-friendly Python value for a pandas cell (NaN/NaT become None)."""
    if value is None or (not isinstance(value, list | dict) and pandas.isna(value)):
        return None
    if isinstance(value, pandas.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value
