"""Load a language's rule file (``rules/<lang>.toml``) into typed, compiled values.

The rule file holds *cues* (named sets of patterns that signal something: an apology, a
threat ...), the *negation* settings (which words negate, how far, where a clause ends) and the
*checks* (which finding to raise when cues are absent or present, for which kinds of text, with
the message and suggested sentence). Lists several cues share are written once: ``[words]``
(alternatives of one word, ``@name`` inside a pattern) and ``[patterns]`` (whole patterns, an
``any``/``unless`` entry ``@name``). The file's own header explains how to extend it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sagwa.messagecheck.matcher import Element, Pattern, compile_element, compile_pattern, merge

LANGS = ("ko", "en")
#: ``follow_up``: a message after the customer's case is settled (a receipt: the difference they
#: paid was received): apology, explanation, contact and tone as any other, but it offers no
#: options and asks for nothing by a deadline.
#: ``seller_notice``: an email to a seller about an incident on their listings: tone only — no
#: threat, no blame (of the customers, of the seller, or disclaiming the platform's part) — and
#: a contact; no apology, explanation or options are owed to a seller, and it reports orders the
#: customers cancelled, so the fait-accompli cues (said to a customer) do not apply.
KINDS = ("resolution", "notice", "follow_up", "seller_notice")
WHENS = ("absent", "present", "days-above", "long-sentence", "hangul-below", "hangul-above")


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    any: tuple[Pattern, ...]
    all: tuple[tuple[Pattern, ...], ...]
    unless: tuple[Pattern, ...]
    negatable: bool
    # "near": an ``unless`` pattern in the match's clause or the one just before or after it
    # cancels the match; "clause": only one in the match's own clause (so that "the seller
    # apologised, and we apologise too" keeps the second apology); "sentence": anywhere in the
    # sentence ("판매자의 실수였지만, 이를 걸러내지 못한 것은 저희 책임입니다").
    unless_scope: str = "near"
    # Words that look like an exception and are none: "if you have any questions" has the "if"
    # of "if you prefer" and chooses nothing. Their occurrences are set aside before the
    # ``unless`` patterns are looked for: an exception neither lies in them nor spans them.
    unless_ignore: tuple[Pattern, ...] = ()
    # What no set-aside phrase may hold: an ``unless_ignore`` occurrence with one of these
    # inside is a choice, not a question ("If you would rather cancel and need help ...", "문의
    # 사항이 있거나 취소하시면"), and is not set aside.
    unless_ignore_without: tuple[Pattern, ...] = ()
    # Exceptions looked for in the sentence just before the match's (outside what
    # ``unless_ignore`` sets aside there): a choice whose consequence is the next sentence
    # ("If you would like to cancel, let us know. We will refund you in full.").
    unless_before: tuple[Pattern, ...] = ()
    # The same from the sentence just after: an alternative offered once the refund is said
    # ("We will refund you. If you prefer, we can ship it instead.").
    unless_after: tuple[Pattern, ...] = ()


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    severity: str
    kinds: tuple[str, ...]
    when: str
    cues: tuple[str, ...]
    min_distinct: int
    also_needs: tuple[str, ...]
    limit: int
    message: str
    suggestion: str
    # Cues that satisfy an "absent" check on their own, whatever ``min_distinct`` says (a list
    # of alternatives, "① … ② …" or "Reply 1 … or 2 …", offers a choice even when the rule
    # file has no cue for what each alternative is); ``also_needs`` still applies.
    enough: tuple[str, ...] = ()
    # A "present" check says nothing when one of these cues occurs anywhere in the message
    # ("the seller mistyped the price" is an explanation when the message also says the
    # mistake is the sender's to answer for, and blame-shifting when it does not).
    unless_anywhere: tuple[str, ...] = ()
    # A check about the incident's plan: it runs only when the caller passes the plan's default
    # (``check_message(..., plan_default=...)``) and it is one of these ("keep": a text that
    # cancels the orders of customers who do not answer contradicts the plan).
    plan_defaults: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Negation:
    """Negators before and after a cue, and clause breaks, each merged into one element."""

    before: Element
    after: Element
    breaks: Element
    window_before: int
    window_after: int
    # Negators whose scope is one short phrase ("free of charge", "without a fee"): they only
    # reach ``window_narrow`` tokens ahead, so "cancel free of charge for a refund" keeps "refund".
    narrow: Element
    window_narrow: int
    # Tokens that do not use up a window (Korean endings and auxiliaries: "받으시는 일은 전혀
    # 없습니다" puts many morphemes between the cue and its negator).
    uncounted: Element
    # Subordinate clauses (see ``cues.py``): a negator inside a condition ("if you do not reply")
    # or a relative clause ("customers who do not respond") governs only that clause. A condition
    # ends at a ``condition_ends`` token (a comma); either kind ends at one of ``main_verbs`` (a
    # modal, "face" ...) after the clause's own negated verb, when the negator is ``verbal``.
    conditional: Element
    relative: Element
    condition_ends: Element
    main_verbs: Element
    verbal: Element
    # Double negation: a negator whose own clause is negated again, as one of these patterns
    # says starting right after it ("없|다고는 말씀드릴 수 없습니다", "없|는 것은 아닙니다"), is undone.
    undone: tuple[Pattern, ...]
    # Particles that make the negator right after them affirm ("드릴 수밖에 없습니다": have no
    # choice but to).
    affirming: Element


@dataclass(frozen=True, slots=True)
class RuleSet:
    lang: str
    cues: dict[str, Cue]
    checks: tuple[Check, ...]
    negation: Negation
    # Speed (the notice editor checks while the writer types): each pattern that needs some
    # exact lemma is filed under the rarest-looking one (its smallest required set), so a
    # sentence only tries the patterns whose anchor lemma it contains, plus the unanchored ones.
    # Patterns made of prefixes only (``strengthen* .. check*``) are tried when every such
    # element has a prefix that some lemma of the sentence starts with.
    anchors: dict[str, frozenset[int]] = field(default_factory=dict, compare=False)
    unanchored: frozenset[int] = frozenset()
    prefixed: tuple[tuple[int, tuple[frozenset[str], ...]], ...] = ()

    def candidates(self, lemmas: frozenset[str]) -> set[int]:
        """``id()`` of every pattern that could match a sentence with these lemmas."""
        found = set(self.unanchored)
        if self.prefixed:
            starts = {lemma[:k] for lemma in lemmas for k in range(1, len(lemma) + 1)}
            found.update(
                pid for pid, needs in self.prefixed if all(not n.isdisjoint(starts) for n in needs)
            )
        for lemma in lemmas:
            ids = self.anchors.get(lemma)
            if ids:
                found.update(ids)
        return found


@cache
def load_rules(lang: str) -> RuleSet:
    """The compiled rules for ``lang`` (read once per process)."""
    source = resources.files("sagwa.messagecheck").joinpath("rules", f"{lang}.toml")
    return parse_rules(lang, tomllib.loads(source.read_text(encoding="utf-8")))


def parse_rules(lang: str, data: dict[str, Any]) -> RuleSet:
    words = {f"@{name}": alts for name, alts in data.get("words", {}).items()}
    lists = {f"@{name}": tuple(ps) for name, ps in data.get("patterns", {}).items()}
    if both := words.keys() & lists.keys():
        raise ValueError(f"{lang}.toml: {sorted(both)} name both a word list and a pattern list")
    for name, body in data["cues"].items():
        _check_cue_keys(lang, name, body, words.keys() | lists.keys())
    cues = {name: _cue(name, _expand(body, words, lists)) for name, body in data["cues"].items()}
    checks = tuple(_check(body) for body in data["checks"])
    for check in checks:
        unknown = (set(check.cues + check.also_needs + check.enough + check.unless_anywhere)
                   - cues.keys())
        if unknown:
            raise ValueError(f"{lang}.toml: check {check.code} names unknown cues {unknown}")
    neg = data["negation"]
    negation = Negation(
        before=_element(neg, "before"),
        after=_element(neg, "after"),
        breaks=_element(neg, "clause_breaks"),
        window_before=int(neg.get("window_before", 3)),
        window_after=int(neg.get("window_after", 3)),
        narrow=_element(neg, "narrow"),
        window_narrow=int(neg.get("window_narrow", 2)),
        uncounted=_element(neg, "uncounted"),
        conditional=_element(neg, "conditional"),
        relative=_element(neg, "relative"),
        condition_ends=_element(neg, "condition_ends"),
        main_verbs=_element(neg, "main_verbs"),
        verbal=_element(neg, "verbal"),
        undone=tuple(compile_pattern(p) for p in neg.get("undone", [])),
        affirming=_element(neg, "affirming"),
    )
    anchors, unanchored, prefixed = _index(cues)
    return RuleSet(lang, cues, checks, negation, anchors, unanchored, prefixed)


def _element(neg: dict[str, Any], key: str) -> Element:
    """The ``[negation]`` list ``key`` as one element (matching nothing when absent)."""
    return merge(tuple(compile_element(e) for e in neg.get(key, [])))


def _index(
    cues: dict[str, Cue],
) -> tuple[
    dict[str, frozenset[int]], frozenset[int], tuple[tuple[int, tuple[frozenset[str], ...]], ...]
]:
    anchors: dict[str, set[int]] = {}
    unanchored: set[int] = set()
    prefixed: list[tuple[int, tuple[frozenset[str], ...]]] = []
    for cue in cues.values():
        for pattern in (*cue.any, *(p for group in cue.all for p in group), *cue.unless):
            if not pattern.required and pattern.starts:
                prefixed.append((id(pattern), pattern.starts))
                continue
            if not pattern.required:
                unanchored.add(id(pattern))
                continue
            for lemma in min(pattern.required, key=len):
                anchors.setdefault(lemma, set()).add(id(pattern))
    anchored = {k: frozenset(v) for k, v in anchors.items()}
    return anchored, frozenset(unanchored), tuple(prefixed)


#: A cue's keys that hold a list of patterns (``_expand`` replaces ``@name`` entries in each).
_PATTERN_LISTS = ("any", "unless", "unless_ignore", "unless_ignore_without", "unless_before",
                  "unless_after")


#: Every key a cue may have.
_CUE_KEYS = frozenset({*_PATTERN_LISTS, "all", "negatable", "unless_scope"})


def _check_cue_keys(lang: str, name: str, body: dict[str, Any], named: set[str]) -> None:
    """Refuse a cue with a key it cannot have (a typo would otherwise be ignored), a pattern list
    that is not a list of strings, or an ``@name`` entry naming no list (``named``)."""
    if unknown := sorted(body.keys() - _CUE_KEYS):
        raise ValueError(f"{lang}.toml: cue {name}: unknown key(s) {unknown}; a cue may have "
                         f"{sorted(_CUE_KEYS)}")
    for key in _PATTERN_LISTS:
        entries = body.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise ValueError(f"{lang}.toml: cue {name}: '{key}' must be a list of patterns "
                             f"(strings), not {entries!r}")
        for entry in entries:
            for alt in (a for part in entry.split() for a in part.split("|")):
                if alt.startswith("@") and alt not in named:
                    raise ValueError(f"{lang}.toml: cue {name}: '{key}' names {alt}, which is "
                                     "no [words] or [patterns] list")
    groups = body.get("all", [])
    if not isinstance(groups, list) or not all(
            isinstance(g, list) and all(isinstance(p, str) for p in g) for g in groups):
        raise ValueError(f"{lang}.toml: cue {name}: 'all' must be a list of lists of patterns")


def _expand(body: dict[str, Any], words: dict[str, str],
            lists: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Replace each ``@name`` alternative (``@third``, ``@third|없|아니``) with the ``[words]``
    list of that name, and each entry of a pattern list (``any``, ``unless``,
    ``unless_ignore`` ...) that is just ``@name`` of a ``[patterns]`` list with the patterns of
    that list (exceptions shared by several cues)."""

    def sub(pattern: str) -> str:
        return " ".join("|".join(words.get(alt, alt) for alt in part.split("|"))
                        for part in pattern.split())

    out = dict(body)
    for key in _PATTERN_LISTS:
        out[key] = [sub(p) for entry in body.get(key, []) for p in lists.get(entry, (entry,))]
    out["all"] = [[sub(p) for p in group] for group in body.get("all", [])]
    return out


