"""The export panel in Chromium: a GeoPackage download that GDAL reads back."""

from pathlib import Path

import pyogrio
from playwright.sync_api import Page, expect

from geoapp.domain import ContributionQuery
from tests.browser.conftest import LiveApp
from tests.browser.planner_pages import choose_consultation, open_view, sign_in


def test_export_panel_downloads_a_geopackage_in_utm(
    page: Page, live_app: LiveApp, tmp_path: Path
) -> None:
    consultation = live_app.store.get_consultation("ortsmitte")
    query = ContributionQuery(consultation_id=consultation.id)
    published = live_app.store.list_contributions(query)
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    open_view(page, "Export")
    page.get_by_label("Format").select_option("gpkg")
    page.get_by_label("Koordinatensystem").select_option("EPSG:25832")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Datei herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".gpkg")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    layers = [name for name, _ in pyogrio.list_layers(path)]
    frame = pyogrio.read_dataframe(path, layer=layers[0])
    assert len(frame) == len(published)
    assert frame.crs.to_epsg() == 25832
    assert "contact_email" not in frame.columns
    expect(page.locator("#announcer")).to_contain_text("Heruntergeladen")


def test_competition_package_downloads_as_zip(page: Page, live_app: LiveApp) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    open_view(page, "Export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Datenpaket für den Wettbewerb (ZIP)").click()
    assert download_info.value.suggested_filename.endswith(".zip")


def test_report_map_link_downloads_one_html_file(
    page: Page, live_app: LiveApp, tmp_path: Path
) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    open_view(page, "Auswertung")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Berichtskarte herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == "bericht-ortsmitte.html"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert "Bericht:" in path.read_text(encoding="utf-8")
