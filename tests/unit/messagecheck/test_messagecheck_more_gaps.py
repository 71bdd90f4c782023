"""Four more gaps a review found in the message check.

1. ``threat``'s account-sanction patterns read ``ban*``, which matched "bank": "We will refund
   you to your bank account" was a threat. Only ban, bans, banned and banning are a ban.
2. Korean ``refund-timing`` knew the day words 열흘, 보름 and 일주일 but not 나흘 … 아흐레, which
   the span reader (``patterns.span_days``) already counts: "환불은 닷새 안에 해 드립니다" promised
   five days unseen. 하루, 이틀 and 사흘 (three days at most) are within the limit.
3. Refusing the order with the subject first ("We cannot honour your order", "주문을 이행할 수
   없습니다") was not ``fait-accompli``: the English refusal patterns put the order before the
   verb ("your order cannot be honoured"), the Korean ones knew 발송·배송·진행 but not 이행.
4. An em dash between two numbers ("5—10 business days") is a range, read as the en dash, like
   the hyphen before it: the English tokeniser took it for a clause break, so "Your bank may take
   5—10 business days" lost the bank's exemption from ``refund-timing``.

Each sentence is added to a message that passes the check on its own, so the error codes found
are exactly the sentence's.
"""

from __future__ import annotations

import pytest
from base_messages import BASES, errors, with_base

from sagwa.messagecheck import english, korean

FA, LATE, THREAT = "fait-accompli", "refund-timing", "threat"


@pytest.mark.parametrize("lang", list(BASES))
def test_each_base_message_passes_on_its_own(lang: str) -> None:
    assert errors(BASES[lang], lang=lang) == set()


# ---------------------------------------------------------------- 1. a bank is no ban

@pytest.mark.parametrize("sentence", [
    "We will refund you to your bank account within 3 business days.",
    "The refund goes back to your bank account.",
    "Please check your banking account for the refund.",
])  # fmt: skip
def test_a_bank_account_is_no_threat(sentence: str) -> None:
    assert THREAT not in with_base(sentence, "en")
    assert THREAT not in errors(sentence, lang="en", kind="follow_up")


@pytest.mark.parametrize("sentence", [
    "Your account will be banned if you complain",
    "We may ban your account if you dispute this.",
    "Complaints may lead to banning your account.",
    "Your account is subject to a ban.",
])  # fmt: skip
def test_banning_an_account_is_still_a_threat(sentence: str) -> None:
    assert THREAT in with_base(sentence, "en")


# ---------------------------------------------------------------- 2. Korean day words

@pytest.mark.parametrize("word", ["나흘", "닷새", "엿새", "이레", "여드레", "아흐레", "열흘", "보름"])
@pytest.mark.parametrize("template", [
    "환불은 {w} 안에 해 드립니다.", "{w} 안에 환불해 드립니다.", "환불까지 {w}가 걸립니다.",
])  # fmt: skip
def test_a_day_word_over_three_days_is_a_late_refund(word: str, template: str) -> None:
    assert with_base(template.format(w=word), "ko") == {LATE}


def test_a_day_word_is_judged_as_the_same_number_of_days() -> None:
    assert with_base("환불은 닷새 안에 해 드립니다.", "ko") == with_base(
        "환불은 5일 안에 해 드립니다.", "ko") == {LATE}


@pytest.mark.parametrize("word", ["하루", "이틀", "사흘"])
@pytest.mark.parametrize("template", [
    "환불은 {w} 안에 해 드립니다.", "{w} 안에 환불해 드립니다.", "환불까지 {w}가 걸립니다.",
])  # fmt: skip
def test_a_day_word_of_three_days_at_most_is_in_time(word: str, template: str) -> None:
    assert with_base(template.format(w=word), "ko") == set()


@pytest.mark.parametrize("word", ["닷새", "이레", "아흐레"])
def test_a_day_word_as_the_customers_deadline_is_no_refund_timing(word: str) -> None:
    assert with_base(f"{word} 이내에 알려 주시면 3영업일 안에 환불해 드립니다.", "ko") == set()


# ---------------------------------------------------------------- 3. refusals, subject first

REFUSED = [
    ("en", "We cannot honour your order."),
    ("en", "We cannot honor your order."),
    ("en", "We can't honour your order."),
    ("en", "We won't honour your order."),
    ("en", "We will not honour your order at this price."),
    ("en", "We are unable to honour your order."),
    ("en", "We are unable to fulfil your order."),
    ("en", "We cannot fulfill your purchase."),
    ("en", "Unfortunately we cannot honour your booking."),
    ("en", "We won't be honouring your order."),
    ("ko", "주문을 이행할 수 없습니다."),
    ("ko", "주문을 이행해 드릴 수 없습니다."),
    ("ko", "주문 이행이 어렵습니다."),
    ("ko", "주문 이행이 불가합니다."),
    ("ko", "예약을 이행하지 못합니다."),
]

