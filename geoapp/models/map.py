"""The map page's settings and places residents can choose."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class MapConfig(BaseModel):
    """Server settings the map page needs."""

    tile_url: str
    tile_attribution: str
    # A list of two rather than a tuple: its JSON Schema then needs no `prefixItems`, which
    # OpenAPI tools (Schemathesis among them) still read wrongly.
    center: list[float] = Field(
        min_length=2, max_length=2, description="[latitude, longitude] as Leaflet expects."
    )
    zoom: int
    languages: list[str]


class PlaceChoice(BaseModel):
    """A named place or street a resident can choose instead of clicking the map."""

    id: str
    kind: Literal["place", "street"]
    label: str
    label_en: str
    geometry: dict[str, Any] = Field(description="Where the pin goes (GeoJSON Point).")
    fallback: bool = Field(description="No known coordinate: the pin goes to the area's centre.")
    approximate: bool
    inside: bool = Field(description="Whether the point lies in the consultation's area.")


class NearestPlace(BaseModel):
    """The named place nearest to a point: describes a spot in words."""

    label: str
    label_en: str
    distance_m: int
    bearing: int = Field(description="Degrees clockwise from north, from the place to the point.")
