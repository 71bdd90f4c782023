"""Every request's id, and its one access-log line.

A request keeps the ``X-Request-ID`` it came with (a load balancer's or a client's) when that is
a plain token — 1 to 64 of ``A-Z a-z 0-9 . _ -`` — so nothing a caller sends can break or forge
a log line; otherwise it gets a new one (uuid4, 32 hex digits). The id is on
``request.state.request_id``, in the ``X-Request-ID`` header of every response (errors, 413s
and HEAD too; a 500 is answered outside every middleware, so ``errors.py`` adds it there and
shows it on the page or in the JSON for the customer to quote), and in
``log_format.current_request_id`` while the request is handled, for the log records.

Each request gets one line on the ``sagwa.web.access`` logger: the client's address, method,
path (no query string; a customer's link token masked, as in ``access_log.py``), status,
duration in milliseconds and the id — in the message, and as the record's ``client``/``method``/
``path``/``status``/``duration_ms``/``request_id`` for the JSON log. ``sagwa serve`` turns
uvicorn's own access line off: this is the one.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sagwa.log_format import current_request_id
from sagwa.web.access_log import mask_links

HEADER = "X-Request-ID"
MAX_LENGTH = 64
_SANE = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_LENGTH}}}")
_HEADER = HEADER.lower().encode()

access_log = logging.getLogger("sagwa.web.access")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_for(incoming: str | None) -> str:
    """``incoming`` when it is a plain token of at most :data:`MAX_LENGTH` characters, else a
    new id."""
    if incoming is not None and _SANE.fullmatch(incoming):
        return incoming
    return new_request_id()


def request_id_of(request: Request) -> str:
    """This request's id (set by :class:`RequestIds`; a new one if it did not run)."""
    state = request.scope.setdefault("state", {})
    rid: str = state.setdefault("request_id", new_request_id())
    return rid


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == _HEADER:
            return str(value.decode("latin-1"))
    return None


class RequestIds:
    """ASGI middleware: the request's id (see the module). Added last, so it is the outermost
    of the app's own middleware and sees every answer they and the routes give."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id_for(_incoming(scope))
        # in the scope itself (not a copy): the 500 handler, outside us, reads it there
        scope.setdefault("state", {})["request_id"] = rid
        status = 500  # unless a response starts: an exception on its way to the 500 handler
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != _HEADER]
                message = {**message, "headers": [*headers, (_HEADER, rid.encode())]}
            await send(message)

        token = current_request_id.set(rid)
        try:
            await self.app(scope, receive, sending)
        finally:
            _log_access(scope, status, time.perf_counter() - started, rid)
            current_request_id.reset(token)


def _log_access(scope: Scope, status: int, seconds: float, rid: str) -> None:
    method, path = scope["method"], mask_links(scope.get("path", ""))
    client = (scope.get("client") or ("-", 0))[0]
    ms = round(seconds * 1000, 1)
    access_log.info("%s %s %s %d %.1f ms request_id=%s", client, method, path, status, ms, rid,
                    extra={"client": client, "method": method, "path": path, "status": status,
                           "duration_ms": ms, "request_id": rid})
