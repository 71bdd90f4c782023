"""Reading NHN Cloud SMS's replies (API v3.0, as :mod:`sagwa.adapters.senders.nhn_sms` quotes
it): a send's — the text taken, or why not and whether another try may help — and a look-up's
in its list of sent texts — the earlier attempt of a text that went, if any.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sagwa.domain.catalog import domestic_digits
from sagwa.domain.masking import mask_contacts_in
from sagwa.errors import DeliveryFailed

#: NHN's ``resultCode`` values for its own trouble (``-9999`` system error, ``-2021`` its
#: queue): the text may go on another try. Every other refusal is about the request.
TEMPORARY_CODES = frozenset({-9999, -2021})
#: A listed text's ``msgStatus`` when it did not go: failed, reservation cancelled, failed as a
#: duplicate; and its carrier's ``resultCode`` when it was delivered.
NOT_SENT_STATUSES = frozenset({"0", "4", "5"})
DELIVERED = "1000"
_SAID_MAX = 200  # characters of NHN's message kept in an error


def read_reply(status: int, content: bytes) -> str:
    """The provider id (``nhn:<requestId>:<recipientSeq>``) of an accepted text, or
    :class:`DeliveryFailed` saying why not and whether another try may help."""
    header, data = _parsed(content)
    refused = _refusal(status, header, "the text")
    if refused is not None:
        raise refused
    if header is None:
        raise DeliveryFailed(
            f"NHN Cloud SMS answered HTTP {status} with a reply that is not NHN's JSON"
            + ("" if status >= 400 else ": not tried again, as the text may have gone"),
            temporary=False)
    results = (data if isinstance(data, dict) else {}).get("sendResultList") or []
    if not results or not isinstance(results[0], dict):
        raise DeliveryFailed("NHN Cloud SMS took the request but gave no result for the "
                             "recipient: not tried again, as the text may have gone",
                             temporary=False)
    mine = results[0]  # one recipient per request
    if _code(mine) != 0:
        raise DeliveryFailed(f"NHN Cloud SMS refused the recipient ({_said(mine)})",
                             temporary=False)
    return _provider_id(data, mine)


def read_lookup(status: int, content: bytes, *, grouping_key: str,
                recipient: dict[str, str]) -> str | None:
    """The provider id of an earlier attempt NHN lists for ``grouping_key`` to ``recipient``
    (``nhn_sms.recipient_entry``) that has not failed; None when it lists none;
    :class:`DeliveryFailed` when the reply tells neither (temporary unless NHN refused the
    look-up for good)."""
    header, data = _parsed(content)
    refused = _refusal(status, header, "the look-up")
    if refused is not None:
        raise refused
    if header is not None and data is None:
        data = []  # a list with nothing in it, as some APIs write an empty page
    if header is None or not isinstance(data, list):
        raise DeliveryFailed(f"NHN Cloud SMS answered HTTP {status} with a reply that is not "
                             "NHN's list of sent texts", temporary=True)
    for entry in data:
        if isinstance(entry, dict) and _went(entry, grouping_key, recipient):
            return _provider_id(entry, entry)
    return None


def _went(entry: dict[str, Any], grouping_key: str, recipient: dict[str, str]) -> bool:
    """Whether a listed text is this one (its key, its number) and has not failed."""
    if entry.get("senderGroupingKey") not in (None, grouping_key):
        return False  # a server that did not filter by the key
    failed = (str(entry.get("msgStatus")) in NOT_SENT_STATUSES
              or str(entry.get("resultCode") or DELIVERED) != DELIVERED)
    return not failed and _same_number(entry, recipient)


def _same_number(entry: dict[str, Any], recipient: dict[str, str]) -> bool:
    """Whether a listed text went to ``recipient``'s number, with or without its country code.
    A text NHN lists without a number counts as this one's: a second text is the worse
    mistake."""
    raw = str(entry.get("recipientNo") or "")
    if "*" in raw:  # a number NHN lists masked ("010****5678"): its shown digits must agree
        shown = re.sub(r"[^\d*]", "", raw)
        pattern = re.compile("".join(r"\d" if ch == "*" else ch for ch in shown))
        mine = recipient.get("recipientNo") or recipient.get("internationalRecipientNo", "")
        return any(pattern.fullmatch(number) for number in {mine, domestic_digits(mine)})
    listed = re.sub(r"\D", "", raw)
    if not listed:
        return True
    country = re.sub(r"\D", "", str(entry.get("countryCode") or ""))
    if "recipientNo" in recipient:
        return recipient["recipientNo"] in {domestic_digits(listed),
                                            domestic_digits(country + listed)}
    return recipient["internationalRecipientNo"] in {listed, country + listed,
                                                     country + listed.lstrip("0")}


def _provider_id(request: dict[str, Any], recipient: dict[str, Any]) -> str:
    """``nhn:<requestId>:<recipientSeq>`` (a listed text's ``recipientSeq`` was ``mtPr``)."""
    seq = recipient.get("recipientSeq", recipient.get("mtPr"))
    return f"nhn:{request.get('requestId')}:{seq}"


def _refusal(status: int, header: dict[str, Any] | None, what: str) -> DeliveryFailed | None:
    """Why NHN did not do ``what``, if its answer says: HTTP 429 or 5xx, and NHN's own trouble
    (:data:`TEMPORARY_CODES`), are temporary; other refusals permanent. None when it did, or
    when the reply is not NHN's JSON (``header`` None: the caller's to judge)."""
    said = f", {_said(header)}" if _said(header) else ""
    if status == 429 or status >= 500:
        return DeliveryFailed(f"NHN Cloud SMS answered HTTP {status}{said}", temporary=True)
    if header is not None and (status >= 400 or header.get("isSuccessful") is not True):
        temporary = status < 400 and _code(header) in TEMPORARY_CODES
        return DeliveryFailed(f"NHN Cloud SMS refused {what} (HTTP {status}{said})",
                              temporary=temporary)
    return None


def _parsed(content: bytes) -> tuple[dict[str, Any] | None, Any]:
    """The reply's ``header`` (None when the reply is not NHN's JSON) and ``body.data`` (an
    object for a send, a list for a look-up; None when missing)."""
    try:
        reply = json.loads(content)
    except ValueError:
        return None, None
    if not isinstance(reply, dict) or not isinstance(reply.get("header"), dict):
        return None, None
    body = reply.get("body")
    return reply["header"], body.get("data") if isinstance(body, dict) else None


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
