"""Conditions that choose nothing, and the customer's own deadline said with a contact verb.

1. A condition about questions, help or concerns ("Contact us if you have any questions and we
   will refund you", "문의 사항이 있으시면 …") is no choice: the bare "if" (면) in the refusal,
   refund and cancellation cues' exceptions lifted such a refund or refusal. Offers whose
   condition is the customer's choice ("If you'd like a refund, …", "원하시면 …") still pass. In
   Korean a refund promised in the future ("환불해 드리겠습니다") was no cue at all.
2. "Reply to this message and we will refund you": any reply at all gets the refund, so the
   reply chooses nothing. It is flagged unless the message offers a choice elsewhere (then the
   reply is how to take one of the options); a reply that chooses ("Reply REFUND …", "reply to
   cancel …") or has a deadline waits for the customer, as before.
3. "Email us within 7 days and we will refund you": the customer's deadline is no refund span
   (refund-timing), whichever way the customer is to answer (email, call, text, write, contact).

4. A refund promised in the sentence after the customer's choice ("취소를 원하시면 알려 주세요.
   전액 환불해 드리겠습니다.") is an offer: the refund cues look for a choice in the sentence just
   before too (``unless_before``), where a question still is no choice.
5. The set-aside questions ("if you have any questions") are the question or help phrase itself:
   a choice beside it ("If you would rather cancel and need help with anything") or inside it
   ("Should you need help cancelling") is not swallowed; "문의하실 경우", "도움이 필요하실 때" are
   questions too.
6. The order refused subject first ("We cannot ship your order"), but not a hold until the
   customer chooses, nor "we can't wait to ship your order".
7. A refund on any reply in Korean ("회신 주시면 환불해 드리겠습니다") as in English: flagged
   unless the message offers a choice elsewhere.
8. A cancellation announced in the sentence after the customer's choice ("취소를 원하시면 알려
   주세요. 주문을 취소하겠습니다.") is an offer, as a refund is (4.); a question or a bare
   condition before it is not. A refund promised first and the alternative after ("We will refund
   you. If you prefer, we can ship it instead.") is an offer too (``unless_after``), but only an
   alternative to the refund lifts it: a question, or a choice about something else, does not,
   and a cancellation already made is not lifted by what follows.

Each sentence is added to a message that passes the check on its own (``with_base``), so the
error codes found are exactly the sentence's. Last, the rule files' ``unless_ignore`` (what sets
a condition about questions aside), ``unless_before`` and ``unless_after`` on a rule set of
their own.
"""

from __future__ import annotations

import pytest
from base_messages import errors, with_base

from sagwa.messagecheck import english
from sagwa.messagecheck.cues import find_hits
from sagwa.messagecheck.ruleset import parse_rules

FA, LATE = "fait-accompli", "refund-timing"

# ---------------------------------------------------------------- 1. questions are no choice

NOT_A_CHOICE = [
    ("en", "Contact us if you have any questions and we will refund you."),
    ("en", "If you have any questions, contact us and we will refund you."),
    ("en", "Let us know if you need any help and we'll refund your payment."),
    ("en", "Reply to this email if you have any concerns and we will refund you."),
    ("en", "If there is anything else, email us and we will refund you."),
    ("en", "Let us know within 7 days if you have any questions and we will refund you."),
    # the refusal and the cancellation cues had the same bare "if"
    ("en", "Contact us if you have any questions; your order cannot be honoured."),
    ("en", "If you have any questions, contact us: we are unable to ship your order."),
    ("en", "If you have any questions, contact us; your order has been cancelled."),
    ("ko", "문의 사항이 있으시면 연락 주세요. 환불해 드리겠습니다."),
    ("ko", "문의 사항이 있으시면 연락 주시고 주문은 취소하겠습니다."),
    ("ko", "도움이 필요하시면 고객센터로 연락 주시고 주문은 취소 처리하겠습니다."),
    ("ko", "궁금하신 점이 있으시면 말씀해 주시고 주문은 환불해 드리겠습니다."),
    ("ko", "환불해 드리겠습니다."),
]

