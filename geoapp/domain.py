"""Row types and enums every layer shares (store, services, API); no HTTP, no SQL."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

Geometry = dict[str, Any]
"""A GeoJSON geometry object in WGS84 (lon, lat)."""

LocalText = dict[str, str]
"""Text per language code; German ("de") is always present."""


class PhotoTaken(Exception):
    """The photo is already attached to another contribution (unique in the store)."""


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
    POSTER = "poster"
    """Sent from the form a poster's QR code opened; the pin names the poster by its key."""


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
    open_data: bool = True
    """Published pins may be downloaded by anyone as open data."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    paused_at: datetime | None = None
    """A planner paused intake (pins, replies) at this time; None while intake runs."""
    pause_message: str | None = None
    """The planner's message to residents while paused; None shows the default text."""


class ResponseStatus(StrEnum):
    """Where a pin stands, as the planners' public response tells residents."""

    CHECKING = "checking"
    PLANNED = "planned"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"


class TargetKind(StrEnum):
    """What a report or an audit event is about."""

    CONTRIBUTION = "contribution"
    REPLY = "reply"
    CONSULTATION = "consultation"


class ReportReason(StrEnum):
    INSULT = "insult"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OTHER = "other"


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
    participant_hash: str | None = field(default=None, repr=False)
    photo_id: str | None = None
    photo_alt: str | None = None
    status_reason: str | None = None
    planner_response: str | None = None
    response_status: ResponseStatus | None = None
    support_count: int = 0
    reply_count: int = 0
    """Published replies; derived by the store on read, ignored on write."""
    poster_key: str | None = None
    """The poster whose QR code brought the pin (source `poster`); nothing else is tracked."""


EDITABLE_FIELDS = ("category", "text", "geometry", "planner_response", "response_status")
"""The fields of a contribution a planner may change after it came in (each change audited)."""


@dataclass(frozen=True)
class Answer:
    """The planners' public answer under a pin: their text and where the matter stands."""

    planner_response: str | None
    response_status: ResponseStatus | None


@dataclass
class Reply:
    id: str
    contribution_id: str
    text: str
    status: Status
    created_at: datetime
    updated_at: datetime
    language: str = "de"
    author_name: str | None = None
    participant_hash: str | None = field(default=None, repr=False)
    status_reason: str | None = None


@dataclass
class Report:
    """A resident's flag on a contribution or reply; one per participant and target."""

    id: str
    target_kind: TargetKind
    target_id: str
    participant_hash: str
    reason: ReportReason
    created_at: datetime
    note: str | None = None
    resolved_at: datetime | None = None
    network_hash: str | None = field(default=None, repr=False)
    """The reporter's network under the day's keyed hash, never the address."""


@dataclass(frozen=True)
class ReportTally:
    """Open reports on one target: how many, and from how many distinct networks."""

    reports: int = 0
    networks: int = 0


@dataclass(frozen=True)
class IdempotencyKey:
    """A send's Idempotency-Key: whose, for which request, with which status it is answered."""

    participant_hash: str
    key: str
    request_hash: str
    status_code: int
    created_at: datetime
    expires_at: datetime

    def answered(self, response: Any) -> "IdempotencyRecord":
        """The record to keep: this key with the first answer (JSON) to its send."""
        return IdempotencyRecord(self, response)


@dataclass(frozen=True)
class IdempotencyRecord:
    """An Idempotency-Key with the first answer to its send, stored with the row it created."""

    key: IdempotencyKey
    response: Any


@dataclass(frozen=True)
class Hit:
    """One send counted on a rate counter: its fixed window and how many sends it allows.

    `refusal` is the message key a send over the allowance is refused with.
    """

    key: str
    window_start: datetime
    expires_at: datetime
    allowed: int
    refusal: str


class OverLimit(Exception):
    """A send went over the allowance of `hit`; its count is kept, nothing else was stored."""

    def __init__(self, hit: Hit) -> None:
        super().__init__(hit.key)
        self.hit = hit


class IdempotencyKeyTaken(Exception):
    """The participant's Idempotency-Key was stored first by another send; `earlier` is its."""

    def __init__(self, earlier: IdempotencyRecord) -> None:
        super().__init__(earlier.key.key)
        self.earlier = earlier


@dataclass
class Photo:
    """A re-encoded upload; the image files themselves live in the photo storage."""

    id: str
    participant_hash: str
    width: int
    height: int
    created_at: datetime


@dataclass
class AuditEvent:
    """Who changed what, when: `changes` maps a field to [before, after]."""

    id: str
    target_kind: TargetKind
    target_id: str
    actor: str
    action: str
    changes: dict[str, Any]
    created_at: datetime


class PlannerRole(StrEnum):
    """Moderators moderate, respond and enter pins; admins also run consultations and accounts."""

    MODERATOR = "moderator"
    ADMIN = "admin"


@dataclass
class Planner:
    id: str
    username: str
    password_hash: str = field(repr=False)
    role: PlannerRole
    created_at: datetime
    disabled: bool = False


