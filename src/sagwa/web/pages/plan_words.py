"""A resolution plan in words, for the operators' incident page: what a plan offers
(:func:`plan_terms` — the timeline's first "plan decided" step, the plan saved now beside a
form refused as stale) and what a revision changed (:func:`plan_changes`).

A plan comes as the audit log records it (``plan_version.plan_record``: points as a Money dict, the
deadline in Korea time) or as the status view gives it (``IncidentStatusView.plan``: points as
a number); a term an older record lacks is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagwa.domain.incident_plan import CustomerOption
from sagwa.services.desk_messages import choice_label
from sagwa.web.pages.i18n import in_lang as _t
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import seoul

Plan = Mapping[str, Any]


def _points(value: Any) -> int | None:
    """The cancellation's points: a Money dict (the audit log's), a number (the status
    view's), or None (the plan gives none)."""
    if isinstance(value, Mapping):
        return int(value.get("amount_minor") or 0)
    return None if value is None else int(value)


def _options(plan: Plan, lang: str) -> list[str]:
    """The plan's options by name, in the order the form lists them."""
    offered = set(plan.get("options") or ())
    points = _points(plan.get("cancel_compensation"))
    known = [o.value for o in CustomerOption]
    return [choice_label(o, lang, points=points) if o in known else str(o)
            for o in known + sorted(offered - set(known)) if o in offered]


def _compensation(points: int | None, lang: str) -> str:
    if points is None:
        return _t(lang, "없음", "none")
    if points == 0:
        return _t(lang, "없음(전액 환불만)", "none (a full refund only)")
    return _t(lang, f"{points:,}포인트", f"{points:,} points")


def _split(plan: Plan, lang: str) -> str:
    seller, platform = plan.get("seller_share_pct"), plan.get("platform_share_pct")
    return _t(lang, f"판매자 {seller}%, 플랫폼 {platform}%",
              f"seller {seller}%, platform {platform}%")


def _late(value: Any, lang: str) -> str:
    return _t(lang, "받음", "accepted") if value else _t(lang, "받지 않음", "refused")


def plan_terms(plan: Plan, lang: str) -> list[str]:
    """What ``plan`` offers, a term a string: options, default, the cancellation's points
    (where it offers cancelling), discount, keep cap, the compensation's split, late answers (if taken),
    deadline."""
    said = [f"{_t(lang, '선택지', 'options')}: {', '.join(_options(plan, lang))}",
            f"{_t(lang, '미응답 시', 'if no answer')}: {label('default', plan.get('default'), lang)}"]
    if CustomerOption.CANCEL_WITH_COMPENSATION.value in (plan.get("options") or ()):
        points = _points(plan.get("cancel_compensation"))
        said.append(f"{_t(lang, '취소 보상', 'cancel compensation')}: {_compensation(points, lang)}")
    if plan.get("discount_pct") is not None:
        said.append(_t(lang, f"정상가 {plan['discount_pct']}% 할인",
                       f"{plan['discount_pct']}% off the correct price"))
    if plan.get("keep_max_units") is not None:
        said.append(_t(lang, f"유지 시 1인 최대 {plan['keep_max_units']}개",
                       f"keep: at most {plan['keep_max_units']} per customer"))
    if "seller_share_pct" in plan:
        said.append(f"{_t(lang, '보상 포인트 분담', 'compensation (points) split')}: "
                    f"{_split(plan, lang)}")
    if plan.get("accept_late_choices"):
        said.append(_t(lang, "기한 뒤 답변도 받음", "answers after the deadline accepted"))
    if plan.get("deadline"):
        said.append(f"{_t(lang, '답변 기한', 'deadline')} {seoul(plan['deadline'], lang=lang)}")
    return said


def plan_changes(before: Plan, after: Plan, lang: str) -> list[str]:
    """What changed from ``before`` to ``after``, a change a string (``취소 보상 5,000포인트 →
    3,000포인트``); empty when nothing did. A term changed when it reads otherwise."""
    said = []
    was, now = set(before.get("options") or ()), set(after.get("options") or ())
    for option in _options({**after, "options": sorted(now - was)}, lang):
        said.append(_t(lang, f"{option} 선택지 추가", f"new option: {option}"))
    for option in _options({**before, "options": sorted(was - now)}, lang):
        said.append(_t(lang, f"{option} 선택지 제외", f"option dropped: {option}"))
    for ko, en, say in _TERMS:
        old, new = say(before, lang), say(after, lang)
        if old != new:
            said.append(f"{_t(lang, ko, en)} {old} → {new}")
    return said


def _count(value: Any, lang: str) -> str:
    return "—" if value is None else _t(lang, f"{value}개", f"{value} per customer")


#: The terms :func:`plan_changes` compares beside the options: (Korean, English, how it reads).
_TERMS: tuple[tuple[str, str, Any], ...] = (
    ("미응답 시", "if no answer", lambda p, lang: label("default", p.get("default"), lang)),
    ("취소 보상", "cancel compensation",
     lambda p, lang: _compensation(_points(p.get("cancel_compensation")), lang)),
    ("할인율", "discount", lambda p, lang: "—" if p.get("discount_pct") is None
     else f"{p['discount_pct']}%"),
    ("유지 시 1인 최대", "keep: at most", lambda p, lang: _count(p.get("keep_max_units"), lang)),
    ("기한 뒤 답변", "answers after the deadline",
     lambda p, lang: _late(p.get("accept_late_choices"), lang)),
    ("보상 포인트 분담", "compensation (points) split", _split),
    ("답변 기한", "deadline",
     lambda p, lang: seoul(p["deadline"], lang=lang) if p.get("deadline") else "—"),
)


def plan_detail(after: Plan, before: Plan | None, lang: str) -> str:
    """A "plan decided" timeline step's detail: the plan's terms when it is the first one;
    what changed when it revised one (its terms, if a revision changed nothing it records)."""
    if before:
        changed = plan_changes(before, after, lang)
        if changed:
            return f"{_t(lang, '바뀐 것', 'changed')}: " + " · ".join(changed)
    return " · ".join(plan_terms(after, lang))
