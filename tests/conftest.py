"""Fixtures: a fresh SQLite file per test, the real ASGI app, the real store."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.store import Store, open_store
from tests.factories import become_participant


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Tests fill forms at once; tests/api/test_abuse.py checks the 2 s rule on its default.
    return Settings(data_dir=tmp_path, seed_demo=False, form_min_seconds=0)


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


BACKEND_URLS = {
    "sqlite": lambda tmp_path: f"sqlite:///{tmp_path / 'contract.sqlite'}",
}


@pytest.fixture(params=sorted(BACKEND_URLS))
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each backend's database URL in turn; tests/store runs once per backend."""
    return BACKEND_URLS[request.param](tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A freshly migrated store on the backend of `store_url`."""
    backend = open_store(store_url)
    yield backend
    backend.close()
