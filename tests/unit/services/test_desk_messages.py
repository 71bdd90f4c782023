"""The desk's customer texts: particles that fit the names and amounts, the discount option's
price, and a confirmation that says what was chosen and what happens, every one passing the
message check."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.consent import ConsentRecord, record_choice
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import IncidentPlan, make_plan
from sagwa.domain.incident_scope import build_cases, open_case
from sagwa.domain.incidents import Case, OrderRecord, Responsibility, declare
from sagwa.domain.money import Money
from sagwa.domain.price_entry import PriceEntry
from sagwa.services import desk_messages as dm
from sagwa.services.desk_outcome_wording import confirmation_values
from sagwa.services.desk_policy import load_desk_policy

KST = ZoneInfo("Asia/Seoul")
WRONG, CORRECT = Money(17_000, "KRW"), Money(170_000, "KRW")
DECLARED = datetime(2008, 6, 12, 17, 30, tzinfo=KST)
NOW = datetime(2008, 6, 13, 9, 0, tzinfo=KST)
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=KST)
SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)
CONTACT = load_desk_policy().contact
INCIDENT = declare(
    incident_id="inc-1", listing_ids={101}, wrong_price=WRONG, correct_price=CORRECT,
    window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST), now=DECLARED, cause="typo",
    responsible="seller", declared_by="operator:kim",
).incident
ALL = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount", "talk_to_person"]


def plan(**overrides: object) -> IncidentPlan:
    args: dict[str, object] = {
        "incident": INCIDENT, "options": ALL, "deadline": DEADLINE, "default": "keep",
        "seller_share_pct": 100, "platform_share_pct": 0, "now": NOW, "schedule": SCHEDULE,
        "cancel_compensation": Money(5_000, "KRW"), "discount_pct": 20,
    }
    args.update(overrides)
    return make_plan(**args)  # type: ignore[arg-type]


def facts(seller: str = "카메라마당", who: Responsibility = Responsibility.BOTH,
          entered_by: PriceEntry = PriceEntry.SELLER) -> dm.IncidentFacts:
    """Facts of a wrong price the seller's own account entered (unless ``entered_by``)."""
    return dm.IncidentFacts(replace(INCIDENT, responsible=who), "미러리스 카메라(2세대)",
                            "Mirrorless camera (2nd gen)", seller, CORRECT, entered_by=entered_by)


def chosen(choice: str, the_plan: IncidentPlan, *, quantities: tuple[int, ...] = (2, 1),
           at: datetime = NOW, told: bool = True) -> Case:
    orders = [OrderRecord(i + 1, "lee", 101, q, WRONG, DECLARED - timedelta(hours=3 - i), "placed")
              for i, q in enumerate(quantities)]
    case = replace(open_case(build_cases(orders, INCIDENT)[0], case_id="c-lee"), told=told)
    return record_choice(case, ConsentRecord("c-lee", "lee", choice, "web", at,  # type: ignore[arg-type]
                                             "clicked: " + choice), the_plan)


def confirmation(case: Case, the_plan: IncidentPlan, lang: str) -> str:
    text = dm.render("confirmation", lang, customer_name="이영희" if lang == "ko" else "Lee",
                     product="미러리스 카메라" if lang == "ko" else "Mirrorless camera",
                     **confirmation_values(case, the_plan, lang),
                     **dm.contact_values(CONTACT, lang))
    return dm.checked(text, kind="resolution", lang=lang)


@pytest.mark.parametrize(("seller", "expected"), [
    ("카메라마당", "판매자 카메라마당이 "), ("하늘디지털", "판매자 하늘디지털이 "),
    ("사과나라", "판매자 사과나라가 "), ("LG", "판매자 LG가 "), ("Camera Madang", "판매자 Camera Madang이 "),
])
def test_the_cause_puts_the_particle_that_fits_the_seller_name(seller: str, expected: str) -> None:
    assert expected in dm.cause(facts(seller), "ko")


def test_the_cause_reads_the_amounts_with_their_particles() -> None:
    text = dm.cause(facts(who=Responsibility.PLATFORM), "ko")
    assert "가격이 170,000원이 아닌 17,000원으로 잘못 표시되었습니다" in text
    usd = replace(facts(), incident=replace(INCIDENT, wrong_price=Money(1_999, "USD"),
                                            responsible=Responsibility.PLATFORM),
                  correct_price=Money(19_990, "USD"))
    assert "$199.90가 아닌 $19.99로" in dm.cause(usd, "ko")


def test_the_discount_option_states_the_price_in_both_languages() -> None:
    ko = dm.option_lines(plan(), WRONG, "ko")
    en = dm.option_lines(plan(), WRONG, "en")
    assert "정상가에서 20% 할인된 가격으로 구매: 1개당 136,000원(정상가 170,000원)입니다." in ko
    assert "Buy at 20% off the correct price: 136,000 KRW each (the correct price is 170,000 KRW)." in en


