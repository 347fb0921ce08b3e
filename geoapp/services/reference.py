"""Reference geodata that orients residents: outline, named places, the offline gazetteer."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely.geometry
from pyproj import Geod

from geoapp import geo

EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class ReferenceLayers:
    district: dict[str, Any]
    places: dict[str, Any]
    gazetteer: list[dict[str, Any]]


def load(reference_dir: Path) -> ReferenceLayers:
    """Read the outline, places and gazetteer once; a missing file is an empty layer."""
    gazetteer = reference_dir / "gazetteer.json"
    return ReferenceLayers(
        district=_read(reference_dir / "district.geojson"),
        places=_read(reference_dir / "places.geojson"),
        gazetteer=json.loads(gazetteer.read_text(encoding="utf-8")) if gazetteer.is_file() else [],
    )


def choices(layers: ReferenceLayers, perimeter: dict[str, Any]) -> list[dict[str, Any]]:
    """Gazetteer entries for a consultation: where each puts the pin, and whether it may.

    An entry without a coordinate falls back to a point inside the perimeter (`fallback`);
    one with a coordinate outside the perimeter is listed but marked `inside: false`.
    """
    centre = geo.inner_point(perimeter)
    result = []
    for entry in layers.gazetteer:
        coordinates = entry["coordinates"]
        located = coordinates is not None
        point = {"type": "Point", "coordinates": coordinates if located else centre}
        result.append(
            {
                "id": entry["id"],
                "kind": entry["kind"],
                "label": entry["label"],
                "label_en": entry["label_en"],
                "geometry": point,
                "fallback": not located,
                "approximate": entry["approximate"],
                "inside": geo.is_inside(point, perimeter),
            }
        )
    return result


def nearest_place(layers: ReferenceLayers, lon: float, lat: float) -> dict[str, Any] | None:
    """The named place nearest to (lon, lat), with distance in metres and bearing from it."""
    best: dict[str, Any] | None = None
    for feature in layers.places["features"]:
        place_lon, place_lat = shapely.geometry.shape(feature["geometry"]).coords[0]
        bearing, _, distance = _GEOD.inv(place_lon, place_lat, lon, lat)
        if best is None or distance < best["distance_m"]:
            best = {
                "label": feature["properties"]["label"],
                "label_en": feature["properties"]["label_en"],
                "distance_m": round(distance),
                "bearing": round(bearing % 360),
            }
    return best


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else EMPTY