A_CHOICE = [
    ("en", "If you'd like a refund, we will refund you."),
    ("en", "If you prefer, we will refund your payment."),
    ("en", "if you choose to cancel we'll refund you."),
    ("en", "If you choose to cancel, we will refund you."),
    ("en", "If you have any questions, call us; if you would rather cancel, we will refund you."),
    ("en", "If you decide to cancel, your order cannot be honoured and we will refund it."),
    ("ko", "원하시면 환불해 드리겠습니다."),
    ("ko", "취소를 원하시면 전액 환불해 드리겠습니다."),
    ("ko", "취소를 선택하시면 환불해 드리겠습니다."),
    ("ko", "문의 사항이 있으시면 연락 주세요. 취소를 원하시면 환불해 드리겠습니다."),
    ("ko", "궁금하신 점이 있으시거나 취소를 원하시면 환불해 드리겠습니다."),
    # a refund promised in Korean is a cue now; these are the customer's doing, or no
    # cancellation at all (the difference refunded, the order kept)
    ("ko", "주문 취소 시 전액 환불해 드리겠습니다."),
    ("ko", "주문을 취소하신 분께는 전액 환불해 드리겠습니다."),
    ("ko", "요청하신 대로 주문을 취소했고, 전액 환불해 드리겠습니다."),
    ("ko", "차액은 환불해 드리겠습니다."),
]


@pytest.mark.parametrize(("lang", "sentence"), NOT_A_CHOICE)
def test_a_condition_about_questions_offers_no_choice(lang: str, sentence: str) -> None:
    assert with_base(sentence, lang) == {FA}


@pytest.mark.parametrize(("lang", "sentence"), A_CHOICE)
def test_a_condition_the_customer_chooses_still_offers(lang: str, sentence: str) -> None:
    assert with_base(sentence, lang) == set()


# ---------------------------------------------------------------- 2. any reply at all

#: An apology and an explanation, and no choice: the start of a message without options.
NO_CHOICE = "We're sorry — a decimal slip showed this kettle at $3.99 instead of $39.99. "

#: A whole message with no choice in it but the reply: the refund is announced.
ANY_REPLY_ALONE = [
    NO_CHOICE + "Reply to this message and we will refund you.",
    NO_CHOICE + "Just reply to this email and we'll refund you the full amount.",
]

#: The same reply where the message offers a choice (the base message: keep or cancel): the
#: reply is how the customer takes the refund.
ANY_REPLY_BESIDE_A_CHOICE = [
    "Reply to this message and we will refund you.",
    "Just reply to this email and we'll refund you the full amount.",
]

#: Replies that choose, or have a deadline, wait for the customer with or without a choice
#: elsewhere.
A_REPLY_THAT_CHOOSES = [
    "Reply REFUND to this message and we will refund you in full.",
    "Reply to this email to cancel and we'll refund you.",
    "Reply to this email by Friday and we'll refund you.",
    "Reply to this message within 7 days and we will refund you.",
]


@pytest.mark.parametrize("text", ANY_REPLY_ALONE)
@pytest.mark.parametrize("kind", ["resolution", "follow_up"])
def test_a_refund_on_any_reply_alone_is_fait_accompli(text: str, kind: str) -> None:
    assert FA in errors(text, lang="en", kind=kind)


@pytest.mark.parametrize("sentence", ANY_REPLY_BESIDE_A_CHOICE)
def test_a_refund_on_any_reply_beside_a_choice_passes(sentence: str) -> None:
    assert with_base(sentence, "en") == set()


@pytest.mark.parametrize("sentence", A_REPLY_THAT_CHOOSES)
def test_a_refund_on_a_reply_that_chooses_waits_for_the_customer(sentence: str) -> None:
    assert with_base(sentence, "en") == set()
    assert FA not in errors(NO_CHOICE + sentence, lang="en", kind="follow_up")


# ---------------------------------------------------------------- 3. the customer's deadline

