"""The Store protocol and the row types it speaks; no HTTP, no framework objects."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

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
class ModerationQuery:
    """A moderation queue: pins or replies in these statuses, or only those with open reports."""

    consultation_id: str | None = None
    statuses: Sequence[Status] = (Status.PENDING,)
    reported_only: bool = False
    limit: int = 200
    offset: int = 0


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


class Store(Protocol):
    """What the services need from a database; every backend passes tests/store."""

    def close(self) -> None: ...

    def add_consultation(self, consultation: Consultation) -> None: ...

    def get_consultation(self, slug: str) -> Consultation | None: ...

    def get_consultation_by_id(self, consultation_id: str) -> Consultation | None: ...

    def list_consultations(self) -> list[Consultation]: ...

    def add_contribution(
        self, contribution: Contribution, idempotency: IdempotencyRecord | None = None
    ) -> None:
        """Store a pin and, if given, its send's idempotency record in one transaction.

        Raises IdempotencyKeyTaken (nothing stored) when the participant has an unexpired
        record under the key already, PhotoTaken when the photo belongs to another pin.
        """
        ...

    def get_contribution(self, contribution_id: str) -> Contribution | None: ...

    def list_contributions(self, query: ContributionQuery) -> list[Contribution]: ...

    def count_contributions(self, query: ContributionQuery) -> int: ...

    def iter_contributions(self, query: ContributionQuery) -> Iterator[Contribution]:
        """Like list_contributions, streamed in batches so that large exports stay small."""
        ...

    def contributions_of_participant(self, participant_hash: str) -> list[Contribution]:
        """Every contribution sent with this participant token, newest first, any status."""
        ...

    def set_support(
        self, contribution_id: str, participant_hash: str, supported: bool, now: datetime
    ) -> int:
        """Add or take back one participant's support; returns the new support count."""
        ...

    def supported_among(self, participant_hash: str, contribution_ids: Sequence[str]) -> set[str]:
        """Which of `contribution_ids` this participant supports."""
        ...

    def add_reply(self, reply: Reply, idempotency: IdempotencyRecord | None = None) -> None:
        """Store a reply and, if given, its idempotency record in one transaction (as pins)."""
        ...

    def get_reply(self, reply_id: str) -> Reply | None: ...

    def list_replies(self, contribution_id: str, statuses: Sequence[Status]) -> list[Reply]:
        """The replies to a contribution in `statuses`, oldest first (conversation order)."""
        ...

    def replies_of_contributions(
        self, query: ContributionQuery, statuses: Sequence[Status]
    ) -> list[Reply]:
        """Replies in `statuses` to the contributions `query` matches (paging ignored)."""
        ...

    def replies_of_participant(self, participant_hash: str) -> list[Reply]:
        """Every reply sent with this participant token, newest first, any status."""
        ...

    def add_report(self, report: Report) -> ReportTally | None:
        """Record a report; returns the open reports on its target, None for a repeat."""
        ...

    def list_reports(self, kind: TargetKind, target_id: str) -> list[Report]:
        """The reports on one contribution or reply, oldest first, resolved or not."""
        ...

    def set_status(
        self,
        kind: TargetKind,
        target_id: str,
        status: Status,
        reason: str | None,
        event: AuditEvent,
        expected: Status | None = None,
    ) -> bool:
        """Change a contribution's or reply's status and record `event` in one transaction.

        With `expected`, only a target currently in that status changes (so two concurrent
        decisions cannot both apply). Returns False, and records nothing, when nothing changed.
        """
        ...

    def list_audit(self, kind: TargetKind, target_id: str) -> list[AuditEvent]:
        """The audit trail of one contribution or reply, oldest first."""
        ...

    def add_photo(self, photo: Photo) -> None: ...

    def get_photo(self, photo_id: str) -> Photo | None: ...

    def contribution_of_photo(self, photo_id: str) -> Contribution | None:
        """The contribution a photo is attached to, if any (a photo belongs to at most one)."""
        ...

    def delete_orphan_photos(self, before: datetime, limit: int) -> list[str]:
        """Delete up to `limit` photos created before `before` that no pin uses; their ids."""
        ...

    def add_contributions(self, pins: Sequence[Contribution], events: Sequence[AuditEvent]) -> None:
        """Add pins and their audit events in one transaction (planner entries, imports)."""
        ...

    def update_contribution(self, contribution: Contribution, event: AuditEvent) -> None:
        """Write the editable fields (category, text, geometry, response) with the audit event."""
        ...

    def erase_personal_data(self, contribution_id: str, event: AuditEvent) -> str | None:
        """Remove name, e-mail, photo and earlier (audited) texts of a pin; the photo's id.

        The erasure itself is recorded as `event`.
        """
        ...

    def resolve_reports(self, kind: TargetKind, target_id: str, now: datetime) -> int:
        """Mark the open reports on a target as dealt with; returns how many."""
        ...

    def moderation_queue(self, query: ModerationQuery) -> list[tuple[Contribution, ReportTally]]:
        """Pins for moderation, newest first, each with its open reports."""
        ...

    def reply_queue(self, query: ModerationQuery) -> list[tuple[Reply, ReportTally]]:
        """Replies for moderation, newest first, each with its open reports."""
        ...

    def update_consultation(self, consultation: Consultation) -> None:
        """Overwrite the consultation with this id (the slug never changes)."""
        ...

    def add_planner(self, planner: Planner) -> None: ...

    def get_planner(self, username: str) -> Planner | None: ...

    def list_planners(self) -> list[Planner]: ...

    def set_planner_password(self, username: str, password_hash: str) -> None:
        """Replace the password hash and end every session of that planner."""
        ...

    def add_planner_session(self, session: PlannerSession) -> None:
        """Store a new session; sessions already expired at its creation are removed."""
        ...

    def get_planner_session(
        self, token_hash: str, now: datetime
    ) -> tuple[PlannerSession, Planner] | None:
        """The unexpired session and its enabled planner, else None."""
        ...

    def touch_planner_session(self, token_hash: str, now: datetime) -> None:
        """Note that the session was used at `now` (for the idle timeout)."""
        ...

    def delete_planner_session(self, token_hash: str) -> None: ...

    def delete_planner_sessions(self, planner_id: str) -> int:
        """End every session of a planner ("sign out everywhere"); returns how many."""
        ...

    def set_planner_disabled(self, username: str, disabled: bool) -> bool:
        """Disable (ending every session) or enable an account; False if there is none."""
        ...

    def get_signin_failures(self, username: str, network_hash: str) -> SigninFailures | None: ...

    def add_signin_failure(self, network_hash: str, username: str | None, now: datetime) -> None:
        """Count one failed sign-in for the network and, if given, for `username` from it.

        Failures a day old are forgotten first (for every row), so the table stays small
        and a planner who was locked out starts afresh the next day.
        """
        ...

    def clear_signin_failures(self, username: str, network_hash: str | None = None) -> int:
        """Forget a username's failures from one network, or from all; returns rows removed."""
        ...

    def forget_signin_failures(self, before: datetime) -> int:
        """Remove failure rows whose last failure was before `before`; returns how many."""
        ...

    # abuse protection

    def server_secret(self, name: str, candidate: str, now: datetime) -> str:
        """The secret stored under `name`; `candidate` is stored first if there is none.

        Every worker gets the same value, whichever of them stored it first.
        """
        ...

    def count_hit(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        """Count one more hit on `key` in the window starting at `window_start`; the new count.

        Counter rows that expired before this window started are removed on the way.
        """
        ...

    def get_idempotency_record(
        self, participant_hash: str, key: str, now: datetime
    ) -> IdempotencyRecord | None:
        """The participant's record under `key`, unless it had expired by `now`.

        Expired records are removed whenever a new one is stored.
        """
        ...

    def knows_participant(self, participant_hash: str) -> bool:
        """Whether any pin, reply, support, report or photo was sent with this token hash."""
        ...

    def set_pause(
        self,
        consultation_id: str,
        paused_at: datetime | None,
        message: str | None,
        event: AuditEvent,
    ) -> None:
        """Pause intake (paused_at set) or resume it (None), with the audit event."""
        ...
