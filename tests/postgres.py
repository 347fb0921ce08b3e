"""A throwaway PostgreSQL/PostGIS cluster for the test run, and an empty database per test.

The cluster lives in a temporary directory, listens only on a Unix socket there, and runs with
fsync off (nothing in it needs to survive the run); it is removed at the end. The tests share
one database, migrated once, and every table is emptied after each test: that costs less than
half of copying a migrated template database per test (measured: 60 ms against 150 ms).
Without PostgreSQL the tests that need it are skipped, except in CI (`CI=true`), where a missing
server fails them: `scripts/install-test-system-deps.sh` installs it.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

DATABASE = "geoapp_test"
# Migrations and PostGIS own these; emptying them would lose the schema version and the CRSs.
KEPT_TABLES = ("alembic_version", "spatial_ref_sys")
INITDB_OPTIONS = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
SERVER_OPTIONS = (
    "-c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=200"
)


def _bindir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them off PATH)."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.is_file()]
    if found:
        return max(found, key=lambda bindir: float(bindir.parent.name))
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _has_postgis(bindir: Path) -> bool:
    try:
        sharedir = subprocess.run(
            [str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        sharedir = str(Path("/usr/share/postgresql") / bindir.parent.name)
    return (Path(sharedir) / "extension" / "postgis.control").is_file()


class PostgresCluster:
    """One initdb'd cluster with the migrated test database."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="geoapp-pg-"))
        self.data = self.root / "data"
        # initdb refuses to run as root: the cluster then belongs to the `postgres` user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self.as_user, str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            cwd=self.root,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), *INITDB_OPTIONS)
        options = f"{SERVER_OPTIONS} -k {self.root}"
        log = self.root / "server.log"
        try:
            self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")
        except RuntimeError as failed:
            raise RuntimeError(f"{failed}\n{log.read_text() if log.exists() else ''}") from None

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.root}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.root), user="postgres", dbname="postgres", autocommit=True
        )

    def make_database(self) -> None:
        """Create and migrate the database the tests share."""
        from geoapp.store import open_store

        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        open_store(self.url(DATABASE)).close()

    def empty(self) -> None:
        """Remove every row a test left, and any connection it left open."""
        with psycopg.connect(
            host=str(self.root), user="postgres", dbname=DATABASE, autocommit=True
        ) as conn:
            # An open transaction left behind would hold the locks TRUNCATE waits for.
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT quote_ident(tablename) FROM pg_tables "
                    "WHERE schemaname = 'public' AND NOT tablename = ANY(%s)",
                    [list(KEPT_TABLES)],
                )
            ]
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """The run's cluster, started when the first test needs it."""
    bindir = _bindir()
    missing = None
    if bindir is None:
        missing = "PostgreSQL is not installed (Debian: postgresql-15)"
    elif not _has_postgis(bindir):
        missing = "PostGIS is not installed (Debian: postgresql-15-postgis-3)"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"{missing}; CI must test PostgreSQL: run scripts/install-test-system-deps.sh"
            )
        pytest.skip(f"{missing}: run scripts/install-test-system-deps.sh to test on PostgreSQL")
    assert bindir is not None
    cluster = PostgresCluster(bindir)
    try:
        cluster.start()
        cluster.make_database()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of a migrated PostGIS database without rows, emptied again after the test."""
    yield postgres_cluster.url(DATABASE)
    postgres_cluster.empty()
