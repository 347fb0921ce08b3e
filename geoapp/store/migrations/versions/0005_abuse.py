"""Abuse protection: server secrets, rate counters, idempotency keys, report networks, pause.

Revision ID: 0005
Revises: 0004_exports
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0005"
down_revision = "0004_exports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("window_start", UTCDateTime, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_rate_counters_expires_at", "rate_counters", ["expires_at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("participant_hash", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("response", sa.JSON, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("network_hash", sa.String(64), nullable=True))
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("paused_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("pause_message", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("pause_message")
        batch.drop_column("paused_at")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("network_hash")
    op.drop_table("idempotency_keys")
    op.drop_table("rate_counters")
    op.drop_table("server_secrets")
