"""Three defects a review left open in the message check.

1. A range written with an ASCII hyphen ("within 5-10 business days", "5-10영업일") is read as
   the same range with an en dash ("5–10"). The English tokeniser took the hyphen for a clause
   break, so "Your bank may take 5-10 days to post it" lost the bank's exemption from
   refund-timing; Kiwi reads "5-10" as one serial-number token (W_SERIAL), so "환불까지
   5-10영업일이 걸립니다" stated no span at all.
2. A refund or cancellation offered on the customer's own answer ("Reply within 7 days and we
   will refund you") waits for them: it is not fait-accompli. Not answering is still
   ("If you do not reply by Friday, we will cancel"), and so is what was done already.
3. ``refund-later`` (a refund put off to a settlement or the next month) let any bank or card
   company named in the clause excuse it. As for ``refund-timing``, only the card company or bank
   taking the time excuses it ("카드사 사정에 따라", "depending on your bank"), not one named as
   where the money goes ("다음 달 정산 때 은행 계좌로 환불").

Each sentence is added to a message that passes the check on its own, so the error codes found
are exactly the sentence's.
"""

from __future__ import annotations

import pytest
from base_messages import BASES, errors, with_base

from sagwa.messagecheck import english, korean
from sagwa.messagecheck.ruleset import load_rules

FA, LATE = "fait-accompli", "refund-timing"


@pytest.mark.parametrize("lang", list(BASES))
def test_each_base_message_passes_on_its_own(lang: str) -> None:
    assert errors(BASES[lang], lang=lang) == set()


# ---------------------------------------------------------------- 1. hyphen ranges

#: (lang, sentence with {r} for the range, the error codes it gets with an en dash)
RANGES = [
    ("en", "Your refund will reach your card within {r} business days.", {LATE}),
    ("en", "Refunds take {r} days.", {LATE}),
    ("en", "Your bank may take {r} business days to post the refund.", set()),
    ("en", ("Your card issuer may take {r} days to show the refund, which we request within "
            "3 business days."), set()),
    ("en", "Reply within {r} days to choose a refund or keep your order.", set()),
    ("en", "Please allow {r} business days for your bank to show the refund.", set()),
    ("ko", "환불까지 {r}영업일이 걸립니다.", {LATE}),
    ("ko", "환불은 영업일 기준 {r}일 이내에 처리됩니다.", {LATE}),
    ("ko", "환불까지 영업일 기준 {r}일이 걸립니다.", {LATE}),
    ("ko", "카드사 사정에 따라 반영까지 {r}영업일이 더 걸릴 수 있습니다.", set()),
    ("ko", "{r}일 이내에 알려 주시면 3영업일 안에 환불해 드립니다.", set()),
]


@pytest.mark.parametrize(("lang", "sentence", "codes"), RANGES)
@pytest.mark.parametrize("dash", ["-", " - "])
def test_a_hyphen_range_is_judged_as_the_en_dash_range(lang: str, sentence: str,
                                                        codes: set[str], dash: str) -> None:
    assert with_base(sentence.format(r="5–10"), lang) == codes
    assert with_base(sentence.format(r=f"5{dash}10"), lang) == codes


@pytest.mark.parametrize(("lang", "hyphen", "en_dash"), [
    ("en", "within 5-10 business days", "within 5–10 business days"),
    ("en", "within 5 - 10 business days", "within 5 – 10 business days"),
    ("en", "in 24-48 hours", "in 24–48 hours"),
    ("ko", "환불까지 5-10영업일", "환불까지 5–10영업일"),
    ("ko", "영업일 기준 3-5일 소요", "영업일 기준 3–5일 소요"),
    ("ko", "24-48시간 안에", "24–48시간 안에"),
    ("ko", "환불까지 5 -10영업일", "환불까지 5 –10영업일"),
])
def test_a_hyphen_between_numbers_is_read_as_an_en_dash(lang: str, hyphen: str,
                                                        en_dash: str) -> None:
    analyse = english.analyse if lang == "en" else korean.analyse

    def read(text: str) -> list[tuple[str, str]]:
        return [(t.lemma, t.tag) for s in analyse(text).sentences for t in s.tokens]

    assert read(hyphen) == read(en_dash)


