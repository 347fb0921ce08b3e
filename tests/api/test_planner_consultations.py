"""Admins create and edit consultations; perimeters come drawn or as GIS files in any CRS."""

import io
import json
import zipfile
from pathlib import Path

import geopandas
import pytest
import shapely.geometry
from fastapi.testclient import TestClient

from geoapp.app import create_app
from geoapp.domain import ConsultationStatus, PlannerRole, Status
from tests.factories import PERIMETER, make_consultation, make_contribution, sign_in_as

# A rectangle in ETRS89 / UTM 32N around the Heeren village core.
UTM_BOX = (409_900.0, 5_714_200.0, 410_600.0, 5_714_900.0)


def payload(**overrides):
    data = {
        "slug": "spielplatz-2027",
        "title": {"de": "Neuer Spielplatz", "en": "New playground"},
        "description": {"de": "Wir planen einen Spielplatz."},
        "question": {"de": "Was soll es dort geben?"},
        "opens_at": "2027-03-01T08:00:00+01:00",
        "closes_at": "2027-04-01T18:00:00+02:00",
        "moderation": "pre",
        "categories": [
            {"key": "spielen", "label": {"de": "Spielen", "en": "Play"}, "color": "#1F6FEB"}
        ],
        "perimeter": {"type": "Feature", "properties": {}, "geometry": PERIMETER},
    }
    data.update(overrides)
    return data


def utm_frame(geometry=None) -> geopandas.GeoDataFrame:
    shape = geometry if geometry is not None else shapely.geometry.box(*UTM_BOX)
    return geopandas.GeoDataFrame({"name": ["Umgriff"]}, geometry=[shape], crs="EPSG:25832")


def expected_wgs84_corners() -> list[tuple[float, float]]:
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    min_x, min_y, max_x, max_y = UTM_BOX
    return [to_wgs84.transform(x, y) for x, y in [(min_x, min_y), (max_x, max_y)]]


def assert_stored_in_wgs84(app_store, slug: str = "test") -> None:
    shape = shapely.geometry.shape(app_store.get_consultation(slug).perimeter)
    (west, south), (east, north) = expected_wgs84_corners()
    bounds = shape.bounds
    # The projected rectangle is not a lon/lat rectangle; its corners must survive exactly.
    coords = list(shape.exterior.coords)
    for corner in [(west, south), (east, north)]:
        assert min(abs(x - corner[0]) + abs(y - corner[1]) for x, y in coords) < 1e-6
    assert 7.69 < bounds[0] < bounds[2] < 7.73 and 51.57 < bounds[1] < bounds[3] < 51.59


def upload(client, filename: str, data: bytes, slug: str = "test"):
    return client.put(
        f"/api/planner/consultations/{slug}/perimeter", files={"file": (filename, data)}
    )


def test_admin_creates_a_draft_consultation(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.post("/api/planner/consultations", json=payload())
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "draft"
    assert created["categories"][0]["color"] == "#1f6feb"
    assert created["perimeter"]["type"] == "Polygon"
    stored = app_store.get_consultation("spielplatz-2027")
    assert stored.title == {"de": "Neuer Spielplatz", "en": "New playground"}
    # A draft is not shown to residents yet.
    assert app_client.get("/api/consultations/spielplatz-2027").status_code == 404
    listed = app_client.get("/api/planner/consultations").json()
    assert [c["slug"] for c in listed] == ["spielplatz-2027"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"slug": "Spielplatz 2027"}, "slug_invalid"),
        ({"title": {"en": "Only English"}}, "german_text_missing"),
        ({"closes_at": "2027-02-01T00:00:00Z"}, "dates_out_of_order"),
        ({"categories": []}, "categories_missing"),
        (
            {"categories": [{"key": "a", "label": {"de": "A"}, "color": "rot"}]},
            "category_color_invalid",
        ),
        ({"perimeter": {"type": "Point", "coordinates": [7.71, 51.57]}}, "perimeter_not_polygon"),
    ],
)
def test_refuses_an_invalid_consultation_with_a_helpful_message(
    app_client, app_store, overrides, code
) -> None:
    sign_in_as(app_client, app_store)
    response = app_client.post("/api/planner/consultations", json=payload(**overrides))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert app_store.get_consultation("spielplatz-2027") is None


def test_refuses_a_taken_slug_with_409(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store, slug="spielplatz-2027")
    response = app_client.post("/api/planner/consultations", json=payload())
    assert response.status_code == 409
    assert "spielplatz-2027" in response.json()["detail"]


def test_refuses_a_self_intersecting_drawn_perimeter(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[7.70, 51.57], [7.72, 51.59], [7.72, 51.57], [7.70, 51.59], [7.70, 51.57]]
        ],
    }
    response = app_client.post("/api/planner/consultations", json=payload(perimeter=bowtie))
    assert response.status_code == 422
    assert response.json()["code"] == "perimeter_invalid"
    assert "kreuzt sich" in response.json()["detail"]


def test_admin_edits_texts_and_opens_closes_archives(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store, status=ConsultationStatus.DRAFT)
    edit = app_client.patch(
        "/api/planner/consultations/test",
        json={"title": {"de": "Neuer Titel"}, "allow_photos": False, "status": "open"},
    )
    assert edit.status_code == 200, edit.text
    assert edit.json()["title"] == {"de": "Neuer Titel"}
    assert edit.json()["allow_photos"] is False
    assert app_client.get("/api/consultations/test").json()["title"] == "Neuer Titel"
    assert app_client.patch("/api/planner/consultations/test", json={"status": "closed"}).is_success
    # A closed consultation stays visible, read-only, for residents.
    public = app_client.get("/api/consultations/test")
    assert public.status_code == 200 and public.json()["status"] == "closed"
    archived = app_client.patch("/api/planner/consultations/test", json={"status": "archived"})
    assert archived.json()["status"] == "archived"
    assert app_client.get("/api/consultations/test").status_code == 404


