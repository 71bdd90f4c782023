"""A tester added Korean sentences to an otherwise valid apology and linted it as a resolution:
"이번 오류는 판매자의 실수입니다", "…판매자가 가격을 잘못 입력한 탓입니다" and "판매자 측 실수로 발생한
일입니다" raised nothing (the English "This was the seller's fault" is blame-shift), "기한이 지나면
주문은 취소 처리되고 환불해 드립니다" raised nothing, and "답하지 않으면 주문은 자동 취소되며 법적
조치를…" raised only the threat, not the cancellation on silence.

Putting the fault on the seller (their mistake *as the verdict*: "…는 판매자의 실수입니다", "판매자
측 잘못", "…한 탓") is blame-shift even after an apology, as in English; the facts the desk's own
apology states after owning the error ("이번 가격 오류는 저희의 책임입니다. 판매자 북마루가 가격을
… 잘못 입력했고 …") are not. Cancelling or refunding when the customer does not answer, or when
the deadline passes, is fait-accompli, with or without a threat beside it; offering to cancel
("원하시면 취소하실 수 있습니다") or keeping the order is not."""

from __future__ import annotations

import pytest

from sagwa.messagecheck import check_message

#: A valid Korean apology: it passes the check on its own.
GOOD = ("고객님, 주문하신 상품의 가격이 잘못 표시되어 진심으로 사과드립니다. 정상가 199,000원 대신 "
        "19,900원으로 잘못 입력되었습니다. 주문을 유지하시거나 취소하고 전액 환불받으실 수 있습니다. "
        "6월 16일 오후 6시까지 이 메시지에 회신해 선택해 주세요. 문의: 1588-1234.\n")

SELLER_FAULT = [
    "이번 오류는 판매자의 실수입니다.",
    "이번 가격 오류는 판매자가 가격을 잘못 입력한 탓입니다.",
    "판매자 측 실수로 발생한 일입니다.",
    "이번 일은 입점 업체 측의 잘못입니다.",
    "가격 오류는 협력사의 잘못입니다.",
    "이번 오류는 판매자 탓입니다.",
    "판매자 쪽 실수로 가격이 잘못 표시되었습니다.",
    "이번 가격 오류는 전적으로 판매자의 책임입니다.",
    "이 문제는 입점 판매자의 과실입니다.",
]

NOT_SELLER_FAULT = [
    # the desk's own wording: owning it first, then the facts
    ("이번 가격 오류는 저희의 책임입니다. 판매자 북마루가 가격을 199,000원이 아닌 19,900원으로 "
     "잘못 입력했고, 저희 담당자가 승인했습니다."),
    "이번 오류는 판매자의 잘못이 아니라 저희의 책임입니다.",
    "판매자의 실수였지만, 이를 걸러내지 못한 것은 저희 책임입니다.",
    "판매자 탓이 아닙니다.",
    "판매자 측에도 사실을 알리고 재발 방지를 요청했습니다.",
    "이 일은 판매자의 책임이 아니며 저희 잘못입니다.",
]


@pytest.mark.parametrize("sentence", SELLER_FAULT)
def test_the_sellers_fault_as_the_verdict_is_blame_shift_even_after_an_apology(
        sentence: str) -> None:
    assert check_message(GOOD, kind="resolution", lang="ko").ok
    result = check_message(GOOD + sentence, kind="resolution", lang="ko")
    assert "blame-shift" in result.codes, sentence
    span = next(f.span for f in result.findings if f.code == "blame-shift")
    assert span is not None and span[0] >= len(GOOD)


@pytest.mark.parametrize("sentence", NOT_SELLER_FAULT)
def test_facts_about_the_seller_after_owning_the_error_are_not_blame(sentence: str) -> None:
    result = check_message(GOOD + sentence, kind="resolution", lang="ko")
    assert "blame-shift" not in result.codes, (sentence, result.findings)


