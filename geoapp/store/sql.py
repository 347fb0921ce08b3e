"""Queries shared by every SQL backend; a backend overrides only the spatial parts."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import shapely.geometry
from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Connection, Engine, Row, delete, func, insert, select, update

from geoapp.store.base import (
    BBox,
    Category,
    Consultation,
    ConsultationStatus,
    Contribution,
    ContributionQuery,
    Moderation,
    Planner,
    PlannerRole,
    PlannerSession,
    SigninFailures,
    Source,
    Status,
)
from geoapp.store.schema import (
    consultations,
    contributions,
    planner_sessions,
    planners,
    signin_failures,
)

MIGRATIONS = Path(__file__).parent / "migrations"


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
        stmt = (
            select(contributions)
            .where(*self._filters(query))
            .order_by(contributions.c.created_at.desc(), contributions.c.id)
            .offset(query.offset)
        )
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self._read() as conn:
            return [_contribution(row) for row in conn.execute(stmt)]

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
        return filters

    # consultations, as planners edit them

    def update_consultation(self, consultation: Consultation) -> None:
        values = _consultation_values(consultation)
        del values["id"], values["slug"], values["created_at"]
        with self._write() as conn:
            conn.execute(
                update(consultations).where(consultations.c.id == consultation.id).values(**values)
            )

    # planners and their sessions

    def add_planner(self, planner: Planner) -> None:
        with self._write() as conn:
            conn.execute(
                insert(planners).values(
                    id=planner.id,
                    username=planner.username,
                    password_hash=planner.password_hash,
                    role=str(planner.role),
                    created_at=planner.created_at,
                    disabled=planner.disabled,
                )
            )

    def get_planner(self, username: str) -> Planner | None:
        with self._read() as conn:
            row = conn.execute(select(planners).where(planners.c.username == username)).first()
        return _planner(row) if row else None

    def list_planners(self) -> list[Planner]:
        with self._read() as conn:
            return [_planner(r) for r in conn.execute(select(planners).order_by("username"))]

    def set_planner_password(self, username: str, password_hash: str) -> None:
        with self._write() as conn:
            planner_id = conn.execute(
                select(planners.c.id).where(planners.c.username == username)
            ).scalar_one()
            conn.execute(
                update(planners)
                .where(planners.c.id == planner_id)
                .values(password_hash=password_hash)
            )
            conn.execute(
                delete(planner_sessions).where(planner_sessions.c.planner_id == planner_id)
            )

    def add_planner_session(self, session: PlannerSession) -> None:
        with self._write() as conn:
            conn.execute(
                delete(planner_sessions).where(planner_sessions.c.expires_at <= session.created_at)
            )
            conn.execute(
                insert(planner_sessions).values(
                    token_hash=session.token_hash,
                    planner_id=session.planner_id,
                    csrf_token=session.csrf_token,
                    created_at=session.created_at,
                    expires_at=session.expires_at,
                )
            )

    def get_planner_session(
        self, token_hash: str, now: datetime
    ) -> tuple[PlannerSession, Planner] | None:
        s = planner_sessions.c
        stmt = (
            select(planner_sessions, planners)
            .join(planners, planners.c.id == s.planner_id)
            .where(s.token_hash == token_hash, s.expires_at > now, planners.c.disabled.is_(False))
        )
        with self._read() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None
        m = row._mapping
        session = PlannerSession(
            token_hash=m[s.token_hash],
            planner_id=m[s.planner_id],
            csrf_token=m[s.csrf_token],
            created_at=m[s.created_at],
            expires_at=m[s.expires_at],
        )
        return session, _planner(row)

    def delete_planner_session(self, token_hash: str) -> None:
        with self._write() as conn:
            conn.execute(
                delete(planner_sessions).where(planner_sessions.c.token_hash == token_hash)
            )

    def get_signin_failures(self, username: str) -> SigninFailures | None:
        with self._read() as conn:
            row = conn.execute(
                select(signin_failures).where(signin_failures.c.username == username)
            ).first()
        return SigninFailures(**row._mapping) if row else None

    def add_signin_failure(self, username: str, now: datetime) -> int:
        f = signin_failures.c
        with self._write() as conn:
            count = conn.execute(select(f.count).where(f.username == username)).scalar()
            if count is None:
                conn.execute(
                    insert(signin_failures).values(username=username, count=1, last_at=now)
                )
                return 1
            conn.execute(
                update(signin_failures)
                .where(f.username == username)
                .values(count=count + 1, last_at=now)
            )
            return int(count) + 1

    def clear_signin_failures(self, username: str) -> None:
        with self._write() as conn:
            conn.execute(delete(signin_failures).where(signin_failures.c.username == username))


def _planner(row: Row[Any]) -> Planner:
    m = row._mapping
    return Planner(
        id=m[planners.c.id],
        username=m[planners.c.username],
        password_hash=m[planners.c.password_hash],
        role=PlannerRole(m[planners.c.role]),
        created_at=m[planners.c.created_at],
        disabled=bool(m[planners.c.disabled]),
    )


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
