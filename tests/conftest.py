"""Fixtures: a fresh database per test (SQLite file or PostGIS), the real ASGI app and store."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.store import Store, open_store
from tests.factories import become_participant

pytest_plugins = ["tests.postgres"]

BACKEND_URLS: dict[str, Callable[[pytest.FixtureRequest, Path], str]] = {
    "sqlite": lambda _request, tmp_path: f"sqlite:///{tmp_path / 'geoapp.sqlite'}",
    "postgis": lambda request, _tmp_path: request.getfixturevalue("postgres_url"),
}


@pytest.fixture
def backend() -> str:
    """The backend the app under test runs on; tests/api and some browser tests take both."""
    return "sqlite"


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on `backend`."""
    return BACKEND_URLS[backend](request, tmp_path)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # Tests fill forms at once; tests/api/test_abuse.py checks the 2 s rule on its default.
    return Settings(
        data_dir=tmp_path, database_url=database_url, seed_demo=False, form_min_seconds=0
    )


@pytest.fixture
def make_settings(tmp_path: Path, database_url: str) -> Callable[..., Settings]:
    """Settings on the test's data directory and database, as a test's own `overrides` say."""
    return lambda **overrides: Settings(data_dir=tmp_path, database_url=database_url, **overrides)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The app's client, with a participant token as the page obtains it before sending."""
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        yield client


@pytest.fixture
def app_store(app_client: TestClient) -> Store:
    """The store the running app uses, to arrange data and to check what it wrote."""
    return app_client.app.state.store  # type: ignore[attr-defined]


@pytest.fixture(params=sorted(BACKEND_URLS))
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each backend's database URL in turn; tests/store runs once per backend."""
    return BACKEND_URLS[request.param](request, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A freshly migrated store on the backend of `store_url`."""
    backend = open_store(store_url)
    yield backend
    backend.close()