def test_the_apology_email_with_the_discount_option_passes_the_check() -> None:
    the_plan = plan()
    for lang in ("ko", "en"):
        text = dm.render("resolution_email", lang, customer_name="이영희", units=3,
                         paid="51,000원" if lang == "ko" else "51,000 KRW",
                         options=dm.option_lines(the_plan, Money(51_000, "KRW"), lang),
                         link="https://example.invalid/c/x",
                         ordered_when=dm.ordered_when([datetime(2008, 6, 12, 15, tzinfo=KST)],
                                                      lang),
                         cause_ko=dm.cause(facts(), "ko"), cause_en=dm.cause(facts(), "en"),
                         deadline=dm.format_when(DEADLINE, lang),
                         default_ko=dm.default_sentence(the_plan, "ko"),
                         default_en=dm.default_sentence(the_plan, "en"),
                         **dm.contact_values(CONTACT, lang))
        assert dm.checked(text, kind="resolution", lang=lang) == text
    assert "판매자 카메라마당이 " in text or lang == "en"


def test_the_josa_filter_is_available_to_message_templates() -> None:
    template = dm._env().from_string('{{ seller|josa("이(가)") }} {{ paid|josa("은(는)") }}')
    assert template.render(seller="카메라마당", paid="19,900원") == "카메라마당이 19,900원은"


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("choice", ["keep", "cancel_with_compensation",
                                    "buy_at_correct_price_discount"])
