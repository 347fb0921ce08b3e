"""Tables as SQLAlchemy Core objects, shared by every backend (migrations create them)."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always hands back timezone-aware datetimes (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

consultations = Table(
    "consultations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("title", JSON, nullable=False),
    Column("description", JSON, nullable=False),
    Column("question", JSON, nullable=False),
    Column("perimeter", JSON, nullable=False),
    Column("opens_at", UTCDateTime, nullable=False),
    Column("closes_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("moderation", String(8), nullable=False),
    Column("categories", JSON, nullable=False),
    Column("allow_replies", Boolean, nullable=False, default=True),
    Column("allow_photos", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("open_data", Boolean, nullable=False, server_default=true()),
    Column("paused_at", UTCDateTime, nullable=True),
    Column("pause_message", String(500), nullable=True),
    # Raised with every change the public map shows (issue 14): keys its ETag.
    Column("change_version", Integer, nullable=False, server_default="0"),
)

contributions = Table(
    "contributions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "consultation_id",
        String(36),
        ForeignKey("consultations.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("geometry", JSON, nullable=True),
    # The bounding box is kept beside the GeoJSON so that every backend can index it.
    Column("min_lon", Float, nullable=True),
    Column("min_lat", Float, nullable=True),
    Column("max_lon", Float, nullable=True),
    Column("max_lat", Float, nullable=True),
    Column("category", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("author_name", String(80), nullable=True),
    Column("contact_email", String(254), nullable=True),
    Column("language", String(8), nullable=False),
    Column("source", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("support_count", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("participant_hash", String(64), nullable=True),
    Column("photo_id", String(36), ForeignKey("photos.id"), nullable=True),
    Column("photo_alt", String(300), nullable=True),
    Column("status_reason", String(300), nullable=True),
    Column("planner_response", Text, nullable=True),
    Column("response_status", String(16), nullable=True),
    Column("poster_key", String(16), nullable=True),
    Index("ix_contributions_consultation_status", "consultation_id", "status", "created_at"),
    # Keyset paging of OGC API items: the whole sort key (created_at, id) in the index.
    Index("ix_contributions_keyset", "consultation_id", "status", "created_at", "id"),
    Index("ix_contributions_poster_key", "poster_key"),
    Index("ix_contributions_created_id", "created_at", "id"),
    Index("ix_contributions_queue_filters", "consultation_id", "status", "category", "source"),
    # The queue of every consultation (a planner's default: the pending pins), in its order.
    Index("ix_contributions_status_created", "status", "created_at", "id"),
)

replies = Table(
    "replies",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "contribution_id",
        String(36),
        ForeignKey("contributions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("text", Text, nullable=False),
    Column("author_name", String(80), nullable=True),
    Column("participant_hash", String(64), nullable=True),
    Column("language", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("status_reason", String(300), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_replies_contribution_status", "contribution_id", "status"),
)

supports = Table(
    "supports",
    metadata,
    Column(
        "contribution_id",
        String(36),
        ForeignKey("contributions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("participant_hash", String(64), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("target_kind", String(16), nullable=False),
    Column("target_id", String(36), nullable=False),
    Column("participant_hash", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("note", String(500), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("network_hash", String(64), nullable=True),
    UniqueConstraint("target_kind", "target_id", "participant_hash", name="uq_report_once"),
)

photos = Table(
    "photos",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("participant_hash", String(64), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    # The write order: events of one moment (a decision and its answer) keep it in the trail.
    Column("seq", Integer, autoincrement=True),
    Column("id", String(36), nullable=False),
    Column("target_kind", String(16), nullable=False),
    Column("target_id", String(36), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(32), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("seq", name="pk_audit_events"),
    UniqueConstraint("id", name="uq_audit_event_id"),
    Index("ix_audit_target", "target_kind", "target_id", "created_at"),
    sqlite_autoincrement=True,
)

planners = Table(
    "planners",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

planner_sessions = Table(
    "planner_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "planner_id",
        String(36),
        ForeignKey("planners.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Index("ix_planner_sessions_expires_at", "expires_at"),
)

# Failed sign-ins per (username, network hash); username "" counts a network's failures for
# every username. Only known usernames get a row of their own.
signin_throttles = Table(
    "signin_throttles",
    metadata,
    Column("username", String(40), primary_key=True),
    Column("network_hash", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),
    Index("ix_signin_throttles_last_at", "last_at"),
)

# Abuse protection (issue 10): server secrets, rate counters, idempotency keys.

server_secrets = Table(
    "server_secrets",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

rate_counters = Table(
    "rate_counters",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("window_start", UTCDateTime, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_rate_counters_expires_at", "expires_at"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("participant_hash", String(64), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_idempotency_keys_expires_at", "expires_at"),
)

# Planner API tokens (issue 13): read-only access for GIS clients (QGIS, GDAL).
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "planner_id",
        String(36),
        ForeignKey("planners.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("name", String(80), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

# Posters with a QR code (issue 15, part "spot"): where each stands; pins name it by `key`.
posters = Table(
    "posters",
    metadata,
    Column("key", String(16), primary_key=True),
    Column(
        "consultation_id",
        String(36),
        ForeignKey("consultations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("place", String(64), nullable=True),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("size", String(4), nullable=False),
    Column("language", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Index("ix_posters_consultation", "consultation_id", "created_at"),
)

# Photo files in the database (issue 12): the photo store of several machines on one server.
photo_blobs = Table(
    "photo_blobs",
    metadata,
    Column("photo_id", String(36), primary_key=True),
    Column("variant", String(8), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)
