"""PostgreSQL/PostGIS backend: many workers and machines on one database server."""

from sqlalchemy import (
    ColumnElement,
    Connection,
    column,
    create_engine,
    func,
    literal_column,
    select,
)
from sqlalchemy.engine import make_url

from geoapp.domain import BBox
from geoapp.store.sql import SqlStore

# Kept by a trigger from the GeoJSON (migration 0001), so no writer can forget it; it is not in
# schema.py because SQLite has no such column (its R*Tree plays the part).
GEOM = column("geom")
WGS84 = 4326
# The expression of the GIN index of migration 0012_search, to the letter, so the index serves
# the search: written out, not built with bound parameters the planner could not match.
SEARCHED = literal_column(
    "to_tsvector('german', contributions.text || ' ' || coalesce(contributions.author_name, ''))"
)
# Any fixed number: the workers that migrate one database agree on it.
MIGRATION_LOCK = 0x6765_6F61_7070


class PostgisStore(SqlStore):
    """The scale-out backend: psycopg 3, a GiST-indexed `geometry(Point, 4326)` column."""

    def __init__(self, url: str) -> None:
        # A bare postgresql:// URL would pick psycopg2, which is not installed.
        engine_url = make_url(url).set(drivername="postgresql+psycopg")
        # pre_ping: a pooled connection the server dropped (restart, failover) is replaced
        # instead of failing the request that draws it.
        super().__init__(create_engine(engine_url, pool_pre_ping=True))

    def _lock_for_migration(self, conn: Connection) -> None:
        # Held until the migration's transaction ends; the next worker then finds the schema
        # at head instead of creating the same tables a second time.
        conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))

    def _bbox_clause(self, bbox: BBox) -> ColumnElement[bool]:
        envelope = func.ST_MakeEnvelope(
            bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat, WGS84
        )
        return GEOM.op("&&")(envelope)

    def _text_clause(self, words: list[str]) -> ColumnElement[bool]:
        # German stems, every word also as a beginning (`:*`), as FTS5 does on SQLite; the
        # words are letters and digits only, so nothing typed becomes tsquery syntax.
        query = func.to_tsquery(literal_column("'german'"), " & ".join(f"{w}:*" for w in words))
        return SEARCHED.op("@@")(query)
