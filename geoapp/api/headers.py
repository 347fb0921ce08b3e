"""Security and caching headers on every response, built once from Settings.

Every page gets a strict Content-Security-Policy: scripts and styles only from files of this
origin (no inline script, no `style` attribute in our HTML), images also from the tile server
of `tile_url`. A route that needs another policy (the downloadable report map) sets its own
Content-Security-Policy header; the middleware then leaves it alone.
"""

import base64
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from geoapp.config import Settings

CSP = "Content-Security-Policy"
NO_STORE = "no-store"
# What may hold personal data (contact e-mails, the planner session, one browser's own pins)
# or a snapshot of data a planner may hide a minute later: no browser or proxy keeps a copy.
NO_STORE_PATHS = re.compile(
    r"/api/planner(/.*)?|/api/me(/.*)?|/api/consultations/[^/]+/contributions\.geojson"
    r"|/ogc/collections/planner_[^/]+(/.*)?"
    # A cached health answer would tell a load balancer about a state long past.
    r"|/healthz|/readyz"
)
# No page uses the camera, microphone, location or any other powerful feature: a file input
# needs no permission, and the map never asks where the user is.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# Cross-origin requests (tiles) carry our origin only, never a path that names a pin;
# the OpenStreetMap tile servers require a Referer from web pages.
REFERRER_POLICY = "strict-origin-when-cross-origin"


def tile_source(tile_url: str) -> str | None:
    """The CSP source of the tile server in `tile_url`; None for tiles on our own origin.

    A placeholder in the host ("https://{s}.tile.example.org/…") becomes a wildcard for that
    label and every label left of it, because CSP allows `*` only as the leftmost label.
    """
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.hostname:
        return None
    labels = parts.hostname.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    host = ".".join(labels)
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a placeholder for the port: any port
        port = "*"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def content_security_policy(tile_url: str) -> str:
    """The policy of every page: this origin only, plus images from the tile server."""
    images = ["'self'", "data:", "blob:", tile_source(tile_url)]
    return _policy(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": [source for source in images if source],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    )


def standalone_document_policy(document: str, tile_url: str) -> str:
    """The policy of a self-contained HTML download (the report map) if a browser renders it.

    Its inline scripts run by their SHA-256 hashes, nothing else may run; the sandbox gives
    the document an opaque origin, so it can neither read our cookies nor call our API as the
    planner. It loads nothing from us: everything it needs is inside it, tiles aside.
    """
    images = ["data:", "blob:", tile_source(tile_url)]
    return _policy(
        {
            "default-src": ["'none'"],
            "script-src": list(dict.fromkeys(map(_hash, inline_scripts(document)))) or ["'none'"],
            # Leaflet's markup in the file carries style attributes, which hashes cannot allow
            # (only 'unsafe-hashes' could); a style cannot run code, and the text is escaped.
            "style-src": ["'unsafe-inline'"],
            "img-src": [source for source in images if source],
            "font-src": ["data:"],
            "base-uri": ["'none'"],
            "form-action": ["'none'"],
            "frame-ancestors": ["'none'"],
            "sandbox": ["allow-scripts"],
        }
    )


_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def inline_scripts(document: str) -> Iterable[str]:
    """The text of every `<script>` without `src` in `document`, as a browser hashes it."""
    for match in _INLINE_SCRIPT.finditer(document):
        if not re.search(r"\bsrc\s*=", match.group(1), re.IGNORECASE):
            yield match.group(2)


def _hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_headers(settings: Settings) -> dict[str, str]:
    """The headers every response carries (a route may set its own CSP first)."""
    headers = {
        CSP: content_security_policy(settings.tile_url),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": REFERRER_POLICY,
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if settings.cookie_secure and settings.hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={settings.hsts_seconds}"
    return headers


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response; planner data never cached.

    A 500 is answered outside every middleware (Starlette's ServerErrorMiddleware), so the
    error handler adds `security_headers` itself.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.defaults = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = NO_STORE_PATHS.fullmatch(scope["path"]) is not None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.defaults.items():
                    headers.setdefault(name, value)
                if no_store:
                    headers["Cache-Control"] = NO_STORE
            await send(message)

        await self.app(scope, receive, send_with_headers)
