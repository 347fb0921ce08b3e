"""The command line: planner accounts, imports and the report map, on a tmp database."""

import fcntl
import os
import re
import struct
import sys
import termios
from pathlib import Path

import pytest

from geoapp import cli
from geoapp.config import Settings
from geoapp.domain import ContributionQuery, Source, Status
from geoapp.security import passwords, planner_sessions
from geoapp.store import Store, open_store
from tests.factories import INSIDE, OUTSIDE, make_consultation


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


CSV = (
    "lon,lat,category,text\n"
    f"{INSIDE[0]},{INSIDE[1]},sitzen-aufenthalt,Bank am Markt\n"
    f"{INSIDE[0]},{INSIDE[1]},parken-verkehr,Fahrradbügel\n"
    f"{OUTSIDE[0]},{OUTSIDE[1]},sitzen-aufenthalt,Zu weit weg\n"
)


def pins_of(slug: str) -> list:
    store = reopen()
    try:
        consultation = store.get_consultation(slug)
        return store.list_contributions(ContributionQuery(consultation.id, statuses=tuple(Status)))
    finally:
        store.close()


@pytest.fixture
def consultation(data_dir: Path) -> str:
    store = reopen()
    try:
        make_consultation(store)
    finally:
        store.close()
    return "test"


def test_import_dry_run_lists_refusals_and_creates_nothing(consultation, tmp_path, capsys):
    path = tmp_path / "karten.csv"
    path.write_text(CSV, encoding="utf-8")
    cli.main(["import", consultation, str(path), "--dry-run"])
    out, err = capsys.readouterr()
    assert "2 would be created, 1 refused" in out
    assert "Zeile 4" in err and "außerhalb des Gebiets" in err
    assert pins_of(consultation) == []


def test_import_creates_pins_with_a_progress_bar_on_a_terminal(
    consultation, tmp_path, capsys, monkeypatch
) -> None:
    path = tmp_path / "karten.csv"
    path.write_text(CSV, encoding="utf-8")
    leader, follower = os.openpty()
    # A terminal of 24 rows and 80 columns, as a real one has a size.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with os.fdopen(follower, "w", encoding="utf-8") as terminal:
        monkeypatch.setattr(sys, "stderr", terminal)
        cli.main(["import", consultation, str(path), "--source", "workshop"])
        terminal.flush()
    drawn = os.read(leader, 65536).decode("utf-8")
    os.close(leader)
    assert "2/2" in drawn and "100%" in drawn
    assert "2 created, 1 refused" in capsys.readouterr().out
    pins = pins_of(consultation)
    assert sorted(p.text for p in pins) == ["Bank am Markt", "Fahrradbügel"]
    assert {p.source for p in pins} == {Source.WORKSHOP}


def test_import_writes_no_progress_bar_into_a_log(consultation, tmp_path, capsys) -> None:
    path = tmp_path / "karten.csv"
    path.write_text(CSV, encoding="utf-8")
    cli.main(["import", consultation, str(path)])
    out, err = capsys.readouterr()
    assert "2 created, 1 refused" in out
    assert "2/2" not in err and "\r" not in err


def test_import_into_an_unknown_consultation_fails_with_a_message(data_dir, tmp_path, capsys):
    path = tmp_path / "karten.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(SystemExit) as failed:
        cli.main(["import", "gibt-es-nicht", str(path)])
    assert failed.value.code == 1
    assert "gibt-es-nicht" in capsys.readouterr().err


def test_report_writes_one_offline_html_file(consultation, tmp_path, capsys) -> None:
    path = tmp_path / "karten.csv"
    path.write_text(CSV, encoding="utf-8")
    cli.main(["import", consultation, str(path)])
    output = tmp_path / "report.html"
    cli.main(["report", consultation, "-o", str(output)])
    document = output.read_text(encoding="utf-8")
    assert "L.heatLayer" in document and "markerClusterGroup" in document
    assert "Bank am Markt" in document
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?:", document)


def test_planner_token_create_list_revoke(data_dir, capsys) -> None:
    cli.main(["planner", "add", "anna", "--role", "moderator"])
    capsys.readouterr()
    cli.main(["planner", "token", "create", "Anna", "--label", "QGIS Büro"])
    out = capsys.readouterr().out.splitlines()
    token_id = out[0].split()[1]
    secret = out[1]
    assert secret.startswith("geoapp_")
    store = reopen()
    try:
        [(token, _planner)] = store.list_api_tokens()
        # Only the hash is kept: the database alone cannot be turned into a working token.
        assert secret not in (token.token_hash, token.name)
        assert store.get_api_token(planner_sessions.token_hash(secret)) is not None
    finally:
        store.close()
    cli.main(["planner", "token", "list"])
    listed = capsys.readouterr().out
    assert f"{token_id}\tanna\tQGIS Büro" in listed
    assert secret not in listed
    cli.main(["planner", "token", "revoke", token_id])
    cli.main(["planner", "token", "list"])
    assert "(revoked" in capsys.readouterr().out
    store = reopen()
    try:
        assert store.get_api_token(planner_sessions.token_hash(secret)) is None
    finally:
        store.close()


def test_planner_token_refuses_an_unknown_planner_or_token(data_dir, capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["planner", "token", "create", "niemand"])
    assert "niemand" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["planner", "token", "revoke", "gibt-es-nicht"])
    assert "geoapp planner token list" in capsys.readouterr().err
