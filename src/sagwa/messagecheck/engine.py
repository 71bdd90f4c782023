"""``check_message``: analyse a text, run its language's checks, return typed findings.

Pure: no I/O beyond reading the packaged rule files once, no clock, no settings. The Korean
analyser (Kiwi) and the rule files are loaded once per process, on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sagwa.errors import InvalidInput
from sagwa.messagecheck import english, korean
from sagwa.messagecheck.analysis import Document, Sentence
from sagwa.messagecheck.cues import Hit, find_hits
from sagwa.messagecheck.patterns import longest_span_days, without_entities
from sagwa.messagecheck.ruleset import KINDS, LANGS, Check, load_rules

_ANALYSERS: dict[str, Callable[[str], Document]] = {"ko": korean.analyse, "en": english.analyse}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a stable ``code``, ``error`` or ``warning``, where (if anywhere), why, and a
    sentence the writer may add or use instead."""

    code: str
    severity: str
    span: tuple[int, int] | None
    message: str
    suggestion: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "span": list(self.span) if self.span else None,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """False when any finding is an error; warnings alone leave a message ok."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.as_dict() for f in self.findings]}

    def adding(self, findings: tuple[Finding, ...]) -> CheckResult:
        """This result with ``findings`` added, in the check's order (errors first)."""
        return CheckResult(_ordered([*self.findings, *findings])) if findings else self


def check_message(text: str, *, kind: str, lang: str,
                  plan_default: str | None = None) -> CheckResult:
    """Check ``text`` (a ``resolution`` or ``notice``, in ``ko`` or ``en``).

    ``plan_default``: what the incident's plan does with an order whose customer does not
    answer (``keep``, ``follow_up_call``), when the caller knows the plan; the checks of the
    rule file that need it (``plan_defaults``: a text that cancels on silence against a plan
    that keeps) run only then. Raises :class:`~sagwa.errors.InvalidInput` for an unknown kind
    or language.
    """
    return CheckResult(_ordered(_findings(text, kind, lang, plan_default, plan_only=False)))


def check_against_plan(text: str, *, kind: str, lang: str, plan_default: str) -> CheckResult:
    """Only the findings of the checks that need the plan (see :func:`check_message`), for a
    caller that has the rest already (``CheckResult.adding``)."""
    return CheckResult(_ordered(_findings(text, kind, lang, plan_default, plan_only=True)))


def _findings(text: str, kind: str, lang: str, plan_default: str | None,
              plan_only: bool) -> list[Finding]:
    validate(kind=kind, lang=lang)
    if not isinstance(text, str):
        raise InvalidInput("text must be a string", type=type(text).__name__,
                           reason="text_not_a_string")
    rules = load_rules(lang)
    doc = _ANALYSERS[lang](text)
    hits = find_hits(doc, rules)
    findings: list[Finding] = []
    for check in rules.checks:
        if kind in check.kinds and _applies(check, plan_default, plan_only):
            findings.extend(_run(check, doc, hits))
    return findings


def _applies(check: Check, plan_default: str | None, plan_only: bool) -> bool:
    """A check that needs the plan runs when its default is one the check is about."""
    if not check.plan_defaults:
        return not plan_only
    return plan_default in check.plan_defaults


def _ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    """One finding per code and span (two checks of blame-shift may point at one sentence),
    errors first, then by where."""
    unique = list({(f.code, f.span): f for f in reversed(findings)}.values())[::-1]
    unique.sort(key=lambda f: (f.severity != "error", f.span is not None, f.span or (0, 0)))
    return tuple(unique)


def validate(*, kind: str, lang: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}", kind=kind,
                           reason="message_kind_unknown")
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}",
                           lang=lang, reason="lang_unknown")


def _run(check: Check, doc: Document, hits: dict[str, list[Hit]]) -> list[Finding]:
    if check.when == "present":
        if any(hits[name] for name in check.unless_anywhere):
            return []
        return [_finding(check, span) for span in _spans_by_sentence(check, hits)]
    if check.when == "days-above":
        return [_finding(check, span) for span in _long_spans(check, doc, hits)]
    if check.when == "long-sentence":
        return [
            _finding(check, (s.start, s.end))
            for s in doc.sentences
            if _reading_length(s) > check.limit
        ]
    if check.when in ("hangul-below", "hangul-above"):
        share = hangul_share(doc.text)
        if share is None:
            return []
        below = share * 100 < check.limit
        return [_finding(check, None)] if below == (check.when == "hangul-below") else []
    distinct = sum(1 for name in check.cues if hits[name])
    enough = distinct >= check.min_distinct or any(hits[n] for n in check.enough)
    satisfied = enough and all(hits[n] for n in check.also_needs)
    return [] if satisfied else [_finding(check, None)]


MIN_LETTERS_FOR_SCRIPT = 12


def hangul_share(text: str) -> float | None:
    """The share of letters that are Hangul, or None for too few letters to tell."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS_FOR_SCRIPT:
        return None
    hangul = sum(1 for c in letters if "\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff"
                 or "\u3130" <= c <= "\u318f")
    return hangul / len(letters)


def _spans_by_sentence(check: Check, hits: dict[str, list[Hit]],
                       keep: Callable[[Hit], bool] = lambda hit: True) -> list[tuple[int, int]]:
    """One span per sentence (the earliest occurrence ``keep`` keeps), so overlapping cues do
    not repeat."""
    first: dict[int, tuple[int, int]] = {}
    for name in check.cues:
        for hit in hits[name]:
            if keep(hit) and (hit.sentence not in first or hit.span < first[hit.sentence]):
                first[hit.sentence] = hit.span
    return [first[k] for k in sorted(first)]


def _long_spans(check: Check, doc: Document,
                hits: dict[str, list[Hit]]) -> list[tuple[int, int]]:
    """``days-above``: the occurrences of the check's cues that state a span of time longer
    than ``limit`` days ("환불은 영업일 기준 10일 이내" with a limit of 3), one per sentence.
    Dates, times, money and the like inside an occurrence are not spans of time ("12월 8일")."""
    plain = without_entities(doc.text, doc.entities)

    def too_long(hit: Hit) -> bool:
        days = longest_span_days(plain[hit.span[0] : hit.span[1]])
        return days is not None and days > check.limit

    return _spans_by_sentence(check, hits, too_long)


def _finding(check: Check, span: tuple[int, int] | None) -> Finding:
    return Finding(check.code, check.severity, span, check.message, check.suggestion)


#: Entities nobody reads letter by letter: a link or an address counts as this many characters
#: towards a sentence's length (a case link of 90 characters made a short sentence "long").
_SKIMMED = {"<URL>": 4, "<EMAIL>": 4}


def _reading_length(sentence: Sentence) -> int:
    """Characters a reader reads in ``sentence``: its span, with each link or email address
    counted as a few characters."""
    length = sentence.end - sentence.start
    for token in sentence.tokens:
        if token.lemma in _SKIMMED:
            length -= (token.end - token.start) - _SKIMMED[token.lemma]
    return length
