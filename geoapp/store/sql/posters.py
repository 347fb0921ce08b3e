"""Posters with a QR code, and how many pins each brought."""

from typing import Any

from sqlalchemy import Row, func, insert, select

from geoapp.domain import Poster
from geoapp.store.schema import contributions, posters
from geoapp.store.sql.core import SqlBase
from geoapp.store.sql.mapping import from_row, values


def _poster(row: Row[Any]) -> Poster:
    return from_row(Poster, row, posters)


class PosterQueries(SqlBase):
    def add_poster(self, poster: Poster) -> None:
        with self._write() as conn:
            conn.execute(insert(posters).values(**values(poster, posters)))

    def get_poster(self, key: str) -> Poster | None:
        return self._first(select(posters).where(posters.c.key == key), _poster)

    def list_posters(self, consultation_id: str) -> list[Poster]:
        stmt = (
            select(posters)
            .where(posters.c.consultation_id == consultation_id)
            .order_by(posters.c.created_at, posters.c.key)
        )
        return self._all(stmt, _poster)

    def pins_per_poster(self, consultation_id: str) -> dict[str, int]:
        c = contributions.c
        stmt = (
            select(c.poster_key, func.count())
            .where(c.consultation_id == consultation_id, c.poster_key.is_not(None))
            .group_by(c.poster_key)
        )
        with self._read() as conn:
            return {key: int(count) for key, count in conn.execute(stmt)}
