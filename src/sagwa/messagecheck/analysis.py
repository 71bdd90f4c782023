"""The shape both analysers hand to the engine: sentences of tokens with character offsets.

A :class:`Token` carries a normalised ``lemma`` (a Korean morpheme or a lower-cased English
word, or ``<DATE>``/``<PHONE>``/... for a recognised entity), a ``tag`` (Kiwi's part of speech,
``W`` for English words, ``ENT`` for entities) and whether the rule matcher may step over it
(``skippable``: Korean particles, English articles).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sagwa.messagecheck.patterns import Entity

#: What both analysers make of a hyphen or an em dash between two numbers ("5-10 business days",
#: "5—10영업일"): the en dash of a range ("5–10"), so the rules read every spelling alike.
EN_DASH = "\u2013"


@dataclass(frozen=True, slots=True)
class Token:
    lemma: str
    tag: str
    start: int
    end: int
    skippable: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    lang: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]


def absorb_entities(tokens: Iterable[Token], entities: tuple[Entity, ...]) -> Iterator[Token]:
    """Replace every run of tokens that overlaps an entity with one ``<KIND>`` token."""
    pending = list(entities)
    emitted: Entity | None = None
    for tok in tokens:
        while pending and pending[0].end <= tok.start:
            pending.pop(0)
        ent = pending[0] if pending else None
        if ent is None or tok.end <= ent.start:
            yield tok
        elif ent is not emitted:
            emitted = ent
            yield Token(f"<{ent.kind}>", "ENT", ent.start, ent.end)


def split_sentences(text: str, tokens: Iterable[Token]) -> tuple[Sentence, ...]:
    """Cut after each sentence-final punctuation token (tag ``SF``) and at line breaks, so list
    items on separate lines are separate sentences."""
    out: list[Sentence] = []
    current: list[Token] = []
    for tok in tokens:
        if current and "\n" in text[current[-1].end : tok.start]:
            out.append(Sentence(tuple(current)))
            current = []
        current.append(tok)
        if tok.tag == "SF":
            out.append(Sentence(tuple(current)))
            current = []
    if current:
        out.append(Sentence(tuple(current)))
    return tuple(out)
