"""SQLite backend: WAL, foreign keys, R*Tree bbox index, FTS5 search, writers queue instead of
failing."""

from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    cast,
    create_engine,
    event,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.engine import make_url

from geoapp.domain import BBox, Hit, ModerationQuery, Status
from geoapp.store.group_commit import GroupCommit
from geoapp.store.sql import SqlStore
from geoapp.store.sql.core import count_then_write
from geoapp.store.sql.queue import WORD

BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    """The embedded default: one file, no server, no extension to install."""

    read_options = {"sqlite_readonly": True}  # noqa: RUF012
    # FULL syncs the WAL on every commit, so an acknowledged pin survives a power cut, not
    # only a crash of the process (NORMAL); its cost is measured in bench/README.md.
    synchronous = "FULL"

    def __init__(self, url: str) -> None:
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control from the sqlite3 module so that BEGIN IMMEDIATE works.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA synchronous={self.synchronous}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A deferred transaction that later writes can fail with "database is locked"
            # without waiting; writers therefore take the lock up front and queue on busy_timeout.
            mode = "" if conn.get_execution_options().get("sqlite_readonly") else " IMMEDIATE"
            conn.exec_driver_sql(f"BEGIN{mode}")

        self._sends = GroupCommit(self._write)
        super().__init__(engine)

    def _write_counted(self, hits: Sequence[Hit], write: Callable[[Connection], None]) -> None:
        # Pins and replies sent at once share a commit (one disk sync under FULL, not one each).
        refused = self._sends.run(lambda conn: count_then_write(conn, hits, write))
        if refused is not None:
            raise refused

    def _bbox_clause(self, bbox: BBox) -> ColumnElement[bool]:
        # The R*Tree keeps 32-bit floats, rounded outwards: it finds the candidates, the exact
        # test on the stored bounds drops pins a few centimetres outside.
        return text(
            "contributions.rowid IN (SELECT id FROM contributions_rtree "
            "WHERE min_lon <= :max_lon AND max_lon >= :min_lon "
            "AND min_lat <= :max_lat AND max_lat >= :min_lat)"
        ).bindparams(
            min_lon=bbox.min_lon, min_lat=bbox.min_lat, max_lon=bbox.max_lon, max_lat=bbox.max_lat
        ) & super()._bbox_clause(bbox)

    def _beside_spatial_index(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        # Unary + leaves the value alone and keeps SQLite from using an index on the column:
        # with any index on (consultation, status, …) its planner, whatever its statistics
        # say, may scan every pin of the consultation and ask the R*Tree for each.
        return literal_column(f"+contributions.{column.name}", column.type)

    def _cell(self, offset: ColumnElement[float], size: float) -> ColumnElement[int]:
        # floor() needs SQLite's optional math functions; for an offset that is never
        # negative, truncating to an integer is the same.
        return cast(offset / size, Integer)

    def _analyse(self) -> None:
        # Without statistics SQLite takes "consultation = ?" for a narrow filter and reads all
        # of a consultation's pins for a search or a reported queue. A sampled ANALYZE
        # (analysis_limit) takes milliseconds even at a million rows.
        with self._write() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit=400")
            conn.exec_driver_sql("ANALYZE")

    def _queue_count(
        self, query: ModerationQuery, where: list[ColumnElement[bool]]
    ) -> Select[tuple[int]]:
        consultation_id = query.consultation_id
        if consultation_id is None or not _scoped(query):
            return super()._queue_count(query, where)
        # The search index knows each pin's consultation and status (migration 0014_queue):
        # it counts them alone, a third of the CPU of the (consultation, status) index, and
        # a search's matches without looking up each match's row.
        scopes = " OR ".join(f'"{_scope(consultation_id, s)}"' for s in query.statuses)
        match = f"scope : ({scopes})"
        if words := WORD.findall(query.text or ""):
            match = f"{_words_match(words)} AND {match}"
        matches = text("contributions_fts MATCH :fts_match").bindparams(fts_match=match)
        return select(func.count()).select_from(table("contributions_fts")).where(matches)

    def _text_clause(self, words: list[str]) -> ColumnElement[bool]:
        # A page needs no scope: it walks the (consultation, status) index in order and
        # stops after one page; the scope would only make the index's answer dearer.
        return text(
            "contributions.rowid IN "
            "(SELECT rowid FROM contributions_fts WHERE contributions_fts MATCH :fts_match)"
        ).bindparams(fts_match=_words_match(words))


def _words_match(words: list[str]) -> str:
    """The FTS5 search of `words` (tokenizer unicode61 remove_diacritics 2, migration
    0012_search): every word as a beginning, so "Bank" finds "Bänke", in the text or public
    name (not the scope). The words are letters and digits only, so nothing the planner
    types becomes FTS query syntax."""
    return "{text author_name} : (" + " ".join(f'"{word}"*' for word in words) + ")"


def _scope(consultation_id: str, status: Status) -> str:
    """A pin's scope word (migration 0014_queue: 'q' || status || hex(consultation_id));
    hex, so that it is one word to the tokenizer and never FTS query syntax."""
    return f"q{status}{consultation_id.encode().hex()}"


# What selects pins without the search index knowing it (paging fields select none).
_NOT_FILTERS = {"consultation_id", "statuses", "text", "limit", "offset", "after", "total"}


def _scoped(query: ModerationQuery) -> bool:
    """Whether the search index alone tells the queue's pins: some statuses, no filter but
    the consultation and any words (a filter added to ModerationQuery counts by rows)."""
    return bool(query.statuses) and all(
        getattr(query, f.name) == f.default for f in fields(query) if f.name not in _NOT_FILTERS
    )
