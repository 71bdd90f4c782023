"""A customer's own copy of what sagwa holds about them (개인정보 보호법 제35조, 열람): to hand
them within the law's ten days. JSON, times in Korea time, money in whole units of its
currency beside the stored minor units; staff accounts' names left out (theirs, not the
customer's). Making it is audited (``customer.copy_made``: who, what it held, and a digest of
why — the request it answers may name the customer)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sagwa.domain.audit import AuditEvent
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.errors import InvalidInput
from sagwa.services.customer_erasure import NOTHING_TO_COPY, require_not_erased
from sagwa.services.recorded_texts import audit_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

COPY_ACTION = "customer.copy_made"
#: What the copy says it is, first, in both languages.
ABOUT = {"ko": "sagwa가 보관 중인 고객님의 개인정보 사본입니다 (개인정보 보호법 제35조).",
         "en": "A copy of the personal data sagwa holds about you (PIPA article 35)."}


def customer_copy(uow: SqlAlchemyUnitOfWork, *, customer_id: int, actor: str,
                  reason: str) -> dict[str, Any]:
    """Everything held about ``customer_id``, by kind; ``reason`` (the request it answers)
    is required and recorded."""
    why = " ".join((reason or "").split())
    if not why:
        raise InvalidInput("사본을 만드는 까닭을 적어 주십시오(예: 고객의 열람 요청과 그 날짜). 기록에 "
                           "남습니다 — give the reason for the copy (e.g. the customer's request "
                           "and its date): it is recorded", field="reason",
                           reason="copy_reason_missing")
    with uow:
        require_not_erased(uow, customer_id, then=NOTHING_TO_COPY)  # no reason kept either
        held = uow.personal_data.copy_for(customer_id)
        now = uow.now()
        uow.audit.append(AuditEvent(actor, COPY_ACTION, "customer", str(customer_id),
                                    after={**audit_text(uow, "reason", why),
                                           "counts": {k: len(v) for k, v in held.items()}}),
                         now)
        uow.commit()
    [profile] = held.pop("customer")
    return {"about": ABOUT, "made_at": _value("made_at", now), "customer_id": customer_id,
            "customer": _shown(profile), **{k: [_shown(r) for r in v] for k, v in held.items()}}


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: _value(k, v) for k, v in row.items()}
    if "amount_minor" in row or "unit_price_minor" in row:
        key = "amount_minor" if "amount_minor" in row else "unit_price_minor"
        exponent = CURRENCY_EXPONENTS.get(row.get("currency") or "", 0)
        out[key.removesuffix("_minor")] = row[key] / 10 ** exponent if exponent else row[key]
    return out


def _value(key: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(SEOUL).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
