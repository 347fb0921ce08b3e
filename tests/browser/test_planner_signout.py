"""'Sign out everywhere' in the planner workspace ends the sessions on every device."""

from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveApp, PageProblems
from tests.browser.planner_pages import sign_in


def second_device(browser: Browser, live_app: LiveApp) -> Page:
    """Another browser (own cookies) with every non-loopback host blocked."""
    context = browser.new_context(locale="de-DE", reduced_motion="reduce")
    own_host = urlsplit(live_app.url).netloc
    context.route(
        "**/*",
        lambda route, _request: (
            route.continue_() if urlsplit(route.request.url).netloc == own_host else route.abort()
        ),
    )
    return context.new_page()


def test_sign_out_everywhere_ends_the_session_on_the_other_device_too(
    page: Page, browser: Browser, live_app: LiveApp, problems: PageProblems
) -> None:
    problems.allow("401")
    sign_in(page, live_app)
    laptop = second_device(browser, live_app)
    try:
        sign_in(laptop, live_app)
        page.get_by_role("button", name="Überall abmelden").click()
        expect(page.locator("#announcer")).to_have_text("Sie sind auf allen Geräten abgemeldet.")
        expect(page.get_by_label("Benutzername")).to_be_focused()
        expect(page.locator("#workspace")).to_be_hidden()
        laptop.reload()
        laptop.wait_for_selector("body[data-ready=true]")
        expect(laptop.locator("#workspace")).to_be_hidden()
        expect(laptop.get_by_label("Benutzername")).to_be_visible()
        assert laptop.request.get(f"{live_app.url}/api/planner/session").status == 401
    finally:
        laptop.context.close()
