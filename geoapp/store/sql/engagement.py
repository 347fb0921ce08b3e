"""What residents send and read: consultations, contributions, supports, replies, photos."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError

from geoapp.domain import (
    Consultation,
    Contribution,
    ContributionQuery,
    Hit,
    IdempotencyRecord,
    Photo,
    PhotoTaken,
    Reply,
    Status,
)
from geoapp.store.schema import consultations, contributions, photos, replies, supports
from geoapp.store.sql.core import changed, contributions_select, of_contribution, upsert
from geoapp.store.sql.idempotency import IdempotencyQueries, keep_answer
from geoapp.store.sql.mapping import from_row, values

STREAM_BATCH = 2000


def _consultation(row: Any) -> Consultation:
    return from_row(Consultation, row, consultations)


def _contribution(row: Any) -> Contribution:
    return from_row(Contribution, row, contributions)


def _reply(row: Any) -> Reply:
    return from_row(Reply, row, replies)


_CONSULTATION_BY_SLUG = select(consultations).where(consultations.c.slug == bindparam("slug"))
# Built once, like the lookup above: SQLAlchemy then finds them compiled in its cache.
_ADD_PIN = insert(contributions)
_ADD_REPLY = insert(replies)


class EngagementQueries(IdempotencyQueries):
    # consultations

    def add_consultation(self, consultation: Consultation) -> None:
        with self._write() as conn:
            conn.execute(insert(consultations).values(**values(consultation, consultations)))

    def get_consultation(self, slug: str) -> Consultation | None:
        # Every send and map request asks: one statement, compiled once (bound slug).
        return self._first(_CONSULTATION_BY_SLUG, _consultation, {"slug": slug})

    def get_consultation_by_id(self, consultation_id: str) -> Consultation | None:
        stmt = select(consultations).where(consultations.c.id == consultation_id)
        return self._first(stmt, _consultation)

    def list_consultations(self) -> list[Consultation]:
        stmt = select(consultations).order_by(consultations.c.opens_at.desc())
        return self._all(stmt, _consultation)

    # contributions

    def add_contribution(
        self,
        contribution: Contribution,
        idempotency: IdempotencyRecord | None = None,
        hits: Sequence[Hit] = (),
    ) -> None:
        # The row is built before the transaction: the write lock waits for no Python work.
        row = values(contribution, contributions)

        def write(conn: Connection) -> None:
            keep_answer(conn, idempotency)
            conn.execute(_ADD_PIN, row)
            changed(conn, contribution.consultation_id)

        try:
            self._write_counted(hits, write)
        except IntegrityError:
            self._refuse_taken_key(idempotency)
            # Two pins sent at once with the same photo: the unique index lets one through.
            if contribution.photo_id and self.contribution_of_photo(contribution.photo_id):
                raise PhotoTaken(contribution.photo_id) from None
            raise

    def get_contribution(self, contribution_id: str) -> Contribution | None:
        stmt = contributions_select().where(contributions.c.id == contribution_id)
        return self._first(stmt, _contribution)

    def list_contributions(self, query: ContributionQuery) -> list[Contribution]:
        return self._all(self._listing(query), _contribution)

    def iter_contributions(self, query: ContributionQuery) -> Iterator[Contribution]:
        with self._read() as conn:
            rows = conn.execution_options(yield_per=STREAM_BATCH).execute(self._listing(query))
            for row in rows:
                yield _contribution(row)

    def contribution_columns(
        self, query: ContributionQuery, fields: Sequence[str], batch: int = 10_000
    ) -> Iterator[dict[str, list[Any]]]:
        # No JSON or datetime processing per row (the export does it per column), no row
        # objects beyond the driver's tuples, and no column the caller did not ask for.
        raw = {"geometry": String(), "created_at": String(), "updated_at": String()}
        listing = self._listing(query)
        available = {**contributions.c, "reply_count": listing.selected_columns.reply_count}
        stmt = listing.with_only_columns(
            *(type_coerce(available[f], raw[f]) if f in raw else available[f] for f in fields)
        )
        with self._read() as conn:
            result = conn.execute(stmt)
            while rows := result.fetchmany(batch):
                yield dict(
                    zip(fields, (list(column) for column in zip(*rows, strict=True)), strict=True)
                )

    def _listing(self, query: ContributionQuery) -> Select[Any]:
        stmt = (
            contributions_select()
            .where(*self._filters(query))
            .order_by(contributions.c.created_at.desc(), contributions.c.id)
            .offset(query.offset)
        )
        return stmt if query.limit is None else stmt.limit(query.limit)

    def count_contributions(self, query: ContributionQuery) -> int:
        stmt = select(func.count()).select_from(contributions).where(*self._filters(query))
        with self._read() as conn:
            return int(conn.execute(stmt).scalar_one())

    def contributions_of_participant(self, participant_hash: str) -> list[Contribution]:
        stmt = (
            contributions_select()
            .where(contributions.c.participant_hash == participant_hash)
            .order_by(contributions.c.created_at.desc(), contributions.c.id)
        )
        return self._all(stmt, _contribution)

    # supports

    def set_support(
        self, contribution_id: str, participant_hash: str, supported: bool, now: datetime
    ) -> int:
        try:
            with self._write() as conn:
                _change_support(conn, contribution_id, participant_hash, supported, now)
                return _support_count(conn, contribution_id)
        except IntegrityError:
            # The contribution is gone (deleted meanwhile): the count as it stands.
            with self._read() as conn:
                return _support_count(conn, contribution_id)

    def supported_among(self, participant_hash: str, contribution_ids: Sequence[str]) -> set[str]:
        if not contribution_ids:
            return set()
        stmt = select(supports.c.contribution_id).where(
            supports.c.participant_hash == participant_hash,
            supports.c.contribution_id.in_(list(contribution_ids)),
        )
        with self._read() as conn:
            return set(conn.execute(stmt).scalars())

    # replies

    def add_reply(
        self, reply: Reply, idempotency: IdempotencyRecord | None = None, hits: Sequence[Hit] = ()
    ) -> None:
        row = values(reply, replies)

        def write(conn: Connection) -> None:
            keep_answer(conn, idempotency)
            conn.execute(_ADD_REPLY, row)
            changed(conn, of_contribution(reply.contribution_id))

        try:
            self._write_counted(hits, write)
        except IntegrityError:
            self._refuse_taken_key(idempotency)
            raise

    def get_reply(self, reply_id: str) -> Reply | None:
        return self._first(select(replies).where(replies.c.id == reply_id), _reply)

    def list_replies(self, contribution_id: str, statuses: Sequence[Status]) -> list[Reply]:
        stmt = (
            select(replies)
            .where(
                replies.c.contribution_id == contribution_id,
                replies.c.status.in_([str(s) for s in statuses]),
            )
            .order_by(replies.c.created_at, replies.c.id)
        )
        return self._all(stmt, _reply)

    def replies_of_contributions(
        self, query: ContributionQuery, statuses: Sequence[Status]
    ) -> list[Reply]:
        stmt = (
            select(replies)
            .join(contributions, replies.c.contribution_id == contributions.c.id)
            .where(*self._filters(query), replies.c.status.in_([str(s) for s in statuses]))
            .order_by(contributions.c.created_at.desc(), contributions.c.id, replies.c.created_at)
        )
        return self._all(stmt, _reply)

    def replies_of_participant(self, participant_hash: str) -> list[Reply]:
        stmt = (
            select(replies)
            .where(replies.c.participant_hash == participant_hash)
            .order_by(replies.c.created_at.desc(), replies.c.id)
        )
        return self._all(stmt, _reply)

    # photos

    def add_photo(self, photo: Photo) -> None:
        with self._write() as conn:
            conn.execute(insert(photos).values(**values(photo, photos)))

    def get_photo(self, photo_id: str) -> Photo | None:
        stmt = select(photos).where(photos.c.id == photo_id)
        return self._first(stmt, lambda row: from_row(Photo, row, photos))

    def contribution_of_photo(self, photo_id: str) -> Contribution | None:
        stmt = contributions_select().where(contributions.c.photo_id == photo_id)
        return self._first(stmt, _contribution)

    def delete_orphan_photos(self, before: datetime, limit: int) -> list[str]:
        used = select(contributions.c.photo_id).where(contributions.c.photo_id.is_not(None))
        with self._write() as conn:
            ids = list(
                conn.execute(
                    select(photos.c.id)
                    .where(photos.c.created_at < before, photos.c.id.not_in(used))
                    .order_by(photos.c.created_at)
                    .limit(limit)
                    # A photo a pin is being stored with right now is locked by that insert.
                    .with_for_update(skip_locked=True)
                ).scalars()
            )
            if ids:
                conn.execute(delete(photos).where(photos.c.id.in_(ids)))
        return ids


def _change_support(
    conn: Connection, contribution_id: str, participant_hash: str, supported: bool, now: datetime
) -> None:
    """Add or remove the supports row and move the denormalised count with it."""
    row = (supports.c.contribution_id == contribution_id) & (
        supports.c.participant_hash == participant_hash
    )
    # The row written decides the step, never a look beforehand: two requests at once on a
    # server database both see the same "before", and only one of them changes the row.
    if supported:
        added = {"contribution_id": contribution_id, "participant_hash": participant_hash}
        written = conn.execute(upsert(conn, supports, {**added, "created_at": now})).rowcount
        step = 1
    else:
        written = conn.execute(delete(supports).where(row)).rowcount
        step = -1
    if not written:
        return
    moved = contributions.c.support_count + step
    conn.execute(
        update(contributions)
        .where(contributions.c.id == contribution_id)
        # The count is denormalised (demo pins start with one and no rows): never below zero.
        .values(support_count=case((moved < 0, 0), else_=moved))
    )
    changed(conn, of_contribution(contribution_id))


def _support_count(conn: Connection, contribution_id: str) -> int:
    count = conn.execute(
        select(contributions.c.support_count).where(contributions.c.id == contribution_id)
    ).scalar_one_or_none()
    return int(count or 0)
