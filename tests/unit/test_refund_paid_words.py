"""What the customer's case page and the agent's script say of a case's refunds once finance
marks them paid (``customer_case_words.refund_status``, ``settled_script``): the Korean day it
was paid — all of it, or honestly only part — never finance's bank reference; until then,
"환불 요청 접수" and the policy's sentence on when a refund arrives.

A finance walkthrough marked a refund paid and found the customer's page still saying "환불 요청
접수" and the agent's script still reading the refund's timing as if it were pending."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.cancel_instead import ReplacedDiscount
from sagwa.domain.case_figures import case_figures
from sagwa.domain.catalog import Customer
from sagwa.domain.consent import ConsentRecord
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import Case, CaseStatus, Incident, IncidentStatus, OrderRecord
from sagwa.domain.money import Money
from sagwa.domain.refunds import Refund
from sagwa.services import desk_messages as dm
from sagwa.web.pages.case_facts import CaseFacts
from sagwa.web.pages.customer_case_words import CHOSEN, amounts, refund_status
from sagwa.web.pages.settled_script import settled_script

SEOUL = ZoneInfo("Asia/Seoul")
KRW = "KRW"
ORDERED_AT = datetime(2026, 12, 5, 20, 0, tzinfo=SEOUL)
CHOSEN_AT = datetime(2026, 12, 6, 10, 0, tzinfo=SEOUL)  # Sunday
#: Sunday 23:30 UTC is Monday 08:30 in Korea: the day said is Korea's
PAID_AT = datetime(2026, 12, 6, 23, 30, tzinfo=ZoneInfo("UTC"))
REFERENCE = "KB-1207-0001"
TIMING = {"ko": "환불은 3영업일 안에 해 드립니다.", "en": "We refund you within 3 business days."}
PLAN = IncidentPlan(
    7, frozenset({CustomerOption.KEEP, CustomerOption.CANCEL_WITH_COMPENSATION}),
    datetime(2026, 12, 10, 18, 0, tzinfo=SEOUL), DefaultAction.KEEP, 100, 0,
    datetime(2026, 12, 5, 22, 0, tzinfo=SEOUL), Money(185_000, KRW))


def _refund(refund_id: int, *, paid_at: datetime | None = None) -> Refund:
    return Refund(refund_id, 40 + refund_id, 1, 100 + refund_id, 3, Money(19_900, KRW),
                  CHOSEN_AT, CHOSEN_AT.date() + timedelta(days=3), paid_at,
                  REFERENCE if paid_at else None, "finance:park" if paid_at else None)


def _cancelled(*refunds: Refund) -> CaseFacts:
    """김민준's two orders of one unit at 19,900, cancelled by his choice on Sunday 6 Dec."""
    orders = tuple(OrderRecord(100 + n, 3, 11, 1, Money(19_900, KRW), ORDERED_AT, "cancelled")
                   for n in (1, 2))
    consent = ConsentRecord(1, 3, CustomerOption.CANCEL_WITH_COMPENSATION, "web", CHOSEN_AT,
                            "pressed cancel")
    case = Case(1, 7, 3, orders, Money(2 * 165_100, KRW), CaseStatus.CHOSEN, consent)
    incident = Incident(7, frozenset({11}), Money(19_900, KRW), ORDERED_AT, "가격 입력 실수",
                        ORDERED_AT, "admin:test", IncidentStatus.NOTIFYING,
                        Money(185_000, KRW))
    facts = dm.IncidentFacts(incident, "무선 이어폰", "Wireless earphones", "하늘디지털",
                             Money(185_000, KRW))
    figures = case_figures(case, {}, PLAN.correct_price)
    return CaseFacts(CaseRow(case, ORDERED_AT, 55), Customer(3, "김민준", None, None, "ko"),
                     PLAN, facts, figures.paid, figures, refunds=refunds)


def _script(case: CaseFacts, lang: str, instead: ReplacedDiscount | None = None) -> str:
    return settled_script(case, CHOSEN, instead, lang, refund_timing=TIMING[lang])


