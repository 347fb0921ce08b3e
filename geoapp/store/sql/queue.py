"""The planners' moderation queue of pins: filters, full-text search, keyset pages."""

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_

from geoapp.domain import Contribution, ModerationQuery, QueueCursor, QueuePage, TargetKind
from geoapp.store.schema import contributions, reports
from geoapp.store.sql.core import SqlBase, contributions_select
from geoapp.store.sql.mapping import from_row
from geoapp.store.sql.moderation import _tally, _tally_columns

# What the search treats as one word: letters and digits, as the SQLite tokenizer does.
WORD = re.compile(r"\w+")


class QueueQueries(SqlBase):
    def moderation_queue(self, query: ModerationQuery) -> QueuePage:
        c = contributions.c
        where = self._queue_where(query)
        open_reports, networks = _tally_columns(TargetKind.CONTRIBUTION, c.id)
        page = contributions_select().add_columns(open_reports, networks).where(*where)
        if query.after is not None:
            # Keyset: strictly after the last item shown, so a pin added meanwhile (newer)
            # neither repeats nor shifts an item; no OFFSET walk over earlier pages.
            page = page.where(
                tuple_(c.created_at, c.id) < tuple_(query.after.created_at, query.after.id)
            )
        page = page.order_by(c.created_at.desc(), c.id.desc()).limit(query.limit + 1)
        count = self._queue_count(query, where)
        with self._read() as conn:
            rows = conn.execute(page).all()
            # Counting reads every match (100,000 index entries, or each text match's row):
            # done once per walk, on its first page, not on every page after.
            total = query.total
            if total is None:
                total = int(conn.execute(count).scalar_one())
        items = [(from_row(Contribution, row, contributions), _tally(row)) for row in rows]
        more = len(items) > query.limit
        items = items[: query.limit]
        last = items[-1][0] if more else None
        return QueuePage(items, total, QueueCursor(last.created_at, last.id) if last else None)

    def _queue_where(self, query: ModerationQuery) -> list[ColumnElement[bool]]:
        c = contributions.c
        where: list[ColumnElement[bool]] = []
        if query.consultation_id is not None and not query.reported_only:
            where.append(c.consultation_id == query.consultation_id)
        if query.statuses:
            where.append(c.status.in_([str(s) for s in query.statuses]))
        if query.categories:
            where.append(c.category.in_(list(query.categories)))
        if query.sources:
            where.append(c.source.in_([str(s) for s in query.sources]))
        if query.created_from is not None:
            where.append(c.created_at >= query.created_from)
        if query.created_to is not None:
            where.append(c.created_at < query.created_to)
        if query.reported_only:
            # The few reported pins drive the query (by primary key), the consultation is
            # checked among them: filtering the consultation first would read all its pins.
            reported = (
                select(reports.c.target_id)
                .join(contributions, contributions.c.id == reports.c.target_id)
                .where(
                    reports.c.target_kind == str(TargetKind.CONTRIBUTION),
                    reports.c.resolved_at.is_(None),
                )
            )
            if query.consultation_id is not None:
                reported = reported.where(contributions.c.consultation_id == query.consultation_id)
            where.append(c.id.in_(reported))
        words = WORD.findall(query.text or "")
        if words:
            where.append(self._text_clause(words))
        return where

    def _queue_count(
        self, query: ModerationQuery, where: list[ColumnElement[bool]]
    ) -> Select[tuple[int]]:
        """How many pins the queue's filters (`where`, made from `query`) let through."""
        return select(func.count()).select_from(contributions).where(*where)

    def _text_clause(self, words: list[str]) -> ColumnElement[bool]:
        """Pins whose text or public name has every word, as a word or a word's beginning.

        This portable form finds lower-cased substrings (more than words: "bank" also finds
        "Sitzbank"); backends override it to use their full-text index.
        """
        c = contributions.c
        haystack = func.lower(c.text + " " + func.coalesce(c.author_name, ""))
        clause: Any = None
        for word in words:
            term = haystack.contains(word.lower(), autoescape=True)
            clause = term if clause is None else clause & term
        return clause
