"""Planner API tokens for GIS clients, and an index that serves keyset paging of pins.

Revision ID: 0010_api_tokens
Revises: 0009_photo_blobs
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0010_api_tokens"
down_revision = "0009_photo_blobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "planner_id",
            sa.String(36),
            sa.ForeignKey("planners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime, nullable=True),
    )
    op.create_index(
        "ix_contributions_keyset",
        "contributions",
        ["consultation_id", "status", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_contributions_keyset", table_name="contributions")
    op.drop_table("api_tokens")
