"""The incident timeline as people read it: actions, subjects and details in the page's language.

``services.desk_report`` gives each step as codes and ``key=value`` text (``incident.scoped``,
``incident 3``, ``status=scoped, new_cases=3``), which the postmortem keeps; this module says
them in words: 영향 범위 확정 · 사고 #3 · 상태: 범위 확정 · 새 고객 3명. A guard reason (stored in
English on the audit log) is shown in Korean when the price change it came from has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sagwa.services.desk_report import TimelineEntry
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import seoul

#: The detail keys ``desk_report`` writes, in the order a reader wants them.
_KEYS = ("status", "new_cases", "cases", "messages", "send_at", "deadline", "version", "lang",
         "observed", "reason")
_SPLIT = re.compile(r"(?:^|, )(" + "|".join(_KEYS) + ")=")
_SUBJECT = re.compile(r"^(?P<kind>[a-z_]+) (?P<id>\S+)$")
_CASES = re.compile(r"^(?P<n>\d+) case\(s\)$")
_KINDS = {"incident": ("사고", "incident"), "listing": ("상품", "listing"),
          "order": ("주문", "order"), "case": ("건", "case")}
_ACTORS = {"customer": ("고객", "customer"), "system:tripwire": ("주문 급증 감시", "order tripwire")}


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    actor: str
    action_code: str
    action: str
    subject: str
    detail: str


def parse_detail(detail: str) -> dict[str, str]:
    """``"status=scoped, new_cases=3"`` -> ``{"status": "scoped", "new_cases": "3"}``."""
    parts = _SPLIT.split(detail)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _t(lang: str, ko: str, en: str) -> str:
    return ko if lang == "ko" else en


def _subject(entity: str, lang: str) -> str:
    if found := _CASES.match(entity):
        n = found["n"]
        return _t(lang, f"고객 {n}명", f"{n} case(s)")
    if (found := _SUBJECT.match(entity)) and found["kind"] in _KINDS:
        ko, en = _KINDS[found["kind"]]
        return f"{_t(lang, ko, en)} #{found['id']}"
    return entity


def _when(value: str) -> str:
    try:
        return seoul(datetime.fromisoformat(value))
    except ValueError:
        return value


def _detail(values: Mapping[str, str], vocabulary: str | None, lang: str,
            reasons_ko: Mapping[str, str]) -> str:
    said = []
    for key in _KEYS:
        value = values.get(key)
        if value is None or value in ("", "None"):
            continue
        if key == "status" and vocabulary:
            said.append(f"{_t(lang, '상태', 'status')}: {label(vocabulary, value, lang)}")
        elif key in ("send_at", "deadline"):
            ko, en = ("발송", "sending") if key == "send_at" else ("답변 기한", "deadline")
            said.append(f"{_t(lang, ko, en)} {_when(value)}")
        elif key == "reason":
            reason = reasons_ko.get(value, value) if lang == "ko" else value
            said.append(f"{_t(lang, '사유', 'reason')}: {reason}")
        else:
            said.append(_counted(key, value, lang))
    return " · ".join(said)


def _counted(key: str, value: str, lang: str) -> str:
    phrases = {"new_cases": ("새 고객 {v}명", "{v} new cases"), "cases": ("고객 {v}명", "{v} cases"),
               "messages": ("메시지 {v}통", "{v} messages"), "version": ("{v}판", "version {v}"),
               "observed": ("관측된 주문 {v}건", "{v} orders observed")}
    if key == "lang":
        return label("language", value, lang)
    ko, en = phrases.get(key, (f"{key}={{v}}", f"{key}={{v}}"))
    return _t(lang, ko, en).format(v=value)


def timeline_rows(entries: Iterable[TimelineEntry], lang: str, *,
                  reasons_ko: Mapping[str, str] | None = None) -> list[TimelineRow]:
    """``entries`` said in ``lang`` (times in Korea time); ``reasons_ko`` maps a guard reason
    in English to the Korean one stored with it."""
    rows = []
    for e in entries:
        kind = e.action.split(".", 1)[0]
        vocabulary = kind if kind in ("incident", "listing") else None
        actor = _ACTORS.get(e.actor)
        rows.append(TimelineRow(
            e.at, _t(lang, *actor) if actor else e.actor, e.action, label("action", e.action, lang),
            _subject(e.entity, lang),
            _detail(parse_detail(e.detail), vocabulary, lang, reasons_ko or {})))
    return rows
