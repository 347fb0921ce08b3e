"""Taking part on the spot: posters with a QR code, and published pins near a point."""

from datetime import datetime

from pydantic import BaseModel, Field

from geoapp.domain import PosterSize
from geoapp.models.base import FromDomain, OptionalPoint


class PosterCreate(BaseModel):
    """A poster to print: at a named place or at a chosen point, German plus one language."""

    model_config = {
        "json_schema_extra": {"example": {"place": "luisenpark", "size": "A4", "language": "tr"}}
    }

    place: str | None = Field(
        default=None,
        max_length=100,
        description="A named place (id or name from /api/reference/places); or give geometry.",
    )
    geometry: OptionalPoint = Field(
        default=None, description="GeoJSON Point [longitude, latitude] inside the perimeter."
    )
    size: PosterSize = PosterSize.A4
    language: str = Field(
        default="en", max_length=8, description='Printed beside German; "de" for German only.'
    )


class PosterOut(BaseModel):
    """A poster: where it stands, its link, and where to download its PDF."""

    key: str
    place: str | None = Field(description="The place's name; None for a chosen point.")
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] (WGS84).")
    size: PosterSize
    language: str
    link: str | None = Field(
        description="What the QR code opens: the form at this spot (None while "
        "GEOAPP_PUBLIC_URL is unset)."
    )
    short_link: str | None = Field(description="The short address printed under the QR code.")
    pdf_url: str = Field(description="The poster as PDF (planners only).")
    created_at: datetime
    created_by: str
    contributions: int = Field(description="Pins sent from this poster's link so far.")


class PosterList(BaseModel):
    """A consultation's posters, and whether new ones can be made here."""

    ready: bool = Field(description="GEOAPP_PUBLIC_URL is set: posters can be made and downloaded.")
    posters: list[PosterOut]


class NearbyContribution(FromDomain):
    """A published pin near the resident's point: what it says and how many support it."""

    id: str
    category: str
    text: str
    support_count: int
    created_at: datetime
    distance_m: int = Field(description="Metres from the point asked about (rounded).")
