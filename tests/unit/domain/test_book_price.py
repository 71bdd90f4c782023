"""An incident plan for a book keeps the fixed book price law's floor (도서정가제): the legal
review's incident 2 (채식주의자, 정가 15,000원, sold at 13,500원, wrong price 1,350원)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.book_price import BookFloor, book_floor, check_book_price_law, max_lawful_discount
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import IncidentPlan, make_plan
from sagwa.domain.incidents import declare
from sagwa.domain.money import Money
from sagwa.errors import BookPriceLawRefused, InvalidInput
from sagwa.priceguard import load_rules
from sagwa.web.pages.error_texts import error_text

KST = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=KST)  # a Friday
SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)
LIST_PRICE = Money(15_000, "KRW")
#: The packaged price guard's floor for books: the one the plan is held to.
BOOK = book_floor(LIST_PRICE, load_rules().list_floor_pct("books"), "KRW")


def _incident(wrong: int, correct: int) -> Any:
    return declare(
        incident_id="inc-2", listing_ids={3}, wrong_price=Money(wrong, "KRW"),
        correct_price=Money(correct, "KRW"), window_start=datetime(2026, 12, 3, 11, 0, tzinfo=KST),
        now=datetime(2026, 12, 3, 17, 30, tzinfo=KST), cause="typo", responsible="seller",
        declared_by="operator:kim").incident  # fmt: skip


def _plan(wrong: int = 1_350, correct: int = 13_500, **overrides: Any) -> IncidentPlan:
    args: dict[str, Any] = {
        "incident": _incident(wrong, correct),
        "options": ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"],
        "deadline": datetime(2026, 12, 8, 18, 0, tzinfo=KST), "default": "keep",
        "seller_share_pct": 100, "platform_share_pct": 0, "now": NOW, "schedule": SCHEDULE,
        "cancel_compensation": Money(3_000, "KRW"), "discount_pct": 30,
    }  # fmt: skip
    return make_plan(**(args | overrides))


def _refusal(plan: IncidentPlan, wrong: int = 1_350) -> BookPriceLawRefused:
    assert BOOK is not None
    with pytest.raises(BookPriceLawRefused) as caught:
        check_book_price_law(plan, Money(wrong, "KRW"), BOOK)
    return caught.value


def test_the_floor_is_the_price_guards_share_of_the_list_price() -> None:
    assert BOOK == BookFloor(LIST_PRICE, 90.0)
    assert BOOK.floor == Money(13_500, "KRW")
    assert BookFloor(Money(9_999, "KRW"), 90.0).floor == Money(9_000, "KRW")  # 8,999.1 rounds up
    assert not BOOK.allows(Money(13_499, "KRW")) and BOOK.allows(Money(13_500, "KRW"))


def test_no_floor_without_a_law_or_a_list_price_in_the_incidents_currency() -> None:
    rules = load_rules()
    assert book_floor(LIST_PRICE, rules.list_floor_pct("electronics/mp3"), "KRW") is None
    assert book_floor(None, 90.0, "KRW") is None
    assert book_floor(Money(1_500, "USD"), 90.0, "KRW") is None


def test_keep_at_the_wrong_price_as_the_default_on_silence_is_refused() -> None:
    exc = _refusal(_plan())
    assert isinstance(exc, InvalidInput) and exc.code == "book_price_law_refused"
    assert exc.details["reason"] == "book_keep_default_below_floor"
    assert exc.details["field"] == "default"
    assert "fixed book price law" in exc.message and "13,500 KRW" in exc.message
    assert error_text(exc, "ko") == (
        "도서정가제(출판문화산업 진흥법 제22조)에 따라 이 책은 정가 15,000원의 90%인 13,500원보다 낮은 가격에 "
        "팔 수 없습니다. '주문 유지'는 결제된 1,350원에 파는 것이라, 답하지 않은 고객의 주문이 이 가격에 "
        "팔리게 됩니다. 미응답 시 처리를 '상담원 전화'로 정하고, '주문 유지' 대신 보상과 함께 주문 취소를 "
        "선택지로 드려 주세요.")
    assert error_text(exc, "en") == (
        "Under the fixed book price law (Publishing Industry Promotion Act, Article 22) this book "
        "may not sell below 13,500 KRW, 90% of its list price 15,000 KRW. Keeping the order sells "
        "it at the 1,350 KRW paid, so customers who do not answer would buy it at that price: "
        "make the default a follow-up call, and offer cancellation with compensation instead of "
        "keeping the order.")


def test_keep_below_the_floor_is_refused_even_when_not_the_default() -> None:
    exc = _refusal(_plan(default="follow_up_call"))
    assert exc.details["reason"] == "book_keep_below_floor"
    assert exc.details["field"] == "options"


def test_a_discount_below_the_floor_is_refused_saying_none_is_possible() -> None:
    # 30% off 13,500 is 9,450: 37% below the list price; 13,500 is the floor already
    exc = _refusal(_plan(options=["cancel_with_compensation", "buy_at_correct_price_discount"],
                         default="follow_up_call"))
    assert exc.details["reason"] == "book_discount_below_floor"
    assert exc.details["price_ko"] == "9,450원"
    assert "max_discount_pct" not in exc.details
    assert error_text(exc, "ko").endswith(
        "이 할인율로는 1개당 9,450원에 팔게 되고, 올바른 가격이 이미 최저가에 가까워 1% 할인도 할 수 "
        "없습니다. 할인 구매를 빼고 보상과 함께 주문 취소를 선택지로 드려 주세요.")


def test_a_discount_off_the_list_price_is_allowed_up_to_the_floor() -> None:
    assert BOOK is not None
    assert max_lawful_discount(LIST_PRICE, BOOK) == 10
    lawful = _plan(correct=15_000, options=["cancel_with_compensation",
                                            "buy_at_correct_price_discount"],
                   default="follow_up_call", discount_pct=10)
    check_book_price_law(lawful, Money(1_350, "KRW"), BOOK)  # 13,500: the floor itself
    exc = _refusal(_plan(correct=15_000, options=["cancel_with_compensation",
                                                  "buy_at_correct_price_discount"],
                         default="follow_up_call", discount_pct=11))
    assert exc.details["max_discount_pct"] == 10
    assert "할인율을 10% 이하로 낮추거나" in error_text(exc, "ko")


def test_cancelling_with_compensation_sells_nothing_and_passes() -> None:
    assert BOOK is not None
    plan = _plan(options=["cancel_with_compensation", "talk_to_person"], default="follow_up_call",
                 discount_pct=None)
    check_book_price_law(plan, Money(1_350, "KRW"), BOOK)


def test_keep_at_a_lawful_wrong_price_passes() -> None:
    # a wrong price above the floor (14,000 for 15,000 typed as 14,000): keeping it is lawful
    assert BOOK is not None
    plan = _plan(wrong=14_000, correct=15_000, options=["keep", "cancel_with_compensation"],
                 discount_pct=None)
    check_book_price_law(plan, Money(14_000, "KRW"), BOOK)
