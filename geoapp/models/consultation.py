"""Consultations and their categories: public, as planners create, change and see them."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from geoapp.domain import ConsultationStatus, Moderation
from geoapp.models.base import FromDomain, UtcDatetime


class CategoryPublic(FromDomain):
    key: str
    label: str
    color: str


class CategoryIn(FromDomain):
    """A category as planners define it: key, label per language, colour (#rrggbb)."""

    key: str = Field(examples=["sitzen-aufenthalt"])
    label: dict[str, str] = Field(examples=[{"de": "Sitzen & Aufenthalt", "en": "Seating"}])
    color: str = Field(examples=["#1f6feb"])


class ConsultationPublic(FromDomain):
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
    paused: bool = Field(
        default=False, description="A planner has paused intake: no pins or replies for now."
    )
    pause_message: str | None = Field(
        default=None, description="The planners' message while paused (none: a default text)."
    )
    perimeter: dict[str, Any]
    categories: list[CategoryPublic]


class ConsultationCreate(BaseModel):
    """A new consultation; texts per language with German required."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "slug": "spielplatz-2027",
                "title": {"de": "Neuer Spielplatz", "en": "New playground"},
                "question": {"de": "Was soll es dort geben?"},
                "opens_at": "2027-03-01T08:00:00+01:00",
                "closes_at": "2027-04-01T18:00:00+02:00",
                "categories": [
                    {"key": "spielen", "label": {"de": "Spielen", "en": "Play"}, "color": "#1f6feb"}
                ],
                "perimeter": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [7.7078, 51.5748],
                            [7.7178, 51.5748],
                            [7.7178, 51.5808],
                            [7.7078, 51.5808],
                            [7.7078, 51.5748],
                        ]
                    ],
                },
            }
        }
    )

    slug: str = Field(description="Lower-case letters, digits and hyphens; part of the URL.")
    title: dict[str, str]
    description: dict[str, str] = Field(default_factory=dict)
    question: dict[str, str]
    opens_at: UtcDatetime
    closes_at: UtcDatetime
    status: ConsultationStatus = ConsultationStatus.DRAFT
    moderation: Moderation = Moderation.PRE
    allow_replies: bool = True
    allow_photos: bool = True
    categories: list[CategoryIn]
    perimeter: dict[str, Any] = Field(
        description="GeoJSON (Multi)Polygon in WGS84: a geometry, a Feature or a collection of one."
    )


class ConsultationUpdate(BaseModel):
    """The fields to change; the rest stay as they are. `status` opens, closes or archives."""

    title: dict[str, str] | None = None
    description: dict[str, str] | None = None
    question: dict[str, str] | None = None
    opens_at: UtcDatetime | None = None
    closes_at: UtcDatetime | None = None
    status: ConsultationStatus | None = None
    moderation: Moderation | None = None
    allow_replies: bool | None = None
    allow_photos: bool | None = None
    categories: list[CategoryIn] | None = None
    perimeter: dict[str, Any] | None = None


class ConsultationForPlanner(FromDomain):
    """A consultation with every language's texts, as the planner workspace edits it."""

    slug: str
    title: dict[str, str]
    description: dict[str, str]
    question: dict[str, str]
    status: ConsultationStatus
    opens_at: datetime
    closes_at: datetime
    moderation: Moderation
    allow_replies: bool
    allow_photos: bool
    paused: bool = False
    pause_message: str | None = None
    categories: list[CategoryIn]
    perimeter: dict[str, Any]
    created_at: datetime | None
    updated_at: datetime | None


class PauseChange(BaseModel):
    """A planner pauses a consultation's intake (with an optional message) or resumes it."""

    paused: bool
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = (
        Field(default=None, description="Shown to residents while paused; empty: a default text.")
    )
