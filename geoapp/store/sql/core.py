"""The connection handling, contribution filters and counters every part of the SQL store
builds on."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.sql.dml import Insert

from geoapp.domain import (
    AuditEvent,
    BBox,
    ContributionQuery,
    Hit,
    OverLimit,
    SchemaState,
    Status,
    TargetKind,
)
from geoapp.errors import NotReady
from geoapp.store.schema import audit_events, consultations, contributions, rate_counters, replies
from geoapp.store.sql.mapping import values

MIGRATIONS = Path(__file__).parent.parent / "migrations"
T = TypeVar("T")


class SqlBase:
    """Engine, transactions and shared query parts; subclasses supply the bbox filter."""

    read_options: dict[str, Any] = {}  # noqa: RUF012

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        config = alembic_config()
        with self._write() as conn:
            self._lock_for_migration(conn)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        self._analyse()

    def _analyse(self) -> None:
        """Refresh the query planner's statistics (after start-up and bulk inserts); a backend
        whose planner needs them to pick the queue's and search's indexes overrides this."""

    def schema_state(self) -> SchemaState:
        """The database's migration and the newest one; NotReady when it cannot be reached."""
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
        except DBAPIError as error:
            raise NotReady("not_ready_database") from error
        return SchemaState(current=current, head=head or "")

    def _lock_for_migration(self, conn: Connection) -> None:
        """Make workers that start at once migrate one after another (SQLite: its one writer)."""

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(**self.read_options) as conn:
            yield conn

    def _write_counted(self, hits: Sequence[Hit], write: Callable[[Connection], None]) -> None:
        """Count a send's `hits` and, unless one is over its allowance, `write` it: one
        transaction, one commit. Over an allowance the counts are kept and OverLimit raised."""
        with self._write() as conn:
            refused = count_then_write(conn, hits, write)
        if refused is not None:
            raise refused

    def _all(self, stmt: Select[Any], convert: Callable[[Row[Any]], T]) -> list[T]:
        with self._read() as conn:
            return [convert(row) for row in conn.execute(stmt)]

    def _first(
        self,
        stmt: Select[Any],
        convert: Callable[[Row[Any]], T],
        params: dict[str, Any] | None = None,
    ) -> T | None:
        with self._read() as conn:
            row = conn.execute(stmt, params).first()
        return convert(row) if row else None

    def _bbox_clause(self, bbox: BBox) -> ColumnElement[bool]:
        """Contributions whose bounding box meets `bbox`; backends use their spatial index."""
        c = contributions.c
        return (
            (c.min_lon <= bbox.max_lon)
            & (c.max_lon >= bbox.min_lon)
            & (c.min_lat <= bbox.max_lat)
            & (c.max_lat >= bbox.min_lat)
        )

    def _cell(self, offset: ColumnElement[float], size: float) -> ColumnElement[int]:
        """The number of the grid cell of `offset` (never negative) in cells of `size`."""
        return func.floor(offset / size)

    def _beside_spatial_index(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        """`column` in a filter of a bbox query, where the spatial index should drive."""
        return column

    def _filters(self, query: ContributionQuery) -> list[ColumnElement[bool]]:
        c = contributions.c
        consultation, status = c.consultation_id, c.status
        if query.bbox is not None:
            consultation = self._beside_spatial_index(consultation)
            status = self._beside_spatial_index(status)
        filters = [consultation == query.consultation_id]
        filters.append(status.in_([str(s) for s in query.statuses]))
        if query.categories:
            filters.append(c.category.in_(list(query.categories)))
        if query.bbox is not None:
            filters.append(self._bbox_clause(query.bbox))
        if query.created_from is not None:
            filters.append(c.created_at >= query.created_from)
        if query.created_to is not None:
            filters.append(c.created_at < query.created_to)
        return filters


def alembic_config() -> Config:
    """Alembic's configuration for our migrations; the caller hands over the connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def contributions_select() -> Select[Any]:
    """Contributions with their number of published replies as `reply_count`."""
    reply_count = (
        select(func.count())
        .where(
            replies.c.contribution_id == contributions.c.id,
            replies.c.status == str(Status.PUBLISHED),
        )
        .scalar_subquery()
        .label("reply_count")
    )
    return select(contributions, reply_count)


def about(table: Table, kind: TargetKind, target_id: str) -> Select[Any]:
    """The rows of `table` (reports, audit events) about one target, oldest first.

    Rows of the same moment come in the order written where the table numbers its rows (the
    audit events' `seq`), else by id.
    """
    tiebreak = table.c.seq if "seq" in table.c else table.c.id
    return (
        select(table)
        .where(table.c.target_kind == str(kind), table.c.target_id == target_id)
        .order_by(table.c.created_at, tiebreak)
    )


def record(conn: Connection, *events: AuditEvent) -> None:
    """Add audit events in the transaction of the change they record, in their order."""
    if events:
        conn.execute(insert(audit_events), [values(e, audit_events) for e in events])


def upsert(
    conn: Connection, table: Table, row: dict[str, Any], changes: dict[str, Any] | None = None
) -> Insert:
    """INSERT `row`; if its primary key is taken, UPDATE that row with `changes` (or leave it).

    One atomic statement, so concurrent writers on a server database cannot both find no row
    and both insert. The one place that knows each dialect's spelling.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # SQLAlchemy reports an INSERT's rowcount (0: the row was there) only when asked to.
    stmt = dialect.insert(table).values(**row).execution_options(preserve_rowcount=True)
    keys = [c.name for c in table.primary_key]
    if changes:
        return stmt.on_conflict_do_update(index_elements=keys, set_=changes)
    return stmt.on_conflict_do_nothing(index_elements=keys)


def changed(conn: Connection, consultation_id: Any) -> None:
    """Raise the consultation's change version in the transaction of a change to its public map.

    `consultation_id` is an id or an expression giving one (see `of_contribution`).
    """
    if isinstance(consultation_id, str):
        conn.execute(_CHANGED, {"changed_id": consultation_id})
        return
    conn.execute(
        update(consultations)
        .where(consultations.c.id == consultation_id)
        .values(change_version=consultations.c.change_version + 1)
    )


def of_contribution(contribution_id: str) -> Any:
    """The id of the consultation a contribution belongs to, as a scalar subquery."""
    return (
        select(contributions.c.consultation_id)
        .where(contributions.c.id == contribution_id)
        .scalar_subquery()
    )


def of_reply(reply_id: str) -> Any:
    """The id of the consultation of the contribution a reply answers, as a scalar subquery."""
    return (
        select(contributions.c.consultation_id)
        .join(replies, replies.c.contribution_id == contributions.c.id)
        .where(replies.c.id == reply_id)
        .scalar_subquery()
    )


# Statements of every send, built once: their values are bound parameters, so SQLAlchemy
# finds them compiled in its cache instead of building a cache key per request.
_r = rate_counters.c
_EXPIRED = delete(rate_counters).where(_r.expires_at <= bindparam("now"))
_BUMP = (
    update(rate_counters)
    .where(_r.key == bindparam("hit_key"), _r.window_start == bindparam("start"))
    .values(count=_r.count + 1)
    .returning(_r.count)
)
_CHANGED = (
    update(consultations)
    .where(consultations.c.id == bindparam("changed_id"))
    .values(change_version=consultations.c.change_version + 1)
)


def count_then_write(
    conn: Connection, hits: Sequence[Hit], write: Callable[[Connection], None]
) -> OverLimit | None:
    """Count `hits`, then `write` unless one is over its allowance: that one is returned
    (its counts stay in the transaction, nothing else is written)."""
    try:
        count_hits(conn, hits)
    except OverLimit as over:
        return over
    write(conn)
    return None


def count_hits(conn: Connection, hits: Sequence[Hit]) -> None:
    """Count `hits` in order in the caller's transaction; OverLimit at the first over its
    allowance (the caller commits the counts and stores nothing else)."""
    for one in hits:
        window = {"hit_key": one.key, "start": one.window_start}
        count = conn.execute(_BUMP, window).scalar()
        if count is None:
            # A new window has begun, so earlier ones may have ended: remove those here, once
            # per window and key rather than on every send.
            conn.execute(_EXPIRED, {"now": one.window_start})
            try:
                with conn.begin_nested():
                    first = {"window_start": one.window_start, "expires_at": one.expires_at}
                    conn.execute(insert(rate_counters), {"key": one.key, "count": 1, **first})
                count = 1
            except IntegrityError:
                # A concurrent first hit (PostgreSQL) inserted the row: count on top of it.
                count = conn.execute(_BUMP, window).scalar_one()
        if count > one.allowed:
            raise OverLimit(one)
