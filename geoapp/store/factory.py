"""Choose the backend from the database URL."""

from sqlalchemy.engine import make_url

from geoapp.store.base import Store


def open_store(url: str) -> Store:
    """Open (and migrate) the store behind `url`: SQLite or PostgreSQL/PostGIS."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        from geoapp.store.sqlite import SqliteStore

        return SqliteStore(url)
    if backend == "postgresql":
        from geoapp.store.postgis import PostgisStore

        return PostgisStore(url)
    raise ValueError(
        f"unsupported database URL scheme: {backend!r} "
        "(use sqlite:///path or postgresql://user@host/database)"
    )
