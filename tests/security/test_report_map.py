"""The report map takes user text as data: over HTTP and from the CLI, nothing is evaluated."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geoapp import cli
from geoapp.config import Settings
from geoapp.store import Store, open_store
from tests.factories import sign_in_as
from tests.security.payloads import EVALUATED, PAYLOADS, SLUG, plant

REPORT_URL = f"/api/planner/consultations/{SLUG}/report.html"
DATA_ID = "report-data"


class _Elements(HTMLParser):
    """Every element the HTML parser sees, and the text of the report's data element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._in_data = False
        self.data = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_data = dict(attrs).get("id") == DATA_ID

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data += data


def strings_of(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return []


def assert_payloads_are_data(document: str) -> None:
    """Every payload is in the report's JSON data, and none became markup or ran."""
    for evaluated in EVALUATED:
        assert evaluated not in document
    parsed = _Elements()
    parsed.feed(document)
    # Only the elements the report itself is made of: no <img>, <svg>, <b> from a payload.
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "script", "body", "div"}
    # One data element, the rest inline code of ours; a payload's </script> broke nothing out.
    assert [s.get("type") for s in parsed.scripts].count("application/json") == 1
    texts = strings_of(json.loads(parsed.data))
    for payload in PAYLOADS:
        assert payload in texts, payload


@pytest.fixture
def planted_app(app_client: TestClient, app_store: Store) -> TestClient:
    plant(app_store)
    sign_in_as(app_client, app_store)
    return app_client


def test_report_over_http_holds_every_payload_as_data(planted_app: TestClient) -> None:
    response = planted_app.get(REPORT_URL)
    assert response.status_code == 200, response.text
    assert_payloads_are_data(response.text)


def test_report_themes_hold_the_typed_texts_as_data(planted_app: TestClient) -> None:
    themes = _data(planted_app.get(REPORT_URL).text)["themes"]
    typical = [group["text"] for group in themes["groups"]]
    # The typical pins of the themes table are payloads, carried as JSON strings like the pins.
    assert typical and set(typical) <= set(PAYLOADS)


def test_report_in_every_language_holds_the_payloads_as_data(planted_app: TestClient) -> None:
    for language in ("en", "ar", "tr"):
        response = planted_app.get(REPORT_URL, headers={"Accept-Language": language})
        assert response.status_code == 200, (language, response.text)
        for evaluated in EVALUATED:
            assert evaluated not in response.text


def test_report_from_the_cli_holds_every_payload_as_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path))
    store = open_store(Settings().effective_database_url)
    try:
        plant(store)
    finally:
        store.close()
    out = tmp_path / "bericht.html"
    cli.main(["report", SLUG, "-o", str(out)])
    assert_payloads_are_data(out.read_text(encoding="utf-8"))


def test_text_that_looks_like_a_template_comment_is_no_server_error(
    app_client: TestClient, app_store: Store
) -> None:
    from tests.factories import make_consultation, make_contribution

    consultation = make_consultation(app_store)
    make_contribution(app_store, consultation, text="Treffpunkt {# am Markt")
    sign_in_as(app_client, app_store)
    response = app_client.get("/api/planner/consultations/test/report.html")
    assert response.status_code == 200
    assert "Treffpunkt {# am Markt" in strings_of(_data(response.text))


def _data(document: str) -> object:
    parsed = _Elements()
    parsed.feed(document)
    return json.loads(parsed.data)
