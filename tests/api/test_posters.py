"""Posters with a QR code: made by planners, read back from the PDF, and the pins they bring."""

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.cli import main
from geoapp.config import Settings
from geoapp.domain import PlannerRole, Source
from geoapp.store import Store
from tests.factories import (
    INSIDE,
    OUTSIDE,
    become_participant,
    make_consultation,
    sign_in_as,
    with_form_token,
)

PUBLIC_URL = "https://beteiligung.kamen.example"
LUISENPARK = (7.713806, 51.5765)


@pytest.fixture
def poster_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path, seed_demo=False, form_min_seconds=0, public_url=PUBLIC_URL + "/"
    )
    with TestClient(create_app(settings)) as client:
        become_participant(client)
        yield client


def _store(client: TestClient) -> Store:
    return client.app.state.store  # type: ignore[attr-defined]


def _make_poster(client: TestClient, **body: object) -> dict:
    response = client.post("/api/planner/consultations/test/posters", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def _qr_codes(pdf: bytes) -> list[str]:
    """The QR codes a phone would read off the printed page (rendered at about 100 dpi)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 1
        image = document[0].render(scale=1.4).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_poster_pdf_shows_question_and_address_and_its_code_opens_the_spot(
    poster_client: TestClient, tmp_path: Path
) -> None:
    store = _store(poster_client)
    make_consultation(store)
    sign_in_as(poster_client, store, PlannerRole.MODERATOR)
    poster = _make_poster(poster_client, place="Luisenpark", language="tr")
    key = poster["key"]
    assert re.fullmatch("[a-z2-7]{8}", key)
    assert poster["place"] == "Luisenpark"
    expected = f"{PUBLIC_URL}/?c=test&at=7.713806,51.576500&via=poster-{key}"
    assert poster["link"] == expected
    response = poster_client.get(poster["pdf_url"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers["cache-control"]
    text = _pdf_text(response.content, tmp_path)
    assert "Was wünschen Sie sich?" in text
    assert f"beteiligung.kamen.example/p/{key}" in text
    assert "Fikriniz bizim için önemli!" in text
    assert "Mittelstraße 14" in text
    assert _qr_codes(response.content) == [expected]


def test_a3_poster_at_a_chosen_point_in_arabic(poster_client: TestClient, tmp_path: Path) -> None:
    store = _store(poster_client)
    make_consultation(store)
    sign_in_as(poster_client, store)
    point = {"type": "Point", "coordinates": INSIDE}
    poster = _make_poster(poster_client, geometry=point, size="A3", language="ar")
    assert poster["place"] is None and poster["size"] == "A3"
    pdf = poster_client.get(poster["pdf_url"]).content
    document = pypdfium2.PdfDocument(pdf)
    width, height = document[0].get_size()
    document.close()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 420)
    assert _qr_codes(pdf) == [poster["link"]]
    # The Arabic heading is shaped (joined letters); its text reads back in logical order.
    assert "رأيك" in _pdf_text(pdf, tmp_path)


def test_posters_refused_without_public_url(app_client: TestClient, app_store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    response = app_client.post(
        "/api/planner/consultations/test/posters",
        json={"place": "luisenpark"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "GEOAPP_PUBLIC_URL" in response.json()["detail"]
    listed = app_client.get("/api/planner/consultations/test/posters")
    assert listed.status_code == 200 and listed.json() == {"ready": False, "posters": []}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"place": "Rathaus Berlin"}, "poster_place_unknown"),
        ({"geometry": {"type": "Point", "coordinates": OUTSIDE}}, "outside_perimeter"),
        (
            {"place": "luisenpark", "geometry": {"type": "Point", "coordinates": INSIDE}},
            "poster_place_or_point",
        ),
        ({}, "poster_place_or_point"),
        ({"place": "luisenpark", "language": "fr"}, "poster_language_unknown"),
        ({"place": "luisenpark", "size": "A0"}, "poster_size_unknown"),
    ],
)
def test_poster_request_refused_with_what_to_fix(
    poster_client: TestClient, body: dict, code: str
) -> None:
    store = _store(poster_client)
    make_consultation(store)
    sign_in_as(poster_client, store)
    response = poster_client.post("/api/planner/consultations/test/posters", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


def test_posters_are_for_planners_only(poster_client: TestClient) -> None:
    make_consultation(_store(poster_client))
    response = poster_client.post("/api/planner/consultations/test/posters", json={"place": "x"})
    assert response.status_code == 401
    assert poster_client.get("/api/planner/consultations/test/posters").status_code == 401


def test_pin_from_a_poster_records_it_and_statistics_count_it(poster_client: TestClient) -> None:
    store = _store(poster_client)
    consultation = make_consultation(store)
    sign_in_as(poster_client, store, PlannerRole.MODERATOR)
    poster = _make_poster(poster_client, place="luisenpark")
    _make_poster(poster_client, place="ortsmitte")
    pin = {
        "geometry": {"type": "Point", "coordinates": list(LUISENPARK)},
        "category": "sitzen-aufenthalt",
        "text": "Mehr Schatten am Spielplatz.",
        "consent": True,
        "poster": poster["key"],
    }
    response = poster_client.post(
        "/api/consultations/test/contributions", json=with_form_token(poster_client, pin)
    )
    assert response.status_code == 201, response.text
    assert "poster" not in response.json() and "source" not in response.json()
    stored = store.get_contribution(response.json()["id"])
    assert (stored.source, stored.poster_key) == (Source.POSTER, poster["key"])

    stats = poster_client.get("/api/planner/consultations/test/statistics").json()
    assert stats["by_source"]["poster"] == 1
    assert [(p["place"], p["count"]) for p in stats["by_poster"]] == [
        ("Luisenpark", 1),
        ("Ortsmitte", 0),
    ]
    listed = poster_client.get("/api/planner/consultations/test/posters").json()
    assert listed["ready"] is True
    assert [p["contributions"] for p in listed["posters"]] == [1, 0]
    assert consultation.id == stored.consultation_id


def test_pin_with_unknown_or_foreign_poster_is_refused(poster_client: TestClient) -> None:
    store = _store(poster_client)
    make_consultation(store)
    make_consultation(store, slug="other")
    sign_in_as(poster_client, store)
    foreign = poster_client.post(
        "/api/planner/consultations/other/posters", json={"place": "luisenpark"}
    ).json()
    for key in ("zzzzzzzz", foreign["key"]):
        pin = {
            "geometry": {"type": "Point", "coordinates": INSIDE},
            "category": "sitzen-aufenthalt",
            "text": "Eine Bank.",
            "consent": True,
            "poster": key,
        }
        response = poster_client.post(
            "/api/consultations/test/contributions",
            json=with_form_token(poster_client, pin),
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "poster"
        assert "poster link" in response.json()["detail"]


def test_short_address_leads_to_the_deep_link(poster_client: TestClient) -> None:
    store = _store(poster_client)
    make_consultation(store)
    sign_in_as(poster_client, store)
    poster = _make_poster(poster_client, place="ortsmitte")
    response = poster_client.get(f"/p/{poster['key']}", follow_redirects=False)
    assert response.status_code == 303
    assert PUBLIC_URL + response.headers["location"] == poster["link"]
    assert poster_client.get("/p/zzzzzzzz", follow_redirects=False).status_code == 404


def test_cli_poster_refuses_without_public_url_and_writes_pdf_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from geoapp.store import open_store

    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GEOAPP_SEED_DEMO", "false")
    store = open_store(f"sqlite:///{(tmp_path / 'geoapp.sqlite').resolve()}")
    make_consultation(store)
    store.close()
    output = tmp_path / "plakat.pdf"
    with pytest.raises(SystemExit) as refused:
        main(["poster", "test", "--place", "luisenpark", "-o", str(output)])
    assert refused.value.code == 2
    assert "GEOAPP_PUBLIC_URL" in capsys.readouterr().err
    assert not output.exists()

    monkeypatch.setenv("GEOAPP_PUBLIC_URL", PUBLIC_URL)
    main(
        [
            "poster",
            "test",
            "--at",
            "7.7128,51.5778",
            "--size",
            "A3",
            "--language",
            "pl",
            "-o",
            str(output),
        ]
    )
    link = capsys.readouterr().out.strip().splitlines()[-1]
    assert link.startswith(f"{PUBLIC_URL}/?c=test&at=7.712800,51.577800&via=poster-")
    assert _qr_codes(output.read_bytes()) == [link]
    assert "Twoje zdanie się liczy!" in _pdf_text(output.read_bytes(), tmp_path)
