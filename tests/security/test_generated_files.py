"""Exports and the data package hold every payload as the exact text typed, nothing evaluated."""

import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from markdown_it import MarkdownIt

from geoapp.services import export_package, exports
from geoapp.services.export_formats import Format
from geoapp.services.export_package import Licence
from geoapp.store import Store
from geoapp.store.photos import FileSystemPhotoStorage
from tests.security.payloads import EVALUATED, PAYLOADS, SLUG, Planted, plant

CONTRIBUTION_FIELDS = ("text", "author_name", "photo_alt", "planner_response", "category_label")
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture
def planted(store: Store) -> Planted:
    return plant(store)


def cells(frame: pd.DataFrame) -> set[str]:
    return {value for column in frame.columns for value in frame[column] if isinstance(value, str)}


def layers_of(path: Path) -> dict[str, pd.DataFrame]:
    """Every layer of an export, read back by GDAL."""
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith((".shp", ".dbf"))]
        shapes = {n for n in names if n.endswith(".shp")}
        tables = [n for n in names if n.endswith(".dbf") and n[:-4] + ".shp" not in shapes]
        return {
            name: pyogrio.read_dataframe(f"/vsizip/{path}/{name}", read_geometry=False)
            for name in [*sorted(shapes), *tables]
        }
    # GDAL guesses whether row 1 of a sheet is a header; a sheet of text only needs telling.
    pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": "FORCE"})
    try:
        return {
            name: pyogrio.read_dataframe(path, layer=name, read_geometry=False)
            for name, _kind in pyogrio.list_layers(path)
        }
    finally:
        pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": None})


@pytest.mark.parametrize("fmt", list(Format))
def test_every_export_holds_each_payload_as_typed(
    fmt: Format, store: Store, planted: Planted, tmp_path: Path
) -> None:
    made = exports.export_file(
        store, store.get_consultation(SLUG), fmt, None, exports.ExportFilter(), tmp_path
    )
    layers = layers_of(made.path)
    everything = set().union(*(cells(frame) for frame in layers.values()))
    for evaluated in EVALUATED:
        assert not any(evaluated in value for value in everything)
    if fmt == Format.DXF:
        # CAD gets points on category layers labelled with the id: no typed text at all.
        assert everything.isdisjoint(PAYLOADS)
        return
    contributions = next(iter(layers.values()))
    held = cells(contributions)
    expected = {PAYLOADS[i] for i in range(len(PAYLOADS))}
    assert expected <= held, expected - held
    if fmt == Format.KML:
        # The texts are character data of the placemarks: no element came from a payload.
        tags = {e.tag for e in ET.parse(made.path).iter()}
        assert all(tag.startswith(KML) for tag in tags), tags
    if len(layers) > 1:
        replies = next(frame for name, frame in layers.items() if name.startswith("replies"))
        perimeter = next(frame for name, frame in layers.items() if name.startswith("perimeter"))
        assert expected <= cells(replies)  # every reply text and name is a payload too
        assert planted.fields["title"] in cells(perimeter)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def test_package_readme_shows_each_typed_text_literally(
    store: Store, planted: Planted, tmp_path: Path
) -> None:
    made = export_package.build(
        store,
        FileSystemPhotoStorage(tmp_path / "uploads"),
        store.get_consultation(SLUG),
        exports.ExportFilter(),
        Licence("dl-de/by-2-0", "<img src=x onerror=alert(1)> [Stadt](javascript:alert(1))"),
        tmp_path,
        now=datetime(2026, 6, 1, 12, tzinfo=UTC),
    )
    with zipfile.ZipFile(made.path) as archive:
        archive.extractall(tmp_path / "out")
    root = tmp_path / "out" / SLUG
    fields = planted.fields
    for name, language in (("LIESMICH.md", "de"), ("README.md", "en")):
        source = (root / name).read_text(encoding="utf-8")
        rendered = _Text()
        rendered.feed(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source))
        # Only the document's own structure: a payload became no image, link, script or bold.
        allowed = {"h1", "h2", "p", "ul", "li", "code", "table", "thead", "tbody", "tr", "th", "td"}
        assert rendered.tags <= allowed, rendered.tags
        suffix = "" if language == "de" else "_en"
        for shown in (
            fields["title" + suffix],
            fields["question" + suffix],
            fields["category_a"],
            fields["category_b"],
            "<img src=x onerror=alert(1)> [Stadt](javascript:alert(1))",
        ):
            if language == "en" and shown in (fields["category_a"], fields["category_b"]):
                continue  # the English labels are "Benches" and "Paths"
            assert shown in rendered.text, (name, shown)
        for evaluated in EVALUATED:
            assert evaluated not in source
    package = pyogrio.read_dataframe(root / "beteiligung.gpkg", layer="contributions")
    assert set(PAYLOADS) <= cells(package)
    assert (root / "uebersicht.png").stat().st_size > 10_000


def test_package_themes_hold_typed_texts_as_typed(
    store: Store, planted: Planted, tmp_path: Path
) -> None:
    made = export_package.build(
        store,
        None,
        store.get_consultation(SLUG),
        exports.ExportFilter(),
        Licence("dl-de/by-2-0", "Stadt Kamen"),
        tmp_path,
    )
    with zipfile.ZipFile(made.path) as archive:
        archive.extractall(tmp_path / "out")
    root = tmp_path / "out" / SLUG
    groups = pyogrio.read_dataframe(root / "themen.csv")
    representatives = set(groups["representative_text"])
    # The typical pins of the groups are payloads, read back by GDAL as typed.
    assert representatives and representatives <= set(PAYLOADS)
    terms = cells(pyogrio.read_dataframe(root / "begriffe.csv"))
    assert any("<" in term for term in terms)  # e.g. "script><script": typed text, kept as such
    for evaluated in EVALUATED:
        assert not any(evaluated in value for value in terms | representatives)
    for name in ("LIESMICH.md", "README.md"):
        source = (root / name).read_text(encoding="utf-8")
        rendered = _Text()
        rendered.feed(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source))
        allowed = {"h1", "h2", "p", "ul", "li", "code", "table", "thead", "tbody", "tr", "th", "td"}
        assert rendered.tags <= allowed, rendered.tags
        for text in representatives:
            assert text in rendered.text, (name, text)
