"""HEAD answered as GET without a body, on every route that takes GET (the API's, the pages',
``/healthz``). FastAPI's routes take only the methods they declare, so ``curl -I`` and the
health checks that send HEAD were answered 405; RFC 9110 asks a server that takes GET to take
HEAD too, with the same status and headers (``Content-Length`` included) and no body.

The request travels inside as a GET (so routing, sessions and the security headers treat it as
one), with the method it came as kept at ``scope["sagwa.asked_method"]`` for whoever needs to
say it (``errors.py``: a route that takes no GET refuses a HEAD as 405, naming HEAD)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASKED_METHOD = "sagwa.asked_method"


class HeadAsGet:
    """ASGI middleware: a HEAD request is run as a GET and its response body left out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed part: wait for the last one
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET", ASKED_METHOD: "HEAD"}, receive, headers_only)
