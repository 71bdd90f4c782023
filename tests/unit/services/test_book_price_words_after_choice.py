"""The wordings after a customer's choice call the correct price what the apology called it
(``desk_messages.correct_price_word``: 정상가, but a book's 정가 or 판매가), and pass the message
check with that word: the confirmation of the choice and the note after the default, the
customer's follow-ups on the difference, and the seller's emails; and every wording of an
incident's messages to its customers, down to those after the deadline."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pytest
from test_cancelled_instead_wording import VALUES as CANCELLED_INSTEAD
from test_desk_customer_wording import case_of
from test_desk_messages import CONTACT, CORRECT, WRONG, chosen, facts, plan
from test_difference_receipt_wording import VALUES as RECEIPT
from test_difference_reminder_wording import VALUES as REMINDER
from test_seller_notice_wording import INCIDENT, NAMES, ORDERS, PLANS, TOLD, _email

from sagwa.domain.money import Money
from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm
from sagwa.services import seller_notices as sn
from sagwa.services.desk_outcome_wording import confirmation_values, defaulted_values
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_wordings import (
    after_deadline_values,
    order_values,
    shared_values,
    wording_samples,
)

DISCOUNT = "buy_at_correct_price_discount"
BOOK_WORDS = ["정가", "판매가"]
POLICY = load_desk_policy()


def _confirmation(lang: str, **words: str) -> str:
    the_plan = plan()  # 20% off 170,000원, paid 17,000원 for each of 3
    values = confirmation_values(chosen(DISCOUNT, the_plan), the_plan, lang, **words)
    text = dm.render("confirmation", lang, customer_name="이영희" if lang == "ko" else "Lee",
                     product="미러리스 카메라" if lang == "ko" else "Mirrorless camera",
                     options_phrase=dm.options_phrase(the_plan, lang, **words), **values,
                     **dm.contact_values(CONTACT, lang))
    return dm.checked(text, kind="resolution", lang=lang)


@pytest.mark.parametrize("word", BOOK_WORDS)
def test_the_confirmation_of_a_books_discount_names_its_price_by_the_word(word: str) -> None:
    text = _confirmation("ko", price_word=word)
    assert f"{word}에서 20% 할인된 가격으로 구매" in text
    assert f"주문하신 상품 3개를 {word} 170,000원에서 20% 할인된 1개당 136,000원에 구매하시는" in text
    assert "정상가" not in text
    assert _confirmation("en", price_word=word) == _confirmation("en")  # English as before


def test_the_confirmation_of_any_other_discount_still_says_its_regular_price() -> None:
    text = _confirmation("ko")
    assert "주문하신 상품 3개를 정상가 170,000원에서 20% 할인된 1개당 136,000원에" in text


@pytest.mark.parametrize("word", [*BOOK_WORDS, dm.REGULAR_PRICE_WORD])
def test_the_note_after_the_default_names_the_discount_by_the_word(word: str) -> None:
    the_plan, case = plan(), case_of(2)
    values = defaulted_values(case, the_plan, WRONG.times(case.units), "ko", still_open=False,
                              price_word=word)
    text = dm.checked(dm.render("defaulted_email", "ko", customer_name="이영희",
                                product="미러리스 카메라", **values,
                                **dm.contact_values(CONTACT, "ko")),
                      kind="resolution", lang="ko")
    assert f"{word}에서 20% 할인된 가격으로 구매" in text
    assert (word == dm.REGULAR_PRICE_WORD) is ("정상가" in text)


@pytest.mark.parametrize("word", [*BOOK_WORDS, dm.REGULAR_PRICE_WORD])
@pytest.mark.parametrize(("template", "values"), [
    ("difference_reminder_email", REMINDER["ko"] | {"instead": False}),
    ("difference_received_email", RECEIPT["ko"]),
    ("cancelled_instead_email", CANCELLED_INSTEAD["ko"]),
])  # fmt: skip
def test_the_customers_follow_ups_pass_the_check_with_the_word(
        template: str, values: dict[str, object], word: str) -> None:
    text = dm.render(template, "ko", **values, correct_price_word=word)
    assert f"{word}에서 할인된 가격으로 사시기로 하셨습니다." in text
    assert (word == dm.REGULAR_PRICE_WORD) is ("정상가" in text)
    result = check_message(text, kind="follow_up", lang="ko")
    assert result.ok and result.findings == (), result.as_dict()


@pytest.mark.parametrize("word", [*BOOK_WORDS, dm.REGULAR_PRICE_WORD])
@pytest.mark.parametrize(("stage", "values", "said"), [
    ("notified", partial(sn._stage_values, INCIDENT, sn.NOTIFIED,
                         PLANS["every option, capped keep"], TOLD, NAMES, [12], 6),
     "{word}에서 30% 할인된 가격으로 구매, 상담원과 통화"),
    ("difference_paid", partial(sn._order_values, ORDERS, NAMES, 0),
     "{word}에서 할인된 가격으로 사기로 한 고객이 차액을 결제했습니다."),
    ("cancelled_instead", partial(sn._order_values, ORDERS[:1], NAMES, 6_000),
     "{word}에서 할인된 가격으로 사기로 했던 고객이"),
])  # fmt: skip
def test_the_sellers_emails_pass_the_check_with_the_word(stage: str, values, said: str,  # type: ignore[no-untyped-def]
                                                          word: str) -> None:
    ko = _email(stage, "ko", values("ko", price_word=word))
    assert said.format(word=word) in ko
    assert (word == dm.REGULAR_PRICE_WORD) is ("정상가" in ko)
    assert "% 할인)" not in ko  # the discount's size is said once, in its name
    result = check_message(ko, kind="seller_notice", lang="ko")
    assert result.ok and result.findings == (), result.as_dict()
    sn.check_wording(ko, lang="ko", names=NAMES)
    # the English does not change with the word
    assert _email(stage, "en", values("en", price_word=word)) == _email(stage, "en", values("en"))


def _book(word: str) -> dm.IncidentFacts:
    """A product named by ``word``: a book sold at its 정가 (the correct price is its list
    price), one sold below it (판매가), or anything else (정상가: no fixed list price)."""
    the_facts = facts()  # correct price 170,000원
    list_price = {"정가": CORRECT, "판매가": Money(200_000, "KRW")}.get(word)
    found = replace(the_facts, fixed_list_price=list_price)
    assert dm.correct_price_word(found) == word
    return found


@pytest.mark.parametrize("word", [*BOOK_WORDS, dm.REGULAR_PRICE_WORD])
@pytest.mark.parametrize("default", ["keep", "follow_up_call"])
def test_every_wording_of_an_incident_names_the_discount_by_the_word(word: str,
                                                                     default: str) -> None:
    """The apology and its reminder, the note after the default and the message at the deadline
    to a customer never told (``wording_samples``, checked before anything is queued)."""
    the_plan = plan(default=default, keep_max_units=2, accept_late_choices=True)
    samples = wording_samples(_book(word), the_plan, POLICY)
    korean = [text for lang, text in samples if lang == "ko"]
    assert len(korean) >= 10
    for text in korean:
        assert f"{word}에서 20% 할인된 가격으로 구매" in text, text
        assert (word == dm.REGULAR_PRICE_WORD) is ("정상가" in text), text
    # each passes the check the desk runs, and the word adds no finding (some samples carry
    # warnings of their own, the same for every word: a text message's length, say)
    regular = wording_samples(_book(dm.REGULAR_PRICE_WORD), the_plan, POLICY)
    assert len(regular) == len(samples)
    for (lang, text), (_, before) in zip(samples, regular, strict=True):
        result = check_message(text, kind="resolution", lang=lang)
        assert result.ok, result.as_dict()
        assert ([f.code for f in result.findings]
                == [f.code for f in check_message(before, kind="resolution", lang=lang).findings])
        if lang == "en":  # the English does not change with the word
            assert text == before


@pytest.mark.parametrize("word", [*BOOK_WORDS, dm.REGULAR_PRICE_WORD])
@pytest.mark.parametrize("told", [True, False])
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_the_message_after_the_calls_failed_names_the_discount_by_the_word(
        word: str, told: bool, channel: str) -> None:
    the_plan = plan(default="follow_up_call")
    case = replace(case_of(2), told=told)
    shared = shared_values(_book(word), the_plan, POLICY, "ko")
    values = after_deadline_values(shared, case, the_plan, "ko", "홍길동", "",
                                   told=told, wrote=False, asked=True, attempts=3,
                                   no_phone=False)
    assert f"{word}에서 20% 할인된 가격으로 구매" in str(values["offered"])
    text = dm.render(f"unreachable_{channel}", "ko", **values)
    assert f"{word}에서 20% 할인된 가격으로 구매" in text
    assert (word == dm.REGULAR_PRICE_WORD) is ("정상가" in text)
    result = check_message(text, kind="resolution", lang="ko")
    assert result.ok and result.findings == (), result.as_dict()


def test_the_orders_options_keep_their_regular_price_unless_told_otherwise() -> None:
    the_plan = plan()
    said = order_values(case_of(2), the_plan, "KRW", "ko")
    assert "정상가에서 20% 할인된 가격으로 구매" in str(said["options_phrase"])
    book = order_values(case_of(2), the_plan, "KRW", "ko", price_word="판매가")
    assert "판매가에서 20% 할인된 가격으로 구매" in str(book["options_phrase"])
    assert "판매가에서 20% 할인된 가격으로 구매" in str(book["offered"])
