"""The incident timeline as people read it: actions, subjects and details in the page's language.

``services.desk_report`` gives each step as codes and recorded facts (``incident.scoped`` on
incident 3, ``{"status": "scoped", "new_cases": 3}``); this module says them in words: 영향 범위
확정 · 사고 #3 · 상태: 범위 확정 · 새 고객 3명. A guard reason (stored in English on the audit log)
is shown in Korean when the price change it came from has one. A plan decided says the plan,
or what it changed (``plan_words``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sagwa.domain.money import Money, format_money
from sagwa.priceguard.tripwire_words import by_size
from sagwa.services.desk_report import TIMELINE_FACTS, TimelineEntry
from sagwa.web.pages.i18n import in_lang as _t
from sagwa.web.pages.labels import SYSTEM_ACTORS, TRIPWIRE_PAUSE_BY_SIZE, label
from sagwa.web.pages.plan_words import plan_detail
from sagwa.web.pages.rendering import seoul

_KINDS = {"incident": ("사고", "incident"), "listing": ("상품", "listing"),
          "order": ("주문", "order"), "case": ("건", "case")}
#: Actions on these entities record a status with a label of the same vocabulary name.
_STATUS_VOCABULARIES = ("incident", "listing")
_ACTORS = {"customer": ("고객", "customer"), **SYSTEM_ACTORS}


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    actor: str
    action_code: str
    action: str
    subject: str
    detail: str
    actor_id: str = ""
    """The audit log's own name for the actor (``seller:seller``), for a title attribute."""
    case_ids: tuple[int, ...] = ()
    """The cases of a case step, when few enough to list (:data:`MAX_LISTED`): the page links
    each; ``subject`` names them as text too."""
    counted: str = ""
    """``subject`` without the case numbers (``고객 1명``), for the page to put its links after."""


#: A case step names its cases (``#12``) when there are at most this many; more are counted.
MAX_LISTED = 3


def _case_ids(entry: TimelineEntry) -> tuple[int, ...]:
    """The cases a grouped step is about, when ``desk_report`` names them (``case_ids``, in
    number order already) and they are few enough to list; else none."""
    ids = tuple(int(i) for i in entry.case_ids)
    return ids if len(ids) <= MAX_LISTED else ()


def _subject(entry: TimelineEntry, lang: str) -> str:
    if entry.case_count is not None:
        n, records = entry.case_count, entry.records or entry.case_count
        if entry.entity_kind == "order":
            return _t(lang, f"주문 {records}건 · 고객 {n}명", entry.entity)
        if records != n:
            return _t(lang, f"고객 {n}명 · 기록 {records}건", entry.entity)
        return _t(lang, f"고객 {n}명", f"{n} case{'' if n == 1 else 's'}")
    if entry.entity_kind in _KINDS:
        ko, en = _KINDS[entry.entity_kind]
        return f"{_t(lang, ko, en)} #{entry.entity_id}"
    return entry.entity


def _when(value: Any, lang: str) -> str:
    if isinstance(value, datetime):
        return seoul(value, lang=lang)
    try:
        return seoul(datetime.fromisoformat(str(value)), lang=lang)
    except ValueError:
        return str(value)


def _detail(facts: Mapping[str, Any], vocabulary: str | None, lang: str,
            reasons_ko: Mapping[str, str], own_ko: str | None = None) -> str:
    said = []
    for key in TIMELINE_FACTS:
        raw = facts.get(key)
        if raw is None or raw == "":
            continue
        if isinstance(raw, Money):
            raw = format_money(raw, lang=lang)
        value = str(raw)
        if key == "status" and vocabulary:
            said.append(f"{_t(lang, '상태', 'status')}: {label(vocabulary, value, lang)}")
        elif key in ("send_at", "deadline", "replies_until"):
            ko, en = {"send_at": ("발송", "sending"), "deadline": ("답변 기한", "deadline"),
                      "replies_until": ("기한까지 온 답장 기록 마감",
                                        "replies that came in time recorded until")}[key]
            said.append(f"{_t(lang, ko, en)} {_when(raw, lang)}")
        elif key == "why":
            said.append(label("why", value, lang))
        elif key == "email_change":
            said.append(label("email_change", value, lang))
        elif key == "reason":
            # the Korean kept with the record (a hold at publication), else with its change
            reason = (own_ko or reasons_ko.get(value, value)) if lang == "ko" else value
            said.append(f"{_t(lang, '사유', 'reason')}: {reason}")
        else:
            said.append(_counted(key, value, lang))
    return " · ".join(said)


def _counted(key: str, value: str, lang: str) -> str:
    phrases = {"new_cases": ("새 고객 {v}명", "{v} new cases"), "cases": ("고객 {v}명", "{v} cases"),
               "messages": ("메시지 {v}통", "{v} messages"), "version": ("{v}판", "version {v}"),
               "observed": ("관측된 주문 {v}건", "{v} orders observed"),
               "units": ("수량 {v}개", "{v} units"), "refunded": ("환불 {v}", "refunded {v}"),
               "difference": ("차액 {v}", "difference {v}")}
    if key == "lang":
        return label("language", value, lang)
    ko, en = phrases.get(key, (f"{key}={{v}}", f"{key}={{v}}"))
    if lang != "ko" and value == "1" and en.startswith("{v} ") and en.endswith("s"):
        en = en[:-1]  # "1 unit", "1 new case", "1 message"
    elif lang != "ko" and value == "1" and en.startswith("{v} orders "):
        en = en.replace("orders", "order", 1)  # "1 order observed"
    return _t(lang, ko, en).format(v=value)


def timeline_rows(entries: Iterable[TimelineEntry], lang: str, *,
                  reasons_ko: Mapping[str, str] | None = None,
                  actor_names: Mapping[str, str] | None = None) -> list[TimelineRow]:
    """``entries`` said in ``lang`` (times in Korea time); ``reasons_ko`` maps a guard reason
    in English to the Korean one stored with it; ``actor_names`` an audit-log name to the name
    people know (``services.actor_names.actor_names``: a seller's name, an account's
    username), the raw one kept as ``actor_id``."""
    rows = []
    names = actor_names or {}
    for e in entries:
        kind = e.action.split(".", 1)[0]
        vocabulary = kind if kind in _STATUS_VOCABULARIES else None
        actor = _ACTORS.get(e.actor)
        # a plan decided says the plan (or what it changed), not only its deadline
        detail = (plan_detail(e.plan, e.plan_before, lang) if e.plan
                  else _detail(e.facts, vocabulary, lang, reasons_ko or {}, e.reason_ko))
        counted, ids = _subject(e, lang), _case_ids(e)
        subject = " · ".join([counted, ", ".join(f"#{i}" for i in ids)]) if ids else counted
        rows.append(TimelineRow(
            e.at, _t(lang, *actor) if actor else names.get(e.actor, e.actor), e.action,
            _action(e, lang), subject, detail, e.actor, ids, counted))
    return rows


def _action(entry: TimelineEntry, lang: str) -> str:
    """The step's action in words; the tripwire's pause by what tripped it: an order far
    larger than usual is not a surge of orders."""
    if entry.action == "listing.paused_by_tripwire" and by_size(entry.tripped_by):
        one = entry.facts.get("observed") == 1
        return _t(lang, *TRIPWIRE_PAUSE_BY_SIZE["one" if one else "few"])
    return label("action", entry.action, lang)
