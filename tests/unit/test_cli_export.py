"""`geoapp export`: files and the competition package from the command line."""

import json
import zipfile
from pathlib import Path

import pyogrio
import pytest

from geoapp import cli
from geoapp.config import Settings
from geoapp.domain import Status
from geoapp.store import open_store
from tests.factories import make_consultation, make_contribution


@pytest.fixture
def pins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("GEOAPP_DATA_DIR", str(tmp_path))
    store = open_store(Settings().effective_database_url)
    try:
        consultation = make_consultation(store)
        published = [make_contribution(store, consultation).id for _ in range(3)]
        make_contribution(store, consultation, status=Status.PENDING)
    finally:
        store.close()
    return published


def test_export_writes_a_geopackage_in_the_asked_crs(pins, tmp_path, capsys) -> None:
    out = tmp_path / "out.gpkg"
    cli.main(["export", "test", "--format", "gpkg", "--crs", "EPSG:25832", "-o", str(out)])
    frame = pyogrio.read_dataframe(out, layer="contributions")
    assert frame.crs.to_epsg() == 25832
    assert sorted(frame["id"]) == sorted(pins)
    assert "3 Beiträge" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("tmp")] == []


def test_export_filters_by_status(pins, tmp_path) -> None:
    out = tmp_path / "alle.csv"
    cli.main(["export", "test", "--format", "csv", "--status", "pending", "-o", str(out)])
    assert pyogrio.read_info(out)["features"] == 1


def test_export_package_writes_the_zip(pins, tmp_path) -> None:
    out = tmp_path / "wettbewerb.zip"
    cli.main(["export", "test", "--package", "-o", str(out)])
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("test/manifest.json"))
    assert manifest["counts"]["contributions"] == 3


def test_export_refuses_geojson_in_utm_with_a_hint(pins, tmp_path, capsys) -> None:
    out = tmp_path / "x.geojson"
    with pytest.raises(SystemExit) as stopped:
        cli.main(["export", "test", "--format", "geojson", "--crs", "EPSG:25832", "-o", str(out)])
    assert stopped.value.code == 1
    assert "GeoPackage" in capsys.readouterr().err
    assert not out.exists()


def test_export_of_an_unknown_consultation_says_so(pins, tmp_path, capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "nirgends", "-o", str(tmp_path / "x.gpkg")])
    assert "nirgends" in capsys.readouterr().err


@pytest.mark.parametrize("language", ["de", "en"])
def test_columns_command_describes_every_column_an_export_writes(
    pins, tmp_path, capsys, language
) -> None:
    out = tmp_path / "out.gpkg"
    cli.main(["export", "test", "--format", "gpkg", "--crs", "EPSG:25832", "-o", str(out)])
    written = {
        layer: pyogrio.read_info(out, layer=layer)["fields"]
        for layer in ("contributions", "replies", "perimeter")
    }
    capsys.readouterr()
    cli.main(["columns", "--language", language])
    dictionary = capsys.readouterr().out
    for layer, fields in written.items():
        for field in fields:
            assert f"| `{field}` |" in dictionary, (layer, field)
    assert ("Bedeutung" if language == "de" else "Meaning") in dictionary
