"""Find where each cue of a rule set occurs in a document, leaving out negated occurrences.

Negation scope, per language settings in the rule file: a cue occurrence is negated when a
negator sits inside it (``will not be cancelled``), up to ``window_before`` tokens before it
(``no penalty``, ``안 됩니다``) or up to ``window_after`` tokens after it (``불이익은 전혀
없습니다``, ``취소하지 않습니다``), never looking across a clause break (``but``, ``;``, a
connective ending such as ``-고``/``-면``/``-지만``, a Korean comma, the end of the sentence).
Particles and the rule file's ``uncounted`` tokens (Korean endings, auxiliaries) do not use up a
window, and ``narrow`` negators (``free of charge``, ``without a fee``) reach only
``window_narrow`` tokens.

Three refinements keep a negator to what it negates:

- a negator inside a condition or relative clause (``If you do not reply, your account may be
  closed``; ``Customers who do not respond may face penalties``) stops where that clause ends: at
  a comma after ``if``, or at the main clause's verb once the clause's own verb has come (an
  English comma is not a clause break in general: ``no fees, penalties or charges``);
- a negator negated again through an embedded clause is undone (``불이익이 없다고는 말씀드릴 수
  없습니다``, ``없는 것은 아닙니다``), by the rule file's ``undone`` patterns;
- a negator right after an ``affirming`` particle affirms (``드릴 수밖에 없습니다``).

A cue's ``unless`` patterns (``if you prefer``, ``원하시면``) cancel an occurrence in the same
clause or the clause just before or after it (``unless_scope``: only the same clause, or the
whole sentence), outside the occurrences of its ``unless_ignore`` patterns (``if you have any
questions``: the "if" of a condition that chooses nothing cancels nothing; one with an
``unless_ignore_without`` pattern inside, "if you would rather cancel and need help", is no such
condition and is not set aside). Its ``unless_before`` patterns cancel it from the sentence just
before, outside the ``unless_ignore`` occurrences there too (``취소를 원하시면 알려 주세요. 전액
환불해 드리겠습니다.``: the choice carries over a full stop), and its ``unless_after`` patterns
from the sentence just after, likewise (``We will refund you. If you prefer, we can ship it
instead.``: the alternative follows the promise).
"""

from __future__ import annotations

from dataclasses import dataclass

