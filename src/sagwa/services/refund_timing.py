"""The desk policy's refund timing sentence (``[refund] timing_ko`` / ``timing_en``), read the way
the message check reads the confirmation of every cancel that carries it — with the check's own
readers, so that the policy loader and the check sent messages pass can never disagree:

* :func:`promised_days`: the spans of days a sentence states (``3영업일``, ``3~5일``, ``사흘``,
  ``2주``, ``within 3 to 5 business days``, ``two weeks``; :func:`patterns.span_days
  <sagwa.messagecheck.patterns.span_days>`), a date (``12월 3일``) or a range of dates
  (``12월 3~5일``, no 3 to 5 days) left out as the check leaves it out. A Korean and an English
  sentence promising different days are refused: a customer reads only one of them (a legal
  review loaded ``timing_ko = "환불은 해 드리지 않습니다."`` beside an English "within 14 days").
* :func:`late_refund`: the message check's ``refund-timing`` finding on a sentence — a refund
  later than the 3 business days of 전자상거래법 제18조, unless the card company or bank is the one
  taking the time (the rule files say when), or put off to a settlement.
"""

from __future__ import annotations

from functools import lru_cache

from sagwa.messagecheck import Finding, check_message
from sagwa.messagecheck.patterns import find_entities, span_days, without_entities

#: The finding the check gives a refund promised too late, and the kind of message the sentence
#: is checked in when it is sent (a confirmation, ``desk_notify``).
LATE_REFUND = "refund-timing"
CARRIED_IN = "resolution"


def promised_days(text: str) -> frozenset[float]:
    """The spans of days ``text`` states, each end of a range counted: ``영업일 기준 3~5일`` is
    {3, 5}, ``72시간`` {3}; a sentence with none gives the empty set."""
    return frozenset(span_days(without_entities(text, find_entities(text))))


@lru_cache(maxsize=64)
def late_refund(text: str, lang: str) -> Finding | None:
    """The message check's ``refund-timing`` finding on ``text`` (in ``lang``, ko or en), or None.

    Cached: a policy loaded again (every command loads it) costs a lookup. The first Korean
    sentence checked in a process loads the Korean analyser (seconds; once per process,
    :func:`sagwa.messagecheck.korean.get_kiwi`)."""
    found = check_message(text, kind=CARRIED_IN, lang=lang).findings
    return next((f for f in found if f.code == LATE_REFUND), None)
