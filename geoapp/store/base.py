"""The Store protocol and the row types it speaks; no HTTP, no framework objects."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

Geometry = dict[str, Any]
"""A GeoJSON geometry object in WGS84 (lon, lat)."""

LocalText = dict[str, str]
"""Text per language code; German ("de") is always present."""


class Status(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"


class Source(StrEnum):
    ONLINE = "online"
    OFFICE = "office"
    WORKSHOP = "workshop"
    PAPER = "paper"
    IMPORT = "import"


class ConsultationStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Moderation(StrEnum):
    PRE = "pre"
    POST = "post"


@dataclass(frozen=True)
class Category:
    key: str
    label: LocalText
    color: str


@dataclass
class Consultation:
    id: str
    slug: str
    title: LocalText
    description: LocalText
    question: LocalText
    perimeter: Geometry
    opens_at: datetime
    closes_at: datetime
    status: ConsultationStatus
    moderation: Moderation
    categories: list[Category]
    allow_replies: bool = True
    allow_photos: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class Contribution:
    id: str
    consultation_id: str
    geometry: Geometry | None
    category: str
    text: str
    status: Status
    created_at: datetime
    updated_at: datetime
    language: str = "de"
    source: Source = Source.ONLINE
    author_name: str | None = None
    contact_email: str | None = field(default=None, repr=False)
    support_count: int = 0


@dataclass(frozen=True)
class BBox:
    """Lon/lat rectangle; min <= max on both axes (checked where it is parsed)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


@dataclass(frozen=True)
class ContributionQuery:
    consultation_id: str
    statuses: Sequence[Status] = (Status.PUBLISHED,)
    bbox: BBox | None = None
    categories: Sequence[str] = ()
    limit: int | None = None
    offset: int = 0


class Store(Protocol):
    """What the services need from a database; every backend passes tests/store."""

    def close(self) -> None: ...

    def add_consultation(self, consultation: Consultation) -> None: ...

    def get_consultation(self, slug: str) -> Consultation | None: ...

    def list_consultations(self) -> list[Consultation]: ...

    def add_contribution(self, contribution: Contribution) -> None: ...

    def get_contribution(self, contribution_id: str) -> Contribution | None: ...

    def list_contributions(self, query: ContributionQuery) -> list[Contribution]: ...

    def count_contributions(self, query: ContributionQuery) -> int: ...