def test_every_confirmation_passes_the_message_check(choice: str, lang: str) -> None:
    the_plan = plan()
    confirmation(chosen(choice, the_plan), the_plan, lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_confirmation_makes_no_promise_to_switch(lang: str) -> None:
    the_plan = plan()
    text = confirmation(chosen("keep", the_plan), the_plan, lang)
    for promise in ("바꾸고 싶으시면", "다른 방법", "would rather", "instead, tell us"):
        assert promise not in text
    assert CONTACT.phone in text


def test_the_cancel_confirmation_says_what_was_chosen_refunded_and_credited() -> None:
    the_plan = plan()
    ko = confirmation(chosen("cancel_with_compensation", the_plan), the_plan, "ko")
    assert "- 선택하신 방법: 주문 취소(전액 환불과 보상 포인트)" in ko
    assert "선택하신 대로 주문은 취소되었고, 결제하신 51,000원은 전액 환불해 드립니다." in ko
    assert "5,000포인트(5,000원 상당)는 이미 적립되었습니다" in ko
    en = confirmation(chosen("cancel_with_compensation", the_plan), the_plan, "en")
    assert "your order is cancelled and the 51,000 KRW you paid will be refunded in full" in en


def test_the_keep_confirmation_names_units_kept_and_refunded_above_the_cap() -> None:
    the_plan = plan(keep_max_units=2)
    ko = confirmation(chosen("keep", the_plan), the_plan, "ko")
    assert "주문하신 상품 2개를 결제하신 가격 그대로 보내 드립니다." in ko
    assert "1인당 2개를 넘는 1개는 주문에서 빼고 17,000원을 환불해 드립니다." in ko
    en = confirmation(chosen("keep", the_plan), the_plan, "en")
    assert ("the 1 item beyond the limit of 2 per customer is taken off the order, and we refund "
            "the 17,000 KRW you paid for it.") in en


def test_the_discount_confirmation_states_the_price_and_the_difference() -> None:
    the_plan = plan()
    ko = confirmation(chosen("buy_at_correct_price_discount", the_plan), the_plan, "ko")
    # (136,000 - 17,000) x 3 units
    assert "1개당 136,000원에 구매하시는 것으로 바꿨습니다. 차액 357,000원은 아직 결제되지 않았습니다." in ko
    assert ko.count("357,000원") == 1  # the amount once (a walkthrough read it twice in a row)
    # a walkthrough's finding: it said "we send them" though nothing was paid
    assert "차액을 결제하시기 전까지 상품은 보내 드리지 않으며" in ko and "보내 드립니다" not in ko
    en = confirmation(chosen("buy_at_correct_price_discount", the_plan), the_plan, "en")
    assert "You buy your 3 items at 136,000 KRW each, the correct price of 170,000 KRW less " \
           "20%. The difference of 357,000 KRW has not been charged" in en
    assert en.count("357,000 KRW") == 1


def test_the_confirmation_lists_what_was_offered_once_and_the_choice() -> None:
    the_plan = plan(options=["keep", "cancel_with_compensation"], discount_pct=None)
    ko = confirmation(chosen("keep", the_plan), the_plan, "ko")
    assert "- 안내드린 방법: 주문 유지, 주문 취소(전액 환불과 보상 포인트)\n- 선택하신 방법: 주문 유지" in ko


def test_a_late_but_accepted_choice_is_confirmed_as_late() -> None:
    the_plan = plan(accept_late_choices=True)
    late = DEADLINE + timedelta(hours=20)
    ko = confirmation(chosen("keep", the_plan, at=late), the_plan, "ko")
    assert "답변 기한인 6월 17일(화) 오후 6시(한국 시간)가 지났지만 선택하신 대로 처리합니다." in ko
    en = confirmation(chosen("keep", the_plan, at=late), the_plan, "en")
    assert "after the deadline of Tuesday, June 17 at 6 pm" in en


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_customer_never_told_is_not_confirmed_as_late(lang: str) -> None:
    """Their apology never went out: the deadline it named was not theirs to miss — the
    confirmation says so (and thanks them), in the email and the text, and passes the check."""
    the_plan = plan()
    late = DEADLINE + timedelta(hours=20)
    case = chosen("keep", the_plan, at=late, told=False)
    email = confirmation(case, the_plan, lang)
    values = confirmation_values(case, the_plan, lang)
    sms = dm.checked(dm.render("confirmation_sms", lang, product_short="카메라",
                               options_phrase=dm.options_phrase(the_plan, lang), **values,
                               **dm.contact_values(CONTACT, lang)), kind="resolution", lang=lang)
    if lang == "ko":
        assert ("6월 17일(화) 오후 6시(한국 시간)까지 선택해 달라는 저희 안내가 제때 전해지지 않아, 그 답변 기한은 "
                "고객님께 적용되지 않습니다. 알려 주셔서 감사합니다.") in email
        assert "지났지만" not in email
        assert "선택해 달라는 안내가 제때 전해지지 않아 죄송합니다." in sms and "답변 기한은" not in sms
    else:
        assert ("Our message asking you to choose by Tuesday, June 17 at 6 pm") in email
        assert "did not reach you in time, so that deadline does not apply to you" in email
        assert "after the deadline" not in email
        assert "did not reach you in time, and we are sorry." in sms and "(deadline" not in sms
    accepting = plan(accept_late_choices=True)
    told = confirmation(chosen("keep", accepting, at=late), accepting, lang)
    assert ("지났지만" if lang == "ko" else "after the deadline of") in told


def test_the_options_phrase_names_what_the_plan_offers() -> None:
    assert dm.options_phrase(plan(), "ko") == (
        "주문 유지, 주문 취소(전액 환불과 보상 포인트), 정상가에서 20% 할인된 가격으로 구매 "
        "또는 상담원과 통화")
    assert dm.options_phrase(plan(options=["keep", "cancel_with_compensation"], discount_pct=None),
                             "en") == (
        "keep the order or cancel it for a full refund plus compensation points")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_sms_offers_the_plans_options_and_passes_the_check(lang: str) -> None:
    the_plan = plan(options=["keep", "cancel_with_compensation", "talk_to_person"],
                    discount_pct=None)
    text = dm.render("resolution_sms", lang, product_short="미러리스 카메라", deadline="6월 17일",
                     link="https://sagwa.example/c/1", phone="1588-0000",
                     options_phrase=dm.options_phrase(the_plan, lang),
                     default_short=dm.default_short(the_plan, lang))
    assert ("상담원과 통화" if lang == "ko" else "talk to a person") in text
    dm.checked(text, kind="resolution", lang=lang)


def test_an_english_time_says_its_zone_and_a_korean_one_needs_not() -> None:
    """A walkthrough's finding: "Please answer by: Thursday, December 10 at 6 pm" on a page
    whose contact line said "Korea time" read as the customer's own time."""
    moment = datetime(2008, 6, 17, 9, 0, tzinfo=UTC)  # 18:00 in Seoul
    assert dm.format_when(moment, "en") == "Tuesday, June 17 at 6 pm Korea time"
    assert dm.format_when(moment, "ko") == "6월 17일(화) 오후 6시"


@pytest.mark.parametrize(("placed", "lang", "said"), [
    ([(12, 15)], "ko", "2008년 6월 12일(목)에"),
    ([(12, 15)], "en", "on Thursday, June 12, 2008"),
    ([(13, 1), (12, 23)], "ko", "2008년 6월 12일(목)부터 2008년 6월 13일(금)까지"),
    ([(12, 9), (13, 1)], "en", "between Thursday, June 12, 2008 and Friday, June 13, 2008"),
    ([(12, 9), (12, 23, 59)], "ko", "2008년 6월 12일(목)에"),  # one day in Korea time
])
def test_the_days_a_customer_ordered_are_said_in_korea_time(placed, lang, said) -> None:  # type: ignore[no-untyped-def]
    moments = [datetime(2008, 6, day, hour, *rest, tzinfo=KST) for day, hour, *rest in placed]
    assert dm.ordered_when(moments, lang) == said
    # the same moments given in UTC are the same days in Korea
    assert dm.ordered_when([m.astimezone(UTC) for m in moments], lang) == said
