"""A real HTTP server on 127.0.0.1 answering as NHN Cloud SMS does, for tests and benchmarks.

It takes every ``POST .../sender/sms`` and ``.../sender/mms``, keeps the request (path,
headers, JSON body), counts each ``senderGroupingKey`` (where ``NhnSmsSender`` puts the
idempotency key) and answers NHN's success reply for it: request id ``sink-<n>``, every
recipient accepted. ``replies`` lists other answers, one per request, in order: a status and
NHN's refusal (:func:`nhn_refusal`), a raw body, a refused recipient, a delay before
answering (a provider that does not answer in time), or none at all — the connection dropped
after the request went (``drop``), NHN having kept the text or not (``reached``).

It also answers NHN's list of sent texts (``GET .../sender/sms`` or ``.../sender/mms``, API
v3.0 "발송 목록 검색") from what it took: the requests it answered with success, or would have
(a delayed or dropped reply NHN got), of that kind, filtered by ``senderGroupingKey`` and by
``startRequestDate`` / ``endRequestDate`` (``yyyy-MM-dd HH:mm:ss``, Korea time: required
unless ``requestId`` is given, at most a month apart), ``pageSize`` of them. Each look-up is
kept (:meth:`SmsSink.lookups`); ``lookup_replies`` lists other answers to them, as ``replies``.
Handlers run on threads of their own (``http.server``), so a delayed answer holds back no other
request.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sagwa.domain.moments import SEOUL

NHN_DATE = "%Y-%m-%d %H:%M:%S"
_LONGEST_SEARCH = timedelta(days=31)  # NHN: "Search is possible within one month." (-4000)


@dataclass(frozen=True)
class Reply:
    """One answer: ``payload`` (JSON) or ``raw`` bytes with ``status``; with neither, NHN's
    success reply, its recipient given ``recipient_code`` (0: accepted) and message. ``drop``:
    no answer, the connection closed once the request is read; ``reached``: whether NHN kept
    the text all the same (listed; the list gives it ``carrier_result``, ``1000`` delivered)."""

    status: int = 200
    payload: dict[str, Any] | None = None
    raw: bytes | None = None
    delay: float = 0.0
    recipient_code: int = 0
    recipient_message: str = "SUCCESS"
    drop: bool = False
    reached: bool = True
    carrier_result: str = "1000"

    @property
    def takes_the_text(self) -> bool:
        """Whether NHN keeps the text it answers with this (and lists it)."""
        return self.reached and self.payload is None and self.raw is None and self.status < 400


@dataclass(frozen=True)
class SmsRequest:
    path: str
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any]


@dataclass(frozen=True)
class SmsLookup:
    path: str
    headers: dict[str, str]  # names in lower case
    query: dict[str, str]


@dataclass(frozen=True)
class _Taken:
    """A text NHN kept: its request, request id number, when it came, and the reply's say."""

    request: SmsRequest
    number: int
    at: datetime
    reply: Reply


def nhn_refusal(code: int, message: str) -> dict[str, Any]:
    """NHN's reply refusing a request: ``header.isSuccessful`` false, its code and message."""
    return {"header": {"isSuccessful": False, "resultCode": code, "resultMessage": message}}


class SmsSink:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.lookup_replies: list[Reply] = []
        self.base_url = ""
        self._requests: list[SmsRequest] = []
        self._lookups: list[SmsLookup] = []
        self._taken: list[_Taken] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()  # ends a delayed answer's wait when the sink stops

    def requests(self) -> list[SmsRequest]:
        with self._lock:
            return list(self._requests)

    def lookups(self) -> list[SmsLookup]:
        with self._lock:
            return list(self._lookups)

    def key_counts(self) -> Counter[str]:
        """How often each idempotency key (``senderGroupingKey``) arrived."""
        with self._lock:
            return Counter(str(r.body.get("senderGroupingKey")) for r in self._requests)

    def listed(self, grouping_key: str) -> list[str]:
        """The request ids NHN's list holds for ``grouping_key``: the texts it kept."""
        with self._lock:
            return [f"sink-{t.number}" for t in self._taken
                    if t.request.body.get("senderGroupingKey") == grouping_key]

    def take(self, request: SmsRequest) -> tuple[Reply, int]:
        """Keep ``request``; the reply for it and its number (from 1)."""
        with self._lock:
            self._requests.append(request)
            reply = self.replies.pop(0) if self.replies else Reply()
            number = len(self._requests)
            if reply.takes_the_text:
                self._taken.append(_Taken(request, number, datetime.now(UTC), reply))
            return reply, number

    def look_up(self, lookup: SmsLookup) -> tuple[Reply | None, list[_Taken]]:
        """Keep ``lookup``; its scripted reply (None: answer from the list) and the texts kept."""
        with self._lock:
            self._lookups.append(lookup)
            return (self.lookup_replies.pop(0) if self.lookup_replies else None,
                    list(self._taken))


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


