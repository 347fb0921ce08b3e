"""The open-data download of published pins: RFC 7946 GeoJSON with a licence note."""

import json

import pyogrio

from geoapp.domain import ConsultationStatus, Status
from tests.factories import make_consultation, make_contribution

URL = "/api/consultations/test/contributions.geojson"


def test_open_data_download_holds_published_pins_and_the_licence(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    pin = make_contribution(app_store, consultation, contact_email="erika@example.org")
    make_contribution(app_store, consultation, status=Status.PENDING)
    response = app_client.get(URL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    assert (
        'attachment; filename="test-beitraege.geojson"' in response.headers["content-disposition"]
    )
    collection = response.json()
    assert collection["license"].startswith("Datenlizenz Deutschland")
    assert collection["attribution"] == "Stadt Kamen, Beteiligungskarte Heeren-Werve"
    assert "crs" not in collection
    [feature] = collection["features"]
    assert feature["id"] == pin.id
    assert feature["geometry"] == pin.geometry
    assert feature["properties"]["text"] == pin.text
    assert "erika@example.org" not in response.text


def test_open_data_reads_back_with_gdal(app_client, app_store, tmp_path) -> None:
    consultation = make_consultation(app_store)
    pins = [make_contribution(app_store, consultation) for _ in range(3)]
    path = tmp_path / "open.geojson"
    path.write_bytes(app_client.get(URL).content)
    frame = pyogrio.read_dataframe(path)
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["id"]) == sorted(p.id for p in pins)


def test_open_data_switched_off_is_a_404_problem(app_client, app_store) -> None:
    make_consultation(app_store, open_data=False)
    response = app_client.get(URL, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "not offered as open data" in response.json()["detail"]


def test_open_data_of_a_draft_is_not_found(app_client, app_store) -> None:
    make_consultation(app_store, status=ConsultationStatus.DRAFT)
    response = app_client.get(URL)
    assert response.status_code == 404
    assert "gibt es nicht" in json.loads(response.text)["detail"]