CUSTOMERS_DEADLINE = [
    ("en", "Email us within 7 days and we will refund you."),
    ("en", "Call us within 7 days and we will refund you."),
    ("en", "Text us within 7 days and we will refund you."),
    ("en", "Contact us within 7 days and we will refund you."),
    ("en", "Write to us within 7 days and we will refund you."),
    ("en", "Message us within 14 days and we'll refund your payment."),
    ("ko", "7일 안에 이메일로 알려 주시면 환불해 드립니다."),
    ("ko", "7일 안에 전화 주시면 환불해 드립니다."),
    ("ko", "7일 안에 메일 보내 주시면 환불해 드립니다."),
    ("ko", "7일 이내에 문자 주시면 환불해 드립니다."),
    ("ko", "7일 안에 말씀해 주시면 환불해 드립니다."),
]

#: The sender's own doing within the days is still the refund's span.
SENDERS_SPAN = [
    ("en", "We will email you within 7 days and refund your payment within 10 days."),
    ("en", "Refunds are made within 10 days; email us with any questions."),
    ("ko", "환불은 7일 안에 메일로 안내해 드립니다."),
    ("ko", "환불 결과는 7일 안에 문자로 보내 드립니다."),
]


@pytest.mark.parametrize(("lang", "sentence"), CUSTOMERS_DEADLINE)
def test_the_customers_deadline_to_contact_us_is_no_refund_span(lang: str,
                                                                 sentence: str) -> None:
    assert with_base(sentence, lang) == set()


@pytest.mark.parametrize(("lang", "sentence"), SENDERS_SPAN)
def test_the_senders_own_days_are_still_the_refunds_span(lang: str, sentence: str) -> None:
    assert LATE in with_base(sentence, lang)


# ---------------------------------------------------------------- the rule file's unless_ignore

@pytest.mark.parametrize(("text", "lifted"), [
    ("If you prefer, we will refund you.", True),
    ("Email us with questions and we will refund you.", True),
    # "if" inside the set-aside phrase, "email us … and we" across it: neither lifts
    ("Email us if you have questions and we will refund you.", False),
    ("If you have questions, or if you prefer, we will refund you.", True),
])
def test_an_exception_inside_or_across_a_set_aside_phrase_lifts_nothing(text: str,
                                                                        lifted: bool) -> None:
    rules = parse_rules("en", {
        "patterns": {"questions": ["if you have .. questions"]},
        "cues": {"refund": {"any": ["we will refund"], "unless": ["if", "email us ... and we"],
                            "unless_ignore": ["@questions"], "negatable": False}},
        "checks": [{"code": "x", "when": "present", "cues": ["refund"], "message": "m"}],
        "negation": {"clause_breaks": [";"]},
    })
    assert bool(find_hits(english.analyse(text), rules)["refund"]) is not lifted


# ---------------------------------------------------------------- 4. a choice the sentence before

CHOICE_THE_SENTENCE_BEFORE = [
    ("ko", "주문 취소를 원하시면 7일 안에 알려 주세요. 결제하신 금액은 전액 환불해 드리겠습니다."),
    ("ko", "취소를 원하시면 고객센터로 말씀해 주세요. 확인 후 전액 환불해 드리겠습니다."),
    ("ko", "취소를 원하실 경우 연락 주세요. 환불해 드리겠습니다."),
    ("ko", "문의 사항이 있으시거나 취소를 원하시면 연락 주세요. 환불해 드리겠습니다."),
    ("en", "If you would like to cancel, let us know. We will refund your payment in full."),
    ("en", "Should you wish to cancel, reply to this email. We'll refund your payment the same day."),
    ("en", "If you have any questions, or if you prefer to cancel, call us. We will refund you."),
    ("en", "If you need to cancel, let us know. We will refund you."),
    ("en", "You can keep the order or cancel it. We will refund you in full."),
    ("ko", "취소하실 수 있습니다. 환불해 드리겠습니다."),
    ("ko", "문의 또는 취소가 필요하시면 연락 주세요. 환불해 드리겠습니다."),
]

