"""Refuse request bodies over the configured size before they are read into memory."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from geoapp.api.problems import BodyTooLarge


class BodySizeLimit:
    """ASGI middleware: a declared or streamed body over `limit` bytes raises BodyTooLarge."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A declared length over the limit fails on the first read, inside the app, so that
        # the app's error handlers render it like any other refusal.
        declared = next(
            (int(v) for k, v in scope["headers"] if k == b"content-length" and v.isdigit()), 0
        )
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared > self.limit:
                raise BodyTooLarge(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited_receive, send)
