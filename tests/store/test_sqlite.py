"""SQLite specifics: the durability settings every connection gets, the FTS5 tokenizer."""

from pathlib import Path

from sqlalchemy import text

from geoapp.domain import ModerationQuery
from geoapp.store import open_store
from tests.factories import make_consultation, make_contribution


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


def test_queue_search_folds_umlauts_and_matches_word_beginnings(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'search.sqlite'}")
    try:
        consultation = make_consultation(store)
        benches = make_contribution(store, consultation, text="Mehr Bänke vor der Bücherei!")
        make_contribution(store, consultation, text="Eine Sitzbank am Teich.")

        def found(words: str) -> list[str]:
            query = ModerationQuery(consultation.id, statuses=(), text=words)
            return [c.id for c, _ in store.moderation_queue(query).items]

        # Typed without umlauts (a foreign keyboard) still finds it; "ae" for "ä" does not
        # (README, "Moderation queue").
        assert found("Banke") == [benches.id]
        assert found("bucherei") == [benches.id]
        assert found("Baenke") == []
        # A word's beginning, not its middle: "Bank" finds "Bänke", not "Sitzbank".
        assert found("Bank") == [benches.id]
    finally:
        store.close()
