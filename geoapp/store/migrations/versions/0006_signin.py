"""Sign-in throttled per username and client network, idle sessions.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Counts per username alone let anyone lock a planner out; they start afresh per network.
    op.drop_table("signin_failures")
    op.create_table(
        "signin_throttles",
        sa.Column("username", sa.String(40), primary_key=True),
        sa.Column("network_hash", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("last_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_signin_throttles_last_at", "signin_throttles", ["last_at"])
    # Open sessions end (planners sign in again) so the new column needs no invented value.
    op.execute(sa.text("DELETE FROM planner_sessions"))
    op.add_column(
        "planner_sessions",
        sa.Column(
            "last_seen_at",
            UTCDateTime,
            nullable=False,
            server_default=sa.text("'1970-01-01 00:00:00'"),
        ),
    )


def downgrade() -> None:
    op.drop_column("planner_sessions", "last_seen_at")
    op.drop_index("ix_signin_throttles_last_at", "signin_throttles")
    op.drop_table("signin_throttles")
    op.create_table(
        "signin_failures",
        sa.Column("username", sa.String(40), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("last_at", UTCDateTime, nullable=False),
    )
