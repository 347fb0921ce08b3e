"""The command line: planner accounts, imports and the report map, on a tmp database."""

from pathlib import Path

import pytest

from geoapp import cli
from geoapp.config import Settings
from geoapp.security import passwords
from geoapp.store import Store, open_store


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GEOAPP_PLANNER_PASSWORD", "ein-langes-geheimes-passwort")
    return tmp_path


def reopen() -> Store:
    return open_store(Settings().effective_database_url)


def test_planner_add_takes_the_password_from_the_environment(data_dir, capsys) -> None:
    cli.main(["planner", "add", "Anna", "--role", "admin"])
    store = reopen()
    try:
        planner = store.get_planner("anna")
    finally:
        store.close()
    assert planner.role == "admin"
    assert passwords.verify(planner.password_hash, "ein-langes-geheimes-passwort")
    assert "anna" in capsys.readouterr().out


def test_planner_add_asks_twice_without_the_environment(data_dir, monkeypatch, capsys) -> None:
    monkeypatch.delenv("GEOAPP_PLANNER_PASSWORD")
    answers = iter(["noch-ein-langes-passwort", "noch-ein-langes-passwort"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    cli.main(["planner", "add", "bernd", "--role", "moderator"])
    store = reopen()
    try:
        assert passwords.verify(
            store.get_planner("bernd").password_hash, "noch-ein-langes-passwort"
        )
    finally:
        store.close()


def test_planner_add_refuses_a_short_password_and_a_taken_name(data_dir, monkeypatch, capsys):
    cli.main(["planner", "add", "anna", "--role", "admin"])
    with pytest.raises(SystemExit) as taken:
        cli.main(["planner", "add", "anna", "--role", "moderator"])
    assert taken.value.code == 1
    assert "gibt es schon" in capsys.readouterr().err
    monkeypatch.setenv("GEOAPP_PLANNER_PASSWORD", "kurz")
    with pytest.raises(SystemExit):
        cli.main(["planner", "add", "bernd", "--role", "admin"])
    assert "zu kurz" in capsys.readouterr().err


def test_planner_passwd_and_list(data_dir, monkeypatch, capsys) -> None:
    cli.main(["planner", "add", "anna", "--role", "admin"])
    cli.main(["planner", "add", "bernd", "--role", "moderator"])
    monkeypatch.setenv("GEOAPP_PLANNER_PASSWORD", "das-neue-lange-passwort")
    cli.main(["planner", "passwd", "bernd"])
    capsys.readouterr()
    cli.main(["planner", "list"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["anna", "admin"], ["bernd", "moderator"]]
    store = reopen()
    try:
        assert passwords.verify(store.get_planner("bernd").password_hash, "das-neue-lange-passwort")
    finally:
        store.close()


def test_there_is_no_default_account(data_dir, capsys) -> None:
    cli.main(["planner", "list"])
    assert capsys.readouterr().out == ""
