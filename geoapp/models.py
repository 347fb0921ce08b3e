"""Pydantic schemas of the HTTP API: what comes in, and what anyone may see going out.

Public models are separate classes without private fields, so an e-mail address cannot leak
into a public response by accident.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from geoapp.store.base import ConsultationStatus, Moderation, ReportReason, Status, TargetKind

TEXT_MAX = 2000
NAME_MAX = 80
REPLY_MAX = 1000
NOTE_MAX = 500
ALT_MAX = 300

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX)]
ReplyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REPLY_MAX)
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]
AltText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=ALT_MAX)]


class ContributionCreate(BaseModel):
    """A resident's new pin, as the map form sends it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "geometry": {"type": "Point", "coordinates": [7.7128, 51.5778]},
                "category": "sitzen-aufenthalt",
                "text": "Mehr Bänke mit Aufstehhilfe vor der Sparkasse.",
                "author_name": "Erika",
                "consent": True,
            }
        }
    )

    geometry: Any = Field(
        default=None,
        description="GeoJSON Point, coordinates [longitude, latitude] (WGS84); "
        "null only together with without_location.",
    )
    without_location: bool = Field(
        default=False,
        description="The contribution is about the consultation as a whole (\"ohne Ort\").",
    )
    category: str = Field(description="A category key of the consultation.")
    text: Text
    author_name: Name | None = Field(default=None, description="Shown publicly; optional.")
    contact_email: EmailStr | None = Field(
        default=None, description="Private: only planners see it; never in public output."
    )
    consent: Literal[True] = Field(description="The privacy notice was read and accepted.")
    photo_id: str | None = Field(
        default=None,
        description="Optional photo: upload it first with POST /api/photos (multipart), then "
        "send the `id` it returned here. The photo must come from the same browser.",
    )
    photo_alt: AltText | None = Field(
        default=None, description="Describes the photo for people who cannot see it."
    )


class CategoryPublic(BaseModel):
    key: str
    label: str
    color: str


class ConsultationPublic(BaseModel):
    slug: str
    title: str
    description: str
    question: str
    status: ConsultationStatus
    opens_at: datetime
    closes_at: datetime
    moderation: Moderation
    allow_replies: bool
    allow_photos: bool
    perimeter: dict[str, Any]
    categories: list[CategoryPublic]


class PhotoPublic(BaseModel):
    """A contribution's photo: both images are re-encoded, without any metadata."""

    url: str = Field(description="JPEG, at most 1600 px on its long edge.")
    thumbnail_url: str = Field(description="JPEG, at most 400 px on its long edge.")
    alt: str | None = Field(description="The resident's description of the photo.")


class PhotoUploaded(BaseModel):
    """A stored upload; send `id` as `photo_id` with the new contribution."""

    id: str
    url: str
    thumbnail_url: str


class ContributionPublic(BaseModel):
    """What anyone may see of a contribution (its GeoJSON properties, plus id and geometry)."""

    id: str
    consultation: str
    geometry: dict[str, Any] | None
    category: str
    text: str
    author_name: str | None
    created_at: datetime
    support_count: int
    status: Status
    reply_count: int = Field(default=0, description="Published replies.")
    photo: PhotoPublic | None = None


class ReplyCreate(BaseModel):
    """A resident's reply to a published contribution."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"text": "Da stimme ich zu.", "author_name": "Jonas"}}
    )

    text: ReplyText
    author_name: Name | None = Field(default=None, description="Shown publicly; optional.")


class ReplyPublic(BaseModel):
    id: str
    contribution_id: str
    text: str
    author_name: str | None
    created_at: datetime
    status: Status = Field(description="'published' when shown at once, 'pending' until approved.")


class ContributionDetail(ContributionPublic):
    """One published contribution with its published replies, for the pin's popup."""

    replies: list[ReplyPublic]
    supported_by_me: bool = Field(description="Whether this browser supports the contribution.")


class SupportState(BaseModel):
    support_count: int
    supported_by_me: bool


class ReportCreate(BaseModel):
    """A resident's report of an inappropriate contribution or reply."""

    model_config = ConfigDict(json_schema_extra={"example": {"reason": "insult", "note": ""}})

    reason: ReportReason
    note: Note | None = Field(default=None, description="Optional: what is wrong with it.")


class ReportReceipt(BaseModel):
    """The report was received; planners will look at it."""

    target: TargetKind
    id: str
    reason: ReportReason


class MyContribution(ContributionPublic):
    """One of the participant's own pins, with the planners' public answer when there is one."""

    status_reason: str | None
    planner_response: str | None


class MyReply(ReplyPublic):
    """One of the participant's own replies, with the planners' reason when it is not shown."""

    status_reason: str | None


class MyContributions(BaseModel):
    """What this browser sent ("Meine Beiträge"), newest first, in every status."""

    contributions: list[MyContribution]
    replies: list[MyReply]


class MapConfig(BaseModel):
    """Server settings the map page needs."""

    tile_url: str
    tile_attribution: str
    center: tuple[float, float] = Field(description="[latitude, longitude] as Leaflet expects.")
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