@pytest.mark.parametrize(("lang", "text", "lemma"), [
    # A hyphen elsewhere stays a hyphen (in English, a clause break: "a refund - or a credit").
    ("en", "a refund - or a credit", "-"),
    ("en", "COVID-19 delays", "-"),
    # An order number is no range: Kiwi's one serial token is kept.
    ("ko", "주문번호 20240612-0001", "20240612-0001"),
    # Nor are long numbers on either side of a spaced hyphen or an em dash (Kiwi: 2024/SN,
    # —/SW, 0612/SN): a range's ends have 1–3 digits, as for the serial token.
    ("ko", "주문번호 2024—0612", "\u2014"),
    ("ko", "주문번호 20240612 - 0001", "-"),
    ("ko", "주문번호 20240612 -0001", "-"),
    ("ko", "5—1234", "\u2014"),
])
def test_a_hyphen_that_is_no_range_is_left_alone(lang: str, text: str, lemma: str) -> None:
    analyse = english.analyse if lang == "en" else korean.analyse
    assert lemma in [t.lemma for s in analyse(text).sentences for t in s.tokens]


# ---------------------------------------------------------------- 2. offers on the reply

OFFERED_ON_REPLY = [
    ("en", "Reply within 7 days and we will refund you."),
    ("en", "Reply within 7 days and we'll refund you in full."),
    # "Just reply to this email and we'll refund you …" (any reply at all) passes only beside a
    # choice elsewhere in the message: test_messagecheck_choice_conditions.py
    ("en", "Let us know by Friday and we will refund your payment."),
    ("en", "Tell us within 7 days and we'll refund you."),
    ("en", "Reply REFUND to this message and we will refund you in full."),
    ("ko", "7일 안에 회신해 주시면 환불해 드립니다."),
    # "회신 주시면 주문을 취소하고 환불해 드리겠습니다" (any reply at all) likewise passes only
    # beside a choice elsewhere: test_messagecheck_choice_conditions.py
]

STILL_FAIT_ACCOMPLI = [
    ("en", "We have cancelled your order and will refund you."),
    ("en", "If you do not reply by Friday, we will cancel your order."),
    ("en", "If you do not reply within 7 days, we will refund you."),
    ("en", "If we do not hear from you within 7 days, we will cancel your order and refund you."),
    ("en", "Do not reply and we will cancel your order and refund you."),
    ("en", "You don't need to reply and we will refund you."),
    ("en", "Reply within 7 days or we will cancel your order."),
    ("en", "Reply within 7 days, otherwise we will cancel your order."),
    ("en", "We have cancelled your order; reply within 7 days and we will refund you."),
    ("en", ("Reply within 7 days and we will keep your order, after that we will cancel "
            "it.")),
    ("en", "We will refund you the full amount this week."),
    # The exception is the refund promise's: it lifts no cancellation, refusal or refund already
    # made in the same clause.
    ("en", "We have cancelled your order, reply within 7 days and we will refund you."),
    ("en", "Your order cannot be honoured, reply within 7 days and we will refund you."),
    ("en", "We have refunded your payment, reply and we will refund the shipping too."),
    ("ko", "주문을 취소했으며 환불해 드리겠습니다."),
    ("ko", "회신이 없으면 주문을 취소하고 환불해 드리겠습니다."),
]


@pytest.mark.parametrize(("lang", "sentence"), OFFERED_ON_REPLY)
def test_a_refund_offered_on_the_customers_reply_is_no_fait_accompli(lang: str,
                                                                     sentence: str) -> None:
    assert with_base(sentence, lang) == set()
    assert FA not in errors(sentence, lang=lang, kind="follow_up")


@pytest.mark.parametrize(("lang", "sentence"), STILL_FAIT_ACCOMPLI)
def test_cancelling_on_silence_or_without_asking_is_still_fait_accompli(lang: str,
                                                                        sentence: str) -> None:
    assert FA in with_base(sentence, lang)


# ---------------------------------------------------------------- 3. refund-later's bank

DEFERRED_TO_THE_BANK = [
    ("ko", "다음 달 정산 때 은행 계좌로 환불해 드립니다."),
    ("ko", "환불은 다음 달 정산일에 은행 계좌로 입금됩니다."),
    ("ko", "환불은 다음 달 정산 때 카드사를 통해 처리됩니다."),
    ("ko", "환불은 익월 정산 시 결제 대행사를 통해 해 드립니다."),
    ("en", "Refunds are sent via your bank at the next settlement."),
    ("en", "Refunds go back to your bank at the next settlement."),
    ("en", "Your refund is paid into your bank with the next payout."),
    ("en", "We refund you to your bank account at the next settlement."),
    # "next month's" (the cue read "next month" only)
    ("en", "Your refund is paid into your bank with next month's payout."),
    ("en", "Refunds are paid with next month's payout."),
]

