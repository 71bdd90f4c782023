"""Korean analysis with Kiwi: morphemes (stems and endings) per sentence, entities absorbed.

Kiwi writes final consonants of endings as conjoining jamo (``ᆸ니다``); they are mapped to the
compatibility jamo people type (``ㅂ니다``) so the rule file stays readable. Kiwi takes about a
second to load, so :func:`get_kiwi` builds it once per process, on first use.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sagwa.messagecheck.analysis import Document, Token, absorb_entities, split_sentences
from sagwa.messagecheck.patterns import find_entities

_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_JAMO = str.maketrans({chr(0x11A8 + i): c for i, c in enumerate(_FINALS)})
_SKIP_TAGS = ("J", "XSN")
# The connective -어/-아/-여 before an auxiliary (환불해 드리다, 보내 주다) carries no meaning here.
_SKIP_CONNECTIVES = frozenset({"어", "아", "여"})


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
    raw = (
        Token(
            normalise(t.form),
            t.tag,
            t.start,
            t.start + t.len,
            t.tag.startswith(_SKIP_TAGS) or (t.tag == "EC" and t.form in _SKIP_CONNECTIVES),
        )
        for t in get_kiwi().tokenize(text)
    )
    return Document(text, "ko", split_sentences(text, absorb_entities(raw, entities)), entities)