CANCEL_ON_SILENCE = [
    "기한이 지나면 주문은 취소 처리되고 환불해 드립니다.",
    "답하지 않으면 주문은 자동 취소되며 법적 조치를 취할 수 있습니다.",
    "답하지 않으면 주문은 자동 취소되며 환불됩니다.",
    "응답이 없으면 주문을 취소합니다.",
    "기한까지 회신이 없으시면 주문을 취소하고 환불해 드립니다.",
    "기한이 지나면 주문은 자동으로 취소됩니다.",
    "마감 시간이 지나면 환불 처리해 드립니다.",
    "연락이 없으시면 주문은 취소되며, 불이익이 있을 수 있습니다.",
]

NOT_CANCEL_ON_SILENCE = [
    "기한이 지나도 주문은 취소되지 않고 그대로 유지됩니다.",
    "답하지 않으셔도 주문은 취소되지 않습니다.",
    "기한이 지나면 주문은 그대로 유지됩니다.",
    "기한 전까지 원하시면 언제든 취소하실 수 있습니다.",
    "결제하지 않으셔도 취소는 언제든 가능합니다.",
    "응답이 없으시면 주문은 그대로 두고 다시 전화드리겠습니다.",
]


@pytest.mark.parametrize("sentence", CANCEL_ON_SILENCE)
def test_cancelling_when_the_customer_does_not_answer_is_fait_accompli(sentence: str) -> None:
    result = check_message(GOOD + sentence, kind="resolution", lang="ko")
    assert "fait-accompli" in result.codes, sentence


@pytest.mark.parametrize("sentence", NOT_CANCEL_ON_SILENCE)
def test_keeping_the_order_or_offering_to_cancel_is_not_fait_accompli(sentence: str) -> None:
    result = check_message(GOOD + sentence, kind="resolution", lang="ko")
    assert "fait-accompli" not in result.codes, (sentence, result.findings)


def test_the_threat_beside_the_cancellation_is_still_a_threat() -> None:
    result = check_message(GOOD + CANCEL_ON_SILENCE[1], kind="resolution", lang="ko")
    assert {"threat", "fait-accompli"} <= result.codes


# With the incident's plan: cancelling on silence contradicts a plan that keeps (or calls back).
PLAN_CODE = "contradicts-plan-default"
EN_GOOD = ("We apologise. The price was entered wrong: 19,900 won instead of 199,000 won. Keep "
           "the order or cancel it for a refund; reply by June 16 at 6 pm to choose. Call "
           "1588-1234 with questions.\n")


@pytest.mark.parametrize("default", ["keep", "follow_up_call"])
@pytest.mark.parametrize(("lang", "text"), [
    ("ko", GOOD + CANCEL_ON_SILENCE[0]), ("ko", GOOD + CANCEL_ON_SILENCE[1]),
    ("en", EN_GOOD + "If you do not reply by the deadline, your order will be cancelled."),
    ("en", EN_GOOD + "Once the deadline passes, your order will be cancelled and refunded."),
])
def test_cancelling_on_silence_contradicts_a_plan_that_keeps(lang: str, text: str,
                                                              default: str) -> None:
    assert PLAN_CODE not in check_message(text, kind="notice", lang=lang).codes  # no plan known
    result = check_message(text, kind="notice", lang=lang, plan_default=default)
    assert PLAN_CODE in result.codes and not result.ok
    finding = next(f for f in result.findings if f.code == PLAN_CODE)
    assert finding.severity == "error" and finding.message and finding.suggestion


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", GOOD + NOT_CANCEL_ON_SILENCE[0]), ("ko", GOOD),
    ("en", EN_GOOD + "If you do not reply by the deadline, your order stays as it is."),
])
def test_keeping_the_order_on_silence_agrees_with_the_plan(lang: str, text: str) -> None:
    result = check_message(text, kind="notice", lang=lang, plan_default="keep")
    assert PLAN_CODE not in result.codes
