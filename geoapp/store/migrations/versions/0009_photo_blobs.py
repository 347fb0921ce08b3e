"""Photo files kept in the database, so every machine behind a load balancer serves them.

Revision ID: 0009_photo_blobs
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_photo_blobs"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign key to photos: the files are written before the photo's row, as on disk.
    op.create_table(
        "photo_blobs",
        sa.Column("photo_id", sa.String(36), primary_key=True),
        sa.Column("variant", sa.String(8), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("photo_blobs")
