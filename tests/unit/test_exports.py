"""Exports read back with GDAL (pyogrio) and compared with the database."""

import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyogrio
import pyproj
import pytest
import shapely

from geoapp.domain import Contribution, ContributionQuery, Status
from geoapp.errors import InvalidInput
from geoapp.services import exports
from geoapp.services.export_columns import (
    CONTRIBUTION_COLUMNS,
    REPLY_COLUMNS,
    short_names,
)
from geoapp.services.export_formats import Format
from geoapp.store import Store
from tests.factories import make_consultation, make_contribution, make_reply

FORMULA = '=HYPERLINK("http://example.org/x","Klick")'
EMAIL = "erika.privat@example.org"
PARTICIPANT = "f" * 64


@pytest.fixture
def pins(store: Store) -> list[Contribution]:
    """Three published pins (one with a formula, one with private data) and a pending one."""
    consultation = make_consultation(store)
    now = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    made = [
        make_contribution(store, consultation, coordinates=[7.7090, 51.5760], created_at=now),
        make_contribution(
            store,
            consultation,
            coordinates=[7.7150, 51.5790],
            category="parken-verkehr",
            text=FORMULA,
            created_at=now - timedelta(days=1),
        ),
        make_contribution(
            store,
            consultation,
            coordinates=[7.7128, 51.5778],
            text="-5 Parkplätze @Rathaus\tbitte",
            contact_email=EMAIL,
            participant_hash=PARTICIPANT,
            created_at=now - timedelta(days=2),
        ),
    ]
    make_contribution(store, consultation, status=Status.PENDING, text="Noch nicht geprüft")
    make_reply(store, made[0], text="Gute Idee!", participant_hash=PARTICIPANT)
    return [store.get_contribution(c.id) for c in made]


def export(store: Store, tmp_path: Path, fmt: Format, epsg: int | None = None, **filters) -> Path:
    out = tmp_path / str(fmt)
    out.mkdir()
    return exports.export_file(
        store, store.get_consultation("test"), fmt, epsg, exports.ExportFilter(**filters), out
    ).path


def reference_xy(contribution: Contribution, epsg: int) -> tuple[float, float]:
    transformer = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    lon, lat = contribution.geometry["coordinates"]
    return transformer.transform(lon, lat)


def read_sheet(path: Path, sheet: str):
    # GDAL guesses whether row 1 is a header; a sheet of text only needs telling.
    pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": "FORCE"})
    try:
        return pyogrio.read_dataframe(path, layer=sheet, read_geometry=False)
    finally:
        pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": None})


def assert_same_attributes(row, contribution: Contribution, names: dict[str, str]) -> None:
    assert row[names["id"]] == contribution.id
    assert row[names["text"]] == contribution.text
    assert row[names["category"]] == contribution.category
    assert row[names["status"]] == str(contribution.status)
    assert row[names["created_at"]] == contribution.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert int(row[names["support_count"]]) == contribution.support_count
    assert int(row[names["reply_count"]]) == contribution.reply_count


@pytest.mark.parametrize("epsg", [25832, 31467])
def test_geopackage_matches_database_within_a_centimetre(store, pins, tmp_path, epsg) -> None:
    path = export(store, tmp_path, Format.GPKG, epsg)
    assert sorted(pyogrio.list_layers(path)[:, 0]) == ["contributions", "perimeter", "replies"]
    frame = pyogrio.read_dataframe(path, layer="contributions")
    assert frame.crs.to_epsg() == epsg
    names = {c.name: c.name for c in CONTRIBUTION_COLUMNS}
    assert list(frame.columns) == [*names, "geometry"]
    by_id = {c.id: c for c in pins}
    assert sorted(frame["id"]) == sorted(by_id)
    for _, row in frame.iterrows():
        assert_same_attributes(row, by_id[row["id"]], names)
        x, y = reference_xy(by_id[row["id"]], epsg)
        assert abs(row.geometry.x - x) < 0.01 and abs(row.geometry.y - y) < 0.01
    assert frame.loc[frame["id"] == pins[0].id, "reply_count"].item() == 1


def test_geopackage_replies_are_linked_by_id_and_perimeter_is_projected(
    store, pins, tmp_path
) -> None:
    path = export(store, tmp_path, Format.GPKG)
    replies = pyogrio.read_dataframe(path, layer="replies", read_geometry=False)
    assert list(replies.columns) == [c.name for c in REPLY_COLUMNS]
    assert replies.to_dict("records")[0] | {"id": None} == {
        "id": None,
        "contribution_id": pins[0].id,
        "text": "Gute Idee!",
        "author_name": None,
        "created_at": replies["created_at"][0],
        "status": "published",
    }
    perimeter = pyogrio.read_dataframe(path, layer="perimeter")
    assert perimeter.crs.to_epsg() == 25832
    assert perimeter.geometry[0].bounds[0] == pytest.approx(410200, abs=300)


