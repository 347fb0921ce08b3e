"""Engagement: supports, replies, reports, photos, the audit trail, and the pin's new fields.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("participant_hash", sa.String(64), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    # Plain ADD COLUMN, never a batch table copy: on SQLite a copy would lose the R*Tree
    # triggers and renumber the rowids the spatial index points at.
    op.add_column("contributions", sa.Column("participant_hash", sa.String(64), nullable=True))
    op.add_column("contributions", sa.Column("photo_id", sa.String(36), nullable=True))
    op.add_column("contributions", sa.Column("photo_alt", sa.String(300), nullable=True))
    op.add_column("contributions", sa.Column("status_reason", sa.String(300), nullable=True))
    op.add_column("contributions", sa.Column("planner_response", sa.Text, nullable=True))
    op.create_index("ix_contributions_participant_hash", "contributions", ["participant_hash"])
    op.create_index("uq_contributions_photo_id", "contributions", ["photo_id"], unique=True)
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(
            "fk_contributions_photo_id", "contributions", "photos", ["photo_id"], ["id"]
        )
    op.create_table(
        "replies",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "contribution_id",
            sa.String(36),
            sa.ForeignKey("contributions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_name", sa.String(80), nullable=True),
        sa.Column("participant_hash", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.String(300), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_replies_contribution_status", "replies", ["contribution_id", "status"])
    op.create_index("ix_replies_participant_hash", "replies", ["participant_hash"])
    op.create_table(
        "supports",
        sa.Column(
            "contribution_id",
            sa.String(36),
            sa.ForeignKey("contributions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("participant_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("participant_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime, nullable=True),
        sa.UniqueConstraint("target_kind", "target_id", "participant_hash", name="uq_report_once"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_audit_target", "audit_events", ["target_kind", "target_id", "created_at"])


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("reports")
    op.drop_table("supports")
    op.drop_table("replies")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_contributions_photo_id", "contributions", type_="foreignkey")
    op.drop_index("uq_contributions_photo_id", "contributions")
    op.drop_index("ix_contributions_participant_hash", "contributions")
    for column in (
        "planner_response",
        "status_reason",
        "photo_alt",
        "photo_id",
        "participant_hash",
    ):
        op.drop_column("contributions", column)
    op.drop_table("photos")
