"""The small pattern language of the rule files, compiled and matched against a sentence.

A pattern is a space-separated sequence of *elements*; an element lists alternatives with ``|``.
An alternative is a lemma (``sorry``, ``죄송``, ``ㅂ니다``), optionally with ``*`` at the end
(prefix: ``cancel*``) or the start (suffix: ``*n't``), optionally with ``/TAG`` (the Kiwi tag must
start with it: ``면/EC``; ``*/EF`` is any final ending), or an entity (``<DATE>``, ``<PHONE>`` ...). Consecutive elements must
be on consecutive tokens, except that skippable tokens (Korean particles, English articles) may
lie between them; ``..`` between two elements allows up to ``GAP`` other tokens, ``...`` up to
``LONG_GAP``. Alternatives are single tokens: write ``no later than`` as its own pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

from sagwa.messagecheck.analysis import Token

GAP = 4
LONG_GAP = 8


@dataclass(frozen=True, slots=True)
class Alternative:
    text: str
    mode: str  # "exact" | "prefix" | "suffix" | "any" (``*/EF``: any lemma with that tag)
    tag: str | None

    def matches(self, tok: Token) -> bool:
        if self.tag is not None and not tok.tag.startswith(self.tag):
            return False
        if self.mode == "any":
            return True
        if self.mode == "prefix":
            return tok.lemma.startswith(self.text)
        if self.mode == "suffix":
            return tok.lemma.endswith(self.text)
        return tok.lemma == self.text


@dataclass(frozen=True, slots=True)
class Element:
    alternatives: tuple[Alternative, ...]
    gap_before: int = 0

    def matches(self, tok: Token) -> bool:
        return any(alt.matches(tok) for alt in self.alternatives)


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str
    elements: tuple[Element, ...]


@dataclass(frozen=True, slots=True)
class Match:
    first: int
    last: int
    used: frozenset[int]


def compile_element(source: str, gap_before: int = 0) -> Element:
    alts = []
    for raw in source.split("|"):
        text, _, tag = raw.partition("/") if not raw.startswith("<") else (raw, "", "")
        mode = "exact"
        if text in ("", "*"):
            mode = "any"
        elif len(text) > 1 and text.endswith("*"):
            mode, text = "prefix", text[:-1]
        elif len(text) > 1 and text.startswith("*"):
            mode, text = "suffix", text[1:]
        alts.append(Alternative(text if text.startswith("<") else text.lower(), mode, tag or None))
    return Element(tuple(alts), gap_before)


def compile_pattern(source: str) -> Pattern:
    elements: list[Element] = []
    gap = 0
    for part in source.split():
        if part in ("..", "..."):
            gap = GAP if part == ".." else LONG_GAP
            continue
        elements.append(compile_element(part, gap))
        gap = 0
    if not elements:
        raise ValueError(f"empty pattern: {source!r}")
    return Pattern(source, tuple(elements))


def find_matches(pattern: Pattern, tokens: tuple[Token, ...]) -> list[Match]:
    """Every non-overlapping match of ``pattern`` in ``tokens``, left to right."""
    found: list[Match] = []
    i = 0
    while i < len(tokens):
        used = _extend(pattern.elements, tokens, 0, i, ()) if pattern.elements[0].matches(
            tokens[i]
        ) else None
        if used:
            found.append(Match(used[0], used[-1], frozenset(used)))
            i = used[-1] + 1
        else:
            i += 1
    return found


def _extend(
    elements: tuple[Element, ...], tokens: tuple[Token, ...], k: int, pos: int, used: tuple[int, ...]
) -> tuple[int, ...] | None:
    """Match ``elements[k:]`` with ``elements[k]`` on ``tokens[pos]`` (already checked)."""
    used = (*used, pos)
    if k + 1 == len(elements):
        return used
    nxt = elements[k + 1]
    budget = nxt.gap_before
    for j in range(pos + 1, len(tokens)):
        tok = tokens[j]
        if nxt.matches(tok):
            done = _extend(elements, tokens, k + 1, j, used)
            if done:
                return done
        if tok.tag == "SF":
            return None
        if tok.skippable:
            continue
        if budget == 0:
            return None
        budget -= 1
    return None


def any_match(elements: tuple[Element, ...], tok: Token) -> bool:
    return any(e.matches(tok) for e in elements)
