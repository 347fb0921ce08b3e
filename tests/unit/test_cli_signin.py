"""`geoapp planner unlock|disable|enable` and `geoapp cleanup` on the running app's database."""

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geoapp import cli
from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import Photo
from tests.factories import PLANNER_PASSWORD, make_planner

ATTACKER = ("203.0.113.7", 1234)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app and the command line on one database (GEOAPP_DATA_DIR)."""
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path))
    with TestClient(create_app(Settings(seed_demo=False)), client=ATTACKER) as client:
        make_planner(client.app.state.store)
        yield client


def sign_in(client: TestClient, password: str = PLANNER_PASSWORD) -> int:
    response = client.post("/api/planner/session", json={"username": "anna", "password": password})
    return response.status_code


def test_unlock_lets_the_planner_in_at_once_from_a_locked_network(app, capsys) -> None:
    for _ in range(6):
        sign_in(app, "falsch-falsch-falsch")
    assert sign_in(app) == 429
    cli.main(["planner", "unlock", "Anna"])
    assert "anna unlocked" in capsys.readouterr().out
    assert sign_in(app) == 200


def test_disable_ends_the_sessions_and_refuses_sign_in_until_enabled(app, capsys) -> None:
    assert sign_in(app) == 200
    cli.main(["planner", "disable", "anna"])
    assert "disabled" in capsys.readouterr().out
    assert app.get("/api/planner/session").status_code == 401
    assert sign_in(app) == 401
    cli.main(["planner", "list"])
    assert "(disabled)" in capsys.readouterr().out
    cli.main(["planner", "enable", "anna"])
    assert sign_in(app) == 200


@pytest.mark.parametrize("command", ["unlock", "disable", "enable"])
def test_unknown_planner_is_an_error(app, capsys, command) -> None:
    with pytest.raises(SystemExit) as failed:
        cli.main(["planner", command, "niemand"])
    assert failed.value.code == 1
    assert "niemand" in capsys.readouterr().err


def test_cleanup_removes_every_orphan_photo_past_its_day(app, capsys) -> None:
    store, storage = app.app.state.store, app.app.state.photos
    old = datetime.now(UTC) - timedelta(hours=30)
    orphans = [Photo(str(uuid.uuid4()), "p" * 64, 4, 4, old) for _ in range(3)]
    young = Photo(str(uuid.uuid4()), "p" * 64, 4, 4, datetime.now(UTC))
    for photo in [*orphans, young]:
        store.add_photo(photo)
        storage.put(photo.id, "large", b"\xff\xd8 jpeg")
    cli.main(["cleanup"])
    assert "3 orphan photo(s)" in capsys.readouterr().out
    assert all(
        store.get_photo(p.id) is None and storage.get(p.id, "large") is None for p in orphans
    )
    assert store.get_photo(young.id) is not None
    assert storage.get(young.id, "large") is not None
