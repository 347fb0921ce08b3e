"""Planner accounts, sessions, failed sign-ins (for the slow-down); a pin's response status.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch table copy would lose the R*Tree triggers on SQLite.
    op.add_column("contributions", sa.Column("response_status", sa.String(16), nullable=True))
    op.create_table(
        "planners",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(40), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
    )
    # Sessions live in the database, not in process memory, so that every worker sees them.
    op.create_table(
        "planner_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "planner_id",
            sa.String(36),
            sa.ForeignKey("planners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_planner_sessions_expires_at", "planner_sessions", ["expires_at"])
    op.create_table(
        "signin_failures",
        sa.Column("username", sa.String(40), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("last_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("signin_failures")
    op.drop_table("planner_sessions")
    op.drop_table("planners")
    op.drop_column("contributions", "response_status")