def test_geojson_follows_rfc7946(store, pins, tmp_path) -> None:
    path = export(store, tmp_path, Format.GEOJSON)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in collection
    by_id = {c.id: c for c in pins}
    assert sorted(f["id"] for f in collection["features"]) == sorted(by_id)
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert [lon, lat] == by_id[feature["id"]].geometry["coordinates"]
        assert all(len(repr(v).split(".")[1]) <= 7 for v in (lon, lat))
        assert "contact_email" not in feature["properties"]
    frame = pyogrio.read_dataframe(path)
    assert frame.crs.to_epsg() == 4326
    assert frame.loc[frame["id"] == pins[1].id, "text"].item() == FORMULA


def test_geojson_and_kml_refuse_a_projected_crs(store, pins, tmp_path) -> None:
    for fmt in (Format.GEOJSON, Format.KML):
        with pytest.raises(InvalidInput) as refused:
            export(store, tmp_path, fmt, 25832)
        assert refused.value.key == "crs_wgs84_only"


def test_formula_is_inert_in_csv_and_xlsx_and_exact_elsewhere(store, pins, tmp_path) -> None:
    csv = pyogrio.read_dataframe(export(store, tmp_path, Format.CSV), read_geometry=False)
    xlsx = read_sheet(export(store, tmp_path, Format.XLSX), "contributions")
    for table in (csv, xlsx):
        texts = dict(zip(table["id"], table["text"], strict=True))
        assert texts[pins[1].id] == "'" + FORMULA
        assert texts[pins[2].id] == "'-5 Parkplätze @Rathaus\tbitte"
        assert texts[pins[0].id] == pins[0].text
    gpkg = pyogrio.read_dataframe(export(store, tmp_path, Format.GPKG), layer="contributions")
    assert gpkg.loc[gpkg["id"] == pins[1].id, "text"].item() == FORMULA


def test_csv_has_bom_lonlat_and_projected_xy_and_a_semicolon_option(store, pins, tmp_path):
    path = export(store, tmp_path, Format.CSV)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,consultation,category,")
    table = pyogrio.read_dataframe(path, read_geometry=False)
    row = table[table["id"] == pins[0].id].iloc[0]
    assert [float(row["lon"]), float(row["lat"])] == pins[0].geometry["coordinates"]
    x, y = reference_xy(pins[0], 25832)
    assert abs(float(row["x"]) - x) < 0.01 and abs(float(row["y"]) - y) < 0.01

    german = tmp_path / "german"
    german.mkdir()
    exports.export_file(
        store,
        store.get_consultation("test"),
        Format.CSV,
        4326,
        exports.ExportFilter(),
        german,
        separator=";",
    )
    text = (german / "test.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id;consultation;category;")
    assert ";x;" not in text.splitlines()[0]
    assert "Sitzen & Aufenthalt" in text


def test_xlsx_has_one_sheet_per_layer(store, pins, tmp_path) -> None:
    path = export(store, tmp_path, Format.XLSX)
    assert list(pyogrio.list_layers(path)[:, 0]) == ["contributions", "replies", "perimeter"]
    replies = read_sheet(path, "replies")
    assert list(replies["contribution_id"]) == [pins[0].id]
    perimeter = read_sheet(path, "perimeter")
    assert perimeter["wkt"][0].startswith("POLYGON ((4")


def test_shapefile_zip_uses_the_documented_short_names_and_utf8(store, pins, tmp_path):
    path = export(store, tmp_path, Format.SHP)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"contributions.shp", "contributions.dbf", "contributions.cpg"} <= names
        assert {"contributions.prj", "perimeter.shp", "replies.dbf"} <= names
        assert archive.read("contributions.cpg").strip() == b"UTF-8"
    frame = pyogrio.read_dataframe(f"/vsizip/{path}/contributions.shp")
    short = short_names(CONTRIBUTION_COLUMNS)
    assert list(frame.columns) == [*short.values(), "geometry"]
    assert all(len(name) <= 10 for name in short.values())
    assert frame.crs.to_epsg() == 25832
    by_id = {c.id: c for c in pins}
    for _, row in frame.iterrows():
        assert_same_attributes(row, by_id[row["id"]], short)
        x, y = reference_xy(by_id[row["id"]], 25832)
        assert abs(row.geometry.x - x) < 0.01 and abs(row.geometry.y - y) < 0.01
    assert "Parkplätze" in frame.loc[frame["id"] == pins[2].id, "text"].item()


