"""Test data built through the real store: consultations with dates relative to now."""

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from geoapp.config import Settings
from geoapp.domain import (
    Category,
    Consultation,
    ConsultationStatus,
    Contribution,
    IdempotencyRecord,
    Moderation,
    Planner,
    PlannerRole,
    Reply,
    Status,
)
from geoapp.security import networks
from geoapp.services import planners
from geoapp.store.base import Store

# A square of about 700 m around the Heeren village core (51.5778 N, 7.7128 E).
PERIMETER = {
    "type": "Polygon",
    "coordinates": [
        [
            [7.7078, 51.5748],
            [7.7178, 51.5748],
            [7.7178, 51.5808],
            [7.7078, 51.5808],
            [7.7078, 51.5748],
        ]
    ],
}
INSIDE = [7.7128, 51.5778]
OUTSIDE = [7.7300, 51.5900]
CATEGORIES = [
    Category("sitzen-aufenthalt", {"de": "Sitzen & Aufenthalt", "en": "Seating"}, "#1f6feb"),
    Category("parken-verkehr", {"de": "Parken & Verkehr", "en": "Parking & traffic"}, "#b35900"),
]


def make_consultation(
    store: Store,
    slug: str = "test",
    moderation: Moderation = Moderation.POST,
    status: ConsultationStatus = ConsultationStatus.OPEN,
    opens_in: timedelta = timedelta(days=-1),
    closes_in: timedelta = timedelta(days=30),
    open_data: bool = True,
    allow_replies: bool = True,
    allow_photos: bool = True,
) -> Consultation:
    now = datetime.now(UTC)
    consultation = Consultation(
        id=str(uuid.uuid4()),
        slug=slug,
        title={"de": f"Test {slug}", "en": f"Test {slug} (en)"},
        description={"de": "Beschreibung", "en": "Description"},
        question={"de": "Was wünschen Sie sich?", "en": "What do you wish for?"},
        perimeter=PERIMETER,
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        status=status,
        moderation=moderation,
        categories=CATEGORIES,
        open_data=open_data,
        allow_replies=allow_replies,
        allow_photos=allow_photos,
        created_at=now,
        updated_at=now,
    )
    store.add_consultation(consultation)
    return consultation


def make_contribution(
    store: Store,
    consultation: Consultation,
    coordinates: list[float] = INSIDE,
    status: Status = Status.PUBLISHED,
    category: str = "sitzen-aufenthalt",
    text: str = "Eine Bank im Schatten wäre schön.",
    contact_email: str | None = None,
    created_at: datetime | None = None,
    participant_hash: str | None = None,
    photo_id: str | None = None,
    idempotency: IdempotencyRecord | None = None,
) -> Contribution:
    created = created_at or datetime.now(UTC)
    contribution = Contribution(
        id=str(uuid.uuid4()),
        consultation_id=consultation.id,
        geometry={"type": "Point", "coordinates": coordinates},
        category=category,
        text=text,
        status=status,
        created_at=created,
        updated_at=created,
        contact_email=contact_email,
        participant_hash=participant_hash,
        photo_id=photo_id,
    )
    store.add_contribution(contribution, idempotency)
    return contribution


def make_reply(
    store: Store,
    contribution: Contribution,
    status: Status = Status.PUBLISHED,
    text: str = "Da stimme ich zu.",
    participant_hash: str | None = None,
    created_at: datetime | None = None,
    idempotency: IdempotencyRecord | None = None,
) -> Reply:
    created = created_at or datetime.now(UTC)
    reply = Reply(
        id=str(uuid.uuid4()),
        contribution_id=contribution.id,
        text=text,
        status=status,
        created_at=created,
        updated_at=created,
        participant_hash=participant_hash,
    )
    store.add_reply(reply, idempotency)
    return reply


def become_participant(client: TestClient) -> None:
    """Obtain a participant token cookie, as the page does before its first send."""
    response = client.post("/api/participant")
    assert response.status_code in (200, 201), response.text


def as_new_participant(client: TestClient) -> None:
    """Forget the cookie and obtain a new one: the next request comes from another browser."""
    client.cookies.clear()
    become_participant(client)


def client_from(client: TestClient, address: str) -> TestClient:
    """Another browser, on the network of `address`, talking to the app `client` runs."""
    other = TestClient(client.app, client=(address, 50000))
    become_participant(other)
    return other


def with_form_token(client: TestClient, payload: dict[str, Any]) -> dict[str, Any]:
    """A pin or reply body with the signed form-start token the page asks for on opening."""
    token = client.get("/api/form-start").json()["token"]
    return {"form_token": token, **payload}


PLANNER_PASSWORD = "ein-langes-geheimes-passwort"


def make_planner(
    store: Store, username: str = "anna", role: PlannerRole = PlannerRole.ADMIN
) -> Planner:
    """A planner account with PLANNER_PASSWORD."""
    return planners.add(store, username, PLANNER_PASSWORD, role, datetime.now(UTC))


def sign_in_as(
    client: TestClient, store: Store, role: PlannerRole = PlannerRole.ADMIN, username: str = ""
) -> str:
    """Create a planner, sign `client` in and send its CSRF token from now on; returns it."""
    username = username or str(role)
    if store.get_planner(username) is None:
        make_planner(store, username, role)
    response = client.post(
        "/api/planner/session", json={"username": username, "password": PLANNER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    token = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


def network_hash_of(client: TestClient, host: str = "testclient", day: date | None = None) -> str:
    """What the app stores for requests from `host` (TestClient's default client) today."""
    keys = client.app.state.keys  # type: ignore[attr-defined]
    return networks.network_hash(host, keys.network(day or datetime.now(UTC).date()))


def stored_rows(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql` on the app's database, read past the app (SQLite file or PostGIS)."""
    engine = create_engine(settings.effective_database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def everything_stored(settings: Settings) -> bytes:
    """All the database holds, to search for what it must never keep.

    SQLite: the file and its write-ahead log byte for byte (deleted rows included); PostgreSQL:
    every row of every table as text.
    """
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() == "sqlite":
        database = Path(url.database or "")
        wal = database.with_name(database.name + "-wal")
        return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    tables = "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"
    rows = [
        row
        for (table,) in stored_rows(settings, tables)
        for (row,) in stored_rows(settings, f"SELECT t::text FROM {table} t")
    ]
    return "\n".join(rows).encode()


def stored_photo_files(settings: Settings) -> list[tuple[str, bytes]]:
    """(variant, bytes) of every photo file the app kept, in its directory or its database."""
    if settings.effective_photo_storage == "database":
        kept = stored_rows(settings, "SELECT variant, data FROM photo_blobs ORDER BY variant")
        return [(variant, bytes(data)) for variant, data in kept]
    files = sorted(p for p in Path(settings.uploads_dir).rglob("*") if p.is_file())
    return [(p.name.removesuffix(".jpg"), p.read_bytes()) for p in files]