def _cue(name: str, body: dict[str, Any]) -> Cue:
    return Cue(
        name=name,
        any=tuple(compile_pattern(p) for p in body.get("any", [])),
        all=tuple(tuple(compile_pattern(p) for p in group) for group in body.get("all", [])),
        unless=tuple(compile_pattern(p) for p in body.get("unless", [])),
        negatable=bool(body.get("negatable", True)),
        unless_scope=_unless_scope(name, body.get("unless_scope", "near")),
        unless_ignore=tuple(compile_pattern(p) for p in body.get("unless_ignore", [])),
        unless_ignore_without=tuple(compile_pattern(p)
                                    for p in body.get("unless_ignore_without", [])),
        unless_before=tuple(compile_pattern(p) for p in body.get("unless_before", [])),
        unless_after=tuple(compile_pattern(p) for p in body.get("unless_after", [])),
    )


def _unless_scope(name: str, scope: str) -> str:
    if scope not in ("near", "clause", "sentence"):
        raise ValueError(f"cue {name}: 'unless_scope' must be 'near', 'clause' or 'sentence'")
    return scope


def _check(body: dict[str, Any]) -> Check:
    when = body.get("when", "absent")
    if when not in WHENS:
        raise ValueError(f"check {body.get('code')}: 'when' must be one of {WHENS}")
    return Check(
        code=body["code"],
        severity=body.get("severity", "error"),
        kinds=tuple(body.get("kinds", KINDS)),
        when=when,
        cues=tuple(body.get("cues", [])),
        min_distinct=int(body.get("min_distinct", 1)),
        also_needs=tuple(body.get("also_needs", [])),
        limit=int(body.get("limit", 0)),
        message=body["message"],
        suggestion=body.get("suggestion", ""),
        enough=tuple(body.get("enough", [])),
        unless_anywhere=tuple(body.get("unless_anywhere", [])),
        plan_defaults=tuple(body.get("plan_defaults", [])),
    )
