"""Browser fixtures: the real app on a loopback port, Debian's Chromium driven by Playwright.

Every host but the test server is blocked, so the tests also prove the page works offline.
Console errors fail a test unless they come from blocked base-map tiles. The server's
Content-Security-Policy is enforced, and any violation of it fails the test.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.store import Store
from tests.conftest import BACKEND_URLS
from tests.live_server import serve

pytestmark = pytest.mark.browser

# The same assertions, more patience: the suite runs on two workers, a page and its server
# then share the cores with another test, and Playwright's 5 s default was seen running out.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("GEOAPP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TILE_HOST = "tile.openstreetmap.org"
# Runs in every document before its own scripts, so that nothing the page does escapes it.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.geoappCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()


class LiveApp:
    """The running app: its URL and its store (to arrange data and check what was written)."""

    def __init__(self, url: str, store: Store) -> None:
        self.url = url
        self.store = store


# The smoke tests that also run on PostgreSQL/PostGIS (the rest run on SQLite alone).
on_every_backend = pytest.mark.parametrize("backend", sorted(BACKEND_URLS))


@pytest.fixture
def live_app(tmp_path: Path, database_url: str) -> Iterator[LiveApp]:
    """The app with the Heeren-Werve demo data, on a fresh database (SQLite unless a test
    asks for every backend).

    The browser fills forms faster than a person; the two-second bot rule has its own API test.
    """
    settings = Settings(
        data_dir=tmp_path, database_url=database_url, seed_demo=True, form_min_seconds=0
    )
    app = create_app(settings)
    with serve(app) as url:
        yield LiveApp(url, app.state.store)


class PageProblems:
    """What went wrong in the page: script errors, and console errors not caused by tiles."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.allowed: list[str] = []

    def allow(self, text: str) -> None:
        """A test that provokes a refusal expects Chromium to log it (e.g. "422")."""
        self.allowed.append(text)

    def on_csp_violation(self, _source: object, event: dict[str, object]) -> None:
        self.errors.append(
            f"csp: {event['directive']} blocked {event['blocked'] or 'inline'} "
            f"({event['source']}:{event['line']}) {event['sample']!r}"
        )

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if TILE_HOST in source or TILE_HOST in message.text:
            return
        if any(text in message.text for text in self.allowed):
            return
        self.errors.append(f"console: {message.text} ({source})")


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


def watch_csp(context: BrowserContext, problems: PageProblems) -> None:
    """Record every Content-Security-Policy violation in any page of `context` as an error."""
    context.expose_binding("geoappCspViolation", problems.on_csp_violation)
    context.add_init_script(REPORT_VIOLATIONS)


def _viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    marker = request.node.get_closest_marker("viewport")
    if marker:
        return {"width": marker.args[0], "height": marker.args[1]}
    return {"width": 1280, "height": 900}


@pytest.fixture
def page(
    browser: Browser,
    live_app: LiveApp,
    problems: PageProblems,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A fresh German-language page with every non-loopback host blocked."""
    # Reduced motion: the map jumps instead of animating, so what a test sees is settled.
    context = browser.new_context(
        locale="de-DE", viewport=_viewport(request), reduced_motion="reduce"
    )
    own_host = urlsplit(live_app.url).netloc

    def block_foreign(route, _request) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own_host or url.startswith("data:"):
            route.continue_()
        else:
            problems.blocked.append(url)
            route.abort()

    context.route("**/*", block_foreign)
    watch_csp(context, problems)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", lambda error: problems.errors.append(f"pageerror: {error}"))
    yield page
    if getattr(request.node, "failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert problems.errors == [], problems.errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call" and report.failed:
        item.failed = True  # type: ignore[attr-defined]
    return report


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "viewport(width, height): browser viewport size")
