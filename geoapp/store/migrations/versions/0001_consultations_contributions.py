"""Consultations and contributions, with a spatial index per dialect.

SQLite indexes the bounding boxes in an R*Tree; PostgreSQL gets PostGIS, a `geom` column and a
GiST index on it. Triggers fill either from the pin's own columns, so no writer can forget them.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from geoapp.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite's built-in R*Tree module indexes the contributions' bounding boxes; triggers keep it
# in step so that no code path can forget it. The rtree id is the contributions table's rowid.
SQLITE_RTREE = [
    "CREATE VIRTUAL TABLE contributions_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    """CREATE TRIGGER contributions_rtree_insert AFTER INSERT ON contributions
       WHEN new.min_lon IS NOT NULL BEGIN
         INSERT INTO contributions_rtree VALUES (new.rowid, new.min_lon, new.max_lon, new.min_lat, new.max_lat);
       END""",
    """CREATE TRIGGER contributions_rtree_update AFTER UPDATE OF min_lon, min_lat, max_lon, max_lat
       ON contributions BEGIN
         DELETE FROM contributions_rtree WHERE id = old.rowid;
         INSERT INTO contributions_rtree SELECT new.rowid, new.min_lon, new.max_lon, new.min_lat, new.max_lat
           WHERE new.min_lon IS NOT NULL;
       END""",
    """CREATE TRIGGER contributions_rtree_delete AFTER DELETE ON contributions BEGIN
         DELETE FROM contributions_rtree WHERE id = old.rowid;
       END""",
]

# PostGIS needs CREATE rights on the database (or the extension created beforehand by an admin).
POSTGIS = [
    "CREATE EXTENSION IF NOT EXISTS postgis",
    "ALTER TABLE contributions ADD COLUMN geom geometry(Point, 4326)",
    "CREATE INDEX ix_contributions_geom ON contributions USING gist (geom)",
    """CREATE FUNCTION contributions_geom() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.geom := CASE WHEN NEW.geometry IS NULL OR json_typeof(NEW.geometry) = 'null' THEN NULL
                     ELSE ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4326) END;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER contributions_geom BEFORE INSERT OR UPDATE OF geometry ON contributions
       FOR EACH ROW EXECUTE FUNCTION contributions_geom()""",
]


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("slug", sa.String(80), nullable=False, unique=True),
        sa.Column("title", sa.JSON, nullable=False),
        sa.Column("description", sa.JSON, nullable=False),
        sa.Column("question", sa.JSON, nullable=False),
        sa.Column("perimeter", sa.JSON, nullable=False),
        sa.Column("opens_at", UTCDateTime, nullable=False),
        sa.Column("closes_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("moderation", sa.String(8), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("allow_replies", sa.Boolean, nullable=False),
        sa.Column("allow_photos", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "contributions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "consultation_id",
            sa.String(36),
            sa.ForeignKey("consultations.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("geometry", sa.JSON, nullable=True),
        sa.Column("min_lon", sa.Float, nullable=True),
        sa.Column("min_lat", sa.Float, nullable=True),
        sa.Column("max_lon", sa.Float, nullable=True),
        sa.Column("max_lat", sa.Float, nullable=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_name", sa.String(80), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("support_count", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index(
        "ix_contributions_consultation_status",
        "contributions",
        ["consultation_id", "status", "created_at"],
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_RTREE if dialect == "sqlite" else POSTGIS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE contributions_rtree")
    op.drop_table("contributions")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION contributions_geom()")
    op.drop_table("consultations")
