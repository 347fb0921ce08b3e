"""gzip for public responses only.

Compressing a response that holds a secret (a planner's CSRF token, a session) together with
text an attacker chose lets the attacker guess the secret from the compressed size (BREACH).
Only pages, scripts and the residents' public reads are compressed: they hold no secret.
"""

import re

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PUBLIC_READS = re.compile(r"/api/(consultations|contributions|reference|config)(/.*)?")
MINIMUM_BYTES = 500


class PublicGZip:
    """ASGI middleware: gzip for GET/HEAD of static files and public API reads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _compressible(scope["method"], scope["path"]):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _compressible(method: str, path: str) -> bool:
    if method not in ("GET", "HEAD"):
        return False
    if path.startswith("/api/"):
        return PUBLIC_READS.fullmatch(path) is not None
    return True
