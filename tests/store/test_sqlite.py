"""SQLite specifics: the durability settings every connection gets, the FTS5 index."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, event, text

from geoapp.domain import BBox, ContributionQuery, Grid, ModerationQuery, Status
from geoapp.store import Store, open_store
from geoapp.store.sql.core import alembic_config
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


def _plans(store: Store, run: Callable[[], object], beginning: str = "SELECT") -> list[list[str]]:
    """The query plans of the statements that begin with `beginning` while `run` runs."""
    statements: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().startswith(beginning):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)  # type: ignore[attr-defined]
    try:
        run()
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)  # type: ignore[attr-defined]
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return [
            [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            for statement, parameters in statements
        ]


def test_the_rtree_drives_every_bbox_query(tmp_path: Path) -> None:
    """Issue 14: SQLite looked up every pin of the consultation and then asked the R*Tree."""
    store = open_store(f"sqlite:///{tmp_path / 'plan.sqlite'}")
    try:
        consultation = make_consultation(store)
        make_contribution(store, consultation)
        query = ContributionQuery(consultation.id, bbox=BBox(7.70, 51.57, 7.72, 51.58))

        def run() -> None:
            store.map_pins(query, limit=500)
            store.map_clusters(query, Grid(0.001, 0.0006))
            store.list_contributions(query)

        plans = _plans(store, run)
        assert len(plans) == 3
        for plan in plans:
            # The pins are found by rowid from the R*Tree's answer, never by scanning
            # the consultation's index.
            assert plan[0].startswith("SEARCH contributions USING INTEGER PRIMARY KEY"), plan
            assert any("SCAN contributions_rtree VIRTUAL TABLE INDEX" in p for p in plan), plan
            assert not any("ix_contributions_consultation_status" in p for p in plan), plan
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


def test_the_search_index_alone_counts_the_queue_of_one_consultation(tmp_path: Path) -> None:
    """Issue 14: the count of a search looked up the row of each match (a quarter of 100,000
    pins); the search index counts a consultation's pins of some statuses faster than any."""
    store = open_store(f"sqlite:///{tmp_path / 'count.sqlite'}")
    try:
        consultation = make_consultation(store)
        make_contribution(store, consultation, text="Mehr Bänke vor der Bücherei!")
        make_contribution(store, consultation, text="Ein Brunnen fehlt.")
        queue = ModerationQuery(consultation.id, (Status.PUBLISHED, Status.PENDING))

        def run() -> None:
            assert store.moderation_queue(replace(queue, text="Bänke")).total == 1
            assert store.moderation_queue(queue).total == 2

        plans = _plans(store, run, "SELECT count")
        assert len(plans) == 2
        for plan in plans:
            assert len(plan) == 1, plan
            assert plan[0].startswith("SCAN contributions_fts VIRTUAL TABLE INDEX"), plan
    finally:
        store.close()


def test_the_queue_of_every_consultation_walks_the_status_index(tmp_path: Path) -> None:
    """Issue 14: the pending pins of every consultation were found by reading every pin."""
    store = open_store(f"sqlite:///{tmp_path / 'everywhere.sqlite'}")
    try:
        for slug in ("eins", "zwei"):
            consultation = make_consultation(store, slug=slug)
            make_contribution(store, consultation)
            make_contribution(store, consultation, status=Status.PENDING)
        query = ModerationQuery(None, (Status.PENDING,))
        plans = _plans(store, lambda: store.moderation_queue(query))
        # The page and its total.
        assert len(plans) == 2
        for plan in plans:
            assert (
                plan[0].startswith("SEARCH contributions USING ")
                and "INDEX ix_contributions_status_created (status=?)" in plan[0]
            ), plan
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    finally:
        store.close()


def test_search_words_never_match_the_scope_words_of_the_index(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'scope.sqlite'}")
    try:
        consultation = make_consultation(store)
        make_contribution(store, consultation, text="Mehr Bänke vor der Bücherei!")
        # Each pin's scope word begins with q and its status (migration 0014_queue).
        for words in ("q", "qpublished", "published"):
            query = ModerationQuery(consultation.id, (Status.PUBLISHED,), text=words)
            page = store.moderation_queue(query)
            assert (page.total, page.items) == (0, []), words
    finally:
        store.close()


def test_upgrade_indexes_the_scope_of_the_pins_already_there(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = open_store(url)
    consultation = make_consultation(store)
    pin = make_contribution(store, consultation, text="Mehr Bänke vor der Bücherei!")
    store.close()
    config = alembic_config()
    with create_engine(url).begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0013_posters")
    store = open_store(url)
    try:
        query = ModerationQuery(consultation.id, (Status.PUBLISHED,), text="Bücherei")
        page = store.moderation_queue(query)
        assert (page.total, [c.id for c, _ in page.items]) == (1, [pin.id])
    finally:
        store.close()