from sagwa.messagecheck.analysis import Document, Token
from sagwa.messagecheck.matcher import Match, Pattern, find_matches
from sagwa.messagecheck.ruleset import Cue, Negation, RuleSet


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a cue: its sentence and token range, and the character span."""

    cue: str
    sentence: int
    span: tuple[int, int]


def find_hits(doc: Document, rules: RuleSet) -> dict[str, list[Hit]]:
    """Every cue of ``rules`` that occurs (un-negated) in ``doc``, with where."""
    hits: dict[str, list[Hit]] = {name: [] for name in rules.cues}
    for s_index, sentence in enumerate(doc.sentences):
        allowed = rules.candidates(frozenset(tok.lemma for tok in sentence.tokens))
        before = doc.sentences[s_index - 1].tokens if s_index else ()
        after = doc.sentences[s_index + 1].tokens if s_index + 1 < len(doc.sentences) else ()
        for cue in rules.cues.values():
            for match in cue_matches(cue, sentence.tokens, rules.negation, allowed, before,
                                     after):
                span = (sentence.tokens[match.first].start, sentence.tokens[match.last].end)
                hits[cue.name].append(Hit(cue.name, s_index, span))
    return hits


def cue_matches(
    cue: Cue, tokens: tuple[Token, ...], negation: Negation, allowed: set[int] | None = None,
    before: tuple[Token, ...] = (), after: tuple[Token, ...] = (),
) -> list[Match]:
    """The kept occurrences of ``cue``: not negated (if negatable), no ``unless`` nearby, no
    ``unless_before`` in ``before`` (the tokens of the sentence just before) and no
    ``unless_after`` in ``after`` (those of the sentence just after).

    ``allowed`` (from :meth:`RuleSet.candidates`) names the patterns worth trying.
    """

    def matches(pattern: Pattern) -> list[Match]:
        if allowed is not None and id(pattern) not in allowed:
            return []
        return _kept(find_matches(pattern, tokens), cue, tokens, negation)

    found = [m for p in cue.any for m in matches(p)]
    for group in cue.all:
        firsts = [next(iter(matches(p)), None) for p in group]
        present = [m for m in firsts if m is not None]
        if len(present) == len(group):
            first = min(m.first for m in present)
            last = max(m.last for m in present)
            found.append(Match(first, last, frozenset().union(*(m.used for m in present))))
    if found and (_unless_next_door(cue, cue.unless_before, before)
                  or _unless_next_door(cue, cue.unless_after, after)):
        return []
    if not cue.unless:
        return found
    return [m for m in found if not _unless_nearby(cue, m, tokens, negation)]


def _unless_next_door(cue: Cue, patterns: tuple[Pattern, ...],
                      tokens: tuple[Token, ...]) -> bool:
    """One of ``patterns`` (``unless_before`` or ``unless_after``) in ``tokens``, the sentence
    just before or after, outside what ``unless_ignore`` sets aside there ("문의 사항이 있으시면
    연락 주세요." chooses nothing for the next sentence either)."""
    if not patterns or not tokens:
        return False
    parts = _set_aside(cue, tokens, 0, len(tokens) - 1)
    return any(find_matches(p, part) for part in parts for p in patterns)


def _unless_nearby(cue: Cue, match: Match, tokens: tuple[Token, ...], neg: Negation) -> bool:
    """An ``unless`` pattern in the match's clause or the clause just before or after it (or,
    for ``unless_scope = "sentence"``, anywhere in the sentence), outside what the cue's
    ``unless_ignore`` patterns set aside."""
    start, end = 0, len(tokens) - 1
    if cue.unless_scope != "sentence":
        bounds = [i for i, tok in enumerate(tokens) if neg.breaks.matches(tok)]
        before = [b for b in bounds if b < match.first]
        after = [b for b in bounds if b > match.last]
        reach = 1 if cue.unless_scope == "clause" else 2
        start = before[-reach] if len(before) >= reach else 0
        end = after[reach - 1] if len(after) >= reach else len(tokens) - 1
    parts = _set_aside(cue, tokens, start, end)
    return any(find_matches(p, part) for part in parts for p in cue.unless)


def _set_aside(cue: Cue, tokens: tuple[Token, ...], start: int,
               end: int) -> list[tuple[Token, ...]]:
    """``tokens[start : end + 1]`` without the occurrences of the cue's ``unless_ignore``
    patterns ("if you have any questions", found in the whole sentence: the window may begin
    inside one), as the stretches before, between and after them, so that an exception is looked
    for neither inside one nor across one. An occurrence with an ``unless_ignore_without``
    pattern inside holds a choice and is not set aside."""
    ignored = sorted((m.first, m.last) for p in cue.unless_ignore for m in find_matches(p, tokens)
                     if not _holds_any(cue.unless_ignore_without, tokens[m.first : m.last + 1]))
    parts: list[tuple[Token, ...]] = []
    for first, last in ignored:
        if first > start:
            parts.append(tokens[start : min(first, end + 1)])
        start = max(start, last + 1)
    parts.append(tokens[start : end + 1])
    return [part for part in parts if part]


def _holds_any(patterns: tuple[Pattern, ...], tokens: tuple[Token, ...]) -> bool:
    return any(find_matches(p, tokens) for p in patterns)


def _kept(matches: list[Match], cue: Cue, tokens: tuple[Token, ...], neg: Negation) -> list[Match]:
    if not cue.negatable:
        return matches
    return [m for m in matches if not is_negated(m, tokens, neg)]


def is_negated(match: Match, tokens: tuple[Token, ...], neg: Negation) -> bool:
    """True when a negator governs the matched tokens (see the module docstring)."""
    for j in range(match.first, match.last + 1):
        if j in match.used or not _is_negator(tokens, neg, j):
            continue
        if not _sealed(tokens, neg, j, match.last):
            return True
    reach = max(neg.window_before, neg.window_narrow)
    for j, distance in _window(tokens, neg, match.first, -1, reach):
        tok = tokens[j]
        governs = (neg.before.matches(tok) and distance <= neg.window_before) or (
            neg.narrow.matches(tok) and distance <= neg.window_narrow
        )
        if governs and not _sealed(tokens, neg, j, match.first):
            return True
    for j, _ in _window(tokens, neg, match.last, 1, neg.window_after):
        if neg.after.matches(tokens[j]) and not _affirms(tokens, neg, j):
            return not _undone(tokens, neg, j)
    return False


def _is_negator(tokens: tuple[Token, ...], neg: Negation, j: int) -> bool:
    tok = tokens[j]
    return neg.before.matches(tok) or (neg.after.matches(tok) and not _affirms(tokens, neg, j))


def _affirms(tokens: tuple[Token, ...], neg: Negation, j: int) -> bool:
    """The negator at ``j`` comes right after an ``affirming`` particle ("수밖에 없습니다")."""
    return j > 0 and neg.affirming.matches(tokens[j - 1])


def _undone(tokens: tuple[Token, ...], neg: Negation, j: int) -> bool:
    """The negator at ``j`` is itself negated ("불이익이 없다고는 말씀드릴 수 없습니다"): one of the
    ``undone`` patterns starts right after it, inside its clause."""
    if not neg.undone:
        return False
    end = j + 1
    while end < len(tokens) and not neg.breaks.matches(tokens[end]):
        end += 1
    rest = tokens[j + 1 : end + 1]
    return any(m.first == 0 for p in neg.undone for m in find_matches(p, rest)[:1])


def _sealed(tokens: tuple[Token, ...], neg: Negation, j: int, target: int) -> bool:
    """The negator at ``j`` sits in a condition or relative clause that ends before ``target``:
    "If you do not reply, your account may be closed" (a comma ends the condition), "Customers
    who do not respond may face penalties" (the main verb ends the relative clause once the
    clause's own negated verb, "respond", has come)."""
    opener = _opener(tokens, neg, j)
    if opener is None:
        return False
    verbal = neg.verbal.matches(tokens[j])
    own_verb = False
    for k in range(j + 1, target + 1):
        tok = tokens[k]
        if opener == "condition" and neg.condition_ends.matches(tok):
            return True
        if verbal and own_verb and neg.main_verbs.matches(tok):
            return True
        own_verb = own_verb or not tok.skippable
    return False


def _opener(tokens: tuple[Token, ...], neg: Negation, j: int) -> str | None:
    """``"condition"`` or ``"relative"`` when a clause opener ("if", "who") comes before the
    negator at ``j`` within its clause (before any break, comma or main verb), else None."""
    for k in range(j - 1, -1, -1):
        tok = tokens[k]
        if neg.conditional.matches(tok):
            return "condition"
        if neg.relative.matches(tok):
            return "relative"
        if any(e.matches(tok) for e in (neg.breaks, neg.condition_ends, neg.main_verbs)):
            return None
    return None


def _window(
    tokens: tuple[Token, ...], neg: Negation, edge: int, step: int, size: int
) -> list[tuple[int, int]]:
    """(index, distance) of the tokens next to ``edge``, going by ``step``, up to ``size``
    counted tokens, stopping at a clause break. Particles and ``uncounted`` tokens do not use up
    the window (they are as far as the last counted token before them)."""
    out: list[tuple[int, int]] = []
    counted = 0
    j = edge + step
    while 0 <= j < len(tokens) and counted < size:
        tok = tokens[j]
        if neg.breaks.matches(tok):
            break
        if not (tok.skippable or neg.uncounted.matches(tok)):
            counted += 1
        out.append((j, max(counted, 1)))
        j += step
    return out
