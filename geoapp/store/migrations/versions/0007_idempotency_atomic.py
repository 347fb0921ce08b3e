"""Idempotency records are stored with the pin or reply they answer, never half-claimed.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Keys claimed before a crash and never answered would refuse their retries for a day;
    # without them a retry runs afresh.
    op.execute(sa.text("DELETE FROM idempotency_keys WHERE status_code IS NULL"))
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.alter_column("status_code", existing_type=sa.Integer, nullable=False)
        batch.alter_column("response", existing_type=sa.JSON, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.alter_column("response", existing_type=sa.JSON, nullable=True)
        batch.alter_column("status_code", existing_type=sa.Integer, nullable=True)
