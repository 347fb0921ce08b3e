"""Small helpers for the planner workspace: sign in, pick a consultation, open a view."""

from playwright.sync_api import Locator, Page, expect

from geoapp.domain import PlannerRole
from tests.browser.conftest import LiveApp
from tests.factories import PLANNER_PASSWORD, make_planner


def sign_in(
    page: Page,
    live_app: LiveApp,
    username: str = "anna",
    password: str = PLANNER_PASSWORD,
    role: PlannerRole = PlannerRole.ADMIN,
) -> None:
    """Open /planner/ and sign in; the account is made on first use."""
    if live_app.store.get_planner(username) is None:
        make_planner(live_app.store, username, role)
    page.goto(f"{live_app.url}/planner/")
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    if password == PLANNER_PASSWORD:
        expect(page.locator("#account-name")).to_contain_text(username)
        page.wait_for_selector("body[data-ready=true]")


def choose_consultation(page: Page, slug: str) -> None:
    page.locator("#consultation-select").select_option(slug)
    page.wait_for_selector("body[data-ready=true]")


def open_view(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("button", name=name).click()
    page.wait_for_selector("body[data-ready=true]")


def queue_item(page: Page, text: str) -> Locator:
    return page.locator("#queue-list > li", has_text=text)
