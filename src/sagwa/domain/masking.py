"""Contact details masked for a record people read (the audit log): enough to tell an old
number or address from a new one — ``010-****-6373``, ``mi****@example.com`` — never the
whole of it."""

from __future__ import annotations

import re

#: Digits of a phone number kept at each end (the rest become ``*``); shorter numbers keep
#: only the last two.
_HEAD, _TAIL = 3, 4


def mask_phone(phone: str | None) -> str | None:
    """``010-2690-6373`` -> ``010-****-6373``: the separators kept, the middle digits hidden."""
    if phone is None:
        return None
    digits = sum(ch.isdigit() for ch in phone)
    head, tail = (_HEAD, _TAIL) if digits > _HEAD + _TAIL else (0, 2)
    out, seen = [], 0
    for ch in phone:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= head or seen > digits - tail else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_email(email: str | None) -> str | None:
    """``minjun@example.com`` -> ``mi****@example.com``: the domain kept, the name hidden
    after its first two letters (one, for a name of two or fewer)."""
    if email is None:
        return None
    name, at, domain = email.partition("@")
    kept = name[:2] if len(name) > 2 else name[:1]
    return f"{kept}****{at}{domain}"


#: An email address inside free text (an SMTP error, say).
_EMAIL_IN_TEXT = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
#: A phone number inside free text: 9 to 13 digits, maybe after ``+``, in groups joined by a
#: space, ``-`` or ``.`` (a date's 8 digits, a reply code or a count are left alone).
_PHONE_IN_TEXT = re.compile(r"(?<![\w.+-])\+?\d[\d .-]{7,}\d(?![\w])")


def mask_contacts_in(text: str | None) -> str | None:
    """Free text (a delivery's error) with every email address and phone number in it masked
    as :func:`mask_email` and :func:`mask_phone` do: for a record kept for good."""
    if text is None:
        return None
    text = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group()) or "", text)
    return _PHONE_IN_TEXT.sub(_masked_number, text)


def _masked_number(match: re.Match[str]) -> str:
    found = match.group()
    digits = sum(ch.isdigit() for ch in found)
    return (mask_phone(found) or "") if 9 <= digits <= 13 else found


#: A customer's case link token: the path segment after ``/c/`` at the start of a path. The
#: token opens the case to whoever holds it: only its first :data:`LINK_KEPT` characters are
#: shown (``/c/eyJ…[masked]/choose``).
_CASE_LINK = re.compile(r"^/c/([^/?#\s]{3})[^/?#\s]*")
LINK_KEPT = 3
LINK_MASK = "…[masked]"


def mask_case_link(path: str) -> str:
    """``/c/eyJhbGciOi.sig/choose`` -> ``/c/eyJ…[masked]/choose``; other paths as they are."""
    return _CASE_LINK.sub(lambda m: f"/c/{m.group(1)}{LINK_MASK}", path)
