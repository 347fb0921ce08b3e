"""A fresh store per test on a real SQLite file (the contract suite's fixtures, one backend)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from geoapp.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    backend = open_store(f"sqlite:///{tmp_path / 'attack.sqlite'}")
    yield backend
    backend.close()
