"""Where photo files live: a directory, or the database that every machine shares.

A small interface, so that object storage could replace either.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Literal, Protocol

from geoapp.store.base import Store

VARIANTS = ("large", "thumb")
PhotoStorageKind = Literal["directory", "database"]


class PhotoStorage(Protocol):
    """The image files of a photo, one per variant; the database keeps the photo's row."""

    def put(self, photo_id: str, variant: str, data: bytes) -> None: ...

    def get(self, photo_id: str, variant: str) -> bytes | None:
        """The stored bytes, or None when there are none."""
        ...

    def delete(self, photo_id: str) -> None:
        """Remove every variant of the photo (no error when there is none)."""
        ...


class FileSystemPhotoStorage:
    """Photos as files: `root/<first two characters of the id>/<id>/<variant>.jpg`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, photo_id: str, variant: str, data: bytes) -> None:
        target = self._path(photo_id, variant)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so that a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, photo_id: str, variant: str) -> bytes | None:
        path = self._path(photo_id, variant)
        return path.read_bytes() if path.is_file() else None

    def delete(self, photo_id: str) -> None:
        shutil.rmtree(self._folder(photo_id), ignore_errors=True)

    def _folder(self, photo_id: str) -> Path:
        # Ids reach the file system only in their canonical UUID form: no "..", no separators.
        return self.root / photo_id[:2] / _checked_id(photo_id)

    def _path(self, photo_id: str, variant: str) -> Path:
        return self._folder(photo_id) / f"{_checked_variant(variant)}.jpg"


class DatabasePhotoStorage:
    """Photos as rows of the store's database: served alike by every machine that uses it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def put(self, photo_id: str, variant: str, data: bytes) -> None:
        self.store.put_photo_file(_checked_id(photo_id), _checked_variant(variant), data)

    def get(self, photo_id: str, variant: str) -> bytes | None:
        return self.store.get_photo_file(_checked_id(photo_id), _checked_variant(variant))

    def delete(self, photo_id: str) -> None:
        self.store.delete_photo_files(_checked_id(photo_id))


def open_photo_storage(kind: PhotoStorageKind, uploads_dir: Path, store: Store) -> PhotoStorage:
    """The photo storage a deployment chose (settings.effective_photo_storage)."""
    if kind == "database":
        return DatabasePhotoStorage(store)
    return FileSystemPhotoStorage(uploads_dir)


def _checked_id(photo_id: str) -> str:
    if str(uuid.UUID(photo_id)) != photo_id:
        raise ValueError(f"not a canonical photo id: {photo_id!r}")
    return photo_id


def _checked_variant(variant: str) -> str:
    if variant not in VARIANTS:
        raise ValueError(f"unknown photo variant: {variant!r}")
    return variant
