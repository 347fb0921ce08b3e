"""Attack payloads in every text field: the opened report runs none and shows each as text."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from geoapp.config import Settings
from geoapp.services import report_map
from geoapp.store import Store
from tests.browser.test_report_map import offline_page, store  # noqa: F401 (fixtures)
from tests.security.payloads import PAYLOADS, SLUG, plant

pytestmark = pytest.mark.browser


@pytest.fixture
def attacked_report(store: Store, tmp_path: Path) -> Path:  # noqa: F811
    plant(store)
    path = tmp_path / "angriff.html"
    settings = Settings(data_dir=tmp_path, seed_demo=False)
    path.write_text(
        report_map.build(store, store.get_consultation(SLUG), settings), encoding="utf-8"
    )
    return path


def test_no_payload_runs_and_each_shows_as_text(
    offline_page: Page,  # noqa: F811
    attacked_report: Path,
) -> None:
    dialogs: list[str] = []
    offline_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Large enough for the zoom at which no two of the planted pins share a cluster.
    offline_page.set_viewport_size({"width": 2000, "height": 1500})
    offline_page.goto(attacked_report.as_uri())
    selector = 'path[fill="#1f6feb"], path[fill="#b35900"]'
    offline_page.wait_for_function(
        f"document.querySelectorAll({selector!r}).length === {len(PAYLOADS)}"
    )
    markers = offline_page.locator(selector)

    shown: list[str] = []
    for index in range(markers.count()):
        markers.nth(index).click(force=True)
        popup = offline_page.locator(".leaflet-popup-content")
        popup.wait_for()
        shown.append(popup.inner_text())
        # A popup is built of our own elements only: no markup from a payload.
        tags = popup.evaluate("p => [...p.querySelectorAll('*')].map(e => e.tagName.toLowerCase())")
        assert set(tags) <= {"div", "p", "ul", "li"}, tags
        offline_page.keyboard.press("Escape")
        popup.wait_for(state="detached")
    every_popup = "\n".join(shown)
    for payload in PAYLOADS:
        assert payload in every_popup, payload

    legend = offline_page.locator(".report-legend").inner_text()
    switcher = offline_page.locator(".report-layers").inner_text()
    assert PAYLOADS[0] in legend  # title
    assert PAYLOADS[2] in legend  # question
    assert PAYLOADS[5] in legend and PAYLOADS[5] in switcher  # first category label
    assert PAYLOADS[6] in legend and PAYLOADS[6] in switcher  # second category label
    # The themes table: typical pins and terms are payloads, shown as text in our own cells.
    themes = offline_page.locator("details.report-themes")
    themes.locator("summary").click()
    table = themes.locator("table")
    tags = table.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName.toLowerCase())")
    assert set(tags) <= {"caption", "thead", "tbody", "tr", "th", "td"}, tags
    cells = table.locator("tbody td:last-child").all_inner_texts()
    assert cells and set(cells) <= set(PAYLOADS)
    assert offline_page.title().endswith(PAYLOADS[0])
    assert offline_page.evaluate("window.__pwned") is None
    assert dialogs == []
