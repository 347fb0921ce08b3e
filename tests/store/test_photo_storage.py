"""The photo storage contract: the directory and the database keep photo files alike."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from geoapp.store import open_store
from geoapp.store.photos import PhotoStorage, open_photo_storage
from tests.conftest import BACKEND_URLS

STORAGES = ["directory", *(f"database-{backend}" for backend in sorted(BACKEND_URLS))]


@pytest.fixture(params=STORAGES)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PhotoStorage]:
    """Each photo storage in turn; the database one on every backend."""
    kind, _, backend = str(request.param).partition("-")
    store = open_store(BACKEND_URLS[backend or "sqlite"](request, tmp_path))
    yield open_photo_storage(kind, tmp_path / "uploads", store)  # type: ignore[arg-type]
    store.close()


def test_stored_variants_come_back_apart(storage: PhotoStorage) -> None:
    photo = str(uuid.uuid4())
    storage.put(photo, "large", b"\xff\xd8 large")
    storage.put(photo, "thumb", b"\xff\xd8 thumb")
    assert storage.get(photo, "large") == b"\xff\xd8 large"
    assert storage.get(photo, "thumb") == b"\xff\xd8 thumb"
    assert storage.get(str(uuid.uuid4()), "large") is None


def test_a_second_put_replaces_the_file(storage: PhotoStorage) -> None:
    photo = str(uuid.uuid4())
    storage.put(photo, "large", b"first")
    storage.put(photo, "large", b"second")
    assert storage.get(photo, "large") == b"second"


def test_delete_removes_every_variant_of_that_photo_only(storage: PhotoStorage) -> None:
    photo, other = str(uuid.uuid4()), str(uuid.uuid4())
    for variant in ("large", "thumb"):
        storage.put(photo, variant, b"x")
    storage.put(other, "large", b"kept")
    storage.delete(photo)
    storage.delete(str(uuid.uuid4()))
    assert (storage.get(photo, "large"), storage.get(photo, "thumb")) == (None, None)
    assert storage.get(other, "large") == b"kept"


@pytest.mark.parametrize(
    "photo_id", ["../../geoapp.sqlite", "ABC", "ABF7B1BC-7CBE-443C-A424-8DAA760EEE57"]
)
def test_refuses_an_id_that_is_not_a_canonical_uuid(storage: PhotoStorage, photo_id: str) -> None:
    with pytest.raises(ValueError):
        storage.put(photo_id, "large", b"x")
    with pytest.raises(ValueError):
        storage.get(photo_id, "large")


def test_refuses_an_unknown_variant(storage: PhotoStorage) -> None:
    with pytest.raises(ValueError):
        storage.put(str(uuid.uuid4()), "original", b"x")
