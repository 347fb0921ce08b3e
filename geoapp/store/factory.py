"""Choose the backend from the database URL."""

from sqlalchemy.engine import make_url

from geoapp.store.base import Store


def open_store(url: str) -> Store:
    """Open (and migrate) the store behind `url`; only SQLite is built in so far."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        from geoapp.store.sqlite import SqliteStore

        return SqliteStore(url)
    raise ValueError(f"unsupported database URL scheme: {backend!r} (use sqlite:///path)")
