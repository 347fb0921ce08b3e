"""The public map of many pins: clusters per grid cell, lean pins, the list page of a view."""

import dataclasses
from typing import Any

from sqlalchemy import Select, func, select, union_all

from geoapp.domain import (
    CellCount,
    Contribution,
    ContributionQuery,
    Grid,
    ListOrder,
    MapPin,
)
from geoapp.store.schema import consultations, contributions
from geoapp.store.sql.core import SqlBase, contributions_select
from geoapp.store.sql.mapping import from_row

EXCERPT_CHARS = 81
"""One more than a marker's accessible name shows, so the page knows when to add "…"."""


class MapViewQueries(SqlBase):
    def change_version(self, consultation_id: str) -> int:
        stmt = select(consultations.c.change_version).where(consultations.c.id == consultation_id)
        with self._read() as conn:
            return int(conn.execute(stmt).scalar_one_or_none() or 0)

    def map_pins(self, query: ContributionQuery, limit: int) -> list[MapPin]:
        c = contributions.c
        stmt = (
            select(
                c.id,
                c.category,
                c.min_lon.label("lon"),
                c.min_lat.label("lat"),
                c.support_count,
                func.substr(c.text, 1, EXCERPT_CHARS).label("excerpt"),
            )
            .where(*self._filters(query), c.min_lon.is_not(None))
            .limit(limit)
        )
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        return [MapPin(*row) for row in rows]

    def map_clusters(self, query: ContributionQuery, grid: Grid) -> list[CellCount]:
        c = contributions.c
        # Points only have min == max; the cell of a line or area is that of its lower corner.
        cell_x = self._cell(c.min_lon + 180.0, grid.size_lon).label("cell_x")
        cell_y = self._cell(c.min_lat + 90.0, grid.size_lat).label("cell_y")
        stmt = (
            select(
                cell_x,
                cell_y,
                c.category,
                func.count().label("count"),
                func.avg(c.min_lon).label("lon"),
                func.avg(c.min_lat).label("lat"),
                func.min(c.min_lon).label("min_lon"),
                func.min(c.min_lat).label("min_lat"),
                func.max(c.max_lon).label("max_lon"),
                func.max(c.max_lat).label("max_lat"),
            )
            .where(*self._filters(query), c.min_lon.is_not(None))
            .group_by(cell_x, cell_y, c.category)
        )
        with self._read() as conn:
            return [
                CellCount(int(r.cell_x), int(r.cell_y), r.category, int(r.count), *r[4:])
                for r in conn.execute(stmt)
            ]

    def view_page(
        self, query: ContributionQuery, order: ListOrder, unplaced: bool
    ) -> tuple[list[Contribution], int]:
        # The page is chosen among narrow rows (id and sort keys), and only its own pins are
        # read whole with their reply counts: sorting 100,000 whole rows took most of the time.
        matching = self._view(query, unplaced).subquery()
        u = matching.c
        keys = [u.created_at.desc(), u.id]
        if order == ListOrder.SUPPORTED:
            keys.insert(0, u.support_count.desc())
        chosen = select(u.id).order_by(*keys).offset(query.offset)
        if query.limit is not None:
            chosen = chosen.limit(query.limit)
        with self._read() as conn:
            total = int(conn.execute(select(func.count()).select_from(matching)).scalar_one())
            ids = list(conn.execute(chosen).scalars())
            rows = conn.execute(contributions_select().where(contributions.c.id.in_(ids))).all()
        by_id = {row.id: from_row(Contribution, row, contributions) for row in rows}
        return [by_id[i] for i in ids if i in by_id], total

    def _view(self, query: ContributionQuery, unplaced: bool) -> Any:
        """Id and sort keys of the pins `query` matches (paging aside), plus those without a
        place if `unplaced`."""
        c = contributions.c
        whole = dataclasses.replace(query, limit=None, offset=0)
        narrow = (c.id, c.created_at, c.support_count)
        placed: Select[Any] = select(*narrow).where(*self._filters(whole))
        if not unplaced or query.bbox is None:
            return placed
        everywhere = dataclasses.replace(whole, bbox=None)
        without_place = select(*narrow).where(*self._filters(everywhere), c.min_lon.is_(None))
        return union_all(placed, without_place)
