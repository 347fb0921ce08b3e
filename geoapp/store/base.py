"""The Store protocol: what the services need from a database; no HTTP, no framework objects."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from geoapp.domain import (
    Answer,
    ApiToken,
    AuditEvent,
    CellCount,
    Consultation,
    Contribution,
    ContributionPage,
    ContributionQuery,
    Grid,
    Hit,
    IdempotencyRecord,
    Keyset,
    ListOrder,
    MapPin,
    ModerationQuery,
    Nearby,
    Photo,
    Planner,
    PlannerSession,
    Poster,
    QueuePage,
    Reply,
    Report,
    ReportTally,
    SchemaState,
    SigninFailures,
    Status,
    TargetKind,
    ThemeTextQuery,
    ThemeTexts,
)


class Store(Protocol):
    """What the services need from a database; every backend passes tests/store."""

    def close(self) -> None: ...

    def schema_state(self) -> SchemaState:
        """The database's migration and the newest; NotReady when the database is unreachable."""
        ...

    def add_consultation(self, consultation: Consultation) -> None: ...

    def get_consultation(self, slug: str) -> Consultation | None: ...

    def get_consultation_by_id(self, consultation_id: str) -> Consultation | None: ...

    def list_consultations(self) -> list[Consultation]: ...

    def add_contribution(
        self,
        contribution: Contribution,
        idempotency: IdempotencyRecord | None = None,
        hits: Sequence[Hit] = (),
    ) -> None:
        """Store a pin and, if given, its send's idempotency record in one transaction.

        The send's rate `hits` are counted first in the same transaction (one commit per pin);
        at the first over its allowance the counts are kept, the pin is not stored and
        OverLimit is raised.

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

    def contribution_columns(
        self, query: ContributionQuery, fields: Sequence[str], batch: int = 10_000
    ) -> Iterator[dict[str, list[Any]]]:
        """The contributions of `query` column by column, in batches of up to `batch` rows:
        the table columns named in `fields` (and `reply_count`, if named), for exports that
        build arrays, not row objects; a column not asked for is not read.

        `geometry` is its GeoJSON as text (or as the driver decoded it), `created_at` and
        `updated_at` as the driver gives them (text on SQLite; UTC either way); a point's
        coordinates are also in `min_lon`/`min_lat`.
        """
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

    def add_reply(
        self, reply: Reply, idempotency: IdempotencyRecord | None = None, hits: Sequence[Hit] = ()
    ) -> None:
        """Store a reply, its idempotency record and its rate hits in one transaction (as pins)."""
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
        *events: AuditEvent,
        expected: Status | None = None,
        answer: Answer | None = None,
        resolve_reports: bool = False,
    ) -> bool:
        """Change a contribution's or reply's status and record `events` in one transaction.

        `answer` is written with it (contributions only); `resolve_reports` marks the open
        reports on the target as dealt with. The change's time is the first event's. With
        `expected`, only a target currently in that status changes (so two concurrent
        decisions cannot both apply). Returns False, and writes nothing, when nothing changed.
        """
        ...

    def list_audit(self, kind: TargetKind, target_id: str) -> list[AuditEvent]:
        """The audit trail of one contribution or reply, oldest first, in the order written."""
        ...

    def add_photo(self, photo: Photo) -> None: ...

    def get_photo(self, photo_id: str) -> Photo | None: ...

    def contribution_of_photo(self, photo_id: str) -> Contribution | None:
        """The contribution a photo is attached to, if any (a photo belongs to at most one)."""
        ...

    def delete_orphan_photos(self, before: datetime, limit: int) -> list[str]:
        """Delete up to `limit` photos created before `before` that no pin uses; their ids."""
        ...

    def put_photo_file(self, photo_id: str, variant: str, data: bytes) -> None:
        """Keep one image file of a photo in the database (replacing an earlier one)."""
        ...

    def get_photo_file(self, photo_id: str, variant: str) -> bytes | None: ...

    def delete_photo_files(self, photo_id: str) -> None:
        """Remove every image file of the photo kept in the database (none: no error)."""
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

    def moderation_queue(self, query: ModerationQuery) -> QueuePage:
        """One page of pins for moderation, newest first, each with its open reports.

        The page holds up to `query.limit` pins after `query.after`; `total` counts every pin
        that matches the filters, or is `query.total` when that is given; `text` is matched as
        words or word beginnings, case and umlauts folded (a search for "Banke" finds "Bänke").
        """
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

    def forget_expired(self, now: datetime) -> int:
        """Remove rate counters and idempotency records whose time ran out; how many."""
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

    # themes for planners

    def theme_texts(self, query: ThemeTextQuery) -> ThemeTexts:
        """Id, language, text, category and point of the pins `query` matches, newest first.

        With an area, a pin counts when its point lies in the polygon (edge included).
        """
        ...

    # OGC API – Features (issue 13)

    def page_contributions(
        self,
        query: ContributionQuery,
        limit: int,
        after: Keyset | None = None,
        before: Keyset | None = None,
    ) -> ContributionPage:
        """Up to `limit` contributions of `query` in (created_at, id) order, oldest first.

        With `after`, those that come after it; with `before`, the `limit` that come right
        before it. The page says whether more rows lie beyond it in either direction. The
        query's own limit and offset are ignored: pages never walk an OFFSET.
        """
        ...

    def add_api_token(self, token: ApiToken) -> None: ...

    def get_api_token(self, token_hash: str) -> tuple[ApiToken, Planner] | None:
        """The unrevoked token with this hash and its planner, if the account is enabled."""
        ...

    def list_api_tokens(self) -> list[tuple[ApiToken, Planner]]:
        """Every token (revoked ones too) with its planner, by username, then oldest first."""
        ...

    def revoke_api_token(self, token_id: str, now: datetime) -> bool:
        """Revoke a token at `now`; False when there is no such unrevoked token."""
        ...

    # on the spot (issue 15): nearby suggestions, posters

    def nearby_contributions(
        self,
        consultation_id: str,
        category: str,
        lon: float,
        lat: float,
        radius_m: float,
        limit: int,
    ) -> list[Nearby]:
        """Up to `limit` published pins of `category` within `radius_m` metres, nearest first.

        Distance is geodesic (WGS84) to the nearest point of the pin's geometry; pins without
        a location are never near anything.
        """
        ...

    def add_poster(self, poster: Poster) -> None: ...

    def get_poster(self, key: str) -> Poster | None: ...

    def list_posters(self, consultation_id: str) -> list[Poster]:
        """The consultation's posters, oldest first."""
        ...

    def pins_per_poster(self, consultation_id: str) -> dict[str, int]:
        """Per poster key, how many of the consultation's pins (any status) it brought."""
        ...

    # the public map of many pins (issue 14)

    def change_version(self, consultation_id: str) -> int:
        """A number raised by every change to what the public map shows of the consultation.

        Pins added, decided, edited or erased, supports and replies raise it, in the
        transaction of the change; the map's ETag is derived from it.
        """
        ...

    def map_pins(self, query: ContributionQuery, limit: int) -> list[MapPin]:
        """Up to `limit` placed pins `query` matches, lean (no order promised)."""
        ...

    def map_clusters(self, query: ContributionQuery, grid: Grid) -> list[CellCount]:
        """The placed pins `query` matches, counted per grid cell and category."""
        ...

    def view_page(
        self, query: ContributionQuery, order: ListOrder, unplaced: bool
    ) -> tuple[list[Contribution], int]:
        """One page (query.limit, query.offset) of the pins `query` matches, and their total.

        With `unplaced` and a bbox, pins without a place ("ohne Ort") count as in every view.
        """
        ...
