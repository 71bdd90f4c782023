"""What a consumer-law review and copy edit of the customer messages asked for, each wording
still passing the message check:

* a final choice that delivers goods (a keep, the discount) says the 7-day withdrawal right
  (청약철회) still stands — a cancellation does not — and Korean says "by you" as English does;
* a refund promised says when it comes: the text confirming a cancellation, the apology's keep
  line above the cap, the text confirming a cancellation instead of paying;
* the apology's text message (all a customer without an email gets) says what happens without
  an answer;
* the confirmation text says when the choice came and the deadline without a wrong particle or
  past tense, and English has no two parentheses in a row;
* the discount is named one way ("정상가에서 30% 할인된 가격으로 구매"), never "할인된 정상가";
* subjects and texts are signed with the customer centre's name, not "[사과]" (read "apology");
* Korean times say "(한국 시간)", as English says "Korea time"; a date reads as the deadline's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_desk_messages import CONTACT, DEADLINE, NOW, chosen, confirmation, facts, plan

from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import Money
from sagwa.services import desk_messages as dm
from sagwa.services import desk_wordings as dw
from sagwa.services.desk_outcome_wording import confirmation_values
from sagwa.services.desk_policy import load_desk_policy

POLICY = load_desk_policy()
WITHDRAWAL = {"ko": "다만 상품을 받으신 날부터 7일 이내에 청약철회(반품)하실 수 있는 권리는 그대로입니다.",
              "en": "Your legal right to withdraw from the purchase (return the goods) within 7 "
                    "days of receiving them still stands."}
FINAL = {"ko": "확정하신 선택은 고객님께서 직접 바꾸실 수도, 저희 상담원이 바꿔 드릴 수도 없는 점 양해 부탁드립니다.",
         "en": "Please understand that once confirmed, your choice cannot be changed, whether by "
               "you or by our staff."}
TIMING = {"ko": CONTACT.refund_timing_ko, "en": CONTACT.refund_timing_en}
TEMPLATES = Path(dm.__file__).parent / "message_templates"


def _sms(choice: str, lang: str, **plan_terms: object) -> str:
    the_plan = plan(**plan_terms)
    case = chosen(choice, the_plan)
    text = dm.render("confirmation_sms", lang, product_short="카메라",
                     options_phrase=dm.options_phrase(the_plan, lang),
                     **confirmation_values(case, the_plan, lang),
                     **dm.contact_values(CONTACT, lang))
    return dm.checked(text, kind="resolution", lang=lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("choice", ["keep", "buy_at_correct_price_discount"])
def test_a_final_choice_that_delivers_goods_keeps_the_withdrawal_right(choice: str,
                                                                       lang: str) -> None:
    the_plan = plan(options=["keep", "buy_at_correct_price_discount", "talk_to_person"],
                    cancel_compensation=None)
    text = confirmation(chosen(choice, the_plan), the_plan, lang)
    assert FINAL[lang] in text and WITHDRAWAL[lang] in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_unpaid_discount_replaceable_by_cancelling_also_keeps_the_withdrawal_right(
        lang: str) -> None:
    the_plan = plan()
    text = confirmation(chosen("buy_at_correct_price_discount", the_plan), the_plan, lang)
    assert ("고객님께서 직접 바꾸실 수도, 저희 상담원이 바꿔 드릴 수도" if lang == "ko"
            else "whether by you or by our staff") in text
    assert WITHDRAWAL[lang] in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_cancellation_says_no_withdrawal_right(lang: str) -> None:
    the_plan = plan()
    text = confirmation(chosen("cancel_with_compensation", the_plan), the_plan, lang)
    assert FINAL[lang] in text and "청약철회" not in text and "withdraw" not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_text_confirming_a_cancellation_says_when_the_refund_comes(lang: str) -> None:
    assert TIMING[lang] in _sms("cancel_with_compensation", lang)
    assert TIMING[lang] not in _sms("keep", lang)  # within the cap: nothing is refunded


def test_the_confirmation_text_says_when_the_choice_came_without_a_wrong_particle() -> None:
    moment = datetime(2026, 12, 9, 17, 30, tzinfo=DEADLINE.tzinfo)
    the_plan = plan()
    values = {**confirmation_values(chosen("keep", the_plan), the_plan, "ko"),
              "deadline": dm.format_when(moment, "ko")}
    text = dm.checked(dm.render("confirmation_sms", "ko", product_short="카메라",
                                options_phrase=dm.options_phrase(the_plan, "ko"), **values,
                                **dm.contact_values(CONTACT, "ko")), kind="resolution", lang="ko")
    assert ("6월 13일(금) 오전 9시(한국 시간)에 선택을 받았습니다(답변 기한 12월 9일(수) 오후 5시 30분, "
            "한국 시간).") in text
    assert "였고" not in text and "분였" not in text


def test_the_english_confirmation_text_has_no_two_parentheses_in_a_row() -> None:
    text = _sms("cancel_with_compensation", "en")
    assert ") (" not in text
    assert ("you chose: cancel the order (full refund and compensation points). We received your choice "
            "on Friday, June 13 at 9 am Korea time (deadline Tuesday, June 17 at 6 pm Korea "
            "time).") in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_keep_line_above_the_cap_says_when_the_refund_comes(lang: str) -> None:
    the_plan = plan(keep_max_units=1)
    case = chosen("keep", the_plan, quantities=(3,))
    shared = dw.shared_values(facts(), the_plan, POLICY, lang)
    values = dw.customer_values(shared, the_plan, lang, "이영희", 3, Money(51_000, "KRW"),
                                "https://example.invalid/c/x", dm.over_cap(case, the_plan))
    keep = values["options"][0]  # type: ignore[index]
    assert keep.endswith(POLICY.contact.refund_timing_ko if lang == "ko"
                         else POLICY.contact.refund_timing_en)
    for _subject, body in dw.resolution_texts(values, lang).values():
        dm.checked(body, kind="resolution", lang=lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("default", "over", "says"), [
    ("keep", False, {"ko": "답이 없으시면 주문은 그대로 유지됩니다.",
                     "en": "If we do not hear from you, your order stays as it is."}),
    ("keep", True, {"ko": "답이 없으시면 상담원이 전화드려 여쭙고",
                    "en": "If we do not hear from you, our staff will call you to ask"}),
    ("follow_up_call", False, {"ko": "답이 없으시면 상담원이 전화드려 여쭙고",
                               "en": "If we do not hear from you, our staff will call you"}),
])
def test_the_apology_text_says_what_happens_without_an_answer(default: str, over: bool,
                                                              says: dict[str, str],
                                                              lang: str) -> None:
    the_plan = plan(default=default, keep_max_units=1)
    case = chosen("keep", the_plan, quantities=(3,) if over else (1,))
    shared = dw.shared_values(facts(), the_plan, POLICY, lang)
    values = dw.customer_values(shared, the_plan, lang, "이영희", case.units,
                                Money(17_000 * case.units, "KRW"), "https://example.invalid/c/x",
                                dm.over_cap(case, the_plan))
    text = dw.resolution_texts(values, lang)["sms"][1]
    assert says[lang] in dm.checked(text, kind="resolution", lang=lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_text_confirming_a_cancellation_instead_says_when_the_refund_comes(lang: str) -> None:
    from test_cancelled_instead_wording import VALUES
    values = {**VALUES[lang], **dm.contact_values(CONTACT, lang)}
    assert TIMING[lang] in dm.render("cancelled_instead_sms", lang, **values)


def test_the_discount_is_named_one_way() -> None:
    the_plan = plan(discount_pct=30)
    option = CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT
    assert dm.choice_label(option, "ko", the_plan) == "정상가에서 30% 할인된 가격으로 구매"
    assert dm.choice_label(option, "en", the_plan) == "buy at 30% off the correct price"
    assert dm.choice_label(option, "ko") == "정상가에서 할인된 가격으로 구매"
    assert dm.option_lines(the_plan, Money(17_000, "KRW"), "ko")[2].startswith(
        "정상가에서 30% 할인된 가격으로 구매: 1개당 119,000원(정상가 170,000원)입니다.")
    assert "정상가에서 30% 할인된 가격으로 구매" in dm.options_phrase(the_plan, "ko")
    for path in TEMPLATES.glob("*.txt"):  # the customers' (sellers' are worded elsewhere)
        assert "할인된 정상가" not in path.read_text(), path.name


def test_customer_texts_and_subjects_are_signed_with_the_customer_centres_name() -> None:
    assert dm.TAG == {"ko": "[사과 고객센터]", "en": "[sagwa]"}
    for path in TEMPLATES.glob("*_sms_*.txt"):
        assert path.read_text().startswith("{{ tag }} "), path.name
    the_plan = plan()
    shared = dw.shared_values(facts(), the_plan, POLICY, "ko")
    values = dw.customer_values(shared, the_plan, "ko", "이영희", 1, Money(17_000, "KRW"),
                                "https://example.invalid/c/x")
    texts = dw.resolution_texts(values, "ko")
    assert texts["email"][0] == "[사과 고객센터] 주문하신 상품의 가격 오류에 대해 사과드립니다"
    assert texts["sms"][1].startswith("[사과 고객센터] ")
    assert dw.DEFAULTED_SUBJECT["ko"].startswith("[사과 고객센터] ")
    assert not any(p.read_text().lstrip().startswith("[사과]") for p in TEMPLATES.glob("*.txt"))


def test_korean_times_say_korea_time_and_a_date_reads_as_the_deadlines() -> None:
    the_plan = plan()
    shared = dw.shared_values(facts(), the_plan, POLICY, "ko")
    values = dw.customer_values(shared, the_plan, "ko", "이영희", 1, Money(17_000, "KRW"),
                                "https://example.invalid/c/x")
    texts = dw.resolution_texts(values, "ko")
    assert "6월 17일(화) 오후 6시(한국 시간)까지 알려 주세요." in texts["email"][1]
    assert "6월 17일(화) 오후 6시(한국 시간)까지 알려 주세요" in texts["sms"][1]
    assert "2008년 6월 12일(목)에 이 잘못된 가격으로 접수되었습니다" in texts["email"][1]
    # a customer who ordered days after the price went wrong is told the day they ordered
    # (before: every customer was told the window's first day)
    later = [datetime(2008, 6, 14, 23, 30, tzinfo=UTC)]  # 15 June in Korea
    for lang, said in (("ko", "2008년 6월 15일(일)에 이 잘못된 가격으로 접수되었습니다"),
                       ("en", "was placed at this wrong price on Sunday, June 15, 2008.")):
        theirs = dw.customer_values(dw.shared_values(facts(), the_plan, POLICY, lang), the_plan,
                                    lang, "이영희", 1, Money(17_000, "KRW"),
                                    "https://example.invalid/c/x", placed=later)
        assert said in dw.resolution_texts(theirs, lang)["email"][1]
    assert dm.format_date(NOW, "en") == "Friday, June 13, 2008"
    # every Korean time a customer template writes is marked, as English says "Korea time"
    for path in TEMPLATES.glob("*_ko.txt"):
        if path.name.startswith("seller_"):
            continue
        for value in re.findall(r"\{\{ (deadline|received|chosen|call_at) \}\}(.)",
                                path.read_text()):
            assert value[1] in "(,", (path.name, value)


def test_the_keep_line_puts_its_limit_against_the_verb() -> None:
    lines = dm.option_lines(plan(keep_max_units=2), Money(17_000, "KRW"), "ko")
    assert lines[0] == "주문 유지: 결제하신 17,000원 그대로 상품을 받으십니다(1인당 최대 2개)."
