"""Refuse request bodies over the configured size before they are read into memory."""

import re
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from geoapp.api.problems import BodyTooLarge


class BodySizeLimit:
    """ASGI middleware: a declared or streamed body over its limit raises BodyTooLarge.

    `limit` holds for every path; `path_limits` maps a path to its own (limit, message key),
    e.g. file uploads, which may be far larger than a JSON body. A path may name parameters
    like a route does ("/api/planner/consultations/{slug}/imports").
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        path_limits: Mapping[str, tuple[int, str]] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.path_limits = [
            (re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))), limit_and_key)
            for path, limit_and_key in (path_limits or {}).items()
        ]

    def _limit_for(self, path: str) -> tuple[int, str]:
        for pattern, limit_and_key in self.path_limits:
            if pattern.fullmatch(path):
                return limit_and_key
        return self.limit, "body_too_large"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, key = self._limit_for(scope["path"])
        # A declared length over the limit fails on the first read, inside the app, so that
        # the app's error handlers render it like any other refusal.
        declared = next(
            (int(v) for k, v in scope["headers"] if k == b"content-length" and v.isdigit()), 0
        )
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared > limit:
                raise BodyTooLarge(limit, key)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, key)
            return message

        await self.app(scope, limited_receive, send)
