"""The pages speak one language at a time: labels for stored codes, refusals in the page's
language, and the incident timeline in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.consent import ConsentRecord
from sagwa.domain.incident_plan import CustomerOption, DefaultAction
from sagwa.domain.incidents import CaseStatus, IncidentStatus, Responsibility
from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money, check_price
from sagwa.domain.orders import OrderStatus
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.errors import Conflict, InvalidInput, NotFound, SagwaError
from sagwa.priceguard import ERROR_TYPES
from sagwa.services.desk_cases import OUTCOMES
from sagwa.services.desk_report import TimelineEntry
from sagwa.web.pages.error_texts import RULES, error_text, validation_text
from sagwa.web.pages.labels import VOCABULARIES, label
from sagwa.web.pages.rendering import make_templates
from sagwa.web.pages.timeline import timeline_rows

HANGUL = re.compile(r"[가-힣]")
NOW = datetime(2008, 6, 12, 3, 0, tzinfo=UTC)


def refusal(make: object) -> SagwaError:
    with pytest.raises(SagwaError) as caught:
        make()  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize(("vocabulary", "codes"), [
    ("listing", [s.value for s in ListingStatus]),
    ("price_change", [s.value for s in PriceChangeStatus]),
    ("incident", [s.value for s in IncidentStatus]),
    ("case", [s.value for s in CaseStatus]),
    ("order", [s.value for s in OrderStatus]),
    ("choice", [o.value for o in CustomerOption]),
    ("default", [d.value for d in DefaultAction]),
    ("responsible", [r.value for r in Responsibility]),
    ("outcome", list(OUTCOMES)),
    ("error_type", list(ERROR_TYPES)),
])
def test_every_stored_code_has_a_korean_and_an_english_label(vocabulary: str,
                                                             codes: list[str]) -> None:
    for code in codes:
        ko, en = VOCABULARIES[vocabulary][code]
        assert HANGUL.search(ko), (vocabulary, code)
        assert en and not HANGUL.search(en), (vocabulary, code)


def test_the_label_filter_speaks_the_pages_language_and_shows_unknown_codes_as_is() -> None:
    page = make_templates().env.from_string(
        '{{ s | label("price_change") }}|{{ x | label("case") }}')
    assert page.render(s=PriceChangeStatus.HELD, x="mystery", lang="ko") == "보류|mystery"
    assert page.render(s="held", x=None, lang="en") == "held|—"
    assert label("outcome", "no_answer", "ko") == "받지 않음"


def test_the_refusals_qa_found_in_english_are_said_in_korean_and_in_english() -> None:
    start = datetime(2008, 6, 12, 9, tzinfo=UTC)
    found = {
        "price": refusal(lambda: check_price(Money(0, "KRW"))),
        "window": refusal(lambda: Promotion(10, start, start - timedelta(hours=1))),
        "consent": refusal(lambda: ConsentRecord(1, 1, "explode", "web", NOW, "x", "customer")),
        "reason": InvalidInput("a rejection needs a reason the seller can read", field="reason"),
        "stale": Conflict("listing 3: the live price moved from 199,000 KRW to 189,000 KRW "
                          "since the proposal; reject it and ask the seller to propose again",
                          stale=True, reason="live_price_moved"),
    }
    korean = {key: error_text(exc, "ko") for key, exc in found.items()}
    assert korean["price"] == "가격은 0원보다 커야 합니다."
    assert "종료 시각" in korean["window"]
    assert "CustomerOption" not in korean["consent"] and "선택지" in korean["consent"]
    assert "사유" in korean["reason"] and "승인할 수 없습니다" in korean["stale"]
    for key, exc in found.items():
        assert HANGUL.search(korean[key]) and not re.search(r"[a-z]{3}", korean[key]), key
        assert not HANGUL.search(error_text(exc, "en")), key


def test_an_error_no_rule_knows_keeps_the_services_message() -> None:
    exc = InvalidInput("something new went wrong", field="unheard_of")
    assert error_text(exc, "ko") == "something new went wrong"
    assert error_text(NotFound("price change 9 does not exist", kind="price change", id=9),
                      "ko") == "찾을 수 없습니다. 주소를 다시 확인해 주세요."


def test_a_refused_plan_says_each_problem() -> None:
    exc = InvalidInput("plan refused — ...", problems={
        "options": "offer at least two different options (from keep, ...)",
        "platform_share_pct": "shares must sum to 100, got 60 + 50"},
        problem_reasons={"options": "too_few_options", "platform_share_pct": "shares_not_100"})
    said = error_text(exc, "ko")
    assert "두 개 이상" in said and "합이 100" in said


def test_every_rule_has_both_languages() -> None:
    for rule in RULES:
        assert HANGUL.search(rule.ko) and not HANGUL.search(rule.en), rule


def test_a_missing_form_field_is_named_in_the_pages_language() -> None:
    errors = [{"type": "missing", "loc": ("body", "words"), "msg": "Field required"}]
    assert validation_text(errors, "ko") == "고객이 한 말을 입력해 주세요."
    assert validation_text(errors, "en") == "Please enter what the customer said."


def test_the_timeline_reads_as_words_with_korea_times_and_no_empty_reasons() -> None:
    entries = [
        TimelineEntry(NOW, "test", "listing.publish", "listing", "3",
                      {"reason": None, "status": "live"}),
        TimelineEntry(NOW, "admin:kim", "incident.notifying", "incident", "1",
                      {"cases": 3, "status": "notifying", "send_at": "2008-06-12T00:00:00+00:00",
                       "messages": 6}),
        TimelineEntry(NOW, "seller:a", "price_change.held", "listing", "3",
                      {"reason": "way too low"}),
        TimelineEntry(NOW, "customer", "case.choice_recorded", "case", case_count=2),
        # a hold at publication keeps its Korean reason on its own record
        TimelineEntry(NOW, "seller:a", "listing.hold", "listing", "5",
                      {"status": "held", "reason": "new price 159,000 KRW is 90% below"},
                      reason_ko="새 가격 159,000원은 90% 낮습니다"),
    ]
    ko = timeline_rows(entries, "ko", reasons_ko={"way too low": "너무 낮습니다"})
    assert ko[4].detail == "상태: 판매 보류 · 사유: 새 가격 159,000원은 90% 낮습니다"
    assert timeline_rows(entries, "en")[4].detail.endswith(
        "reason: new price 159,000 KRW is 90% below")
    assert [r.action for r in ko] == ["판매 시작", "사과 메시지 예약", "가격 변경 보류", "고객 선택 기록",
                                      "판매 보류"]
    assert ko[0].detail == "상태: 판매 중"
    assert ko[1].subject == "사고 #1"
    assert ko[1].detail == "상태: 고객 안내 중 · 고객 3명 · 메시지 6통 · 발송 2008-06-12 09:00"
    assert ko[2].detail == "사유: 너무 낮습니다"
    assert (ko[3].actor, ko[3].subject) == ("고객", "고객 2명")
    en = timeline_rows(entries, "en")
    assert en[1].detail == ("status: notifying customers · 3 cases · 6 messages · "
                            "sending 2008-06-12 09:00 KST")
    assert en[2].detail == "reason: way too low"
    # the postmortem and the CLI keep the plain key=value text, times in Korea time
    assert (entries[1].entity, entries[3].entity) == ("incident 1", "2 cases")
    assert entries[1].detail == ("cases=3, status=notifying, "
                                 "send_at=2008-06-12 09:00, messages=6")


def test_a_guard_reason_with_commas_and_equals_signs_is_shown_whole() -> None:
    reason = ("new price 19,900 KRW is 90% below the median of 4 other sellers (199,000 KRW); "
              "looks like a dropped zero, status=held")
    entry = TimelineEntry(NOW, "seller:a", "price_change.held", "listing", "3",
                          {"reason": reason})
    assert timeline_rows([entry], "en")[0].detail == f"reason: {reason}"


def test_grouped_calls_and_the_desks_order_changes_read_as_words_in_both_languages() -> None:
    from sagwa.domain.money import Money

    entries = [
        TimelineEntry(NOW, "agent:park", "case.contact_attempted", "case", case_count=1,
                      records=2),
        TimelineEntry(NOW, "customer", "order.cancel_and_refund", "order",
                      facts={"units": 3, "refunded": Money(59_700, "KRW")}, case_count=2,
                      records=3),
    ]
    ko = timeline_rows(entries, "ko")
    assert (ko[0].subject, ko[1].action, ko[1].subject, ko[1].detail) == (
        "고객 1명 · 기록 2건", "주문 취소·환불", "주문 3건 · 고객 2명", "수량 3개 · 환불 59,700원")
    en = timeline_rows(entries, "en")
    assert (en[0].subject, en[1].subject, en[1].detail) == (
        "2 attempts on 1 case", "3 orders on 2 cases", "3 units · refunded 59,700 KRW")
    assert entries[1].detail == "units=3, refunded=59,700 KRW"


def test_a_sellers_address_and_promotion_fields_are_named_as_people_say_them() -> None:
    """A walkthrough's finding: "Please check listing_id." (/seller/listings/abc) and
    "Promotion_pct is too long."."""
    address = [{"type": "int_parsing", "loc": ("path", "listing_id"), "msg": "not an integer"}]
    assert validation_text(address, "en") == "Please check the listing number."
    assert validation_text(address, "ko") == "상품 번호를 확인해 주세요."
    long = [{"type": "string_too_long", "loc": ("body", "promotion_pct"), "msg": "too long"}]
    assert validation_text(long, "en") == "The promotion percent is too long."
    assert validation_text(long, "ko") == "할인율이 너무 깁니다."
