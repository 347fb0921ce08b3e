"""PostgreSQL/PostGIS backend: many workers and machines on one database server."""

from sqlalchemy import ColumnElement, column, create_engine, func
from sqlalchemy.engine import make_url

from geoapp.domain import BBox
from geoapp.store.sql import SqlStore

# Kept by a trigger from the GeoJSON (migration 0001), so no writer can forget it; it is not in
# schema.py because SQLite has no such column (its R*Tree plays the part).
GEOM = column("geom")
WGS84 = 4326


class PostgisStore(SqlStore):
    """The scale-out backend: psycopg 3, a GiST-indexed `geometry(Point, 4326)` column."""

    def __init__(self, url: str) -> None:
        # A bare postgresql:// URL would pick psycopg2, which is not installed.
        engine_url = make_url(url).set(drivername="postgresql+psycopg")
        # pre_ping: a pooled connection the server dropped (restart, failover) is replaced
        # instead of failing the request that draws it.
        super().__init__(create_engine(engine_url, pool_pre_ping=True))

    def _bbox_clause(self, bbox: BBox) -> ColumnElement[bool]:
        envelope = func.ST_MakeEnvelope(
            bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat, WGS84
        )
        return GEOM.op("&&")(envelope)
