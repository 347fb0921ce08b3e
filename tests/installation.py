"""A used installation to move, back up and measure: every table holds rows.

The demo consultations and a planner session come through the app as in use (participants,
photos with their files, replies, supports, reports, an Idempotency-Key, rate counters, a
moderation decision with its audit events, a failed sign-in); the volume of pins is added in
batches through the store, as an import does.
"""

import random
import uuid
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import AuditEvent, Contribution, Source, Status, TargetKind
from geoapp.services import api_tokens
from geoapp.store import Store
from tests.api.test_photos import camera_jpeg
from tests.factories import PLANNER_PASSWORD, make_planner, with_form_token

SLUG = "ortsmitte"
# The demo's Ortsmitte perimeter lies within this rectangle's middle.
AREA = (7.7095, 51.5765, 7.7160, 51.5795)


def fill(settings: Settings, pins: int = 0, seed: int = 12) -> None:
    """Fill the installation of `settings` (seeded with the demo) as described above."""
    used = settings.model_copy(update={"seed_demo": True, "public_url": "https://beteiligung.test"})
    with TestClient(create_app(used)) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        _use(client, store)
        if pins:
            add_pins(store, pins, seed)


def add_pins(store: Store, count: int, seed: int = 12, batch: int = 500) -> None:
    """`count` published pins spread over the demo's Ortsmitte, with their audit events."""
    consultation = store.get_consultation(SLUG)
    assert consultation is not None
    chance = random.Random(seed)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    categories = [c.key for c in consultation.categories]
    for first in range(0, count, batch):
        made, events = [], []
        for number in range(first, min(first + batch, count)):
            moment = start + timedelta(minutes=7 * number, microseconds=number)
            pin = Contribution(
                id=str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                consultation_id=consultation.id,
                geometry={
                    "type": "Point",
                    "coordinates": [
                        round(chance.uniform(AREA[0], AREA[2]), 7),
                        round(chance.uniform(AREA[1], AREA[3]), 7),
                    ],
                },
                category=chance.choice(categories),
                text=f"Beitrag {number}: Bänke, Bäume, „Schatten“ – ünd Ümlaute 🌳",
                status=Status.PUBLISHED,
                source=Source.IMPORT,
                created_at=moment,
                updated_at=moment,
                author_name=None if number % 3 else f"Person {number}",
                contact_email=None if number % 5 else f"p{number}@example.org",
            )
            made.append(pin)
            events.append(
                AuditEvent(
                    id=str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                    target_kind=TargetKind.CONTRIBUTION,
                    target_id=pin.id,
                    actor="cli:import",
                    action="import",
                    changes={"status": [None, "published"], "rank": [0.5, number / 3]},
                    created_at=moment,
                )
            )
        store.add_contributions(made, events)


def _use(client: TestClient, store: Store) -> None:
    path = f"/api/consultations/{SLUG}/contributions"
    make_planner(store, "anna")
    signed_in = client.post(
        "/api/planner/session", json={"username": "anna", "password": PLANNER_PASSWORD}
    )
    assert signed_in.status_code == 200, signed_in.text
    csrf = signed_in.json()["csrf_token"]
    wrong = {"username": "anna", "password": "falsch-falsch-falsch"}
    assert client.post("/api/planner/session", json=wrong).status_code == 401

    pins = []
    for number in range(3):
        client.cookies.delete("geoapp_participant")
        assert client.post("/api/participant").status_code in (200, 201)
        photo = client.post(
            "/api/photos", files={"file": ("foto.jpg", camera_jpeg(), "image/jpeg")}
        )
        assert photo.status_code == 201, photo.text
        sent = client.post(
            path,
            json=with_form_token(
                client,
                {
                    "geometry": {"type": "Point", "coordinates": [7.7128, 51.5778]},
                    "category": "sitzen-aufenthalt",
                    "text": f"Pin {number} mit Foto",
                    "consent": True,
                    "photo_id": photo.json()["id"],
                    "photo_alt": "Eine Bank",
                },
            ),
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert sent.status_code == 201, sent.text
        pins.append(sent.json()["id"])
        reply = client.post(
            f"/api/contributions/{pins[0]}/replies",
            json=with_form_token(client, {"text": f"Antwort {number}"}),
        )
        assert reply.status_code == 201, reply.text
        assert client.post(f"/api/contributions/{pins[0]}/supports").status_code == 200
        reported = client.post(f"/api/contributions/{pins[0]}/reports", json={"reason": "spam"})
        assert reported.status_code in (200, 201), reported.text
    decided = client.post(
        f"/api/planner/contributions/{pins[1]}/status",
        json={"status": "hidden", "reason": "duplicate"},
        headers={"X-CSRF-Token": csrf},
    )
    assert decided.status_code == 200, decided.text
    poster = client.post(
        f"/api/planner/consultations/{SLUG}/posters",
        json={"geometry": {"type": "Point", "coordinates": [7.7128, 51.5778]}, "language": "tr"},
        headers={"X-CSRF-Token": csrf},
    )
    assert poster.status_code == 201, poster.text
    api_tokens.create(store, "anna", "QGIS", datetime.now(UTC))
