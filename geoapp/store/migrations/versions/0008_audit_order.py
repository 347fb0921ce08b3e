"""Audit events are numbered as written, so events of the same moment keep their order.

A decision and the answer given with it are written in one transaction at one time; their
random UUID ids cannot say which came first, so the trail sorts by (created_at, seq). SQLite
cannot add an autoincrementing column to a table, so the table is rebuilt with `seq` as its
integer primary key (SERIAL on PostgreSQL) and the existing events are numbered in their old
order.

Revision ID: 0008
Revises: 0007
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COPIED = "id, target_kind, target_id, actor, action, changes, created_at"


def _rebuild(*key: Any, order: str, **options: Any) -> None:
    """Replace audit_events by a table with the key columns `key`, copying events in `order`."""
    op.drop_index("ix_audit_target", table_name="audit_events")
    op.rename_table("audit_events", "audit_events_old")
    op.create_table(
        "audit_events",
        *key,
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        **options,
    )
    op.execute(
        f"INSERT INTO audit_events ({COPIED}) SELECT {COPIED} FROM audit_events_old "
        f"ORDER BY {order}"
    )
    op.drop_table("audit_events_old")
    op.create_index("ix_audit_target", "audit_events", ["target_kind", "target_id", "created_at"])


def upgrade() -> None:
    _rebuild(
        sa.Column("seq", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
        sa.UniqueConstraint("id", name="uq_audit_event_id"),
        order="created_at, id",
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    _rebuild(sa.Column("id", sa.String(36), primary_key=True), order="created_at, seq")