#: The sentence before holds no choice: a question, or words that only look like an exception.
NO_CHOICE_THE_SENTENCE_BEFORE = [
    ("ko", "문의 사항이 있으시면 연락 주세요. 환불해 드리겠습니다."),
    ("ko", "도움이 필요하실 때 연락 주세요. 환불해 드리겠습니다."),
    ("ko", "저희가 미리 확인할 수 있었던 오류입니다. 환불해 드리겠습니다."),
    ("ko", "원하시는 대로 해 드리지 못해 죄송합니다. 환불해 드리겠습니다."),
    ("en", "If you have any questions, contact us. We will refund your payment in full."),
    ("en", "The price was wrong by a factor of ten or more. We will refund you."),
]


@pytest.mark.parametrize(("lang", "sentences"), CHOICE_THE_SENTENCE_BEFORE)
def test_a_refund_after_the_sentence_offering_it_is_an_offer(lang: str, sentences: str) -> None:
    assert with_base(sentences, lang) == set()


@pytest.mark.parametrize(("lang", "sentences"), NO_CHOICE_THE_SENTENCE_BEFORE)
def test_a_refund_after_a_sentence_with_no_choice_is_announced(lang: str,
                                                               sentences: str) -> None:
    assert with_base(sentences, lang) == {FA}


# ---------------------------------------------------------------- 5. only the question itself

#: A choice beside or inside a question or help phrase, which the set-aside no longer swallows.
CHOICE_BY_A_QUESTION = [
    ("en", "If you would rather cancel and need help with anything, we will refund you."),
    ("en", "Should you need help cancelling, we will refund you."),
    ("en", "If you need help choosing, or would rather cancel, we will refund you."),
    ("ko", "문의 사항이 있거나 취소하시면 환불해 드리겠습니다."),
    ("en", "If you want to cancel or have questions, we will refund you."),
    ("ko", "취소를 원하실 경우 연락 주시면 환불해 드리겠습니다."),
    ("ko", "문의 또는 취소가 필요하시면 환불해 드리겠습니다."),
]

#: Questions and help, however they are put: no choice.
QUESTIONS_PUT_OTHERWISE = [
    ("en", "If you have any questions or concerns, contact us and we will refund you."),
    ("en", "Should you need any help, we will refund you."),
    ("en", "If you still have questions, email us and we will refund you."),
    ("ko", "문의하실 경우 말씀해 주시고 주문은 환불해 드리겠습니다."),
    ("ko", "도움이 필요하실 때 연락 주시고 주문은 취소하겠습니다."),
    ("ko", "문의하실 경우 연락 주시고 주문은 취소하겠습니다."),
    ("ko", "문의하실 경우 연락 주세요. 주문을 취소하겠습니다."),
    ("ko", "궁금하시면 연락 주시고 주문은 취소하겠습니다."),
]


@pytest.mark.parametrize(("lang", "sentence"), CHOICE_BY_A_QUESTION)
def test_a_choice_beside_or_inside_a_question_still_offers(lang: str, sentence: str) -> None:
    assert with_base(sentence, lang) == set()


@pytest.mark.parametrize(("lang", "sentence"), QUESTIONS_PUT_OTHERWISE)
def test_a_question_put_otherwise_offers_no_choice(lang: str, sentence: str) -> None:
    assert with_base(sentence, lang) == {FA}


# ---------------------------------------------------------------- 6. the order refused

REFUSED_SUBJECT_FIRST = [
    "We cannot ship your order.",
    "We can't deliver your order.",
    "We won't dispatch your purchase.",
    "We cannot process your order.",
    "We will not ship it.",
]

#: Looking forward to shipping, holding the order until the customer chooses, a delay, not
#: shipping it unchanged (the choices follow), or refusing only the wrong price beside the choices.
NOT_REFUSED = [
    "We can't wait to ship your order.",
    "We won't ship your order until you choose.",
    "We will not ship your order until we hear from you.",
    "We cannot deliver it before Monday.",
    "We can't ship it as it stands.",
    "Your order can't ship before Monday.",
    ("We cannot ship your order at the wrong price; choose to keep it at $39.99 or cancel it "
     "for a full refund."),
]