@dataclass
class PlannerSession:
    """A signed-in browser; only the hash of the cookie's token is stored."""

    token_hash: str
    planner_id: str
    csrf_token: str = field(repr=False)
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class SigninFailures:
    """Failed sign-ins in a row for a username from one network, and when the last one was.

    `username` is "" for the failures of a network for any username.
    """

    username: str
    network_hash: str
    count: int
    last_at: datetime


@dataclass(frozen=True)
class QueueCursor:
    """A position in the pin queue: its order is created_at descending, then id ascending."""

    created_at: datetime
    id: str


@dataclass(frozen=True)
class ModerationQuery:
    """A moderation queue: pins or replies in these statuses, or only those with open reports."""

    consultation_id: str | None = None
    statuses: Sequence[Status] = (Status.PENDING,)
    reported_only: bool = False
    limit: int = 200
    offset: int = 0
    categories: Sequence[str] = ()
    sources: Sequence[Source] = ()
    created_from: datetime | None = None
    """Inclusive lower bound on created_at (UTC)."""
    created_to: datetime | None = None
    """Exclusive upper bound on created_at (UTC)."""
    text: str | None = None
    """Words the pin's text or public name must contain (each also as a word's beginning)."""
    after: QueueCursor | None = None
    """The pin queue continues after this position (the last item of the page before)."""
    total: int | None = None
    """The matches the first page counted, carried by the cursor: the pin queue then skips
    counting them again; None counts."""


@dataclass(frozen=True)
class QueuePage:
    """One page of the pin queue (each pin with its open reports), how many match in all, and
    where the next page starts (None on the last page)."""

    items: list[tuple[Contribution, ReportTally]]
    total: int
    next: QueueCursor | None


class PosterSize(StrEnum):
    A4 = "A4"
    A3 = "A3"


@dataclass(frozen=True)
class Poster:
    """A printed poster whose QR code opens the form at one spot of a consultation."""

    key: str
    """Short opaque id, in the poster's link as `via=poster-KEY`."""
    consultation_id: str
    lon: float
    lat: float
    size: PosterSize
    language: str
    """The language printed beside German ("de": German only)."""
    created_at: datetime
    created_by: str
    place: str | None = None
    """The name of the place (from places.geojson) the poster stands at; None for a point."""


@dataclass(frozen=True)
class Nearby:
    """A published pin near a point, `distance_m` metres away (geodesic)."""

    contribution: Contribution
    distance_m: float


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
    created_from: datetime | None = None
    """Inclusive lower bound on created_at (UTC)."""
    created_to: datetime | None = None
    """Exclusive upper bound on created_at (UTC)."""


@dataclass(frozen=True)
class ThemeTextQuery:
    """Which pins' texts the themes of a consultation are computed from."""

    consultation_id: str
    statuses: Sequence[Status] = (Status.PUBLISHED,)
    categories: Sequence[str] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
    area: Geometry | None = None
    """A (Multi)Polygon in WGS84: only pins whose point lies in it (edge included)."""
    limit: int | None = None
    """At most this many texts, the newest first; `ThemeTexts.matched` counts them all."""


@dataclass(frozen=True)
class ThemeText:
    """What the themes need of one pin: its text, language, category and a point for the map."""

    id: str
    language: str
    text: str
    category: str
    point: tuple[float, float] | None
    """(lon, lat) of the pin, a point on its shape for lines and areas; None without geometry."""


@dataclass(frozen=True)
class ThemeTexts:
    texts: list[ThemeText]
    matched: int
    """How many pins match the query, also those beyond its limit."""


# OGC API – Features and planner API tokens (issue 13).


@dataclass(frozen=True)
class Keyset:
    """A place in the (created_at, id) order of contributions, for keyset paging."""

    created_at: datetime
    id: str


@dataclass(frozen=True)
class ContributionPage:
    """One page of contributions in (created_at, id) order, and whether more lie beyond it."""

    contributions: list[Contribution]
    more_after: bool
    more_before: bool


@dataclass
class ApiToken:
    """A planner's read-only token for GIS clients; only the hash of the secret is stored."""

    id: str
    planner_id: str
    name: str
    token_hash: str = field(repr=False)
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class SchemaState:
    """Which migration the database is at, and the newest one this code brings."""

    current: str | None
    """None: the database has no schema yet."""
    head: str

    @property
    def at_head(self) -> bool:
        return self.current == self.head


# The public map (issue 14): what a view of many pins is answered with.


@dataclass(frozen=True)
class MapPin:
    """A pin as the map draws it; the rest comes when it is opened."""

    id: str
    category: str
    lon: float
    lat: float
    support_count: int
    excerpt: str
    """The start of the text, for the marker's accessible name."""


@dataclass(frozen=True)
class Grid:
    """Square-ish cells for clustering: `size_lon` by `size_lat` degrees, from (-180, -90)."""

    size_lon: float
    size_lat: float


@dataclass(frozen=True)
class CellCount:
    """The pins of one category in one grid cell: how many, their mean point and extent."""

    cell_x: int
    cell_y: int
    category: str
    count: int
    lon: float
    lat: float
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class ListOrder(StrEnum):
    NEWEST = "newest"
    SUPPORTED = "supported"
