"""Under the enforced Content-Security-Policy: the watch itself, /docs offline, the report map."""

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import LiveApp, PageProblems
from tests.browser.pages import open_map
from tests.browser.planner_pages import sign_in


def test_a_policy_violation_is_caught(page: Page, live_app: LiveApp, problems: PageProblems):
    """The watch every browser test relies on sees an inline script and a style attribute."""
    open_map(page, live_app.url)
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.append(script);
          document.body.setAttribute('style', 'background: red');
        }"""
    )
    page.wait_for_function("() => document.body.hasAttribute('style')")
    expect(page.locator("body")).not_to_have_css("background-color", "rgb(255, 0, 0)")
    assert page.evaluate("window.injected") is None
    page.wait_for_timeout(200)  # the violation events are dispatched as tasks
    caught = [error for error in problems.errors if error.startswith("csp:")]
    assert any("script-src" in error for error in caught), problems.errors
    assert any("style-src" in error for error in caught), problems.errors
    problems.errors.clear()


def test_api_docs_show_the_operations_offline(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/docs")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    paths = operations.all_inner_texts()
    assert any(path.startswith("/api/consultations/{slug}/contributions") for path in paths)
    assert any(path.startswith("/api/planner/session") for path in paths)
    page.locator(".opblock-summary", has_text="/api/config").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()


def test_report_map_rendered_from_the_server_works_under_its_own_policy(
    page: Page, live_app: LiveApp
) -> None:
    """Were the download shown instead of saved, its hashed inline scripts still draw the map."""
    sign_in(page, live_app)

    def render_instead_of_download(route: Route) -> None:
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k != "content-disposition"}
        assert "sandbox allow-scripts" in headers["content-security-policy"]
        route.fulfill(response=response, headers=headers)

    page.route("**/report.html", render_instead_of_download)
    page.goto(f"{live_app.url}/api/planner/consultations/ortsmitte/report.html")
    page.locator("canvas.leaflet-heatmap-layer").wait_for(state="attached")
    page.locator(".report-legend").wait_for()
    assert page.locator(".leaflet-marker-icon, .leaflet-interactive").count() > 0
    # The sandbox leaves the document without our origin: no cookie, no storage of ours.
    assert page.evaluate("window.origin") == "null"