@pytest.mark.parametrize("sentence", REFUSED_SUBJECT_FIRST)
def test_the_order_refused_subject_first_is_fait_accompli(sentence: str) -> None:
    assert with_base(sentence, "en") == {FA}


@pytest.mark.parametrize("sentence", NOT_REFUSED)
def test_a_hold_until_the_customer_chooses_refuses_nothing(sentence: str) -> None:
    assert with_base(sentence, "en") == set()


# ---------------------------------------------------------------- 7. any reply in Korean

#: An apology and an explanation, and no choice: the start of a Korean message without options.
NO_CHOICE_KO = ("고객님, 가격 오류로 불편을 드려 진심으로 사과드립니다. 저희가 가격을 잘못 입력해 "
                "59,700원이 아닌 5,970원으로 표시되었습니다. ")

#: Any reply at all, also with a question as its condition (as "If you have any questions, reply
#: to this email and we will refund you").
ANY_REPLY_KO = [
    "회신 주시면 환불해 드리겠습니다.",
    "이 메시지에 답장해 주시면 전액 환불해 드리겠습니다.",
    "회신 주시면 주문을 취소하고 환불해 드리겠습니다.",
    "문의하실 경우 연락 주시면 환불해 드리겠습니다.",
]

#: Replies that choose or have a deadline wait for the customer, with or without a choice
#: elsewhere.
A_REPLY_THAT_CHOOSES_KO = [
    "12월 8일까지 회신 주시면 환불해 드리겠습니다.",
    "7일 안에 회신 주시면 환불해 드리겠습니다.",
    "취소를 원하신다고 회신 주시면 환불해 드리겠습니다.",
]


@pytest.mark.parametrize("sentence", ANY_REPLY_KO)
@pytest.mark.parametrize("kind", ["resolution", "follow_up"])
def test_a_korean_refund_on_any_reply_alone_is_fait_accompli(sentence: str, kind: str) -> None:
    assert FA in errors(NO_CHOICE_KO + sentence, lang="ko", kind=kind)


@pytest.mark.parametrize("sentence", ANY_REPLY_KO)
def test_a_korean_refund_on_any_reply_beside_a_choice_passes(sentence: str) -> None:
    assert with_base(sentence, "ko") == set()


@pytest.mark.parametrize("sentence", A_REPLY_THAT_CHOOSES_KO)
def test_a_korean_refund_on_a_reply_that_chooses_waits(sentence: str) -> None:
    assert with_base(sentence, "ko") == set()
    assert FA not in errors(NO_CHOICE_KO + sentence, lang="ko", kind="follow_up")


# ---------------------------------------------------------------- the rule file's unless_before

@pytest.mark.parametrize(("text", "lifted"), [
    ("If you prefer. We will refund you.", True),
    ("We will refund you. If you prefer.", False),
    ("Questions? If you have questions. We will refund you.", False),
    ("If you prefer. Thanks. We will refund you.", False),
])
def test_an_exception_in_the_sentence_just_before_lifts(text: str, lifted: bool) -> None:
    """``unless_before`` is looked for in the sentence just before the match's, outside the
    set-aside phrases there; not after, not two sentences back."""
    rules = parse_rules("en", {
        "patterns": {"questions": ["if you have .. questions"]},
        "cues": {"refund": {"any": ["we will refund"], "unless_before": ["if"],
                            "unless_ignore": ["@questions"], "negatable": False}},
        "checks": [{"code": "x", "when": "present", "cues": ["refund"], "message": "m"}],
        "negation": {"clause_breaks": [";"]},
    })
    assert bool(find_hits(english.analyse(text), rules)["refund"]) is not lifted


