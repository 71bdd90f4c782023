"""Recognisers for the things a message must name exactly: dates, times, durations, phone
numbers, email addresses, URLs and amounts of money, in Korean and English.

``find_entities(text)`` returns non-overlapping :class:`Entity` spans (longest match wins).
The analysers turn each span into one token whose lemma is ``<KIND>`` (``<DATE>``, ``<PHONE>``
...), so the rule files can say "``by <DATE>``" or "``<TIME> 까지``".

``span_days(text)`` reads every span of time ``text`` states ("영업일 기준 3~5일" is 3 and 5 days,
"within 14 business days" 14), and ``longest_span_days`` the longest, for the checks that compare
it with a limit (a refund's timing) and for the desk policy's refund timing sentences, which must
promise the same days in Korean and English. ``without_entities`` blanks out what is no span
(dates, times, money) first: a date range ("12월 3~5일") is a date, so no span is read in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_ORD = r"(?:st|nd|rd|th)?"
_NUMWORD = r"(?:\d+|one|two|three|four|five|six|seven|ten|twenty-four|forty-eight|seventy-two)"
_KO_WEEKDAY = r"[월화수목금토일]요일"
_BARE_DOMAIN = (
    r"(?<![@\w.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|co\.kr|kr|io|shop|store"
    r"|example|co\.uk|help)\b(?:/[^\s<>()\"'가-힣]*[^\s<>()\"'.,!?가-힣])?"
)

_RAW: dict[str, list[str]] = {
    "EMAIL": [r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"],
    "URL": [
        r"https?://[^\s<>()\"'가-힣]+[^\s<>()\"'.,!?가-힣]",
        r"www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>()\"'가-힣]*[^\s<>()\"'.,!?가-힣])?",
        _BARE_DOMAIN,
    ],
    "PHONE": [
        r"(?<![\d-])(?:\+82[- ]?)?0\d{1,2}[- .]\d{3,4}[- .]\d{4}(?![\d-])",
        r"(?<![\d-])1[5-8]\d{2}-\d{4}(?![\d-])",
        r"(?<![\d-])(?:\+?1[- .])?\(?\d{3}\)?[- .]\d{3}[- .]\d{4}(?![\d-])",
        r"(?<![\d-])\+\d{1,3}(?:[- ]\d{1,4}){2,4}(?![\d-])",
        r"(?<![\d-])0\d{3,4} \d{3} \d{3,4}(?![\d-])",
        r"(?<![\d-])1[38]00[- ]\d{3}[- ]\d{3}(?![\d-])",
    ],
    "MONEY": [
        r"(?:US\$|AU\$|A\$|C\$|NZ\$|HK\$|S\$|[$€£₩¥])\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|million))?",
        r"\d[\d,]*(?:\.\d+)?\s?(?:USD|KRW|EUR|GBP|JPY|AUD|CAD|won|dollars?|euros?|pounds?|yen)\b",
        r"\b(?:USD|KRW|EUR|GBP|JPY|AUD|CAD|NZD|SGD|HKD)\s?\d[\d,]*(?:\.\d+)?",
        r"\d[\d,]*(?:\.\d+)?\s?(?:만\s?\d*\s?천?\s?)?원",
        r"\d+만\s?\d*천?\s?원",
    ],
    "DATE": [
        r"(?:\d{4}\s?년\s?)?\d{1,2}\s?월\s?\d{1,2}\s?일(?:\s?\(\s?[월화수목금토일]\s?\))?",
        # A range of days of one month ("12월 3~5일", "12월 3일-5일") is dates, not 3 to 5 days.
        (r"(?:\d{4}\s?년\s?)?\d{1,2}\s?월\s?\d{1,2}\s?일?\s*[~∼〜\-–—]\s*\d{1,2}\s?일"
         r"(?:\s?\(\s?[월화수목금토일]\s?\))?"),
        r"\d{4}[-./]\d{1,2}[-./]\d{1,2}",
        r"(?<![\d/])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])",
        r"(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])(?:\s?\(\s?[월화수목금토일A-Za-z]{1,3}\s?\))?",
        rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\.?\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?\b",
        rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+\d{{4}})?",
        r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
        r"\b(?:today|tomorrow|tonight|end of (?:the )?(?:day|week|month)|eod)\b",
        rf"(?:이번\s?주|다음\s?주|다음주|이번주)?\s?{_KO_WEEKDAY}",
        r"오늘|내일|모레|금일|익일|당일",
    ],
    "TIME": [
        r"(?:오전|오후|낮|밤|저녁|새벽|아침)?\s?\d{1,2}\s?시(?:\s?\d{1,2}\s?분|\s?반)?(?![간작])",
        r"(?:오전|오후)\s?\d{1,2}:\d{2}",
        r"\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am|pm)(?:\s?(?:KST|UTC|GMT|[ECMP][SD]?T))?",
        r"\b\d{1,2}:\d{2}(?:\s?(?:KST|UTC|GMT|[ECMP][SD]?T))?",
        r"자정|정오|\b(?:midnight|noon)\b",
    ],
    "DURATION": [
        rf"\b{_NUMWORD}\s(?:full\s)?(?:business\s|working\s|calendar\s)?(?:hours?|days?|weeks?)\b",
        r"\d+\s?(?:시간|영업일|일|주일|주)(?=\s?(?:이내|안에|내|동안|간|까지))",
    ],
}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, re.IGNORECASE)) for kind, ps in _RAW.items() for p in ps
)


@dataclass(frozen=True, slots=True)
class Entity:
    """A recognised span of ``text[start:end]``; ``kind`` is DATE, TIME, PHONE, EMAIL ..."""

    kind: str
    start: int
    end: int


def find_entities(text: str) -> tuple[Entity, ...]:
    """Every entity in ``text``; where two overlap the longer (then the earlier kind) wins."""
    found: list[Entity] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            while start < end and text[start].isspace():
                start += 1
            if start < end:
                found.append(Entity(kind, start, end))
    found.sort(key=lambda e: (-(e.end - e.start), e.start))
    chosen: list[Entity] = []
    for ent in found:
        if all(ent.end <= c.start or ent.start >= c.end for c in chosen):
            chosen.append(ent)
    return tuple(sorted(chosen, key=lambda e: e.start))


#: Spans of time written as a number and a unit ("10일", "3~5영업일", "14 business days",
#: "3 to 5 days", "two weeks", "72시간"), or a word for one ("사흘", "열흘", "일주일", "한 달"),
#: with the unit in days. A range ("3~5일") states both its ends, in the unit written after it.
_KO_UNIT_DAYS = {"시간": 1 / 24, "영업일": 1, "일": 1, "주일": 7, "주": 7, "개월": 30, "달": 30}
_EN_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30}
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "fourteen": 14, "fifteen": 15, "thirty": 30,
               "a": 1, "an": 1}
_KO_WORD_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7,
                 "여드레": 8, "아흐레": 9, "열흘": 10, "보름": 15, "일주일": 7, "한 달": 30,
                 "한달": 30, "두 달": 60}
_DASH = r"\s*[~∼〜\-–—]\s*"
_KO_SPAN = re.compile(rf"(\d+)(?:{_DASH}(\d+))?\s?(시간|영업일|주일|개월|일|주|달)")
_EN_NUMBER = rf"(\d+|{'|'.join(_EN_NUMBERS)})"
_EN_SPAN = re.compile(
    rf"\b{_EN_NUMBER}(?:(?:{_DASH}|\s+to\s+){_EN_NUMBER})?"
    r"\s(?:full\s)?(?:business\s|working\s|calendar\s|banking\s)?(hour|day|week|month)s?\b",
    re.IGNORECASE)
_KO_WORD_SPAN = re.compile("|".join(_KO_WORD_DAYS))


def span_days(text: str) -> tuple[float, ...]:
    """Every span of time ``text`` states, in days, in the order written (a business day counts
    as a day, a week as 7, a month as 30, an hour as 1/24; both ends of a range): "영업일 기준
    3~5일" -> (3, 5), "within 3 to 5 business days" -> (3, 5), "사흘" -> (3,). Dates and times
    are the caller's to leave out (:func:`without_entities`: in "12월 8일" the "8일" is a day of
    the month)."""
    found: list[tuple[int, float]] = []
    for m in _KO_SPAN.finditer(text):
        unit = _KO_UNIT_DAYS[m[3]]
        found += [(m.start(), int(n) * unit) for n in (m[1], m[2]) if n]
    found += [(m.start(), _KO_WORD_DAYS[m.group()]) for m in _KO_WORD_SPAN.finditer(text)]
    for m in _EN_SPAN.finditer(text):
        unit = _EN_UNIT_DAYS[m[3].lower()]
        found += [(m.start(), _count(n) * unit) for n in (m[1], m[2]) if n]
    return tuple(days for _, days in sorted(found, key=lambda pair: pair[0]))


def _count(number: str) -> int:
    return int(number) if number.isdigit() else _EN_NUMBERS[number.lower()]


def longest_span_days(text: str) -> float | None:
    """The longest span of time ``text`` states, in days (:func:`span_days`): "영업일 기준 3~5일"
    -> 5, "within 14 business days" -> 14, "열흘" -> 10. None when it states none."""
    return max(span_days(text), default=None)


def without_entities(text: str, entities: Iterable[Entity], keep: str = "DURATION") -> str:
    """``text`` with every entity but those of kind ``keep`` blanked out, offsets unchanged:
    the dates, times, phone numbers and money in it are no spans of time ("12월 8일")."""
    chars = list(text)
    for ent in entities:
        if ent.kind != keep:
            chars[ent.start : ent.end] = " " * (ent.end - ent.start)
    return "".join(chars)