THE_BANK_TAKES_THE_TIME = [
    ("ko", "카드사 사정에 따라 환불이 다음 달 명세서에 반영될 수 있습니다."),
    ("ko", "카드사에 따라 다음 달 청구서에 환불이 반영될 수 있습니다."),
    ("ko", "은행 사정에 따라 환불이 다음 달에 입금될 수 있습니다."),
    ("ko", "결제 대행사 사정에 따라 환불 반영이 다음 달로 넘어갈 수 있습니다."),
    ("en", "Depending on your bank, the refund may appear on your next statement."),
    ("en", "Your bank may take until next month to show the refund."),
    ("en", "Your card company may show the refund on next month's statement."),
]


@pytest.mark.parametrize(("lang", "sentence"), DEFERRED_TO_THE_BANK)
def test_a_bank_named_as_the_destination_does_not_excuse_a_deferred_refund(
        lang: str, sentence: str) -> None:
    assert LATE in with_base(sentence, lang)
    assert LATE in errors(sentence, lang=lang, kind="follow_up")


@pytest.mark.parametrize(("lang", "sentence"), THE_BANK_TAKES_THE_TIME)
def test_the_bank_taking_the_time_excuses_a_later_refund(lang: str, sentence: str) -> None:
    assert with_base(sentence, lang) == set()


# ---------------------------------------------------------------- after review: 2. mended

#: A refund already made: "we've|we have refund* you|your" split on its spaces into
#: ``we've|we`` ``have`` ``refund*`` ``you|your``, which no "We've refunded …" matches.
REFUNDED_ALREADY = [
    "We've refunded your payment.",
    "We've refunded you in full.",
    "We've refunded your card.",
    "We have refunded your payment.",
]

#: The customer's answer chooses nothing and sets no condition, so the refund is announced, not
#: offered: contacting, replying or letting us know lifts the refund promise only with a
#: deadline (within/by/before/until), "whether", a choice made ("to cancel", "to keep"), or a
#: reply to the message itself ("Reply REFUND to this message").
NOT_ASKED_TO_CHOOSE = [
    "Contact us with any questions and we will refund your payment.",
    "Call us any time and we'll refund your order in full.",
    "Please reply to confirm you received this email, and we will refund your payment.",
    "Let us know you got this message and we'll refund you.",
    "There is nothing to answer and we will refund you.",
    "Contact us by phone and we will refund you.",
]

#: Answers that are a choice or carry a deadline still wait for the customer.
ASKED_TO_CHOOSE = [
    "Let us know whether you want a refund and we will refund you.",
    "Reply to cancel and we'll refund you in full.",
    "Email us by Friday and we will refund your payment.",
    "Reply to this email by Friday and we'll refund you.",
    "Text us before Friday and we'll refund you.",
]


@pytest.mark.parametrize("sentence", REFUNDED_ALREADY)
def test_a_refund_already_made_is_fait_accompli(sentence: str) -> None:
    assert FA in errors(sentence, lang="en")
    assert FA in with_base(sentence, "en")


@pytest.mark.parametrize("sentence", NOT_ASKED_TO_CHOOSE)
def test_a_refund_promised_on_an_answer_that_chooses_nothing_is_fait_accompli(
        sentence: str) -> None:
    assert FA in with_base(sentence, "en")


@pytest.mark.parametrize("sentence", ASKED_TO_CHOOSE)
def test_a_refund_promised_on_a_choice_or_by_a_deadline_waits_for_the_customer(
        sentence: str) -> None:
    assert with_base(sentence, "en") == set()


# ---------------------------------------------------------------- after review: 3. shared lists

@pytest.mark.parametrize(("lang", "cue", "shares_with"), [
    ("en", "fait-accompli-refund", "fait-accompli-refusal"),
    ("en", "refund-later", "refund-timing"),
    ("ko", "refund-later", "refund-timing"),
])
def test_cues_that_share_exceptions_read_them_from_one_list(lang: str, cue: str,
                                                            shares_with: str) -> None:
    """A refund promise is excused as a refusal is, and a deferred refund by the issuer taking
    the time as a slow one is: each list is written once in the rule file ([patterns])."""
    cues = load_rules(lang).cues
    shared = {p.source for p in cues[cue].unless} & {p.source for p in cues[shares_with].unless}
    assert len(shared) >= 4
