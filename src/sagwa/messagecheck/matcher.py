"""The small pattern language of the rule files, compiled and matched against a sentence.

A pattern is a space-separated sequence of *elements*; an element lists alternatives with ``|``.
An alternative is a lemma (``sorry``, ``죄송``, ``ㅂ니다``), optionally with ``*`` at the end
(prefix: ``cancel*``) or the start (suffix: ``*n't``), optionally with ``/TAG`` (the Kiwi tag must
start with it: ``면/EC``; ``*/EF`` is any final ending), or an entity (``<DATE>``, ``<PHONE>`` ...). Consecutive elements must
be on consecutive tokens, except that skippable tokens (Korean particles, English articles) may
lie between them; ``..`` between two elements allows up to ``GAP`` other tokens, ``...`` up to
``LONG_GAP``, ``....`` any number (the rest of the sentence: "① .... ②"). Alternatives are single tokens: write ``no later than`` as its own pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sagwa.messagecheck.analysis import Token

GAP = 4
LONG_GAP = 8
SENTENCE_GAP = 1_000_000
_GAPS = {"..": GAP, "...": LONG_GAP, "....": SENTENCE_GAP}


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
    """One position of a pattern. Alternatives are folded into sets, tuples and a dict so that
    matching a token costs a few lookups and ``str.startswith/endswith`` calls."""

    alternatives: tuple[Alternative, ...]
    gap_before: int = 0
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    exact_tagged: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    any_tags: tuple[str, ...] = ()
    slow: tuple[Alternative, ...] = ()  # prefix or suffix alternatives with a tag

    @classmethod
    def of(cls, alternatives: tuple[Alternative, ...], gap_before: int = 0) -> Element:
        plain = [a for a in alternatives if a.tag is None]
        tagged: dict[str, list[str]] = {}
        for a in alternatives:
            if a.tag is not None and a.mode == "exact":
                tagged.setdefault(a.text, []).append(a.tag)
        return cls(
            alternatives,
            gap_before,
            exact=frozenset(a.text for a in plain if a.mode == "exact"),
            prefixes=tuple(a.text for a in plain if a.mode == "prefix"),
            suffixes=tuple(a.text for a in plain if a.mode == "suffix"),
            exact_tagged={k: tuple(v) for k, v in tagged.items()},
            any_tags=tuple(a.tag or "" for a in alternatives if a.mode == "any"),
            slow=tuple(a for a in alternatives if a.tag is not None and a.mode in ("prefix", "suffix")),
        )

    @property
    def lemmas_needed(self) -> frozenset[str] | None:
        """The lemmas this element can match, or None when it matches by prefix/suffix/tag."""
        if self.prefixes or self.suffixes or self.any_tags or self.slow:
            return None
        return self.exact | frozenset(self.exact_tagged)

    @property
    def starts_needed(self) -> frozenset[str] | None:
        """What a matching lemma must start with (exact lemmas included), or None when the
        element matches by suffix or tag alone."""
        if self.suffixes or self.any_tags or self.slow:
            return None
        return self.exact | frozenset(self.prefixes) | frozenset(self.exact_tagged)

    def matches(self, tok: Token) -> bool:
        lemma = tok.lemma
        if lemma in self.exact:
            return True
        if self.prefixes and lemma.startswith(self.prefixes):
            return True
        if self.suffixes and lemma.endswith(self.suffixes):
            return True
        tags = self.exact_tagged.get(lemma)
        if tags and tok.tag.startswith(tags):
            return True
        if self.any_tags and tok.tag.startswith(self.any_tags):
            return True
        return bool(self.slow) and any(alt.matches(tok) for alt in self.slow)


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str
    elements: tuple[Element, ...]
    # The lemma sets of the elements that only match exact lemmas: a sentence lacking any of
    # them cannot match, which a C-level ``isdisjoint`` finds out before any token is looked at.
    required: tuple[frozenset[str], ...] = ()
    # The same for elements with prefix alternatives (``cancel*``): some lemma of the sentence
    # must start with one of the listed strings.
    starts: tuple[frozenset[str], ...] = ()


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
    return Element.of(tuple(alts), gap_before)


def compile_pattern(source: str) -> Pattern:
    elements: list[Element] = []
    gap = 0
    for part in source.split():
        if part in _GAPS:
            gap = _GAPS[part]
            continue
        elements.append(compile_element(part, gap))
        gap = 0
    if not elements:
        raise ValueError(f"empty pattern: {source!r}")
    required = tuple(need for e in elements if (need := e.lemmas_needed) is not None)
    starts = tuple(
        need for e in elements if e.lemmas_needed is None and (need := e.starts_needed) is not None
    )
    return Pattern(source, tuple(elements), required, starts)


def find_matches(
    pattern: Pattern, tokens: tuple[Token, ...], lemmas: frozenset[str] | None = None
) -> list[Match]:
    """Every non-overlapping match of ``pattern`` in ``tokens``, left to right.

    ``lemmas`` (the set of the tokens' lemmas) lets patterns that cannot start be skipped fast.
    """
    first = pattern.elements[0]
    if lemmas is not None and any(req.isdisjoint(lemmas) for req in pattern.required):
        return []
    found: list[Match] = []
    i = 0
    while i < len(tokens):
        used = _extend(pattern.elements, tokens, 0, i, ()) if first.matches(tokens[i]) else None
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


def merge(elements: tuple[Element, ...]) -> Element:
    """One element that matches whatever any of ``elements`` matches."""
    return Element.of(tuple(alt for e in elements for alt in e.alternatives))
