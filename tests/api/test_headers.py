"""Security and caching headers: the CSP and its tile host, nosniff, HSTS behind TLS, no-store."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geoapp.api.headers import content_security_policy, inline_scripts, tile_source
from geoapp.app import create_app
from geoapp.config import Settings
from geoapp.domain import PlannerRole
from geoapp.paths import bundled
from tests.factories import make_consultation, make_contribution, sign_in_as

STATIC = bundled("static")
PAGES = [
    "/",
    "/planner/",
    "/datenschutz.html",
    *(f"/datenschutz.{code}.html" for code in ("en", "tr", "ar", "uk", "pl", "ru")),
    "/leichte-sprache.html",
    "/barrierefreiheit.html",
]


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", [*PAGES, "/docs", "/api/consultations", "/api/nothing-here"])
def test_every_response_carries_the_strict_policy_and_nosniff(app_client, path) -> None:
    response = app_client.get(path)
    assert response.status_code in (200, 404)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    permissions = response.headers["permissions-policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions
    assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize(
    "page", sorted(STATIC.rglob("*.html")), ids=lambda p: str(p.relative_to(STATIC))
)
def test_our_pages_have_no_inline_script_style_or_event_handler(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert list(inline_scripts(html)) == []
    assert not re.search(r"<style\b", html, re.IGNORECASE)
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.de/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.de"),
        (
            "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe"
            "/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
            "https://sgx.geodatenzentrum.de",
        ),
        ("https://maps{s}.example.org:8443/{z}/{x}/{y}.png", "https://*.example.org:8443"),
        ("http://[::1]:8080/tiles/{z}/{x}/{y}.png", "http://[::1]:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_host_of_the_policy_comes_from_the_tile_url(tile_url, source) -> None:
    assert tile_source(tile_url) == source
    images = re.search(r"img-src ([^;]*)", content_security_policy(tile_url)).group(1).split()
    assert images == ["'self'", "data:", "blob:", *([source] if source else [])]


def test_policy_follows_the_tile_url_setting(settings: Settings) -> None:
    settings.tile_url = "https://{s}.basemaps.example.net/light/{z}/{x}/{y}.png"
    with TestClient(create_app(settings)) as client:
        images = directives(client.get("/"))["img-src"]
    assert images == ["'self'", "data:", "blob:", "https://*.basemaps.example.net"]


def test_hsts_only_when_cookies_are_secure(settings: Settings) -> None:
    settings.cookie_secure = True
    with TestClient(create_app(settings)) as client:
        assert client.get("/").headers["strict-transport-security"] == "max-age=31536000"
    settings.hsts_seconds = 0
    with TestClient(create_app(settings)) as client:
        assert "strict-transport-security" not in client.get("/").headers


def test_planner_responses_and_exports_are_never_stored(app_client, app_store) -> None:
    consultation = make_consultation(app_store)
    make_contribution(app_store, consultation, contact_email="anna@example.org")
    # Refusals too: a cached 401 would be served to the planner who signs in next.
    assert app_client.get("/api/planner/session").headers["cache-control"] == "no-store"
    sign_in_as(app_client, app_store, PlannerRole.ADMIN)
    for path in (
        "/api/planner/session",
        "/api/planner/contributions?consultation=test",
        "/api/planner/consultations/test/export?format=csv",
        "/api/planner/consultations/test/statistics",
        "/api/planner/consultations/test/report.html",
        "/api/consultations/test/contributions.geojson",
        "/api/me/contributions",
    ):
        response = app_client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["cache-control"] == "no-store", path


def test_public_pages_are_not_marked_no_store(app_client, app_store) -> None:
    make_contribution(app_store, make_consultation(app_store))
    for path in ("/", "/api/consultations/test/contributions"):
        assert app_client.get(path).headers.get("cache-control") != "no-store"


def test_report_map_download_runs_only_its_own_scripts_in_a_sandbox(app_client, app_store):
    make_consultation(app_store)
    sign_in_as(app_client, app_store, PlannerRole.MODERATOR)
    response = app_client.get("/api/planner/consultations/test/report.html")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    policy = directives(response)
    assert policy["sandbox"] == ["allow-scripts"]
    assert policy["default-src"] == ["'none'"]
    scripts = list(inline_scripts(response.text))
    assert scripts and len(policy["script-src"]) == len(set(scripts))
    assert all(source.startswith("'sha256-") for source in policy["script-src"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_api_docs_load_only_files_of_this_origin(app_client) -> None:
    page = app_client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        assert app_client.get(asset).status_code == 200, asset
    assert app_client.get("/redoc").status_code == 404
    assert app_client.get("/openapi.json").status_code == 200


def test_an_unexpected_error_answers_a_problem_with_the_same_headers(settings) -> None:
    app = create_app(settings)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken-for-this-test", broken)
    # Before the static files' catch-all mount.
    app.router.routes.insert(0, app.router.routes.pop())

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/broken-for-this-test", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "a bug" not in response.text
    assert directives(response)["default-src"] == ["'self'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