def test_kml_holds_the_pins_in_wgs84(store, pins, tmp_path) -> None:
    frame = pyogrio.read_dataframe(export(store, tmp_path, Format.KML))
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["Name"]) == [
        "Parken & Verkehr",
        "Sitzen & Aufenthalt",
        "Sitzen & Aufenthalt",
    ]
    for contribution in pins:
        [point] = frame.loc[frame["description"] == contribution.text, "geometry"]
        assert [point.x, point.y] == pytest.approx(contribution.geometry["coordinates"], abs=1e-9)


def test_dxf_has_a_layer_per_category_and_id_labels(store, pins, tmp_path) -> None:
    path = export(store, tmp_path, Format.DXF)
    frame = pyogrio.read_dataframe(path)
    points = frame[frame["Text"].isna()]
    labels = frame[frame["Text"].notna()]
    assert sorted(set(points["Layer"])) == ["parken-verkehr", "sitzen-aufenthalt"]
    assert sorted(labels["Text"]) == sorted(c.id for c in pins)
    for contribution in pins:
        x, y = reference_xy(contribution, 25832)
        near = points[points.distance(shapely.Point(x, y)) < 0.01]
        assert list(near["Layer"]) == [contribution.category]
        [label] = labels.loc[labels["Text"] == contribution.id, "geometry"]
        assert label.distance(shapely.Point(x, y)) < 2


def test_filters_choose_status_category_and_time(store, pins, tmp_path) -> None:
    def ids(**filters) -> list[str]:
        data = exports.collect(
            store, store.get_consultation("test"), exports.ExportFilter(**filters)
        )
        return list(data.contributions["id"])

    assert ids() == [c.id for c in pins]
    assert ids(categories=("parken-verkehr",)) == [pins[1].id]
    assert len(ids(statuses=(Status.PUBLISHED, Status.PENDING))) == 4
    day = datetime(2026, 5, 3, tzinfo=UTC)
    assert ids(created_from=day) == [pins[0].id, pins[1].id]
    assert ids(created_to=day) == [pins[2].id]
    with pytest.raises(InvalidInput):
        ids(created_from=day, created_to=day)
    with pytest.raises(InvalidInput) as unknown:
        ids(categories=("schwimmbad",))
    assert unknown.value.params == {"category": "schwimmbad"}


def test_no_private_data_in_any_byte_of_any_format(store, pins, tmp_path) -> None:
    for fmt in Format:
        path = export(store, tmp_path, fmt)
        raw = path.read_bytes()
        blobs = [raw]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                blobs = [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            for secret in (EMAIL, PARTICIPANT, EMAIL.encode("utf-16-le").decode("latin-1")):
                assert secret.encode("latin-1") not in blob, (fmt, secret)


def test_ten_thousand_pins_export_to_every_format(store, tmp_path) -> None:
    consultation = make_consultation(store)
    now = datetime.now(UTC)
    store.add_contributions(
        [
            Contribution(
                id=str(uuid.uuid4()),
                consultation_id=consultation.id,
                geometry={"type": "Point", "coordinates": [7.708 + (i % 90) * 1e-4, 51.575]},
                category="sitzen-aufenthalt" if i % 2 else "parken-verkehr",
                text=f"Beitrag Nummer {i}",
                status=Status.PUBLISHED,
                created_at=now - timedelta(seconds=i),
                updated_at=now,
            )
            for i in range(10_000)
        ],
        [],
    )
    expected = store.count_contributions(ContributionQuery(consultation_id=consultation.id))
    for fmt in (Format.GPKG, Format.CSV, Format.GEOJSON):
        path = export(store, tmp_path, fmt)
        assert pyogrio.read_info(path, layer=0)["features"] == expected == 10_000


def test_docs_send_readers_to_the_generated_column_dictionary() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")
    assert "geoapp columns" in docs
    assert "| `id` |" not in docs, "a hand-written column table would drift from the exports"


def test_geojson_rounds_to_seven_decimals(store, tmp_path) -> None:
    consultation = make_consultation(store)
    make_contribution(store, consultation, coordinates=[7.712812345678, 51.577812345678])
    collection = json.loads(export(store, tmp_path, Format.GEOJSON).read_text(encoding="utf-8"))
    assert collection["features"][0]["geometry"]["coordinates"] == [7.7128123, 51.5778123]
