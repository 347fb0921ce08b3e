"""SQLite specifics: the durability settings every connection gets."""

from pathlib import Path

from sqlalchemy import text

from geoapp.store import open_store


def test_every_connection_writes_ahead_and_syncs_each_commit(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'durable.sqlite'}")
    try:
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            # 2 is FULL: the WAL is synced at every commit, so a power cut loses no answered write.
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.close()