#: A refusal offered as a choice, conditional, or no refusal at all.
NOT_REFUSED = [
    ("en", "We cannot honour your order at this price unless you choose to pay the difference."),
    ("en", "We cannot honour your order at $3.99, but you can keep it at $39.99 or cancel it."),
    ("en", "If we cannot fulfil your order, we will ask you what you would like first."),
    ("en", "We can't wait to fulfil your order."),
    ("en", "We cannot honour the $3.99 price."),
    ("en", "We will honour your order at the price you paid."),
    ("ko", "주문 이행을 원하시면 차액을 결제해 주세요."),
    ("ko", "주문을 그대로 이행해 드리겠습니다."),
    ("ko", "주문을 이행할 수 없는 경우 먼저 여쭙겠습니다."),
]


@pytest.mark.parametrize(("lang", "sentence"), REFUSED)
def test_refusing_the_order_subject_first_is_fait_accompli(lang: str, sentence: str) -> None:
    assert FA in with_base(sentence, lang)
    assert FA in errors(sentence, lang=lang, kind="follow_up")


@pytest.mark.parametrize(("lang", "sentence"), NOT_REFUSED)
def test_a_refusal_offered_as_a_choice_or_no_refusal_is_no_fait_accompli(lang: str,
                                                                         sentence: str) -> None:
    assert FA not in with_base(sentence, lang)


# ---------------------------------------------------------------- 4. em dash ranges

EM_DASH_RANGES = [
    ("en", "Your refund will reach your card within {r} business days.", {LATE}),
    ("en", "Refunds take {r} days.", {LATE}),
    ("en", "Your bank may take {r} business days to post the refund.", set()),
    ("en", "Please allow {r} business days for your bank to show the refund.", set()),
    ("ko", "환불까지 {r}영업일이 걸립니다.", {LATE}),
    ("ko", "환불까지 {r}일이 걸립니다.", {LATE}),
    ("ko", "카드사 사정에 따라 반영까지 {r}영업일이 더 걸릴 수 있습니다.", set()),
    ("ko", "{r}일 이내에 알려 주시면 3영업일 안에 환불해 드립니다.", set()),
]


@pytest.mark.parametrize(("lang", "sentence", "codes"), EM_DASH_RANGES)
@pytest.mark.parametrize("dash", ["—", " — "])
def test_an_em_dash_range_is_judged_as_the_en_dash_range(lang: str, sentence: str,
                                                         codes: set[str], dash: str) -> None:
    assert with_base(sentence.format(r="5–10"), lang) == codes
    assert with_base(sentence.format(r=f"5{dash}10"), lang) == codes


@pytest.mark.parametrize(("lang", "em_dash", "en_dash"), [
    ("en", "within 5—10 business days", "within 5–10 business days"),
    ("en", "within 5 — 10 business days", "within 5 – 10 business days"),
    ("en", "in 24—48 hours", "in 24–48 hours"),
    ("ko", "환불까지 5—10영업일", "환불까지 5–10영업일"),
    ("ko", "환불까지 5—10일", "환불까지 5–10일"),
    ("ko", "24—48시간 안에", "24–48시간 안에"),
    ("ko", "환불까지 5 — 10영업일", "환불까지 5 – 10영업일"),
])  # fmt: skip
def test_an_em_dash_between_numbers_is_read_as_an_en_dash(lang: str, em_dash: str,
                                                          en_dash: str) -> None:
    analyse = english.analyse if lang == "en" else korean.analyse

    def read(text: str) -> list[tuple[str, str]]:
        return [(t.lemma, t.tag) for s in analyse(text).sentences for t in s.tokens]

    assert read(em_dash) == read(en_dash)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "a refund — or a credit"),
    ("en", "We're sorry — a decimal slip"),
    ("en", "Orders placed after 5—we are closed then."),
    ("ko", "환불 — 또는 적립금"),
])  # fmt: skip
def test_an_em_dash_that_is_no_range_is_left_alone(lang: str, text: str) -> None:
    analyse = english.analyse if lang == "en" else korean.analyse
    assert "—" in [t.lemma for s in analyse(text).sentences for t in s.tokens]


@pytest.mark.parametrize(("text", "dash"), [
    ("Your order 20240612-0001 is cancelled.", "-"),
    ("Your order 20240612 - 0001 is cancelled.", "-"),
    ("Reference 2024—0612 below.", "—"),
    ("Call 5—1234 for help.", "—"),
])  # fmt: skip
def test_an_english_dash_between_long_numbers_is_an_order_numbers_part(text: str,
                                                                       dash: str) -> None:
    """Only short numbers make a range (as in Korean): "20240612-0001" is an order number."""
    lemmas = [t.lemma for s in english.analyse(text).sentences for t in s.tokens]
    assert dash in lemmas and "–" not in lemmas
