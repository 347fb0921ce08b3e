"""A consultation's change version, and SQLite statistics that let the R*Tree drive bbox queries.

`change_version` counts every change that alters what the public map shows of a consultation
(a pin added, decided, edited, erased, supported, replied to); it is raised in the transaction
of the change, so every worker derives the same ETag from it.

Without statistics SQLite takes the (consultation, status) index for the most selective path
and checks every pin of the consultation against the R*Tree's answer (issue 14: 18 req/s for
a view of 500 pins among 100,000). The statistics row says what a consultation with many pins
looks like (a quarter of all pins share one consultation), so the planner looks up the R*Tree's
rowids instead; a later ANALYZE replaces it with the measured figures.

Revision ID: 0011_change_version
Revises: 0010_api_tokens
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_change_version"
down_revision = "0010_api_tokens"
branch_labels = None
depends_on = None

INDEX = "ix_contributions_consultation_status"
STAT = "100000 25000 25000 1"


def upgrade() -> None:
    op.add_column(
        "consultations",
        sa.Column("change_version", sa.Integer, nullable=False, server_default="0"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE")
        op.execute(f"DELETE FROM sqlite_stat1 WHERE idx = '{INDEX}'")
        op.execute(f"INSERT INTO sqlite_stat1 VALUES ('contributions', '{INDEX}', '{STAT}')")
        # Makes this connection's planner read the statistics again.
        op.execute("ANALYZE sqlite_master")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DELETE FROM sqlite_stat1 WHERE idx = '{INDEX}'")
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("change_version")