_SUCCESS = {"isSuccessful": True, "resultCode": 0, "resultMessage": "SUCCESS"}


def list_answer(lookup: SmsLookup, taken: list[_Taken]) -> tuple[int, dict[str, Any]]:
    """NHN's answer to a list look-up: its status and JSON, the texts ``taken`` that match."""
    query = lookup.query
    window = _window(query)
    if isinstance(window, dict):
        return 400, window
    kind = lookup.path.rstrip("/").rsplit("/", 1)[-1]
    entries = [entry for t in taken if _matches(t, query, kind, window) for entry in _entries(t)]
    size, page = int(query.get("pageSize") or 15), int(query.get("pageNum") or 1)
    return 200, {"header": _SUCCESS, "body": {
        "pageNum": page, "pageSize": size, "totalCount": len(entries),
        "data": entries[(page - 1) * size:page * size]}}


def _window(query: dict[str, str]) -> tuple[datetime, datetime] | None | dict[str, Any]:
    """The request dates searched (None: any, for a ``requestId``), or NHN's refusal."""
    if "startRequestDate" not in query or "endRequestDate" not in query:
        if "requestId" in query:
            return None
        return nhn_refusal(-2011, "RequestId or start/endRequestDate or start/endCreateDate "
                                  "is required.")
    try:
        start, end = (datetime.strptime(query[name], NHN_DATE).replace(tzinfo=SEOUL)
                      for name in ("startRequestDate", "endRequestDate"))
    except ValueError:
        return nhn_refusal(-2000, "Date format error.")
    if end - start > _LONGEST_SEARCH:
        return nhn_refusal(-4000, "Search is possible within one month.")
    return start, end


def _matches(taken: _Taken, query: dict[str, str], kind: str,
             window: tuple[datetime, datetime] | None) -> bool:
    key = taken.request.body.get("senderGroupingKey")
    return (taken.request.path.endswith(f"/sender/{kind}")
            and (window is None or window[0] <= taken.at <= window[1])
            and query.get("requestId", f"sink-{taken.number}") == f"sink-{taken.number}"
            and query.get("senderGroupingKey", key) == key)


def _entries(taken: _Taken) -> list[dict[str, Any]]:
    """The list's entries for one text kept: one per recipient."""
    body, reply = taken.request.body, taken.reply
    delivered = reply.recipient_code == 0 and reply.carrier_result == "1000"
    long = taken.request.path.endswith("/sender/mms")
    return [{"requestId": f"sink-{taken.number}",
             "requestDate": f"{taken.at.astimezone(SEOUL):{NHN_DATE}}.0",
             "body": body.get("body"), "sendNo": body.get("sendNo"),
             "countryCode": "82" if "recipientNo" in recipient else None,
             "recipientNo": recipient.get("recipientNo")
             or recipient.get("internationalRecipientNo"),
             "msgStatus": "3" if delivered else "0",
             "msgStatusName": "성공" if delivered else "실패",
             "resultCode": reply.carrier_result if reply.recipient_code == 0 else None,
             "recipientSeq": seq, "sendType": "1" if long else "0",
             "messageType": "LMS" if long else "SMS", "messageCount": 1,
             "senderGroupingKey": body.get("senderGroupingKey"),
             "recipientGroupingKey": recipient.get("recipientGroupingKey")}
            for seq, recipient in enumerate(body.get("recipientList", []), start=1)]


def _handler_for(sink: SmsSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server calls it by this name
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            request = SmsRequest(self.path, self._headers(), body if isinstance(body, dict)
                                 else {})
            reply, number = sink.take(request)
            if not self._waited(reply):
                return
            self._answer(reply.status, answer(reply, request, number))

        def do_GET(self) -> None:  # the list of sent texts
            url = urlsplit(self.path)
            lookup = SmsLookup(url.path, self._headers(), dict(parse_qsl(url.query)))
            reply, taken = sink.look_up(lookup)
            if reply is None:
                status, listed = list_answer(lookup, taken)
                self._answer(status, json.dumps(listed, ensure_ascii=False).encode())
            elif self._waited(reply):
                self._answer(reply.status, reply.raw if reply.raw is not None
                             else json.dumps(reply.payload or {}).encode())

        def _headers(self) -> dict[str, str]:
            return {k.lower(): v for k, v in self.headers.items()}

        def _waited(self, reply: Reply) -> bool:
            """Wait out ``reply``'s delay; False when there is to be no answer (dropped, or the
            sink stopping)."""
            if reply.drop:
                self.close_connection = True  # closed without a word once this returns
                return False
            return not (reply.delay and sink.stopping.wait(reply.delay))

        def _answer(self, status: int, content: bytes) -> None:
            try:
                self.send_response(status)
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
