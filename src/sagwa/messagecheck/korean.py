"""Korean analysis with Kiwi: morphemes (stems and endings) per sentence, entities absorbed.

Kiwi writes final consonants of endings as conjoining jamo (``ᆸ니다``); they are mapped to the
compatibility jamo people type (``ㅂ니다``) so the rule file stays readable. Kiwi takes about a
second to load, so :func:`get_kiwi` builds it once per process, on first use.

A range written with a hyphen or an em dash is read as one with an en dash ("5-10영업일" and
"5—10영업일" as "5–10영업일": a number, ``–``/SW, a number). Kiwi takes "5-10" for one
serial-number token (W_SERIAL), which no rule reads as a number, "5 -10" for a number, ``-``/SO
and a number, and "5—10" for a number, ``—``/SW and a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from sagwa.messagecheck.analysis import (
    EN_DASH,
    Document,
    Token,
    absorb_entities,
    split_sentences,
)
from sagwa.messagecheck.patterns import find_entities

_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_JAMO = str.maketrans({chr(0x11A8 + i): c for i, c in enumerate(_FINALS)})
_SKIP_TAGS = ("J", "XSN")
# The connective -어/-아/-여 before an auxiliary (환불해 드리다, 보내 주다) carries no meaning here.
_SKIP_CONNECTIVES = frozenset({"어", "아", "여"})
# What stands between the two numbers of a range besides the en dash: a hyphen or an em dash.
_OTHER_DASHES = frozenset({"-", "\u2014"})
# Short numbers only, 1–3 digits each side: "20240612-0001" and "2024—0612" are order numbers,
# not ranges.
_SHORT = r"\d{1,3}"
_RANGE = re.compile(rf"({_SHORT})\s*(-)\s*({_SHORT})")
_SHORT_NUMBER = re.compile(_SHORT)


@cache
def get_kiwi() -> Any:
    """The process-wide Kiwi analyser (loaded lazily; kiwipiepy is imported only here)."""
    from kiwipiepy import Kiwi

    return Kiwi()


def normalise(form: str) -> str:
    return form.translate(_JAMO)


def analyse(text: str) -> Document:
    """Split ``text`` into sentences of Kiwi morphemes with offsets into ``text``."""
    entities = find_entities(text)
    morphemes = (
        Token(
            normalise(t.form),
            t.tag,
            t.start,
            t.start + t.len,
            t.tag.startswith(_SKIP_TAGS) or (t.tag == "EC" and t.form in _SKIP_CONNECTIVES),
        )
        for t in get_kiwi().tokenize(text)
    )
    raw = _ranges(text, morphemes)
    return Document(text, "ko", split_sentences(text, absorb_entities(raw, entities)), entities)


def _ranges(text: str, tokens: Iterable[Token]) -> list[Token]:
    """``tokens`` with each hyphen range read as an en-dash one: a W_SERIAL "5-10" split into
    5/SN, –/SW, 10/SN; a -/SO or —/SW between two short numbers on one line made –/SW."""
    out: list[Token] = []
    for tok in tokens:
        m = _RANGE.fullmatch(text, tok.start, tok.end) if tok.tag == "W_SERIAL" else None
        if m is None:
            out.append(tok)
            continue
        out += [
            Token(m[1], "SN", m.start(1), m.end(1)),
            Token(EN_DASH, "SW", m.start(2), m.end(2)),
            Token(m[3], "SN", m.start(3), m.end(3)),
        ]
    for i in range(1, len(out) - 1):
        before, dash, after = out[i - 1 : i + 2]
        if dash.lemma in _OTHER_DASHES and _short_numbers_on_one_line(text, before, after):
            out[i] = Token(EN_DASH, "SW", dash.start, dash.end)
    return out


def _short_numbers_on_one_line(text: str, before: Token, after: Token) -> bool:
    return (
        before.tag == "SN"
        and after.tag == "SN"
        and bool(_SHORT_NUMBER.fullmatch(before.lemma))
        and bool(_SHORT_NUMBER.fullmatch(after.lemma))
        and "\n" not in text[before.end : after.start]
    )
