"""Exports: a consultation may offer its published pins as open data (on by default).

Revision ID: 0004_exports
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_exports"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "consultations",
        sa.Column("open_data", sa.Boolean, nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("consultations", "open_data")
