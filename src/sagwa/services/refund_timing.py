"""The numbers of days a refund timing sentence promises (the desk policy's ``[refund]
timing_ko`` / ``timing_en``), so the policy loader can refuse a Korean and an English sentence
that promise different things: a customer reads only one of them (a legal review loaded
``timing_ko = "환불은 해 드리지 않습니다."`` beside an English "within 14 days").

Only what a sentence says as a span of days counts: ``3영업일``, ``3~5일``, ``사흘``, ``2주``,
``within 3 business days``, ``3–5 days``, ``two weeks``. A date (``12월 3일``) is no span.
"""

from __future__ import annotations

import re

_KO_WORDS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7,
             "여드레": 8, "아흐레": 9, "열흘": 10, "보름": 15, "일주일": 7}
_EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "fourteen": 14, "fifteen": 15, "a": 1}
_DASH = r"\s*(?:~|∼|〜|-|–|—|to)\s*"
_KO_DAYS = re.compile(r"(?<!월)(?<!월 )(?<!\d)(\d+)(?:" + _DASH + r"(\d+))?\s*(?:영업일|일)")
_KO_WEEKS = re.compile(r"(?<!\d)(\d+)\s*주(?:일)?\s*(?:안|이내|내|간|만에|뒤|후)")
_EN_NUMBER = r"(\d+|" + "|".join(_EN_WORDS) + r")"
_EN_DAYS = re.compile(r"\b" + _EN_NUMBER + r"(?:" + _DASH + _EN_NUMBER + r")?"
                      r"\s*(?:business\s+|working\s+|calendar\s+|banking\s+)?days?\b", re.IGNORECASE)
_EN_WEEKS = re.compile(r"\b" + _EN_NUMBER + r"\s*weeks?\b", re.IGNORECASE)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _EN_WORDS[word.lower()]


def promised_days(text: str, lang: str) -> frozenset[int]:
    """The spans of days ``text`` (in ``lang``, ko or en) states, each end of a range counted:
    ``영업일 기준 3~5일`` is {3, 5}; a sentence with none gives the empty set."""
    found: set[int] = set()
    if lang == "ko":
        for first, last in _KO_DAYS.findall(text):
            found.update(int(n) for n in (first, last) if n)
        found.update(7 * int(n) for n in _KO_WEEKS.findall(text))
        found.update(days for word, days in _KO_WORDS.items() if word in text)
        return frozenset(found)
    for first, last in _EN_DAYS.findall(text):
        found.update(_number(n) for n in (first, last) if n)
    found.update(7 * _number(n) for n in _EN_WEEKS.findall(text))
    return frozenset(found)
