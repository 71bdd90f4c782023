"""The JSON API refuses a body on a call that takes none, as it refuses a field a body does
not take: a tester's ``POST /api/incidents/2/escalate`` with ``{"foo": 1}`` escalated the
incident's cases, and ``garbage{`` sent to ``scope`` was answered by the use case, not as
malformed JSON. ``no_stray_body`` is added to every API router once, in ``app.py``, beside
``strict_query``: on a call whose route declares no body, an empty body and ``{}`` (what many
clients send by default) pass; JSON that cannot be read is 400 ``malformed_json``
(``json_malformed``), and anything else 422 ``invalid_request`` (``request_invalid``, naming
``body``) — before the use case runs, so nothing is done."""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

_READS_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


async def no_stray_body(request: Request) -> None:
    route = request.scope.get("route")
    if (not isinstance(route, APIRoute) or route.body_field is not None
            or request.method in _READS_ONLY):
        return
    sent = (await request.body()).strip()
    if not sent:
        return
    try:
        body = json.loads(sent)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # nested too deep to read is malformed too (as errors._unreadable_json says of the
        # bodies FastAPI reads): not a 500 any client could provoke before its token is read
        problem = ("the JSON nests too deeply to read" if isinstance(exc, RecursionError)
                   else str(exc))
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body", 0),
                                       "msg": "JSON decode error", "input": {},
                                       "ctx": {"error": problem}}]) from None
    if body == {}:
        return
    raise RequestValidationError([{"type": "no_body_taken", "loc": ("body",),
                                   "msg": "this call takes no body: send none (or {})",
                                   "input": body}])
