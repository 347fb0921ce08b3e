"""Contributions (pins) and their photos: sent, public, the sender's own, as planners see them."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from geoapp.domain import ResponseStatus, Source, Status
from geoapp.models.base import (
    AltText,
    EntrySource,
    ExportColumn,
    FormToken,
    FromDomain,
    Honeypot,
    Name,
    OptionalPoint,
    Point,
    PosterKey,
    Response,
    Text,
)
from geoapp.models.reply import MyReply, ReplyPublic


class PhotoUploaded(BaseModel):
    """A stored upload; send `id` as `photo_id` with the new contribution."""

    id: str
    url: str
    thumbnail_url: str


class PhotoPublic(BaseModel):
    """A contribution's photo: both images are re-encoded, without any metadata."""

    url: str = Field(description="JPEG, at most 1600 px on its long edge.")
    thumbnail_url: str = Field(description="JPEG, at most 400 px on its long edge.")
    alt: str | None = Field(description="The resident's description of the photo.")


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

    geometry: OptionalPoint = Field(
        default=None,
        description="GeoJSON Point, coordinates [longitude, latitude] (WGS84); "
        "null only together with without_location.",
    )
    without_location: bool = Field(
        default=False,
        description='The contribution is about the consultation as a whole ("ohne Ort").',
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
    poster: PosterKey | None = Field(
        default=None,
        description="The poster whose QR code opened the form (from `via=poster-KEY` in the "
        "link); the pin's source is then `poster`.",
    )
    form_token: FormToken = None
    website: Honeypot = None


class ContributionEntry(BaseModel):
    """A pin a planner enters for a resident (office visit, workshop, paper card)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "geometry": {"type": "Point", "coordinates": [7.7128, 51.5778]},
                "category": "sitzen-aufenthalt",
                "text": "Postkarte: Eine Bank am Marktplatz wäre schön.",
                "source": "paper",
            }
        }
    )

    geometry: Point = Field(description="GeoJSON Point, coordinates [longitude, latitude] (WGS84).")
    category: str
    text: Text
    author_name: Name | None = None
    contact_email: EmailStr | None = None
    source: EntrySource


class ContributionEdit(BaseModel):
    """A planner's correction or public answer; only the given fields change."""

    category: str | None = None
    text: Text | None = None
    geometry: OptionalPoint = Field(default=None, description="GeoJSON Point (WGS84).")
    planner_response: Response | None = Field(
        default=None, description="Public answer; an empty string removes it."
    )
    response_status: ResponseStatus | None = None


class ContributionPublic(FromDomain):
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
    planner_response: str | None = Field(
        default=None, description="The planners' public answer, shown under the pin."
    )
    response_status: ResponseStatus | None = Field(
        default=None, description="Where the pin stands, e.g. 'planned' (wird umgesetzt)."
    )


class ContributionDetail(ContributionPublic):
    """One published contribution with its published replies, for the pin's popup."""

    replies: list[ReplyPublic]
    supported_by_me: bool = Field(description="Whether this browser supports the contribution.")


class SupportState(BaseModel):
    support_count: int
    supported_by_me: bool


class MyContribution(ContributionPublic):
    """One of the participant's own pins, with the planners' public answer when there is one."""

    status_reason: str | None


class MyContributions(BaseModel):
    """What this browser sent ("Meine Beiträge"), newest first, in every status."""

    contributions: list[MyContribution]
    replies: list[MyReply]


class ContributionForPlanner(FromDomain):
    """A contribution with what only planners see: contact e-mail, source, open reports."""

    # A field with an `ExportColumn` is an export column too, in the order declared here.
    id: Annotated[
        str, ExportColumn("id", "Kennung des Beitrags (UUID)", "Contribution identifier (UUID)")
    ]
    consultation: Annotated[
        str, ExportColumn("consult", "Kurzname der Beteiligung", "Consultation slug")
    ]
    geometry: dict[str, Any] | None
    category: Annotated[str, ExportColumn("category", "Schlüssel des Themas", "Category key")]
    text: Annotated[
        str,
        ExportColumn("text", "Text des Beitrags, unverändert", "Contribution text, unchanged"),
    ]
    author_name: Annotated[
        str | None,
        ExportColumn(
            "author",
            "Öffentlicher Name, falls angegeben (nie E-Mail-Adressen)",
            "Public name if given (never e-mail addresses)",
        ),
    ]
    contact_email: str | None
    language: str
    created_at: Annotated[
        datetime,
        ExportColumn(
            "created",
            "Eingangszeit, ISO 8601 in UTC (z. B. 2026-05-04T09:30:00Z)",
            "Time received, ISO 8601 in UTC (e.g. 2026-05-04T09:30:00Z)",
        ),
    ]
    status: Annotated[
        Status,
        ExportColumn(
            "status",
            "published, pending, rejected oder hidden (veröffentlicht, wird geprüft, abgelehnt, "
            "ausgeblendet)",
            "published, pending, rejected or hidden",
        ),
    ]
    status_reason: str | None
    planner_response: Annotated[
        str | None,
        ExportColumn(
            "response", "Antwort der Planung, falls vorhanden", "Planners' response, if any"
        ),
    ]
    response_status: ResponseStatus | None
    support_count: Annotated[
        int, ExportColumn("supports", "Anzahl Unterstützungen", "Number of supports")
    ]
    reply_count: Annotated[
        int,
        ExportColumn("replies", "Anzahl veröffentlichter Antworten", "Number of published replies"),
    ]
    source: Annotated[
        Source,
        ExportColumn(
            "source",
            "Herkunft: online, office, workshop, paper, import oder poster (QR-Code)",
            "Source: online, office, workshop, paper, import or poster (QR code)",
        ),
    ]
    poster_key: str | None = Field(
        default=None, description="The poster whose QR code brought the pin (source poster)."
    )
    has_photo: bool
    open_reports: int
    report_networks: int = Field(
        default=0, description="Distinct networks among the open reports (hashed, per day)."
    )
    updated_at: datetime


class ContributionQueue(BaseModel):
    """One page of the moderation queue of pins, newest first."""

    items: list[ContributionForPlanner]
    total: int = Field(
        description="How many pins match the filters, on every page together; counted for "
        "the first page, a walk's later pages (by `cursor`) repeat that count."
    )
    next: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
