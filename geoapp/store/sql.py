"""Queries shared by every SQL backend; a backend overrides only the spatial parts."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import shapely.geometry
from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Connection, Engine, Row, Select, func, insert, select

from geoapp.store.base import (
    BBox,
    Category,
    Consultation,
    ConsultationStatus,
    Contribution,
    ContributionQuery,
    Moderation,
    Source,
    Status,
)
from geoapp.store.schema import consultations, contributions

MIGRATIONS = Path(__file__).parent / "migrations"
STREAM_BATCH = 2000


class SqlStore:
    """The Store protocol on SQLAlchemy Core; subclasses supply the engine and bbox filter."""

    read_options: dict[str, Any] = {}  # noqa: RUF012

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._write() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

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

    def _bbox_clause(self, bbox: BBox) -> ColumnElement[bool]:
        """Contributions whose bounding box meets `bbox`; backends use their spatial index."""
        c = contributions.c
        return (
            (c.min_lon <= bbox.max_lon)
            & (c.max_lon >= bbox.min_lon)
            & (c.min_lat <= bbox.max_lat)
            & (c.max_lat >= bbox.min_lat)
        )

    # consultations

    def add_consultation(self, consultation: Consultation) -> None:
        with self._write() as conn:
            conn.execute(insert(consultations).values(**_consultation_values(consultation)))

    def get_consultation(self, slug: str) -> Consultation | None:
        with self._read() as conn:
            row = conn.execute(select(consultations).where(consultations.c.slug == slug)).first()
        return _consultation(row) if row else None

    def list_consultations(self) -> list[Consultation]:
        with self._read() as conn:
            rows = conn.execute(select(consultations).order_by(consultations.c.opens_at.desc()))
            return [_consultation(row) for row in rows]

    # contributions

    def add_contribution(self, contribution: Contribution) -> None:
        with self._write() as conn:
            conn.execute(insert(contributions).values(**_contribution_values(contribution)))

    def get_contribution(self, contribution_id: str) -> Contribution | None:
        with self._read() as conn:
            row = conn.execute(
                select(contributions).where(contributions.c.id == contribution_id)
            ).first()
        return _contribution(row) if row else None

    def list_contributions(self, query: ContributionQuery) -> list[Contribution]:
        with self._read() as conn:
            return [_contribution(row) for row in conn.execute(self._listing(query))]

    def iter_contributions(self, query: ContributionQuery) -> Iterator[Contribution]:
        with self._read() as conn:
            rows = conn.execution_options(yield_per=STREAM_BATCH).execute(self._listing(query))
            for row in rows:
                yield _contribution(row)

    def _listing(self, query: ContributionQuery) -> Select[Any]:
        stmt = (
            select(contributions)
            .where(*self._filters(query))
            .order_by(contributions.c.created_at.desc(), contributions.c.id)
            .offset(query.offset)
        )
        return stmt if query.limit is None else stmt.limit(query.limit)

    def count_contributions(self, query: ContributionQuery) -> int:
        stmt = select(func.count()).select_from(contributions).where(*self._filters(query))
        with self._read() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _filters(self, query: ContributionQuery) -> list[ColumnElement[bool]]:
        c = contributions.c
        filters = [c.consultation_id == query.consultation_id]
        filters.append(c.status.in_([str(s) for s in query.statuses]))
        if query.categories:
            filters.append(c.category.in_(list(query.categories)))
        if query.bbox is not None:
            filters.append(self._bbox_clause(query.bbox))
        if query.created_from is not None:
            filters.append(c.created_at >= query.created_from)
        if query.created_to is not None:
            filters.append(c.created_at < query.created_to)
        return filters


def _consultation_values(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.id,
        "slug": c.slug,
        "title": c.title,
        "description": c.description,
        "question": c.question,
        "perimeter": c.perimeter,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "status": str(c.status),
        "moderation": str(c.moderation),
        "categories": [
            {"key": cat.key, "label": cat.label, "color": cat.color} for cat in c.categories
        ],
        "allow_replies": c.allow_replies,
        "allow_photos": c.allow_photos,
        "open_data": c.open_data,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _consultation(row: Row[Any]) -> Consultation:
    m = row._mapping
    return Consultation(
        id=m["id"],
        slug=m["slug"],
        title=m["title"],
        description=m["description"],
        question=m["question"],
        perimeter=m["perimeter"],
        opens_at=m["opens_at"],
        closes_at=m["closes_at"],
        status=ConsultationStatus(m["status"]),
        moderation=Moderation(m["moderation"]),
        categories=[Category(**cat) for cat in m["categories"]],
        allow_replies=m["allow_replies"],
        allow_photos=m["allow_photos"],
        open_data=m["open_data"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def _contribution_values(c: Contribution) -> dict[str, Any]:
    bounds: tuple[float | None, ...] = (None, None, None, None)
    if c.geometry is not None:
        bounds = shapely.geometry.shape(c.geometry).bounds
    return {
        "id": c.id,
        "consultation_id": c.consultation_id,
        "geometry": c.geometry,
        "min_lon": bounds[0],
        "min_lat": bounds[1],
        "max_lon": bounds[2],
        "max_lat": bounds[3],
        "category": c.category,
        "text": c.text,
        "author_name": c.author_name,
        "contact_email": c.contact_email,
        "language": c.language,
        "source": str(c.source),
        "status": str(c.status),
        "support_count": c.support_count,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _contribution(row: Row[Any]) -> Contribution:
    m = row._mapping
    return Contribution(
        id=m["id"],
        consultation_id=m["consultation_id"],
        geometry=m["geometry"],
        category=m["category"],
        text=m["text"],
        status=Status(m["status"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        language=m["language"],
        source=Source(m["source"]),
        author_name=m["author_name"],
        contact_email=m["contact_email"],
        support_count=m["support_count"],
    )
