"""Moving a whole installation between databases, and proving that nothing changed on the way.

`copy` reads every table of `schema.metadata` (parents before children) from one consistent
snapshot of the source and writes it in batches into an empty, migrated target; photo bytes go
from the source's photo storage to the target's, whichever kind each is. `digests` is what both
sides are compared by: per table the row count and a SHA-256 over a canonical form of every row
in primary-key order, so that SQLite and PostgreSQL agree on equal content (times in UTC, JSON
with sorted keys, booleans as booleans, floats by their shortest exact repr, bytes as hex).
"""

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    Select,
    String,
    Table,
    func,
    insert,
    select,
    text,
)

from geoapp.errors import DomainError
from geoapp.store.photos import VARIANTS, PhotoStorage
from geoapp.store.schema import metadata, photos
from geoapp.store.sql.core import SqlBase

BATCH_ROWS = 1000
# Photo bytes are moved and compared through the photo storages, whichever kind each side
# has; their table (the database storage's) is not copied row by row.
PHOTO_FILE_TABLES = ("photo_blobs",)
Progress = Callable[[str, int, int], None]
"""Called as (table, rows done, rows in the table) after each batch."""


class TargetNotEmpty(DomainError):
    """The target database holds rows already; nothing was written."""


@dataclass(frozen=True)
class Digest:
    """What a table holds, in two numbers that do not depend on the database kind."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class Difference:
    table: str
    source: Digest | None
    target: Digest | None


def tables() -> list[Table]:
    """Every table of the schema but the photo bytes', parents before their children."""
    return [t for t in metadata.sorted_tables if t.name not in PHOTO_FILE_TABLES]


def copy(
    source: SqlBase,
    target: SqlBase,
    source_photos: PhotoStorage,
    target_photos: PhotoStorage,
    progress: Progress | None = None,
) -> None:
    """Copy every row and photo from `source` into the empty `target` (TargetNotEmpty else)."""
    chosen = tables()
    refuse_unless_empty(target)
    with snapshot(source) as reading, target.engine.begin() as writing:
        for table in chosen:
            _copy_table(reading, writing, table, progress)
        _reset_sequences(writing, chosen)
        photo_ids = reading.execute(_photo_ids(reading)).scalars().all()
    # Bytes after the rows' commit: a photo file without its row would be an orphan for cleanup.
    for done, photo_id in enumerate(photo_ids, start=1):
        for variant in VARIANTS:
            data = source_photos.get(photo_id, variant)
            if data is not None:
                target_photos.put(photo_id, variant, data)
        if progress and (done % BATCH_ROWS == 0 or done == len(photo_ids)):
            progress("photo files", done, len(photo_ids))


def refuse_unless_empty(target: SqlBase) -> None:
    """TargetNotEmpty naming the tables that hold rows (photo bytes too), if any does."""
    with target.engine.connect() as conn:
        filled = [
            t.name
            for t in metadata.sorted_tables
            if conn.execute(select(func.count()).select_from(t)).scalar()
        ]
    if filled:
        raise TargetNotEmpty("transfer_target_not_empty", tables=", ".join(filled))


def digests(store: SqlBase) -> dict[str, Digest]:
    """Row count and content hash of every table, read from one snapshot."""
    with snapshot(store) as conn:
        return {table.name: digest_table(conn, table) for table in tables()}


def photo_digest(store: SqlBase, storage: PhotoStorage) -> Digest:
    """Count and hash of the photo files of every photo row, wherever the storage keeps them."""
    with snapshot(store) as conn:
        return photo_digest_in(conn, storage)


def photo_digest_in(conn: Connection, storage: PhotoStorage) -> Digest:
    """Like photo_digest, for the photo rows `conn` sees (a snapshot shared with other reads)."""
    hashed = hashlib.sha256()
    files = 0
    for photo_id in conn.execute(_photo_ids(conn)).scalars():
        for variant in VARIANTS:
            data = storage.get(photo_id, variant)
            if data is not None:
                files += 1
                hashed.update(f"{photo_id}/{variant}:{hashlib.sha256(data).hexdigest()}\n".encode())
    return Digest(files, hashed.hexdigest())


def differences(source: Mapping[str, Digest], target: Mapping[str, Digest]) -> list[Difference]:
    """The tables whose count or hash differ (or that one side lacks), in the source's order."""
    names = list(source) + [name for name in target if name not in source]
    return [
        Difference(name, source.get(name), target.get(name))
        for name in names
        if source.get(name) != target.get(name)
    ]


@contextmanager
def snapshot(store: SqlBase) -> Iterator[Connection]:
    """A read-only transaction that sees the database as it was when it began.

    SQLite in WAL mode gives a read transaction its snapshot; PostgreSQL needs REPEATABLE READ.
    """
    options: dict[str, Any] = dict(store.read_options)
    if store.engine.dialect.name == "postgresql":
        options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with store.engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def _ordered_rows(conn: Connection, table: Table) -> Iterator[Mapping[str, Any]]:
    """The table's rows in primary-key order, byte-wise for text on every database."""
    order = [_bytewise(conn, column) for column in table.primary_key.columns]
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(select(table).order_by(*order))
    for row in result:
        yield row._mapping


def _photo_ids(conn: Connection) -> Select[Any]:
    return select(photos.c.id).order_by(_bytewise(conn, photos.c.id))


def _bytewise(conn: Connection, column: Column[Any]) -> Any:
    # PostgreSQL sorts text by the database's locale, SQLite by bytes: "C" makes both agree.
    if conn.dialect.name == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column


def _copy_table(reading: Connection, writing: Connection, table: Table, progress: Progress | None):
    total = reading.execute(select(func.count()).select_from(table)).scalar_one()
    done = 0
    batch: list[dict[str, Any]] = []
    for row in _ordered_rows(reading, table):
        batch.append(dict(row))
        if len(batch) == BATCH_ROWS:
            writing.execute(insert(table), batch)
            done += len(batch)
            batch = []
            if progress:
                progress(table.name, done, total)
    if batch:
        writing.execute(insert(table), batch)
        done += len(batch)
    if progress:
        progress(table.name, done, total)


def _reset_sequences(writing: Connection, chosen: Iterable[Table]) -> None:
    """After explicit ids were written, PostgreSQL's sequences must continue above them.

    SQLite's AUTOINCREMENT counter follows the largest id written by itself.
    """
    if writing.dialect.name != "postgresql":
        return
    for table in chosen:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement is not False:
                writing.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    ),
                    {"table": table.name, "column": column.name},
                )


def digest_table(conn: Connection, table: Table) -> Digest:
    """Row count and SHA-256 over the canonical rows of `table`, in primary-key order."""
    hashed = hashlib.sha256()
    rows = 0
    for row in _ordered_rows(conn, table):
        line = json.dumps([_canonical(row[c.name]) for c in table.columns], ensure_ascii=False)
        hashed.update(line.encode("utf-8") + b"\n")
        rows += 1
    return Digest(rows, hashed.hexdigest())


def _canonical(value: Any) -> Any:
    """A value as both databases hand it back alike, ready for json.dumps."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(value, float | Decimal):
        number = float(value)
        return repr(number) if math.isfinite(number) else str(number)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        # Sorted keys: PostgreSQL's jsonb does not keep the order a row was written in.
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return value
