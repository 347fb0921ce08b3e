"""Planner exports over HTTP: sign-in required, CRS and format checked, files read back."""

import io
import json
import zipfile

import pyogrio
import pyproj
import pytest
import shapely

from geoapp.domain import PlannerRole, Status
from geoapp.services.export_formats import Format
from tests.factories import make_consultation, make_contribution, sign_in_as

EXPORT = "/api/planner/consultations/test/export"


@pytest.fixture
def pin(app_store):
    consultation = make_consultation(app_store)
    made = make_contribution(app_store, consultation, text="=1+1", contact_email="e@example.org")
    make_contribution(app_store, consultation, status=Status.PENDING, text="Wartet noch")
    return made


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def test_export_needs_a_signed_in_planner(app_client, pin) -> None:
    assert problem(app_client.get(EXPORT), 401)["detail"]
    assert app_client.get(f"{EXPORT}/package").status_code == 401


def test_moderator_downloads_a_geopackage_in_utm32(app_client, app_store, pin, tmp_path):
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get(EXPORT, params={"format": "gpkg", "crs": "EPSG:25832"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geopackage+sqlite3"
    assert 'filename="test.gpkg"' in response.headers["content-disposition"]
    path = tmp_path / "test.gpkg"
    path.write_bytes(response.content)
    frame = pyogrio.read_dataframe(path, layer="contributions")
    assert list(frame["id"]) == [pin.id]
    assert frame["text"][0] == "=1+1"
    x, y = pyproj.Transformer.from_crs(4326, 25832, always_xy=True).transform(
        *pin.geometry["coordinates"]
    )
    assert frame.geometry[0].distance(shapely.Point(x, y)) < 0.01


def test_status_filter_includes_pending_pins(app_client, app_store, pin) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.get(
        EXPORT, params={"format": "csv", "status": ["published", "pending"], "crs": "EPSG:4326"}
    )
    text = response.content.decode("utf-8-sig")
    assert "Wartet noch" in text and "'=1+1" in text
    assert text.splitlines()[0].endswith("lon,lat")


def test_csv_with_semicolons_for_german_excel(app_client, app_store, pin) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.get(EXPORT, params={"format": "csv", "separator": "semicolon"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbfid;consultation;")


def test_geojson_in_utm_is_refused_with_a_pointer_to_geopackage(app_client, app_store, pin):
    sign_in_as(app_client, app_store)
    response = app_client.get(EXPORT, params={"format": "geojson", "crs": "EPSG:25832"})
    detail = problem(response, 422)["detail"]
    assert "WGS84" in detail and "GeoPackage" in detail and "format=gpkg" in detail
    english = app_client.get(
        EXPORT,
        params={"format": "geojson", "crs": "EPSG:25832"},
        headers={"Accept-Language": "en"},
    )
    assert "choose GeoPackage" in problem(english, 422)["detail"]


@pytest.mark.parametrize(
    ("crs", "hint"), [("25832", "EPSG:25832"), ("EPSG:999999", "EPSG-Code"), ("UTM", "EPSG")]
)
def test_malformed_or_unknown_crs_is_refused(app_client, app_store, pin, crs, hint) -> None:
    sign_in_as(app_client, app_store)
    body = problem(app_client.get(EXPORT, params={"crs": crs}), 422)
    assert hint in body["detail"] and body["errors"][0]["field"] == "crs"


def test_unknown_format_and_status_say_what_exists(app_client, app_store, pin) -> None:
    sign_in_as(app_client, app_store)
    assert "gpkg" in problem(app_client.get(EXPORT, params={"format": "pdf"}), 422)["detail"]
    refused = app_client.get(EXPORT, params={"status": "deleted"})
    assert "published" in problem(refused, 422)["detail"]


def test_unknown_consultation_is_404(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.get("/api/planner/consultations/nirgends/export")
    assert "nirgends" in problem(response, 404)["detail"]


def test_competition_package_downloads_as_zip(app_client, app_store, pin) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.get(f"{EXPORT}/package")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="test-wettbewerb.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        manifest = json.loads(archive.read("test/manifest.json"))
        assert manifest["counts"]["contributions"] == 1
        assert b"e@example.org" not in b"".join(archive.read(n) for n in archive.namelist())


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_a_filter_that_matches_no_pin_downloads_an_empty_file(
    app_client, app_store, pin, fmt: str
) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.get(EXPORT, params={"format": fmt, "status": "rejected"})
    assert response.status_code == 200, response.text
    assert response.content


def test_an_empty_package_still_holds_its_layers(app_client, app_store, pin, tmp_path) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.get(f"{EXPORT}/package", params={"status": "rejected"})
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        gpkg = next(name for name in archive.namelist() if name.endswith(".gpkg"))
        (tmp_path / "p.gpkg").write_bytes(archive.read(gpkg))
    assert len(pyogrio.read_dataframe(tmp_path / "p.gpkg", layer="contributions")) == 0
