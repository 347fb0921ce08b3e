"""Backups of a running installation, and their restore, verified row by row.

A backup is one tar file:

- `manifest.json`: backend, schema revision, time, and the `transfer.digests` of every table
  (and of the photo files) taken from the same snapshot as the database copy;
- `database.sqlite` (SQLite's online backup API: consistent while the service writes) or
  `database.pgdump` (`pg_dump -Fc` inside the snapshot the digests were read in);
- `uploads/…`: the photo files, when the installation keeps them in a directory (in the
  database photo storage they are rows of the dump).

A restore writes the database back, then compares the restored tables and photo files with
the manifest.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import URL, make_url

from geoapp.errors import DomainError
from geoapp.store import transfer
from geoapp.store.base import Store
from geoapp.store.photos import FileSystemPhotoStorage, PhotoStorage
from geoapp.store.schema import metadata
from geoapp.store.sql.core import SqlBase
from geoapp.store.transfer import Difference, Digest

FORMAT = "geoapp-backup"
VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
EXTENSION_TABLES = ("spatial_ref_sys",)
DUMP_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class ToolFailed(RuntimeError):
    """pg_dump or pg_restore failed; the message is what it wrote to stderr."""


class BackupUnusable(DomainError):
    """The file is no geoapp backup, or one of another database kind than the target."""


@dataclass(frozen=True)
class Manifest:
    backend: str
    schema_revision: str
    created_at: str
    tables: dict[str, Digest]
    photo_files: Digest

    def to_json(self) -> str:
        body = {"format": FORMAT, "version": VERSION, **asdict(self)}
        return json.dumps(body, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        body = json.loads(text)
        if body.get("format") != FORMAT or body.get("version") != VERSION:
            raise BackupUnusable("backup_not_geoapp")
        return cls(
            backend=body["backend"],
            schema_revision=body["schema_revision"],
            created_at=body["created_at"],
            tables={name: Digest(**d) for name, d in body["tables"].items()},
            photo_files=Digest(**body["photo_files"]),
        )


def backup(store: SqlBase, url: str, photos: PhotoStorage, file: Path) -> Manifest:
    """Write a backup of the database behind `store` (at `url`) and its photos to `file`."""
    backend = store.engine.dialect.name
    with tempfile.TemporaryDirectory(dir=file.resolve().parent) as folder:
        dump = Path(folder) / DUMP_NAMES[backend]
        # The photo rows the digests describe are those of the copy, not the live database.
        if backend == "sqlite":
            _sqlite_copy(_sqlite_path(url), dump)
            copied = _open_sqlite(dump)
            try:
                tables = transfer.digests(copied)
                files = transfer.photo_digest(copied, photos)
            finally:
                copied.close()
        else:
            tables, files = _pg_dump(store, url, photos, dump)
        directory = photos if isinstance(photos, FileSystemPhotoStorage) else None
        manifest = Manifest(
            backend=backend,
            schema_revision=store.schema_state().current or "",
            created_at=datetime.now(UTC).isoformat(),
            tables=tables,
            photo_files=files,
        )
        partial = Path(folder) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, MANIFEST, manifest.to_json().encode("utf-8"))
            archive.add(dump, arcname=dump.name)
            if directory and directory.root.is_dir():
                archive.add(directory.root, arcname=UPLOADS, filter=_photo_files_only)
        os.replace(partial, file)
    return manifest


def read_manifest(file: Path) -> Manifest:
    with tarfile.open(file) as archive:
        member = archive.extractfile(MANIFEST) if MANIFEST in archive.getnames() else None
        if member is None:
            raise BackupUnusable("backup_not_geoapp")
        return Manifest.from_json(member.read().decode("utf-8"))


def filled_tables(url: str) -> list[str]:
    """Our tables that hold rows in the database behind `url` (none when it has no schema)."""
    if make_url(url).get_backend_name() == "sqlite" and not _sqlite_path(url).exists():
        return []
    engine = create_engine(_driver_url(url))
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return [
                t.name
                for t in metadata.sorted_tables
                if t.name in present and conn.execute(select(func.count()).select_from(t)).scalar()
            ]
    finally:
        engine.dispose()


def restore(
    file: Path, url: str, photos_of: Callable[[Store], PhotoStorage], force: bool = False
) -> list[Difference]:
    """Write the backup into the database at `url` and its photo storage (`photos_of` the
    restored store); what differs from the manifest.

    Refuses (TargetNotEmpty) a database that holds rows, unless `force`: then its content
    is replaced.
    """
    manifest = read_manifest(file)
    backend = make_url(url).get_backend_name()
    if backend != manifest.backend:
        raise BackupUnusable("backup_other_backend", backup=manifest.backend, target=backend)
    filled = [] if force else filled_tables(url)
    if filled:
        raise transfer.TargetNotEmpty("transfer_target_not_empty", tables=", ".join(filled))
    from geoapp.store import open_store

    with tempfile.TemporaryDirectory() as folder, tarfile.open(file) as archive:
        archive.extractall(folder, filter="data")
        dump = Path(folder) / DUMP_NAMES[backend]
        if backend == "sqlite":
            _sqlite_copy(dump, _sqlite_path(url))
        else:
            _pg_restore(dump, url)
        restored = open_store(url)
        try:
            assert isinstance(restored, SqlBase)
            photos = photos_of(restored)
            uploads = Path(folder) / UPLOADS
            if uploads.is_dir():
                _restore_photo_files(uploads, photos)
            found = transfer.digests(restored)
            differences = transfer.differences(manifest.tables, found)
            files = transfer.photo_digest(restored, photos)
            if files != manifest.photo_files:
                differences.append(Difference("photo files", manifest.photo_files, files))
        finally:
            restored.close()
    return differences


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError(f"not a SQLite file: {url}")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page by page with SQLite's online backup API: consistent while others write."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)


def _open_sqlite(path: Path) -> SqlBase:
    from geoapp.store.sqlite import SqliteStore

    return SqliteStore(f"sqlite:///{path}")


def _photo_files_only(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    # A photo being written is a ".part" file beside its target; it is not a photo yet.
    return None if member.name.endswith(".part") else member


def _restore_photo_files(uploads: Path, photos: PhotoStorage) -> None:
    for path in sorted(uploads.glob("*/*/*.jpg")):
        photos.put(path.parent.name, path.stem, path.read_bytes())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _driver_url(url: str) -> URL:
    """The URL with the driver the store uses (psycopg 3 for PostgreSQL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def libpq_environment(url: str) -> dict[str, str]:
    """PG* variables for pg_dump/pg_restore from a database URL, so that the password is
    never on a command line (where `ps` shows it)."""
    parsed = make_url(url)
    query: dict[str, Any] = dict(parsed.query)
    values = {
        "PGHOST": query.get("host") or parsed.host,
        "PGPORT": query.get("port") or parsed.port,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    return {name: str(value) for name, value in values.items() if value}


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupUnusable("backup_pg_client_missing", program=name)
    return found


def _pg_dump(
    store: SqlBase, url: str, photos: PhotoStorage, dump: Path
) -> tuple[dict[str, Digest], Digest]:
    """pg_dump inside the snapshot the digests are read from, so they describe the dump."""
    env = {**os.environ, **libpq_environment(url)}
    with transfer.snapshot(store) as conn:
        snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _run([_pg_program("pg_dump"), "-Fc", f"--snapshot={snapshot_id}", "-f", str(dump)], env)
        tables = {t.name: transfer.digest_table(conn, t) for t in transfer.tables()}
        return tables, transfer.photo_digest_in(conn, photos)


def _pg_restore(dump: Path, url: str) -> None:
    """pg_restore everything but the extensions and their tables' rows: the database's owner
    set PostGIS up already (CREATE EXTENSION needs rights the service's role should not have,
    and spatial_ref_sys belongs to the extension)."""
    env = {**os.environ, **libpq_environment(url)}
    program = _pg_program("pg_restore")
    listing = _run([program, "-l", str(dump)], env)
    kept = "\n".join(
        line
        for line in listing.splitlines()
        if " EXTENSION " not in line
        and not any(f" TABLE DATA public {t} " in line for t in EXTENSION_TABLES)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as chosen:
        chosen.write(kept + "\n")
    try:
        _run(
            [
                program,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "-L",
                chosen.name,
                "-d",
                env.get("PGDATABASE", ""),
                str(dump),
            ],
            env,
        )
    finally:
        Path(chosen.name).unlink(missing_ok=True)


def _run(command: list[str], env: dict[str, str]) -> str:
    """Run a PostgreSQL client program; its stdout, or ToolFailed with what it reported."""
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ToolFailed(f"{Path(command[0]).name}: {done.stderr.strip()}")
    return done.stdout