@pytest.mark.parametrize("refunds", [(), (_refund(1), _refund(2))])
def test_an_unpaid_refund_still_reads_as_requested_with_the_policys_timing(
        refunds: tuple[Refund, ...]) -> None:
    case = _cancelled(*refunds)
    # with the refunds recorded, the day they are due by (not the rule alone: a customer walk)
    due_ko, due_en = (" · 12월 9일(수)까지 지급", " · due by Wednesday, December 9") if refunds \
        else ("", "")
    assert refund_status(case, "ko") == "환불 요청 접수 · 12월 6일(일)" + due_ko
    assert refund_status(case, "en") == "refund requested · Sunday, December 6" + due_en
    assert TIMING["ko"] in _script(case, "ko") and TIMING["en"] in _script(case, "en")
    assert "지급되었" not in _script(case, "ko") and "was paid" not in _script(case, "en")


def test_a_refund_paid_in_full_says_so_with_the_korean_day_it_was_paid() -> None:
    case = _cancelled(_refund(1, paid_at=PAID_AT - timedelta(hours=1)), _refund(2, paid_at=PAID_AT))
    assert refund_status(case, "ko") == "환불 지급 완료 · 12월 7일(월)"
    assert refund_status(case, "en") == "refund paid · Monday, December 7"
    assert dict(amounts(case, "ko"))["환불 금액"] == "39,800원 (2개) · 환불 지급 완료 · 12월 7일(월)"
    # finance's bank reference is theirs, not the customer's
    for lang in ("ko", "en"):
        assert all(REFERENCE not in how for _, how in amounts(case, lang))


def test_a_refund_paid_in_part_says_what_was_paid_and_what_is_still_requested() -> None:
    case = _cancelled(_refund(1, paid_at=PAID_AT), _refund(2))
    assert refund_status(case, "ko") == (
        "환불 일부 지급 완료 · 19,900원 12월 7일(월) 지급 · 나머지 19,900원 환불 요청 접수 · "
        "12월 9일(수)까지 지급")
    assert refund_status(case, "en") == (
        "refund partly paid · 19,900 KRW paid on Monday, December 7 · the other 19,900 KRW: "
        "refund requested · due by Wednesday, December 9")
    assert "환불 지급 완료 ·" not in refund_status(case, "ko")


def test_the_script_says_the_refund_was_paid_instead_of_when_it_will_arrive() -> None:
    case = _cancelled(_refund(1, paid_at=PAID_AT), _refund(2, paid_at=PAID_AT))
    ko, en = _script(case, "ko"), _script(case, "en")
    assert "환불 금액 39,800원은 12월 7일(월)에 지급되었습니다." in ko and TIMING["ko"] not in ko
    assert "Your refund of 39,800 KRW was paid on Monday, December 7." in en
    assert TIMING["en"] not in en and REFERENCE not in ko + en


def test_the_script_of_a_part_paid_refund_keeps_the_timing_for_the_rest() -> None:
    case = _cancelled(_refund(1, paid_at=PAID_AT), _refund(2))
    ko, en = _script(case, "ko"), _script(case, "en")
    assert ("환불 금액 중 19,900원은 12월 7일(월)에 지급되었고, 나머지 19,900원은 아직 지급 전입니다. "
            + TIMING["ko"]) in ko
    assert ("Of your refund, 19,900 KRW was paid on Monday, December 7; the other 19,900 KRW "
            "is not paid yet. " + TIMING["en"]) in en


def test_the_script_of_a_cancellation_instead_says_its_refund_was_paid() -> None:
    case = _cancelled(_refund(1, paid_at=PAID_AT), _refund(2, paid_at=PAID_AT))
    instead = ReplacedDiscount(CHOSEN_AT, "customer", CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT,
                               Money(100_000, KRW), Money(39_800, KRW), 0)
    said = _script(case, "ko", instead)
    assert "12월 7일(월)에 지급되었습니다." in said and TIMING["ko"] not in said