@pytest.mark.parametrize(("text", "lifted"), [
    ("If you have questions, we will refund you.", False),
    # a choice word inside the set-aside phrase: no question, the "if" lifts
    ("If you want to cancel or have questions, we will refund you.", True),
])
def test_a_set_aside_phrase_with_a_choice_inside_sets_nothing_aside(text: str,
                                                                    lifted: bool) -> None:
    rules = parse_rules("en", {
        "patterns": {"questions": ["if you .. have .. questions"]},
        "cues": {"refund": {"any": ["we will refund"], "unless": ["if"],
                            "unless_ignore": ["@questions"],
                            "unless_ignore_without": ["cancel*|want"], "negatable": False}},
        "checks": [{"code": "x", "when": "present", "cues": ["refund"], "message": "m"}],
        "negation": {"clause_breaks": [";"]},
    })
    assert bool(find_hits(english.analyse(text), rules)["refund"]) is not lifted


# ---------------------------------------------------------------- 8. a cancellation after a choice

CANCEL_AFTER_A_CHOICE = [
    ("ko", "취소를 원하시면 알려 주세요. 주문을 취소하겠습니다."),
    ("ko", "취소를 원하실 경우 연락 주세요. 주문을 취소 처리하겠습니다."),
    ("ko", "문의 사항이 있으시거나 취소를 원하시면 연락 주세요. 주문을 취소하겠습니다."),
    ("en", ("If you would like to cancel, let us know. We will cancel your order and refund you "
           "in full.")),
    ("en", ("Should you wish to cancel, reply to this email. Your order will be cancelled the "
           "same day.")),
]

#: The sentence before asks nothing of the customer's choice: a question, a bare condition, a
#: statement. The cancellation stays announced.
CANCEL_AFTER_NO_CHOICE = [
    ("ko", "문의 사항이 있으시면 연락 주세요. 주문을 취소하겠습니다."),
    ("ko", "도움이 필요하시면 연락 주세요. 주문을 취소 처리하겠습니다."),
    ("ko", "확인하시면 알려 주세요. 주문을 취소하겠습니다."),
    ("ko", "가격 오류가 확인되었습니다. 주문을 취소하겠습니다."),
    ("en", ("If you have any questions, contact us. We will cancel your order and refund you in "
           "full.")),
    ("en", "If you need help, call us. Your order has been cancelled."),
    ("en", "If this reaches you late, we apologise. We will cancel your order."),
    ("en", "The price was wrong by a factor of ten. We will cancel your order."),
]

#: A refund promised, and the alternative to it in the sentence after.
REFUND_THEN_A_CHOICE = [
    ("en", "We will refund you. If you prefer, we can ship it instead."),
    ("en", "We'll refund your payment. If you would rather keep the order, let us know."),
    ("ko", "환불해 드리겠습니다. 원하시면 대신 배송해 드릴 수 있습니다."),
    ("ko", "전액 환불해 드리겠습니다. 주문 유지를 원하시면 알려 주세요."),
]

#: What comes after offers no alternative to the refund, or the order is already cancelled.
REFUND_THEN_NO_CHOICE = [
    ("en", "We will refund you. If you have any questions, contact us."),
    ("en", "We will refund you. If you would like to order again, visit our shop."),
    ("en", "We will refund you. If you need help, call us."),
    ("en", "We will refund you. If you want to keep receiving our offers, stay subscribed."),
    ("en", "Your order has been cancelled. If you prefer, we can ship it instead."),
    ("ko", "환불해 드리겠습니다. 문의 사항이 있으시면 연락 주세요."),
    ("ko", "환불해 드리겠습니다. 다시 주문을 원하시면 매장을 방문해 주세요."),
    ("ko", "환불해 드리겠습니다. 배송이 원하시는 날짜보다 늦어질 수 있습니다."),
    ("ko", "주문을 취소했습니다. 원하시면 대신 배송해 드릴 수 있습니다."),
]


