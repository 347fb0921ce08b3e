"""The texts the themes of a consultation are computed from, read set-wise and lean."""

from typing import Any

import shapely
import shapely.geometry
from sqlalchemy import Row, Select, func, select

from geoapp.domain import BBox, ContributionQuery, ThemeText, ThemeTextQuery, ThemeTexts
from geoapp.store.schema import contributions
from geoapp.store.sql.core import SqlBase

STREAM_BATCH = 2000
c = contributions.c


class ThemeQueries(SqlBase):
    def theme_texts(self, query: ThemeTextQuery) -> ThemeTexts:
        filters = self._filters(
            ContributionQuery(
                query.consultation_id,
                statuses=query.statuses,
                categories=query.categories,
                created_from=query.created_from,
                created_to=query.created_to,
                bbox=_bbox_of(query.area) if query.area else None,
            )
        )
        stmt: Select[Any] = (
            select(c.id, c.language, c.text, c.category, c.geometry)
            .where(*filters)
            .order_by(c.created_at.desc(), c.id)
        )
        if query.area is None:
            if query.limit is not None:
                stmt = stmt.limit(query.limit)
            counted = select(func.count()).select_from(contributions).where(*filters)
            with self._read() as conn:
                texts = [_text(row) for row in conn.execute(stmt)]
                return ThemeTexts(texts, int(conn.execute(counted).scalar_one()))
        # The bounding box found the candidates by index; the polygon decides.
        area = shapely.geometry.shape(query.area)
        shapely.prepare(area)
        texts, matched = [], 0
        with self._read() as conn:
            for row in conn.execution_options(yield_per=STREAM_BATCH).execute(stmt):
                text = _text(row)
                if text.point is None or not area.covers(shapely.Point(text.point)):
                    continue
                matched += 1
                if query.limit is None or len(texts) < query.limit:
                    texts.append(text)
        return ThemeTexts(texts, matched)


def _bbox_of(area: dict[str, Any]) -> BBox:
    return BBox(*shapely.geometry.shape(area).bounds)


def _text(row: Row[Any]) -> ThemeText:
    point = None
    if row.geometry is not None:
        shape = shapely.geometry.shape(row.geometry)
        spot = shape if shape.geom_type == "Point" else shape.representative_point()
        point = (spot.x, spot.y)
    return ThemeText(row.id, row.language, row.text, row.category, point)
