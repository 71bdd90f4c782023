"""Texts through NHN Cloud SMS (API v3.0): one HTTPS JSON request per text, short or long.

The API, as NHN documents it (github.com/TOAST-DOCS/SMS ``ko/api-guide.md``, "API v3.0 Guide",
and ``ko/error-code.md``): ``POST {base}/sms/v3.0/appKeys/{appKey}/sender/sms`` sends a short
text (SMS, at most 90 bytes in EUC-KR), ``.../sender/mms`` a long one (LMS: at most 2,000
bytes, with a title; LMS cannot go abroad); header ``X-Secret-Key``; body ``{"body", "sendNo",
"recipientList": [{"recipientNo"}], ...}``. The reply's ``header`` says whether the request was
taken (``isSuccessful``, ``resultCode``, ``resultMessage``) and ``body.data.sendResultList``
how each recipient fared (``resultCode`` 0: accepted). The HTTP status that comes with a
refusal is not documented: both are read. :func:`build_request` and :func:`lookup_params`
(here), ``read_reply`` and ``read_lookup`` (:mod:`~sagwa.adapters.senders.nhn_sms_reply`) hold
the whole shape, to be corrected in one place.

Failures are translated here, once: no answer (a timeout, a refused or dropped connection),
HTTP 5xx or 429, and NHN's own system errors are temporary; other 4xx replies, NHN's refusals
(a bad or blocked number, an unregistered sending number, a wrong key) and a refused recipient
are permanent, with NHN's words (contacts masked, keys blanked) for ``last_error``.

Idempotency: NHN takes no idempotency key. What keeps two workers from sending one text is the
outbox: a message is sent only by the worker holding its lease, and claimed again only once
that lease is gone and its claim is older than ``outbox_repo.SEND_WINDOW`` (longer than
:attr:`~NhnSmsSender.longest_send_seconds`). What keeps a retry from sending a second text
after a reply that never came (a read timeout, a connection lost after the request went), or
after a worker that died mid-send, is a look-up. The key travels as ``senderGroupingKey`` ("발신자
그룹 키", at most 100 characters), and a text tried before (``ClaimedMessage.tried_before``:
attempt 2 on, or queued again after it failed) goes through :meth:`NhnSmsSender.send_again`,
which first asks NHN's list of sent texts ("단문 SMS 발송목록 검색" and "장문 MMS 발송 목록 검색"
in ``ko/api-guide.md``): ``GET {base}/sms/v3.0/appKeys/{appKey}/sender/sms`` — ``.../sender/mms``
for a long text, the kind the text goes as — with header ``X-Secret-Key`` and query
``senderGroupingKey``, ``startRequestDate`` and ``endRequestDate`` (``yyyy-MM-dd HH:mm:ss``;
these two, ``requestId`` or ``startCreateDate``/``endCreateDate`` are required, else resultCode
-2011, and at most a month apart, else -4000: ``ko/error-code.md``) and ``pageSize`` (15 unless
given, at most 1000). The reply's ``header`` is read as a send's; ``body.data[]`` holds an
entry per recipient: ``requestId``, ``recipientSeq`` (formerly ``mtPr``), ``recipientNo``,
``countryCode``, ``senderGroupingKey``, ``msgStatus`` (0 failed, 1 requested, 2 being sent, 3
succeeded, 4 reservation cancelled, 5 failed as a duplicate) and ``resultCode`` (the carrier's
result, ``1000``: delivered). An entry for this key and this number that has not failed
(``msgStatus`` not 0, 4 or 5; ``resultCode`` empty or 1000) is an attempt NHN took: its id is
returned and nothing is sent (:func:`read_lookup`). Without one the text is sent: NHN never kept
the earlier attempt, or it reached nobody (a phone off), or it went to a number since corrected.
No answer, or one that tells nothing, is a temporary failure and sends nothing: never blind. If
that lasts until the attempts run out, the text fails for good like any temporary failure (an
apology's case goes to the agents' call list): a phone call, rather than maybe a second text.
NHN refusing the look-up itself (a wrong key) fails the text for good, as refusing the send
would.

The look-up's window (:func:`lookup_params`) runs from a day before the message was queued — a
clock off, or NHN reading the dates in another zone than Korea time, which the guide does not
state (its examples are Korea time: ``requestId`` ``20180810100630…`` at ``requestDate``
``2018-08-10 10:06:30.0``) — but at most 27 days back, inside NHN's month in any month, to an
hour ahead. It holds every attempt of the outbox's retries (at most 14 days,
``SAGWA_DELIVERY_RETRY_HOURS``); an attempt older than 27 days (a failed text queued again
weeks later) is not seen. ``pageSize`` 100: entries under one key are the attempts NHN kept,
and one that went ends the retries.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.nhn_sms_reply import read_lookup, read_reply
from sagwa.domain.catalog import domestic_digits
from sagwa.domain.moments import SEOUL
from sagwa.errors import DeliveryFailed

__all__ = ["NhnSmsSender", "build_request", "lookup_params", "read_lookup", "read_reply"]

API = "/sms/v3.0/appKeys/{app_key}/sender/{kind}"
SMS_MAX_BYTES = 90  # NHN's standard size of a short text, in EUC-KR bytes
LMS_MAX_BYTES = 2_000
TITLE_MAX_BYTES = 40
GROUPING_KEY_MAX = 100
#: Per blocking step: waiting for a pooled connection, connect (TLS included), sending the
#: request, and each read of the reply.
TIMEOUT = httpx.Timeout(10.0, connect=5.0, pool=5.0)
#: Reads of a reply counted in :attr:`NhnSmsSender.longest_send_seconds`: NHN's reply is
#: well under a kilobyte, its head and body one or two reads.
REPLY_READS = 2
#: The look-up's window (module docstring): from this long before the message was queued, to
#: this long after now, at most this long in all.
LOOKUP_BEFORE_QUEUED = timedelta(days=1)
LOOKUP_AHEAD = timedelta(hours=1)
LOOKUP_LONGEST = timedelta(days=27)
LOOKUP_PAGE_SIZE = 100
NHN_DATE = "%Y-%m-%d %H:%M:%S"
_JSON = "application/json;charset=UTF-8"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NhnRequest:
    path: str
    body: dict[str, Any]


def euc_kr_bytes(text: str) -> int:
    """The text's length as NHN counts it: EUC-KR bytes (a Hangul syllable 2, ASCII 1).
    Measured as CP949, its superset, so a rare syllable EUC-KR lacks counts 2 and is left for
    NHN to take or refuse; a character neither has (an emoji) fails for good."""
    try:
        return len(text.encode("cp949"))
    except UnicodeEncodeError:
        lacking = sorted({ch for ch in text if not _encodable(ch)})[:3]
        named = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in lacking)
        raise DeliveryFailed(f"the text has characters NHN Cloud SMS cannot send (it sends "
                             f"EUC-KR): {named}", temporary=False) from None


#: Characters EUC-KR lacks that a text's words often carry (a product's name, a dash typed in a
#: notice), as it can send them.
_STAND_INS = {"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-",
              "\u20a9": "\uffe6", "\u00a0": " "}


def sendable(text: str) -> str:
    """``text`` as NHN can send it: dashes and the won sign EUC-KR lacks replaced by theirs, any
    other such character by its compatibility form when EUC-KR has that (ｱ → ア, é → e), else
    left out (an emoji in a product's name): a text missing a symbol still reaches the customer,
    where refusing it would leave them unreached."""
    out = []
    for ch in text:
        if _encodable(ch):
            out.append(ch)
            continue
        ch = _STAND_INS.get(ch, ch)
        if not _encodable(ch):
            plain = unicodedata.normalize("NFKD", ch)
            ch = "".join(c for c in plain if _encodable(c) and not unicodedata.combining(c))
        out.append(ch)
    return "".join(out)


def build_request(message: Envelope, *, app_key: str, sender_no: str,
                  idempotency_key: str) -> NhnRequest:
    """The request for one text (:func:`sendable`): SMS when the body fits 90 EUC-KR bytes,
    else LMS with a title; permanent failure for a text too long even for LMS, or no number to
    send to."""
    message = replace(message, body=sendable(message.body),
                      subject=sendable(message.subject) if message.subject else message.subject)
    size = euc_kr_bytes(message.body)
    if not message.body.strip():
        raise DeliveryFailed("the text is empty", temporary=False)
    if size > LMS_MAX_BYTES:
        raise DeliveryFailed(f"the text is {size:,} bytes in EUC-KR, longer than the "
                             f"{LMS_MAX_BYTES:,} a long text (LMS) may be", temporary=False)
    recipient = recipient_entry(message.recipient)
    body: dict[str, Any] = {"body": message.body, "sendNo": sender_no,
                            "recipientList": [recipient],
                            "senderGroupingKey": grouping_key(idempotency_key)}
    kind = "sms"
    if size > SMS_MAX_BYTES:
        if "internationalRecipientNo" in recipient:
            raise DeliveryFailed("a long text (LMS) cannot be sent to a number outside Korea "
                                 f"(this one is {size} bytes; a short text is at most "
                                 f"{SMS_MAX_BYTES})", temporary=False)
        kind, body = "mms", {"title": title_for(message), **body}
    return NhnRequest(API.format(app_key=app_key, kind=kind), body)


def recipient_entry(recipient: str) -> dict[str, str]:
    """``010-1234-5678`` and ``+82 10-1234-5678`` as ``recipientNo`` ``01012345678``; a number
    abroad (``+`` and another country code) as ``internationalRecipientNo``, digits only."""
    text = recipient.strip()
    digits = re.sub(r"\D", "", text)
    abroad = text.startswith("+") and not digits.startswith("82")
    number = digits if abroad else domestic_digits(text)
    if re.search(r"[^\d\s()+.-]", text) or not 8 <= len(number) <= 15:
        raise DeliveryFailed("the recipient is not a phone number NHN Cloud SMS can text",
                             temporary=False)
    return {"internationalRecipientNo": number} if abroad else {"recipientNo": number}


def title_for(message: Envelope) -> str:
    """A long text's title: the subject, else the text's first line, cut to 40 EUC-KR bytes."""
    source = message.subject.strip() or message.body.strip().splitlines()[0]
    title, size = "", 0
    for ch in source:
        size += euc_kr_bytes(ch)
        if size > TITLE_MAX_BYTES:
            break
        title += ch
    return title.rstrip()


def grouping_key(idempotency_key: str) -> str:
    """The key as ``senderGroupingKey``; one longer than NHN keeps, as its SHA-256."""
    if len(idempotency_key) <= GROUPING_KEY_MAX:
        return idempotency_key
    return "sha256:" + hashlib.sha256(idempotency_key.encode()).hexdigest()


def lookup_params(key: str, *, since: datetime | None, now: datetime) -> dict[str, str]:
    """The query of NHN's list of sent texts for an earlier attempt of the text whose
    ``senderGroupingKey`` is ``key``, queued at ``since`` (None: unknown), over the window the
    module docstring gives."""
    end = now + LOOKUP_AHEAD
    start = end - LOOKUP_LONGEST
    if since is not None:
        start = max(start, since - LOOKUP_BEFORE_QUEUED)
    return {"senderGroupingKey": key, "startRequestDate": _nhn_date(start),
            "endRequestDate": _nhn_date(end), "pageSize": str(LOOKUP_PAGE_SIZE)}


def _nhn_date(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime(NHN_DATE)


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp949")
    except UnicodeEncodeError:
        return False
    return True


class NhnSmsSender:
    """Sends each text as one request — a text tried before after asking NHN whether an earlier
    attempt went (:meth:`send_again`); one HTTP client (and its connections) for all threads."""

    def __init__(self, *, app_key: str, secret_key: str, sender_no: str, base_url: str,
                 timeout: httpx.Timeout = TIMEOUT) -> None:
        self.app_key, self.sender_no, self.timeout = app_key, sender_no, timeout
        self._secret = secret_key
        # trust_env off: no proxy or .netrc credentials picked up from the environment
        # (settings are the one place that reads it)
        self._client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout,
                                    trust_env=False, follow_redirects=False)

    @property
    def longest_send_seconds(self) -> float:
        """The longest one send takes against a server that answers or falls silent: two
        requests (:meth:`send_again`: the look-up, then the text), each a pooled connection,
        connect and TLS, the request, and :data:`REPLY_READS` reads, each at its timeout.
        (httpx has no overall timeout: a server trickling its reply byte by byte could hold a
        send longer; name lookup is the system resolver's, outside these.)"""
        t = self.timeout
        one = (t.pool or 0) + (t.connect or 0) + (t.write or 0) + REPLY_READS * (t.read or 0)
        return float(2 * one)

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        return self._post(self._request(message, idempotency_key))

    def send_again(self, message: Envelope, *, idempotency_key: str,
                   since: datetime | None) -> str:
        """:meth:`send` for a text tried before (queued at ``since``), unless NHN lists an
        earlier attempt of it that went: that attempt's id, nothing sent. A look-up without an
        answer fails (temporary: module docstring), sending nothing."""
        request = self._request(message, idempotency_key)
        earlier = self._look_up(request, since)
        if earlier is not None:
            logger.info("NHN Cloud SMS had taken an earlier attempt of this text (%s): not sent "
                        "again", earlier)
            return earlier
        return self._post(request)

    def close(self) -> None:
        self._client.close()

    def _request(self, message: Envelope, idempotency_key: str) -> NhnRequest:
        if message.channel != "sms":
            raise DeliveryFailed(f"NhnSmsSender sends texts, not {message.channel}",
                                 temporary=False)
        return build_request(message, app_key=self.app_key, sender_no=self.sender_no,
                             idempotency_key=idempotency_key)

    def _post(self, request: NhnRequest) -> str:
        response = self._exchange(lambda: self._client.post(
            request.path, json=request.body, headers={"X-Secret-Key": self._secret}))
        try:
            return read_reply(response.status_code, response.content)
        except DeliveryFailed as exc:
            raise DeliveryFailed(self._blanked(exc.message), temporary=exc.temporary) from None

    def _look_up(self, request: NhnRequest, since: datetime | None) -> str | None:
        """The provider id of an earlier attempt of ``request`` NHN lists (same kind, key and
        number), or None."""
        key = str(request.body["senderGroupingKey"])
        params = lookup_params(key, since=since, now=datetime.now(UTC))
        try:
            response = self._exchange(lambda: self._client.get(
                request.path, params=params,
                headers={"X-Secret-Key": self._secret, "Content-Type": _JSON}))
            return read_lookup(response.status_code, response.content, grouping_key=key,
                               recipient=request.body["recipientList"][0])
        except DeliveryFailed as exc:
            raise DeliveryFailed(self._blanked(
                f"not sent: could not tell whether an earlier attempt reached NHN Cloud SMS "
                f"({exc.message})"), temporary=exc.temporary) from None

    def _exchange(self, call: Callable[[], httpx.Response]) -> httpx.Response:
        """``call``'s response; no answer as a temporary failure. httpx's errors are not
        chained: they hold the request, its secret header too."""
        try:
            return call()
        except httpx.TimeoutException as exc:
            raise DeliveryFailed(f"NHN Cloud SMS did not answer in time "
                                 f"({type(exc).__name__})", temporary=True) from None
        except httpx.HTTPError as exc:
            raise DeliveryFailed(self._blanked(f"no answer from NHN Cloud SMS "
                                               f"({type(exc).__name__}: {exc})"),
                                 temporary=True) from None

    def _blanked(self, text: str) -> str:
        """An error with the keys blanked, should NHN (or a proxy) echo them back."""
        for key in (self._secret, self.app_key):
            text = text.replace(key, "***")
        return text
