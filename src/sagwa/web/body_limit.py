"""A cap on the size of a request's body, checked before the body is read.

Nothing the app takes comes near it: the largest JSON bodies (a message of 20,000 characters,
a list of order or listing ids) and the page forms are a few hundred kilobytes at most, so the
default is 1 MiB (``Settings.max_body_bytes`` when the settings name one). A body declared
larger (``Content-Length``) is refused at its first read, before any of it is taken; a body
sent without a length (chunked) is counted as it streams and refused once it passes the cap.
The refusal is a 413 raised where the app reads the body, so ``web/errors.py`` answers it in
the usual shape: JSON ``{"code": "too_large", ..., "details": {"reason": "body_too_large"}}``,
or an error page.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: 1 MiB: many times the largest body the app takes.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, detail=f"the request body is larger than this server takes "
                                     f"({limit:,} bytes at most)")


def declared_length(scope: Scope) -> int | None:
    """The ``Content-Length`` the request declared; None without one (or an unreadable one)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware refusing a body of more than ``max_bytes`` (see the module)."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = declared_length(scope)
        received = 0

        async def counting() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise too_large(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, counting, send)
