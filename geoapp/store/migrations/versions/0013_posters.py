"""Posters with a QR code, and the poster that brought a pin.

A pin sent from the form a poster's QR code opened has source `poster` and names the poster
by its key; nothing else about the visit is kept.

Revision ID: 0013_posters
Revises: 0012_search
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0013_posters"
down_revision = "0012_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posters",
        sa.Column("key", sa.String(16), primary_key=True),
        sa.Column(
            "consultation_id",
            sa.String(36),
            sa.ForeignKey("consultations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("place", sa.String(64), nullable=True),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("size", sa.String(4), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_posters_consultation", "posters", ["consultation_id", "created_at"])
    # No foreign key on the new column: SQLite cannot add one to an existing table, and the
    # service checks the key against `posters` before a pin is stored.
    op.add_column("contributions", sa.Column("poster_key", sa.String(16), nullable=True))
    op.create_index("ix_contributions_poster_key", "contributions", ["poster_key"])


def downgrade() -> None:
    op.drop_index("ix_contributions_poster_key", table_name="contributions")
    with op.batch_alter_table("contributions") as batch:
        batch.drop_column("poster_key")
    op.drop_index("ix_posters_consultation", table_name="posters")
    op.drop_table("posters")