@pytest.mark.parametrize(("lang", "sentences"), CANCEL_AFTER_A_CHOICE)
def test_a_cancellation_in_the_sentence_after_a_choice_is_still_announced(
        lang: str, sentences: str) -> None:
    """Strict on purpose: lifting a cancellation by the sentence before let a cancellation next to
    any "if you would like …" pass (see DECOYS); an offer says it in one sentence."""
    assert with_base(sentences, lang) == {FA}


@pytest.mark.parametrize(("lang", "sentences"), CANCEL_AFTER_NO_CHOICE)
def test_a_cancellation_after_a_sentence_with_no_choice_is_announced(lang: str,
                                                                     sentences: str) -> None:
    assert with_base(sentences, lang) == {FA}


@pytest.mark.parametrize(("lang", "sentences"), REFUND_THEN_A_CHOICE)
def test_a_refund_with_its_alternative_only_after_is_still_announced(lang: str,
                                                                     sentences: str) -> None:
    """Strict on purpose, as above: "If you want the item shipped, place a new order" after a
    refund passed as its alternative."""
    assert with_base(sentences, lang) == {FA}


#: A choice-looking sentence about something else beside a cancellation or a refund announced
#: (a reviewer's cases): each must stay fait-accompli.
DECOYS = [
    ("en", ("If you would like to reorder at the correct price, visit our site. We will cancel "
           "your order.")),
    ("en", ("If you want to receive our newsletter, sign up below. Your order has been cancelled "
           "and refunded.")),
    ("en", "Should you wish to contact us, reply to this email. We have cancelled your order."),
    ("en", ("If you would like a refund to your card instead of store credit, let us know. Your "
           "order has been cancelled.")),
    ("en", ("We will refund you. If you'd like delivery updates for your other orders, check the "
           "app.")),
    ("en", ("We will refund your payment. If you want the item shipped, you will need to place a "
           "new order.")),
    ("en", "If you would like to reorder, visit our site. We will refund your payment in full."),
    ("ko", "재주문을 원하시면 홈페이지를 방문해 주세요. 주문을 취소하겠습니다."),
    ("ko", "환불 계좌 변경을 원하시면 연락 주세요. 주문이 취소되었습니다."),
    ("ko", "환불해 드리겠습니다. 배송 조회를 원하시면 앱을 확인해 주세요."),
    ("ko", "환불해 드리겠습니다. 교환 및 반품 안내를 원하시면 고객센터로 연락 주세요."),
    ("ko", "재주문을 원하시면 홈페이지를 방문해 주세요. 전액 환불해 드리겠습니다."),
]


@pytest.mark.parametrize(("lang", "sentences"), DECOYS)
def test_a_choice_about_something_else_lifts_no_cancellation_or_refund(lang: str,
                                                                       sentences: str) -> None:
    assert FA in with_base(sentences, lang)


@pytest.mark.parametrize(("lang", "sentences"), REFUND_THEN_NO_CHOICE)
def test_a_refund_or_cancellation_followed_by_no_alternative_is_announced(
        lang: str, sentences: str) -> None:
    assert with_base(sentences, lang) == {FA}


@pytest.mark.parametrize(("text", "lifted"), [
    ("We will refund you. If you prefer.", True),
    ("If you prefer. We will refund you.", False),
    ("We will refund you. If you have questions.", False),
    ("We will refund you. Thanks. If you prefer.", False),
])
def test_an_exception_in_the_sentence_just_after_lifts(text: str, lifted: bool) -> None:
    """``unless_after`` is looked for in the sentence just after the match's, outside the
    set-aside phrases there; not before, not two sentences on."""
    rules = parse_rules("en", {
        "patterns": {"questions": ["if you have .. questions"]},
        "cues": {"refund": {"any": ["we will refund"], "unless_after": ["if"],
                            "unless_ignore": ["@questions"], "negatable": False}},
        "checks": [{"code": "x", "when": "present", "cues": ["refund"], "message": "m"}],
        "negation": {"clause_breaks": [";"]},
    })
    assert bool(find_hits(english.analyse(text), rules)["refund"]) is not lifted
