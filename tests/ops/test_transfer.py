"""`geoapp copy`, `backup` and `restore` on a used installation with a few thousand pins:
everything arrives, the moved installation works, and the comparison sees a changed row."""

import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from geoapp import cli
from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import ContributionQuery, TargetKind
from geoapp.store import open_store
from geoapp.store import transfer as transfers
from geoapp.store.sql.core import SqlBase
from tests.factories import sign_in_as
from tests.installation import SLUG, fill
from tests.postgres import PostgresCluster

# Every table of the schema compared, photo files besides.
SAME = f"gleich: {len(transfers.tables())} Tabellen, 6 Fotodateien"

PINS = 3000


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of a used SQLite installation (demo, usage, PINS imported pins)."""
    folder = tmp_path_factory.mktemp("used")
    fill(Settings(data_dir=folder, seed_demo=False, form_min_seconds=0), pins=PINS)
    return folder


@pytest.fixture
def source(used: Path, tmp_path: Path) -> Path:
    """A copy of the used installation that a test may change."""
    folder = tmp_path / "source"
    run("copy", sqlite(used), sqlite(folder))
    return folder


@pytest.fixture
def second_postgres(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """Another empty PostGIS database, as a DBA sets one up for the service's own role: the
    role owns the database but is no superuser (PostGIS was created for it), and text sorts
    the German way, not byte by byte as in SQLite."""
    with postgres_cluster.admin() as conn:
        conn.execute("CREATE ROLE service LOGIN")
        conn.execute(
            "CREATE DATABASE restored OWNER service TEMPLATE template0 "
            "LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LOCALE 'C.UTF-8'"
        )
    with psycopg.connect(host=str(postgres_cluster.root), user="postgres", dbname="restored") as c:
        c.execute("CREATE EXTENSION postgis")
    yield postgres_cluster.url("restored").replace("postgres@", "service@")
    with postgres_cluster.admin() as conn:
        conn.execute("DROP DATABASE restored WITH (FORCE)")
        conn.execute("DROP ROLE service")


def sqlite(folder: Path) -> str:
    return f"sqlite:///{folder / 'geoapp.sqlite'}"


def run(*argv: str) -> None:
    """The command line; SystemExit when it fails."""
    cli.main(list(argv))


def digests(url: str) -> dict[str, transfers.Digest]:
    store = open_store(url)
    try:
        assert isinstance(store, SqlBase)
        return transfers.digests(store)
    finally:
        store.close()


def photo_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.jpg"))}


def test_copy_sqlite_to_postgresql_and_back_keeps_every_row_and_photo(
    used: Path, tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
):
    back = tmp_path / "back"
    # Photo files go from the folder into PostgreSQL's photo table and back into a folder.
    run("copy", sqlite(used), postgres_url)
    run("copy", postgres_url, sqlite(back))

    said = capsys.readouterr().out
    assert said.count(SAME) == 2
    original = digests(sqlite(used))
    assert set(original) == {t.name for t in transfers.tables()}
    assert all(d.rows > 0 for d in original.values()), "every table should hold rows"
    assert original["contributions"].rows == PINS + 18
    assert digests(postgres_url) == original
    assert digests(sqlite(back)) == original
    assert photo_files(back / "uploads") == photo_files(used / "uploads")


def test_moved_installation_works_on_postgresql(used: Path, tmp_path: Path, postgres_url: str):
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, seed_demo=False)
    run("copy", sqlite(used), postgres_url)
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store
        consultation = store.get_consultation(SLUG)
        published = ContributionQuery(consultation_id=consultation.id)
        with_photo = next(c for c in store.list_contributions(published) if c.photo_id)
        photo = client.get(f"/api/photos/{with_photo.photo_id}/thumb.jpg")
        assert photo.status_code == 200 and photo.content.startswith(b"\xff\xd8")
        # A decision writes audit events: their numbering continues after the copied ones.
        sign_in_as(client, store, username="bernd")
        decided = client.post(
            f"/api/planner/contributions/{with_photo.id}/status",
            json={"status": "hidden", "reason": "duplicate"},
        )
        assert decided.status_code == 200, decided.text
        last = store.list_audit(TargetKind.CONTRIBUTION, with_photo.id)[-1]
        assert last.changes["status"] == ["published", "hidden"]


def test_copy_refuses_a_target_that_holds_data(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    target = tmp_path / "target"
    run("copy", sqlite(source), sqlite(target))
    before = digests(sqlite(target))
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        run("copy", sqlite(source), sqlite(target))
    assert exit_.value.code == 2
    assert "Die Zieldatenbank ist nicht leer" in capsys.readouterr().err
    assert digests(sqlite(target)) == before


def test_comparison_sees_one_changed_value(source: Path, tmp_path: Path):
    target = tmp_path / "target"
    run("copy", sqlite(source), sqlite(target))
    with sqlite3.connect(target / "geoapp.sqlite") as db:
        last = "(SELECT max(id) FROM contributions)"
        db.execute(f"UPDATE contributions SET text = text || '.' WHERE id = {last}")
    db.close()
    differences = transfers.differences(digests(sqlite(source)), digests(sqlite(target)))
    assert [d.table for d in differences] == ["contributions"]
    assert differences[0].source.rows == differences[0].target.rows  # same count, other content


def test_backup_and_restore_of_sqlite_with_photos(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    file = tmp_path / "sicherung.tar"
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(source))
    # Online: the service has the database open (and writes its WAL) while the backup runs.
    with TestClient(create_app(Settings(data_dir=source, seed_demo=False))) as client:
        assert client.get("/readyz").status_code == 200
        run("backup", str(file))
    restored = tmp_path / "restored"
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(restored))
    run("restore", str(file))

    assert SAME in capsys.readouterr().out
    assert digests(sqlite(restored)) == digests(sqlite(source))
    assert photo_files(restored / "uploads") == photo_files(source / "uploads")

    with pytest.raises(SystemExit) as exit_:
        run("restore", str(file))
    assert exit_.value.code == 2
    assert "--force" in capsys.readouterr().err
    run("restore", "--force", str(file))
    assert digests(sqlite(restored)) == digests(sqlite(source))


def test_restore_reports_a_backup_whose_rows_were_changed(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    file = tmp_path / "sicherung.tar"
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(source))
    run("backup", str(file))
    unpacked = tmp_path / "unpacked"
    with tarfile.open(file) as archive:
        archive.extractall(unpacked, filter="data")
    with sqlite3.connect(unpacked / "database.sqlite") as db:
        db.execute("UPDATE planners SET role = 'moderator'")
    db.close()
    with tarfile.open(file, "w") as archive:
        for member in sorted(unpacked.iterdir()):
            archive.add(member, arcname=member.name)

    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path / "restored"))
    with pytest.raises(SystemExit) as exit_:
        run("restore", str(file))
    assert exit_.value.code == 3
    assert "VERSCHIEDEN planners" in capsys.readouterr().err


def test_backup_and_restore_of_postgresql(
    used: Path,
    tmp_path: Path,
    postgres_url: str,
    second_postgres: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
):
    run("copy", sqlite(used), postgres_url)
    file = tmp_path / "sicherung.tar"
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GEOAPP_DATABASE_URL", postgres_url)
    run("backup", str(file))
    with tarfile.open(file) as archive:
        # The photos are rows of PostgreSQL's photo table, so inside the dump.
        assert [n for n in archive.getnames() if not n.startswith("database")] == ["manifest.json"]

    monkeypatch.setenv("GEOAPP_DATABASE_URL", second_postgres)
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path / "restored"))
    run("restore", str(file))
    assert SAME in capsys.readouterr().out
    assert digests(second_postgres) == digests(sqlite(used))
    # The trigger-kept geometry and its index came back: the viewport query finds pins.
    store = open_store(second_postgres)
    try:
        assert isinstance(store, SqlBase)
        with store.engine.connect() as conn:
            with_geom = conn.execute(
                text("SELECT count(*) FROM contributions WHERE geom IS NOT NULL")
            ).scalar()
        assert with_geom == PINS + 18
    finally:
        store.close()

    with pytest.raises(SystemExit) as exit_:
        run("restore", str(file))
    assert exit_.value.code == 2
