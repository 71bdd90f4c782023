"""Reading a typed won amount, exactly or not at all: digits (``19900``, ``19,900``: a comma
every three digits) and Korean units (만 = 10,000, 천 = 1,000, 백 = 100, 억 = 100,000,000):
``17만 5천``, ``17만5000``, ``2만5천5백`` (a seller walk's, refused before), ``1,200만``,
``100억``, ``1억 2천만``, ``2억 17만 5천``. :func:`read_won` is the
reading behind ``forms.parse_won``, which every won field of the pages uses (a seller's new
price, an incident's wrong and correct price); ``won_mistakes`` says why a text was not read.

What follows 억 must be less than one 억 and name its 만 (``2천만`` and ``2천 500만`` are read as a
number of 만): ``1억 2천`` is 1억 2천만 to most people and 100,002,000 to a parser, so it is not
read (``won_mistakes`` asks for the 만). Nor is anything else unclear (``1.5억``, ``0억``,
``1억 10000만``, ``1억 5000원``, ``17만 12000``, ``1,2만``): never guessed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

EOK = 100_000_000
_GROUPED = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")
_KOREAN_UNITS = re.compile(r"(?:(?P<man>[0-9][0-9,]*)\s*만)?\s*(?:(?P<cheon>[1-9])\s*천)?"
                           r"\s*(?:(?P<baek>[1-9])\s*백)?\s*(?P<rest>[0-9][0-9,]*)?")
_EOK = re.compile(r"(?P<eok>[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+)\s*억\s*(?P<rest>.*)")
#: ``2천만`` (20,000,000) and ``2천 500만`` after 억, as a number of 만 (below 만, 천 is read by
#: ``_KOREAN_UNITS``: ``5천원``, ``17만 5천원``)
_CHEON_MAN = re.compile(r"(?P<cheon>[1-9])\s*천\s*(?P<man>[0-9]{1,3})?\s*만")


def read_won(digits: str) -> int | None:
    """``digits`` (a typed amount without ``₩``, ``원`` or ``KRW``) as a whole number of won;
    None when it does not say one exactly."""
    if "억" in digits:
        return _with_eok(digits)
    if "만" in digits or "천" in digits or "백" in digits:
        return _korean_units(digits)
    return _grouped(digits)


def split_eok(digits: str) -> tuple[int, str] | None:
    """``1억 2천만`` -> ``(1, "2천만")``: the number of 억 (one run of digits, more than zero)
    and what follows it; None when ``digits`` does not start so."""
    found = _EOK.fullmatch(digits)
    eok = int(found["eok"].replace(",", "")) if found else 0
    return (eok, found["rest"]) if found and eok else None


def _with_eok(digits: str) -> int | None:
    parts = split_eok(digits)
    if parts is None:
        return None
    eok, rest = parts
    if not rest:
        return eok * EOK
    if "만" not in rest:  # "1억 2천" says 1억 2천만 to most, 100,002,000 to a parser: ask
        return None
    cheon_man = _CHEON_MAN.match(rest)
    if cheon_man is not None:
        man = int(cheon_man["cheon"]) * 1_000 + int(cheon_man["man"] or 0)
        rest = f"{man}만{rest[cheon_man.end():]}"
    below = _korean_units(rest)
    return None if below is None or below >= EOK else eok * EOK + below


def _grouped(digits: str) -> int | None:
    """``19900`` or ``19,900``; None for anything else (a misplaced comma included)."""
    return int(digits.replace(",", "")) if _GROUPED.fullmatch(digits) else None


class _UnitParts(NamedTuple):
    """A number written in Korean units, read part by part: ``unit`` is the last unit named
    (만, 천 or 백) and ``limit`` its size, which the remainder ``rest`` must stay under."""

    total: int
    rest: int
    unit: str
    limit: int


def _unit_parts(digits: str) -> _UnitParts | None:
    """``17만 12000`` -> (182000, 12000, "만", 10000); None when ``digits`` is no number in
    Korean units (a part missing or malformed, ``0만``), whatever its remainder."""
    found = _KOREAN_UNITS.fullmatch(digits)
    if found is None or not (found["man"] or found["cheon"] or found["baek"]):
        return None
    man = _grouped(found["man"]) if found["man"] else 0
    rest = _grouped(found["rest"]) if found["rest"] else 0
    if man is None or rest is None or (found["man"] and man == 0):
        return None
    cheon, baek = int(found["cheon"] or 0), int(found["baek"] or 0)
    unit, limit = (("백", 100) if found["baek"] else ("천", 1_000) if found["cheon"]
                   else ("만", 10_000))
    return _UnitParts(man * 10_000 + cheon * 1_000 + baek * 100 + rest, rest, unit, limit)


def _korean_units(digits: str) -> int | None:
    """``17만``, ``17만 5천``, ``17만 5000``, ``5천 500`` read exactly; None when a part is
    missing, malformed or too big for the unit after it (``17만 12000``, ``5천 1500``)."""
    parts = _unit_parts(digits)
    return None if parts is None or parts.rest >= parts.limit else parts.total


def remainder_too_big(digits: str) -> tuple[str, int, int, int] | None:
    """``17만 12000`` -> ``("만", 10000, 12000, 182000)``: Korean units read but for a remainder
    as big as the unit before it or bigger — the unit (만, 천 or 백), its size, the remainder,
    and what the parts add up to; None for anything else (``won_mistakes`` says it back;
    nothing is read)."""
    parts = _unit_parts(digits)
    if parts is None or parts.rest < parts.limit:
        return None
    return parts.unit, parts.limit, parts.rest, parts.total
