"""Texts through NHN Cloud SMS (API v3.0): one HTTPS JSON request per text, short or long.

The API, as NHN documents it (github.com/TOAST-DOCS/SMS ``ko/api-guide.md``, "API v3.0 Guide",
and ``ko/error-code.md``): ``POST {base}/sms/v3.0/appKeys/{appKey}/sender/sms`` sends a short
text (SMS, at most 90 bytes in EUC-KR), ``.../sender/mms`` a long one (LMS: at most 2,000
bytes, with a title; LMS cannot go abroad); header ``X-Secret-Key``; body ``{"body", "sendNo",
"recipientList": [{"recipientNo"}], ...}``. The reply's ``header`` says whether the request was
taken (``isSuccessful``, ``resultCode``, ``resultMessage``) and ``body.data.sendResultList``
how each recipient fared (``resultCode`` 0: accepted). The HTTP status that comes with a
refusal is not documented: both are read. :func:`build_request` and :func:`read_reply` hold
the whole shape, to be corrected in one place.

Failures are translated here, once: no answer (a timeout, a refused or dropped connection),
HTTP 5xx or 429, and NHN's own system errors are temporary; other 4xx replies, NHN's refusals
(a bad or blocked number, an unregistered sending number, a wrong key) and a refused recipient
are permanent, with NHN's words (contacts masked, keys blanked) for ``last_error``.

Idempotency: NHN takes no idempotency key. What stops a double text is the outbox: a message is
sent only by the worker holding its lease, and claimed again only once that lease is gone and
its claim is older than ``outbox_repo.SEND_WINDOW`` (longer than :attr:`longest_send_seconds`)
— so two workers never send one text. A retry after a reply that never came (a read timeout, a
connection lost after the request went) may repeat a text NHN did take: the customer may get
it twice. The key travels as ``senderGroupingKey`` (documented as a sender grouping key NHN's
search filters on, at most 100 characters), so such a pair can be found in NHN's console.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import httpx

from sagwa.adapters.senders.base import Envelope
from sagwa.domain.catalog import domestic_digits
from sagwa.domain.masking import mask_contacts_in
from sagwa.errors import DeliveryFailed

API = "/sms/v3.0/appKeys/{app_key}/sender/{kind}"
SMS_MAX_BYTES = 90  # NHN's standard size of a short text, in EUC-KR bytes
LMS_MAX_BYTES = 2_000
TITLE_MAX_BYTES = 40
GROUPING_KEY_MAX = 100
#: NHN's ``resultCode`` values for its own trouble (``-9999`` system error, ``-2021`` its
#: queue): the text may go on another try. Every other refusal is about the request.
TEMPORARY_CODES = frozenset({-9999, -2021})
#: Per blocking step: waiting for a pooled connection, connect (TLS included), sending the
#: request, and each read of the reply.
TIMEOUT = httpx.Timeout(10.0, connect=5.0, pool=5.0)
#: Reads of a reply counted in :attr:`NhnSmsSender.longest_send_seconds`: NHN's reply is
#: well under a kilobyte, its head and body one or two reads.
REPLY_READS = 2
_SAID_MAX = 200  # characters of NHN's message kept in an error


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


def read_reply(status: int, content: bytes) -> str:
    """The provider id (``nhn:<requestId>:<recipientSeq>``) of an accepted text, or
    :class:`DeliveryFailed` saying why not and whether another try may help."""
    header, data = _parsed(content)
    said = f", {_said(header)}" if _said(header) else ""
    if status == 429 or status >= 500:
        raise DeliveryFailed(f"NHN Cloud SMS answered HTTP {status}{said}", temporary=True)
    if header is None:
        raise DeliveryFailed(
            f"NHN Cloud SMS answered HTTP {status} with a reply that is not NHN's JSON"
            + ("" if status >= 400 else ": not tried again, as the text may have gone"),
            temporary=False)
    if status >= 400 or header.get("isSuccessful") is not True:
        temporary = status < 400 and _code(header) in TEMPORARY_CODES
        raise DeliveryFailed(f"NHN Cloud SMS refused the text (HTTP {status}{said})",
                             temporary=temporary)
    results = data.get("sendResultList") or []
    if not results or not isinstance(results[0], dict):
        raise DeliveryFailed("NHN Cloud SMS took the request but gave no result for the "
                             "recipient: not tried again, as the text may have gone",
                             temporary=False)
    mine = results[0]  # one recipient per request
    if _code(mine) != 0:
        raise DeliveryFailed(f"NHN Cloud SMS refused the recipient ({_said(mine)})",
                             temporary=False)
    return f"nhn:{data.get('requestId')}:{mine.get('recipientSeq')}"


def _parsed(content: bytes) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The reply's ``header`` (None when the reply is not NHN's JSON) and ``body.data``."""
    try:
        reply = json.loads(content)
    except ValueError:
        return None, {}
    if not isinstance(reply, dict) or not isinstance(reply.get("header"), dict):
        return None, {}
    data = (reply.get("body") or {}).get("data") if isinstance(reply.get("body"), dict) else {}
    return reply["header"], data if isinstance(data, dict) else {}


def _said(part: dict[str, Any] | None) -> str:
    """``resultCode -2019: RecipientNo is invalid.`` — NHN's words, contacts masked; or ""."""
    if part is None or "resultCode" not in part:
        return ""
    message = mask_contacts_in(str(part.get("resultMessage") or "")[:_SAID_MAX])
    return f"resultCode {part['resultCode']}" + (f": {message}" if message else "")


def _code(part: dict[str, Any]) -> int | None:
    """A ``resultCode`` (documented as an integer; a string of one is read as one too)."""
    try:
        return int(part.get("resultCode"))
    except (TypeError, ValueError):
        return None


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp949")
    except UnicodeEncodeError:
        return False
    return True


class NhnSmsSender:
    """Sends each text as one request; one HTTP client (and its connections) for all threads."""

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
        """The longest one send takes against a server that answers or falls silent: a pooled
        connection, connect and TLS, the request, and :data:`REPLY_READS` reads, each at its
        timeout. (httpx has no overall timeout: a server trickling its reply byte by byte
        could hold a send longer; name lookup is the system resolver's, outside these.)"""
        t = self.timeout
        return float((t.pool or 0) + (t.connect or 0) + (t.write or 0)
                     + REPLY_READS * (t.read or 0))

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        if message.channel != "sms":
            raise DeliveryFailed(f"NhnSmsSender sends texts, not {message.channel}",
                                 temporary=False)
        request = build_request(message, app_key=self.app_key, sender_no=self.sender_no,
                                idempotency_key=idempotency_key)
        # httpx's errors are not chained below: they hold the request, its secret header too
        try:
            response = self._client.post(request.path, json=request.body,
                                         headers={"X-Secret-Key": self._secret})
        except httpx.TimeoutException as exc:
            raise DeliveryFailed(f"NHN Cloud SMS did not answer in time "
                                 f"({type(exc).__name__})", temporary=True) from None
        except httpx.HTTPError as exc:
            raise DeliveryFailed(self._blanked(f"no answer from NHN Cloud SMS "
                                               f"({type(exc).__name__}: {exc})"),
                                 temporary=True) from None
        try:
            return read_reply(response.status_code, response.content)
        except DeliveryFailed as exc:
            raise DeliveryFailed(self._blanked(exc.message), temporary=exc.temporary) from None

    def close(self) -> None:
        self._client.close()

    def _blanked(self, text: str) -> str:
        """An error with the keys blanked, should NHN (or a proxy) echo them back."""
        for key in (self._secret, self.app_key):
            text = text.replace(key, "***")
        return text
