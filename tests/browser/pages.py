"""Small helpers for the resident map page: open it, place a pin, fill and send the form."""

from playwright.sync_api import Locator, Page, expect


def open_map(page: Page, base_url: str, slug: str = "ortsmitte") -> None:
    page.goto(f"{base_url}/?c={slug}")
    page.wait_for_selector("body[data-ready=true]")


def map_point(page: Page, dx: float = 0, dy: float = 0) -> tuple[float, float]:
    """Screen position `dx`, `dy` pixels from the map's centre."""
    box = page.locator("#map").bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy


def place_pin(page: Page, dx: float = -120, dy: float = 100) -> None:
    """Start a contribution and click the map at an empty spot inside the demo perimeter."""
    page.get_by_role("button", name="Beitrag hinzufügen").click()
    page.mouse.click(*map_point(page, dx, dy))
    expect(page.locator("#location-status")).to_contain_text("Ort gesetzt")


def fill_form(
    page: Page,
    text: str,
    category: str = "sitzen-aufenthalt",
    name: str | None = None,
    email: str | None = None,
    consent: bool = True,
) -> None:
    page.get_by_label("Thema").select_option(category)
    page.get_by_label("Was wünschen Sie sich, was stört Sie?").fill(text)
    if name:
        page.get_by_label("Ihr Name").fill(name)
    if email:
        page.get_by_label("Ihre E-Mail").fill(email)
    if consent:
        page.get_by_label("Ich habe den Datenschutzhinweis gelesen.").check()


def send(page: Page) -> None:
    page.get_by_role("button", name="Senden").click()


def popup(page: Page) -> Locator:
    return page.locator(".leaflet-popup-content")


def tab_to(page: Page, selector: str, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never got the focus with {key}")
