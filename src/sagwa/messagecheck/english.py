"""English analysis: a regular-expression tokeniser, sentence splitting, entities absorbed.

Lemmas are lower-cased words with curly apostrophes straightened (``we’ve`` → ``we've``), so
negated contractions all end in ``n't``. Rules match inflections with wildcards (``cancel*``)
rather than a stemmer. Articles and possessives listed in ``_SKIP`` may be stepped over.

A hyphen or an em dash between two numbers ("within 5-10 business days", "5—10 days") is a
range, read as the en dash ("5–10"): elsewhere either may set off a clause, and the rule file
counts both a clause break.
"""

from __future__ import annotations

import re

from sagwa.messagecheck.analysis import (
    EN_DASH,
    Document,
    Token,
    absorb_entities,
    split_sentences,
)
from sagwa.messagecheck.patterns import find_entities

_WORD = re.compile(
    r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*|\d+(?:[.,:/]\d+)*|[^\sA-Za-z\d]"
)
_SKIP = frozenset(
    ["the", "a", "an", "your", "our", "my", "its", "their", "this", "that", "these", "those", "all", "any", "some", "every", "each"]
)
_SENTENCE_END = frozenset(".!?")
#: A hyphen or an em dash between two short numbers on one line ("5-10", "5 — 10"): a range,
#: read as the en dash; longer numbers ("20240612-0001") are an order number's parts.
_RANGE_DASH = re.compile(r"(?<!\d)\d{1,3}[ \t]*([-\u2014])[ \t]*\d{1,3}(?!\d)")


def analyse(text: str) -> Document:
    """Split ``text`` into sentences of word tokens with offsets into ``text``."""
    entities = find_entities(text)
    ranges = {m.start(1) for m in _RANGE_DASH.finditer(text)}
    raw = []
    for m in _WORD.finditer(text):
        lemma = EN_DASH if m.start() in ranges else m.group().lower().replace("’", "'")
        tag = "SF" if lemma in _SENTENCE_END else ("W" if lemma[0].isalnum() else "S")
        raw.append(Token(lemma, tag, m.start(), m.end(), lemma in _SKIP))
    return Document(text, "en", split_sentences(text, absorb_entities(raw, entities)), entities)