def test_refuses_a_status_step_the_lifecycle_does_not_allow(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store, status=ConsultationStatus.DRAFT)
    response = app_client.patch("/api/planner/consultations/test", json={"status": "closed"})
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_status_step"
    assert app_store.get_consultation("test").status == ConsultationStatus.DRAFT


def test_a_category_with_pins_cannot_be_removed(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    consultation = make_consultation(app_store)
    make_contribution(app_store, consultation, category="parken-verkehr", status=Status.HIDDEN)
    only_seating = [{"key": "sitzen-aufenthalt", "label": {"de": "Sitzen"}, "color": "#1f6feb"}]
    response = app_client.patch(
        "/api/planner/consultations/test", json={"categories": only_seating}
    )
    assert response.status_code == 409
    assert "parken-verkehr" in response.json()["detail"]


def test_moderator_cannot_create_consultation(app_client, app_store) -> None:
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.post("/api/planner/consultations", json=payload())
    assert response.status_code == 403
    assert app_store.get_consultation("spielplatz-2027") is None
    # Moderators may read consultations, drafts included.
    assert app_client.get("/api/planner/consultations").status_code == 200


def test_perimeter_from_geojson_in_utm_is_stored_in_wgs84(app_client, app_store, tmp_path) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store)
    path = tmp_path / "umgriff.geojson"
    utm_frame().to_file(path, driver="GeoJSON")
    assert "25832" in path.read_text()
    response = upload(app_client, "umgriff.geojson", path.read_bytes())
    assert response.status_code == 200, response.text
    assert_stored_in_wgs84(app_store)


def test_perimeter_from_geopackage_in_utm_is_stored_in_wgs84(app_client, app_store, tmp_path):
    sign_in_as(app_client, app_store)
    make_consultation(app_store)
    path = tmp_path / "umgriff.gpkg"
    utm_frame().to_file(path, driver="GPKG")
    response = upload(app_client, "Umgriff.GPKG", path.read_bytes())
    assert response.status_code == 200, response.text
    assert_stored_in_wgs84(app_store)


def zipped_shapefile(folder: Path, frame: geopandas.GeoDataFrame, with_prj: bool = True) -> bytes:
    frame.to_file(folder / "umgriff.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in folder.glob("umgriff.*"):
            if with_prj or part.suffix != ".prj":
                archive.write(part, part.name)
    return buffer.getvalue()


def test_perimeter_from_zipped_shapefile_in_utm_is_stored_in_wgs84(app_client, app_store, tmp_path):
    sign_in_as(app_client, app_store)
    make_consultation(app_store)
    response = upload(app_client, "umgriff.zip", zipped_shapefile(tmp_path, utm_frame()))
    assert response.status_code == 200, response.text
    assert_stored_in_wgs84(app_store)
    assert app_client.get("/api/consultations/test").json()["perimeter"]["type"] == "Polygon"


def test_shapefile_without_prj_is_refused(app_client, app_store, tmp_path) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store)
    response = upload(app_client, "umgriff.zip", zipped_shapefile(tmp_path, utm_frame(), False))
    assert response.status_code == 422
    assert ".prj" in response.json()["detail"]
    assert app_store.get_consultation("test").perimeter == PERIMETER


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (
            lambda: utm_frame(
                shapely.geometry.Polygon(
                    [(409900, 5714200), (410600, 5714900), (410600, 5714200), (409900, 5714900)]
                )
            ),
            "perimeter_invalid",
        ),
        (lambda: utm_frame(shapely.geometry.Point(410000, 5714500)), "perimeter_not_polygon"),
    ],
    ids=["self-intersecting", "point-layer"],
)
def test_invalid_uploaded_perimeter_is_refused_with_422(
    app_client, app_store, tmp_path, frame, code
) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store)
    path = tmp_path / "umgriff.gpkg"
    frame().to_file(path, driver="GPKG")
    response = upload(app_client, "umgriff.gpkg", path.read_bytes())
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert app_store.get_consultation("test").perimeter == PERIMETER


def test_unreadable_or_unknown_files_are_refused(app_client, app_store) -> None:
    sign_in_as(app_client, app_store)
    make_consultation(app_store)
    broken = upload(app_client, "umgriff.gpkg", b"not a geopackage")
    assert broken.status_code == 422
    assert "GeoPackage" in broken.json()["detail"]
    word = upload(app_client, "umgriff.docx", b"PK")
    assert word.status_code in (415, 422)
    assert "umgriff.docx" in word.json()["detail"]
    two = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": PERIMETER},
                {"type": "Feature", "properties": {}, "geometry": PERIMETER},
            ],
        }
    )
    many = upload(app_client, "umgriff.geojson", two.encode())
    assert many.status_code == 422
    assert "2" in many.json()["detail"]


def test_an_upload_over_the_limit_is_refused_with_413(make_settings) -> None:
    settings = make_settings(seed_demo=False, max_upload_bytes=2 * 1024 * 1024)
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store
        sign_in_as(client, store)
        make_consultation(store)
        response = upload(client, "umgriff.geojson", b" " * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert "2 MB" in response.json()["detail"]
