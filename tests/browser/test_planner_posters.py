"""The poster panel in Chromium: a planner makes a poster and gets a PDF whose code leads home."""

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import Page, expect

from geoapp.app import create_app
from geoapp.config import Settings
from tests.browser.conftest import LiveApp
from tests.browser.planner_pages import choose_consultation, open_view, sign_in
from tests.live_server import serve

PUBLIC_URL = "https://beteiligung.kamen.example"


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[LiveApp]:
    """The demo app with a public address, so that posters can be made."""
    settings = Settings(
        data_dir=tmp_path, seed_demo=True, form_min_seconds=0, public_url=PUBLIC_URL
    )
    app = create_app(settings)
    with serve(app) as url:
        yield LiveApp(url, app.state.store)


def test_planner_makes_a_poster_and_downloads_its_pdf(
    page: Page, live_app: LiveApp, tmp_path: Path
) -> None:
    sign_in(page, live_app)
    choose_consultation(page, "ortsmitte")
    open_view(page, "Export")
    expect(page.locator("#posters-not-ready")).to_be_hidden()
    page.get_by_label("Ort", exact=True).select_option(label="Luisenpark")
    page.get_by_label("Papiergröße").select_option("A3")
    page.get_by_label("Zweite Sprache neben Deutsch").select_option("tr")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Plakat erstellen (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("plakat-ortsmitte-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = pypdfium2.PdfDocument(path)
    image = document[0].render(scale=1.2).to_pil()
    document.close()
    [code] = [c.text for c in zxingcpp.read_barcodes(image)]
    key = download.suggested_filename.removeprefix("plakat-ortsmitte-").removesuffix(".pdf")
    assert code == f"{PUBLIC_URL}/?c=ortsmitte&at=7.713806,51.576500&via=poster-{key}"
    row = page.locator("#poster-list tr", has_text="Luisenpark")
    expect(row).to_contain_text("A3")
    expect(row).to_contain_text("0")
    [poster] = live_app.store.list_posters(live_app.store.get_consultation("ortsmitte").id)
    assert (poster.key, poster.language, poster.created_by) == (key, "tr", "anna")
