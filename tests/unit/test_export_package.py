"""The competition data package: unpacks, hashes match, README counts match the files."""

import hashlib
import io
import itertools
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pyogrio
import pytest
from PIL import Image

from geoapp.config import Settings
from geoapp.domain import Status
from geoapp.security.work_gates import WorkGate
from geoapp.services import export_package, photos
from geoapp.services.exports import ExportFilter
from geoapp.store import Store
from geoapp.store.photos import FileSystemPhotoStorage
from tests.factories import make_consultation, make_contribution, make_reply

EMAIL = "privat@example.org"
PARTICIPANT = "e" * 64
LICENCE = export_package.Licence("dl-de/by-2-0", "Stadt Kamen")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), "#3a7")
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif.get_ifd(0x8825)[2] = (51.0, 34.0, 40.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def package(store: Store, tmp_path: Path) -> tuple[Path, dict]:
    """A package of three published pins (one with photo, one with e-mail) and a reply."""
    storage = FileSystemPhotoStorage(tmp_path / "uploads")
    settings = Settings(data_dir=tmp_path, seed_demo=False)
    gate = WorkGate(1, 0, "photo_busy")
    uploaded = photos.upload(store, storage, PARTICIPANT, jpeg_with_gps(), settings, gate)
    consultation = make_consultation(store)
    with_photo = make_contribution(store, consultation, photo_id=uploaded.id)
    make_contribution(store, consultation, category="parken-verkehr", coordinates=[7.71, 51.576])
    private = make_contribution(
        store, consultation, contact_email=EMAIL, participant_hash=PARTICIPANT
    )
    make_contribution(store, consultation, status=Status.PENDING)
    make_reply(store, private, text="Sehe ich genauso.")
    out = tmp_path / "out"
    out.mkdir()
    made = export_package.build(
        store,
        storage,
        store.get_consultation("test"),
        ExportFilter(),
        LICENCE,
        out,
        now=datetime(2026, 6, 1, 12, tzinfo=UTC),
    )
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(made.path) as archive:
        archive.extractall(unpacked)
    return unpacked / "test", {"photo_pin": with_photo.id, "zip": made.path}


def test_package_unpacks_with_every_file_and_matching_hashes(package) -> None:
    root, _ = package
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert on_disk - listed == {"manifest.json"}
    assert listed == on_disk - {"manifest.json"}
    for entry in manifest["files"]:
        content = (root / entry["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == entry["bytes"]
    assert manifest["counts"] == {"contributions": 3, "replies": 1, "photos": 1}
    assert manifest["filters"]["status"] == ["published"]
    expected = {
        "beteiligung.gpkg",
        "beitraege.geojson",
        "gebiet.geojson",
        "beitraege.dxf",
        "beitraege.csv",
        "antworten.csv",
        "uebersicht.png",
        "LIESMICH.md",
        "README.md",
    }
    assert expected <= listed


def test_readme_counts_are_what_the_data_files_hold(package) -> None:
    root, _ = package
    for name, words in (
        ("LIESMICH.md", ("Beiträge", "Antworten")),
        ("README.md", ("Contributions", "Replies")),
    ):
        text = (root / name).read_text(encoding="utf-8")
        pins = int(re.search(rf"^- {words[0]}: (\d+)$", text, re.M).group(1))
        replies = int(re.search(rf"^- {words[1]}: (\d+)$", text, re.M).group(1))
        assert (
            pins == pyogrio.read_info(root / "beteiligung.gpkg", layer="contributions")["features"]
        )
        assert pins == pyogrio.read_info(root / "beitraege.geojson")["features"]
        assert pins == pyogrio.read_info(root / "beitraege.csv")["features"]
        assert replies == pyogrio.read_info(root / "antworten.csv")["features"] == 1
        assert "EPSG:25832" in text and "2026-06-01T12:00:00Z" in text
        assert "dl-de/by-2-0" in text and "Stadt Kamen" in text
        assert "`support_count`" in text and "`cat_label`" in text


def test_package_map_is_a_real_png_and_photo_has_no_metadata(package) -> None:
    root, ids = package
    with Image.open(root / "uebersicht.png") as overview:
        assert overview.format == "PNG"
        assert overview.width > 600 and overview.height > 600
        assert len(overview.convert("RGB").getcolors(maxcolors=1 << 24)) > 10
    with Image.open(root / "fotos" / f"{ids['photo_pin']}.jpg") as photo:
        assert photo.format == "JPEG"
        assert not photo.getexif()
        assert "exif" not in photo.info
    gpkg = pyogrio.read_dataframe(root / "beteiligung.gpkg", layer="contributions")
    assert gpkg.loc[gpkg["id"] == ids["photo_pin"], "photo"].item() == f"{ids['photo_pin']}.jpg"


def test_package_holds_no_private_data(package) -> None:
    _, ids = package
    with zipfile.ZipFile(ids["zip"]) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            assert EMAIL.encode() not in content, name
            assert PARTICIPANT.encode() not in content, name


def test_geojson_in_package_is_wgs84_and_perimeter_follows_right_hand_rule(package) -> None:
    root, _ = package
    perimeter = json.loads((root / "gebiet.geojson").read_text(encoding="utf-8"))
    assert "crs" not in perimeter
    ring = perimeter["features"][0]["geometry"]["coordinates"][0]
    signed_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    assert signed_area > 0  # counter-clockwise exterior ring (RFC 7946 section 3.1.6)
    assert all(7 < x < 8 and 51 < y < 52 for x, y in ring)


def test_package_with_three_pins_says_they_are_too_few_to_group(package) -> None:
    root, _ = package
    readme = (root / "LIESMICH.md").read_text(encoding="utf-8")
    assert "Ausgewertet: 3 von 3 Beiträgen." in readme
    assert "- Zu wenige Beiträge, um Gruppen zu bilden." in readme
    assert "Too few contributions to form groups." in (root / "README.md").read_text("utf-8")
    assert pyogrio.read_info(root / "themen.csv")["features"] == 0
    terms = pyogrio.read_dataframe(root / "begriffe.csv")
    # All three say "Eine Bank im Schatten wäre schön.": the phrase, not its words one by one.
    assert list(terms["term"]) == ["Bank im Schatten"]
    assert list(terms["pins"].astype(int)) == [3]


def test_package_themes_table_counts_the_package_pins_of_each_theme(
    store: Store, tmp_path: Path
) -> None:
    from tests.themes_corpus import plant_themes

    theme_of = plant_themes(store, make_consultation(store))
    made = export_package.build(
        store, None, store.get_consultation("test"), ExportFilter(), LICENCE, tmp_path
    )
    with zipfile.ZipFile(made.path) as archive:
        archive.extractall(tmp_path / "unpacked")
    root = tmp_path / "unpacked" / "test"
    groups = pyogrio.read_dataframe(root / "themen.csv")
    members = pyogrio.read_dataframe(root / "themen_beitraege.csv")
    assert list(groups["group"].astype(int)) == [1, 2, 3]
    assert list(groups["pins"].astype(int)) == [20, 20, 20]
    for number, of_group in members.groupby(members["group"].astype(int)):
        assert len({theme_of[i] for i in of_group["contribution_id"]}) == 1, number
    contributions = pyogrio.read_dataframe(root / "beitraege.csv")
    assert set(members["contribution_id"]) == set(contributions["id"])
    for representative in groups["representative_text"]:
        assert representative in set(contributions["text"])
    readme = (root / "LIESMICH.md").read_text(encoding="utf-8")
    assert "Ausgewertet: 60 von 60 Beiträgen." in readme
    for number in (1, 2, 3):
        assert f"- Gruppe {number} (de), 20 Beiträge:" in readme
    # The package of one topic has the themes of its pins only.
    only = export_package.build(
        store,
        None,
        store.get_consultation("test"),
        ExportFilter(categories=("parken-verkehr",)),
        LICENCE,
        tmp_path,
    )
    with zipfile.ZipFile(only.path) as archive:
        readme = archive.read("test/LIESMICH.md").decode("utf-8")
    assert "Ausgewertet: 20 von 20 Beiträgen." in readme
