"""What the Korean messages call the correct price: 정상가, but for a book under the fixed book
price law its 정가 (sold at its list price) or 판매가 (sold below it) — a legal review found
"정상가 13,500원" said of a book of 정가 15,000원."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import make_plan
from sagwa.domain.incidents import declare
from sagwa.domain.money import Money
from sagwa.services import desk_messages as dm

KST = ZoneInfo("Asia/Seoul")
SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)


def _facts(correct: int, list_price: int | None) -> dm.IncidentFacts:
    incident = declare(
        incident_id="inc-2", listing_ids={3}, wrong_price=Money(1_500, "KRW"),
        correct_price=Money(correct, "KRW"), window_start=datetime(2026, 12, 3, 11, tzinfo=KST),
        now=datetime(2026, 12, 3, 17, 30, tzinfo=KST), cause="typo", responsible="seller",
        declared_by="operator:kim").incident  # fmt: skip
    facts = dm.facts_for_listings(incident, Money(correct, "KRW"),
                                  [dm.ListingNames("채식주의자", "The Vegetarian", "책방")])
    return replace(facts, fixed_list_price=None if list_price is None
                   else Money(list_price, "KRW"))


@pytest.mark.parametrize(("correct", "list_price", "word"), [
    (15_000, 15_000, "정가"), (14_000, 15_000, "판매가"), (199_000, None, "정상가"),
])  # fmt: skip
def test_the_word_for_the_correct_price(correct: int, list_price: int | None, word: str) -> None:
    assert dm.correct_price_word(_facts(correct, list_price)) == word


def test_the_discount_line_and_phrase_use_the_word() -> None:
    facts = _facts(15_000, 15_000)
    plan = make_plan(incident=facts.incident,
                     options=["cancel_with_compensation", "buy_at_correct_price_discount"],
                     deadline=datetime(2026, 12, 8, 18, tzinfo=KST), default="follow_up_call",
                     seller_share_pct=100, platform_share_pct=0,
                     now=datetime(2026, 12, 4, 10, tzinfo=KST), schedule=SCHEDULE,
                     cancel_compensation=Money(3_000, "KRW"), discount_pct=10)
    word = dm.correct_price_word(facts)
    lines = dm.option_lines(plan, Money(1_500, "KRW"), "ko", price_word=word)
    assert "정가에서 10% 할인된 가격으로 구매: 1개당 13,500원(정가 15,000원)입니다." in lines
    assert "정가에서 10% 할인된 가격으로 구매" in dm.options_phrase(plan, "ko", price_word=word)
    assert "정상가" not in " ".join(lines)
    assert "정상가에서 10%" in dm.options_phrase(plan, "ko")  # not a book: as before
