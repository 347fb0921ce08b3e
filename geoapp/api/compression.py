"""gzip for public responses only.

Compressing a response that holds a secret (a planner's CSRF token, a session) together with
text an attacker chose lets the attacker guess the secret from the compressed size (BREACH).
Only pages, scripts and the residents' public reads are compressed: they hold no secret.
"""

import re

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from geoapp.api.view_cache import GZIP_LEVEL

PUBLIC_READS = re.compile(r"/api/(consultations|contributions|reference|config)(/.*)?")
# The map view keeps its answers compressed already (geoapp/api/view_cache.py).
SELF_COMPRESSED = re.compile(r"/api/consultations/[^/]+/map")
MINIMUM_BYTES = 500


class PublicGZip:
    """ASGI middleware: gzip for GET/HEAD of static files and public API reads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_BYTES, compresslevel=GZIP_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _compressible(scope["method"], scope["path"]):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _compressible(method: str, path: str) -> bool:
    if method not in ("GET", "HEAD"):
        return False
    if path.startswith("/api/"):
        return PUBLIC_READS.fullmatch(path) is not None and not SELF_COMPRESSED.fullmatch(path)
    return True
