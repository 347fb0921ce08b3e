"""Where photo files live: a small interface, so that object storage can replace the disk."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Protocol

VARIANTS = ("large", "thumb")


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
        if str(uuid.UUID(photo_id)) != photo_id:
            raise ValueError(f"not a canonical photo id: {photo_id!r}")
        return self.root / photo_id[:2] / photo_id

    def _path(self, photo_id: str, variant: str) -> Path:
        if variant not in VARIANTS:
            raise ValueError(f"unknown photo variant: {variant!r}")
        return self._folder(photo_id) / f"{variant}.jpg"
