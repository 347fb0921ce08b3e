"""`geoapp migrate` brings a database to the newest schema without starting the server."""

from pathlib import Path

import pytest
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from geoapp import cli
from geoapp.store.sql.core import alembic_config


def test_migrate_brings_a_database_that_is_behind_to_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    config = alembic_config()
    with create_engine(url).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    monkeypatch.setenv("GEOAPP_DATABASE_URL", url)

    cli.main(["migrate"])

    # Read without opening a store, which would migrate by itself.
    with create_engine(url).connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = ScriptDirectory.from_config(config).get_current_head()
    assert current == head
    assert f"is at migration {head}" in capsys.readouterr().out
