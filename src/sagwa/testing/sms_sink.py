"""A real HTTP server on 127.0.0.1 answering as NHN Cloud SMS does, for tests and benchmarks.

It takes every ``POST .../sender/sms`` and ``.../sender/mms``, keeps the request (path,
headers, JSON body), counts each ``senderGroupingKey`` (where ``NhnSmsSender`` puts the
idempotency key) and answers NHN's success reply for it: request id ``sink-<n>``, every
recipient accepted. ``replies`` lists other answers, one per request, in order: a status and
NHN's refusal (:func:`nhn_refusal`), a raw body, a refused recipient, or a delay before
answering (a provider that does not answer in time). Handlers run on threads of their own
(``http.server``), so a delayed answer holds back no other request.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One answer: ``payload`` (JSON) or ``raw`` bytes with ``status``; with neither, NHN's
    success reply, its recipient given ``recipient_code`` (0: accepted) and message."""

    status: int = 200
    payload: dict[str, Any] | None = None
    raw: bytes | None = None
    delay: float = 0.0
    recipient_code: int = 0
    recipient_message: str = "SUCCESS"


@dataclass(frozen=True)
class SmsRequest:
    path: str
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any]


def nhn_refusal(code: int, message: str) -> dict[str, Any]:
    """NHN's reply refusing a request: ``header.isSuccessful`` false, its code and message."""
    return {"header": {"isSuccessful": False, "resultCode": code, "resultMessage": message}}


class SmsSink:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.base_url = ""
        self._requests: list[SmsRequest] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()  # ends a delayed answer's wait when the sink stops

    def requests(self) -> list[SmsRequest]:
        with self._lock:
            return list(self._requests)

    def key_counts(self) -> Counter[str]:
        """How often each idempotency key (``senderGroupingKey``) arrived."""
        with self._lock:
            return Counter(str(r.body.get("senderGroupingKey")) for r in self._requests)

    def take(self, request: SmsRequest) -> tuple[Reply, int]:
        """Keep ``request``; the reply for it and its number (from 1)."""
        with self._lock:
            self._requests.append(request)
            return (self.replies.pop(0) if self.replies else Reply()), len(self._requests)


def answer(reply: Reply, request: SmsRequest, number: int) -> bytes:
    """The bytes of ``reply`` to ``request``: NHN's success reply unless it says otherwise."""
    if reply.raw is not None:
        return reply.raw
    if reply.payload is not None:
        return json.dumps(reply.payload).encode()
    accepted = reply.recipient_code == 0
    results = [{**entry, "resultCode": reply.recipient_code,
                "resultMessage": reply.recipient_message, "recipientSeq": seq,
                "recipientGroupingKey": None}
               for seq, entry in enumerate(request.body.get("recipientList", []), start=1)]
    return json.dumps({
        "header": {"isSuccessful": True, "resultCode": 0, "resultMessage": "SUCCESS"},
        "body": {"data": {"requestId": f"sink-{number}", "statusCode": "2" if accepted else "3",
                          "senderGroupingKey": request.body.get("senderGroupingKey"),
                          "sendResultList": results}}}, ensure_ascii=False).encode()


def _handler_for(sink: SmsSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server calls it by this name
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            request = SmsRequest(self.path, {k.lower(): v for k, v in self.headers.items()},
                                 body if isinstance(body, dict) else {})
            reply, number = sink.take(request)
            if reply.delay and sink.stopping.wait(reply.delay):
                return
            content = answer(reply, request, number)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: a test's output is its own

    return Handler


@contextmanager
def running_sms_sink() -> Iterator[SmsSink]:
    """Start a sink on a free port of 127.0.0.1; yields it (``sink.base_url`` for
    ``SAGWA_NHN_SMS_BASE_URL``) and stops the server after."""
    sink = SmsSink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(sink))
    server.daemon_threads = True
    server.block_on_close = False  # a delayed answer's thread is let go, not waited for
    sink.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="sms-sink", daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
