"""Importing many pins: a preview lists what is created and every refused row with its reason."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import geopandas
import shapely.geometry
from pyproj import Transformer

from geoapp.domain import ConsultationStatus, ContributionQuery, Source, Status, TargetKind
from tests.factories import INSIDE, OUTSIDE, make_consultation, sign_in_as

TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


def post_import(client, filename: str, data: bytes, **params):
    return client.post(
        "/api/planner/consultations/test/imports",
        params=params,
        files={"file": (filename, data)},
    )


def all_pins(store, consultation):
    query = ContributionQuery(consultation.id, statuses=tuple(Status))
    return store.list_contributions(query)


GERMAN_LON, GERMAN_LAT = (str(c).replace(".", ",") for c in INSIDE)
LONLAT_CSV = f"""lon;lat;category;text;name
{INSIDE[0]};{INSIDE[1]};sitzen-aufenthalt;Bank am Markt;Erika
{GERMAN_LON};{GERMAN_LAT};Parken & Verkehr;Zu wenig Fahrradbügel;
{OUTSIDE[0]};{OUTSIDE[1]};sitzen-aufenthalt;Weit weg;
""".encode()


def test_csv_preview_lists_rows_to_create_and_refused_rows_with_reason(app_client, app_store):
    consultation = make_consultation(app_store)
    sign_in_as(app_client, app_store)
    response = post_import(app_client, "karten.csv", LONLAT_CSV, dry_run="true")
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["dry_run"] is True and preview["created"] == 0
    assert [(r["row"], r["category"]) for r in preview["create"]] == [
        (2, "sitzen-aufenthalt"),
        (3, "parken-verkehr"),
    ]
    assert preview["create"][0]["author_name"] == "Erika"
    assert preview["create"][0]["geometry"] == {"type": "Point", "coordinates": INSIDE}
    [refused] = preview["refused"]
    assert refused["row"] == 4
    assert "außerhalb des Gebiets" in refused["reason"]
    assert all_pins(app_store, consultation) == []


def test_csv_import_creates_the_good_rows_published_with_their_source(app_client, app_store):
    consultation = make_consultation(app_store)
    sign_in_as(app_client, app_store, username="anna")
    response = post_import(app_client, "karten.csv", LONLAT_CSV, source="workshop")
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    pins = all_pins(app_store, consultation)
    assert sorted(p.text for p in pins) == ["Bank am Markt", "Zu wenig Fahrradbügel"]
    assert {p.status for p in pins} == {Status.PUBLISHED}
    assert {p.source for p in pins} == {Source.WORKSHOP}
    [event] = app_store.list_audit(TargetKind.CONTRIBUTION, pins[0].id)
    assert (event.actor, event.action) == ("anna", "imported")
    public = app_client.get("/api/consultations/test/contributions").json()
    assert len(public["features"]) == 2


def test_csv_with_easting_northing_in_etrs89_utm32(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    sign_in_as(app_client, app_store)
    east, north = TO_UTM.transform(*INSIDE)
    csv = (
        "E,N,category,text,created_at\n"
        f"{east:.2f},{north:.2f},sitzen-aufenthalt,Bank bitte,15.01.2026\n"
        f"{east:.2f},,sitzen-aufenthalt,Ohne Hochwert,\n"
        f"{east:.2f},{north:.2f},spielen,Unbekanntes Thema,\n"
        f"{east:.2f},{north:.2f},sitzen-aufenthalt,,\n"
        f"{east:.2f},{north:.2f},sitzen-aufenthalt,Aus der Zukunft,2999-01-01\n"
    ).encode()
    response = post_import(app_client, "utm.csv", csv, dry_run="true")
    assert response.status_code == 200, response.text
    preview = response.json()
    [row] = preview["create"]
    lon, lat = row["geometry"]["coordinates"]
    assert abs(lon - INSIDE[0]) < 1e-6 and abs(lat - INSIDE[1]) < 1e-6
    refused = {r["row"]: r["reason"] for r in preview["refused"]}
    assert sorted(refused) == [3, 4, 5, 6]
    assert "Koordinaten" in refused[3]
    assert "spielen" in refused[4]
    assert "Text" in refused[5]
    assert "2999-01-01" in refused[6]
    post_import(app_client, "utm.csv", csv)
    [pin] = all_pins(app_store, consultation)
    assert pin.created_at == datetime(2026, 1, 15, tzinfo=ZoneInfo("Europe/Berlin"))


def test_refusal_reasons_follow_the_request_language(app_client, app_store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    response = app_client.post(
        "/api/planner/consultations/test/imports",
        params={"dry_run": "true"},
        files={"file": ("karten.csv", LONLAT_CSV)},
        headers={"Accept-Language": "en"},
    )
    assert "outside" in response.json()["refused"][0]["reason"]


def test_csv_without_coordinate_columns_is_refused(app_client, app_store) -> None:
    make_consultation(app_store)
    sign_in_as(app_client, app_store)
    response = post_import(app_client, "karten.csv", b"x;y;text\n1;2;a\n", dry_run="true")
    assert response.status_code == 422
    assert "lon" in response.json()["detail"] and "EPSG:25832" in response.json()["detail"]


def test_geopackage_import_in_utm_with_a_polygon_row_refused(app_client, app_store, tmp_path):
    consultation = make_consultation(app_store)
    sign_in_as(app_client, app_store)
    east, north = TO_UTM.transform(*INSIDE)
    frame = geopandas.GeoDataFrame(
        {"kategorie": ["sitzen-aufenthalt", "sitzen-aufenthalt"], "text": ["Bank", "Fläche"]},
        geometry=[
            shapely.geometry.Point(east, north),
            shapely.geometry.Point(east, north).buffer(10),
        ],
        crs="EPSG:25832",
    )
    path = tmp_path / "pins.gpkg"
    frame.to_file(path, driver="GPKG")
    response = post_import(app_client, "pins.gpkg", path.read_bytes(), source="paper")
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["created"] == 1
    assert [r["row"] for r in result["refused"]] == [2]
    assert "Punkt" in result["refused"][0]["reason"]
    [pin] = all_pins(app_store, consultation)
    assert pin.source == Source.PAPER
    assert abs(pin.geometry["coordinates"][0] - INSIDE[0]) < 1e-6


def test_geojson_import(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    sign_in_as(app_client, app_store)
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": INSIDE},
                "properties": {"category": "parken-verkehr", "text": "Tempo 30"},
            }
        ],
    }
    response = post_import(app_client, "pins.geojson", json.dumps(collection).encode())
    assert response.json()["created"] == 1
    assert [p.text for p in all_pins(app_store, consultation)] == ["Tempo 30"]


def test_no_imports_into_an_archived_consultation(app_client, app_store) -> None:
    make_consultation(app_store, status=ConsultationStatus.ARCHIVED)
    sign_in_as(app_client, app_store)
    response = post_import(app_client, "karten.csv", LONLAT_CSV)
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_not_for_entries"
