"""The confirmation of the discount says what is true of it: until the difference is paid it may
still be replaced by cancelling with a full refund (where the plan offers the cancellation), and
how to pay the difference in the desk policy's own words; every other choice stays final. Each
wording passes the message check."""

from __future__ import annotations

import pytest
from test_desk_messages import CONTACT, chosen, confirmation, plan

from sagwa.domain.cancel_instead import replaceable_by_cancel
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import Money
from sagwa.services import desk_messages as dm
from sagwa.services.desk_outcome_wording import confirmation_values, difference_sentence
from sagwa.services.desk_policy import load_desk_policy

DISCOUNT = "buy_at_correct_price_discount"
FINAL = {"ko": "확정하신 선택은 고객님께서 직접 바꾸실 수도, 저희 상담원이 바꿔 드릴 수도 없는 점 양해 부탁드립니다.",
         "en": "Please understand that once confirmed, your choice cannot be changed, whether by "
               "you or by our staff."}
UNTIL_PAID = {"ko": "차액을 결제하시기 전까지는 주문 취소로 바꾸실 수 있습니다.",
              "en": "Until the difference is paid, you can still cancel your order instead"}
HOW = load_desk_policy().how_to_pay


def _with_how_to_pay(choice: str, lang: str, **plan_terms: object) -> str:
    the_plan = plan(**plan_terms)
    assert HOW is not None, "the shipped policy says how to pay"
    how = HOW[0] if lang == "ko" else HOW[1]
    text = dm.render("confirmation", lang, customer_name="이영희" if lang == "ko" else "Lee",
                     product="미러리스 카메라" if lang == "ko" else "Mirrorless camera",
                     **confirmation_values(chosen(choice, the_plan), the_plan, lang,
                                           how_to_pay=how),
                     **dm.contact_values(CONTACT, lang))
    return dm.checked(text, kind="resolution", lang=lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_unpaid_discount_is_confirmed_as_replaceable_by_cancelling_until_paid(
        lang: str) -> None:
    the_plan = plan()
    text = confirmation(chosen(DISCOUNT, the_plan), the_plan, lang)  # passes the check
    assert UNTIL_PAID[lang] in text and FINAL[lang] not in text
    assert ("사과의 뜻으로 5,000포인트(5,000원 상당)도 드립니다" if lang == "ko"
            else "and 5,000 points of compensation (worth 5,000 KRW) are yours") in text


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("choice", ["keep", "cancel_with_compensation"])
def test_every_other_choice_is_confirmed_as_final(lang: str, choice: str) -> None:
    the_plan = plan()
    text = confirmation(chosen(choice, the_plan), the_plan, lang)
    assert FINAL[lang] in text and UNTIL_PAID[lang] not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_discount_on_a_plan_without_the_cancellation_stays_final(lang: str) -> None:
    the_plan = plan(options=["keep", DISCOUNT], cancel_compensation=None)
    text = confirmation(chosen(DISCOUNT, the_plan), the_plan, lang)
    assert FINAL[lang] in text and UNTIL_PAID[lang] not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_confirmation_says_how_to_pay_in_the_policys_words(lang: str) -> None:
    assert HOW is not None
    text = _with_how_to_pay(DISCOUNT, lang)  # passes the check
    if lang == "ko":
        assert f"차액 결제 방법: {HOW[0]}" in text and "고객센터로 문의해 주세요" not in text
    else:
        assert f"How to pay it: {HOW[1]} We send the items" in text
        assert "Please contact us to arrange paying" not in text


def test_without_a_policy_instruction_the_customer_is_told_to_ask_us() -> None:
    assert "차액을 결제하실 방법은 고객센터로 문의해 주세요." in difference_sentence("1원", "ko")
    assert "Please contact us to arrange paying the difference." in difference_sentence("1", "en")


def test_one_item_waiting_for_the_difference_is_one_item() -> None:
    assert "We send the item once it is paid" in difference_sentence("1", "en", units=1)
    assert "We send the items once it is paid" in difference_sentence("1", "en", units=2)
    text = confirmation(chosen(DISCOUNT, plan(), quantities=(1,)), plan(), "en")
    assert "We send the item once it is paid" in text


def test_only_a_discount_leaving_a_difference_may_be_replaced_by_cancelling() -> None:
    offered, owed, none = plan(), Money(1, "KRW"), Money(0, "KRW")
    assert replaceable_by_cancel(CustomerOption(DISCOUNT), offered, owed)
    assert not replaceable_by_cancel(CustomerOption(DISCOUNT), offered, none)
    assert not replaceable_by_cancel(CustomerOption.KEEP, offered, owed)
    without = plan(options=["keep", DISCOUNT], cancel_compensation=None)
    assert not replaceable_by_cancel(CustomerOption(DISCOUNT), without, owed)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_cancellation_worth_no_points_promises_none(lang: str) -> None:
    """A plan may give 0 points for cancelling: the confirmation promised "0 points of
    compensation" (a review found it)."""
    the_plan = plan(cancel_compensation=Money(0, "KRW"))
    text = confirmation(chosen(DISCOUNT, the_plan), the_plan, lang)
    assert UNTIL_PAID[lang] in text
    assert "0 포인트" not in text and " 0포인트" not in text and "0 points" not in text and "포인트도 드립니다" not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("link", ["", "https://shop.example/c/token"])
def test_a_confirmation_before_any_apology_went_out_apologises_and_names_no_earlier_link(
        lang: str, link: str) -> None:
    """No apology reached the customer (their choice withdrew it): the confirmation is the
    apology, not "once more", and gives their page's link, or says to tell us, instead of
    "the link in our earlier message"; each wording passes the message check."""
    the_plan = plan()
    text = dm.checked(dm.render(
        "confirmation", lang, customer_name="이영희" if lang == "ko" else "Lee",
        product="미러리스 카메라" if lang == "ko" else "Mirrorless camera",
        **confirmation_values(chosen(DISCOUNT, the_plan, told=False), the_plan, lang,
                              apologised=False, link=link),
        **dm.contact_values(CONTACT, lang)), kind="resolution", lang=lang)
    assert text.startswith("이영희 고객님, 가격 오류로 불편을 드려 죄송합니다." if lang == "ko"
                           else "Dear Lee, we are sorry for the pricing error.")
    assert "안내 메시지의 링크" not in text and "earlier message" not in text
    assert UNTIL_PAID[lang] in text
    if link:
        assert link in text
    else:
        assert ("원하시면 고객센터로 말씀해 주세요." if lang == "ko"
                else "If you would like to, please tell us.") in text
