"""Each phenomenon the rules model, in both directions, on short texts written for these tests
(not taken from a labelled set): whose apology counts, how far a negator reaches, which dates are
answer deadlines, which channels reach a person, what counts as prevention, conditional threats,
liability disclaimers and announced cancellations."""

from __future__ import annotations

import pytest

from sagwa.messagecheck import check_message

R, N = "resolution", "notice"

# (code, raised, lang, kind, text)
APOLOGY = [
    ("missing-apology", True, "en", R, "The vendor has apologized for the mistake."),
    ("missing-apology", False, "en", R, "The merchant apologizes, and we apologize too."),
    ("missing-apology", False, "en", R, "We apologize on behalf of the seller."),
    ("missing-apology", False, "en", R,
     "Because of the seller's typo the price was wrong; we are sorry."),
    ("missing-apology", True, "ko", R, "판매자께서 고객님께 사과의 말씀을 전해 오셨습니다."),
    ("missing-apology", False, "ko", R,
     "호텔 측은 사과의 뜻을 전해 왔으며, 저희도 진심으로 사과드립니다."),
    ("missing-apology", False, "ko", R, "판매자 측의 입력 실수로 불편을 드려 죄송합니다."),
]
NEGATION = [
    ("missing-options", False, "en", N, "Guests may cancel free of charge for a full refund."),
    ("threat", False, "en", R, "You can cancel without any fee."),
    ("threat", False, "ko", R,
     "어떤 선택을 하셔도 법적 책임을 묻거나 불이익을 드리는 일은 결코 없습니다."),
    ("threat", False, "en", R, "Your account will not be suspended or restricted in any way."),
    ("fait-accompli", False, "en", R, "No order that you placed will be cancelled."),
]
THREAT = [
    ("threat", True, "ko", R, "오류를 악용한 경우 부당이득 반환을 청구할 수 있습니다."),
    ("threat", True, "en", R,
     "Customers who exploit the error may be subject to collection action."),
    ("threat", True, "en", R,
     "Accounts that placed bulk orders at the wrong price will be suspended."),
]
PREVENTION = [
    ("missing-prevention", True, "en", N, "We have corrected the price. Please check your order."),
    ("missing-prevention", True, "en", N, "We are investigating what happened."),
    ("missing-prevention", False, "en", N,
     "Price changes of more than 50% are now held until a manager approves them."),
    ("missing-prevention", True, "ko", N, "현재 원인을 조사하고 있으며 가격은 수정되었습니다."),
]
DEADLINE = [
    ("missing-deadline", True, "ko", R, "결제하신 금액은 12월 5일까지 환불됩니다."),
    ("missing-deadline", False, "ko", R,
     "12월 5일까지 차액을 결제해 주시면 바로 발송해 드립니다."),
    ("missing-deadline", True, "en", R, "Your refund will arrive by Dec 5."),
    ("missing-deadline", False, "en", R, "Please pay the difference by Dec 5."),
]
CONTACT = [
    ("missing-contact", True, "en", R, "Questions? Contact us."),
    ("missing-contact", True, "ko", R, "궁금한 점은 문의 주세요."),
    ("missing-contact", False, "en", R, "Questions? Message us in ShopCo Messages."),
    ("missing-contact", False, "ko", R, "궁금한 점은 카카오톡 채널로 남겨 주세요."),
]
EXPLANATION = [
    ("missing-explanation", True, "en", N, "An issue affected some orders yesterday."),
    ("missing-explanation", False, "en", N, "Some fares were filed incorrectly yesterday."),
    ("missing-explanation", False, "ko", N, "12월 1일 일부 객실 요금이 잘못 입력되었습니다."),
]
OPTIONS = [
    ("missing-options", True, "en", N,
     "Any decision about affected orders rests with the seller."),
    ("missing-options", True, "ko", N, "해당 주문의 처리는 각 판매자의 결정에 따릅니다."),
    ("missing-options", False, "ko", N, "해당 예약은 표시된 요금 그대로 유효합니다."),
    ("missing-options", False, "ko", R,
     "오류에 대한 보상으로 적립금 5,000원을 드리며, 주문을 유지하시거나 취소하실 수 있습니다."),
]
BLAME = [
    ("blame-shift", False, "en", R, "As a platform, we take full responsibility for this error."),
    ("blame-shift", False, "en", R, "Responsibility for this error lies with us."),
    ("blame-shift", True, "en", R, "Responsibility for listing errors lies with the vendor."),
    ("blame-shift", False, "en", R, "We did not set the price correctly, and we are sorry."),
    ("blame-shift", True, "en", R, "We don't set prices; the seller does."),
    ("blame-shift", True, "ko", R, "플랫폼은 이번 일에 대해 책임지지 않습니다."),
    ("blame-shift", False, "ko", R, "저희가 책임지고 판매자와 직접 협의하겠습니다."),
    ("blame-shift", True, "ko", R, "판매자와 직접 협의하시기 바랍니다."),
]
CANCELLATION = [
    ("fait-accompli", True, "en", R,
     "Orders that are not paid within 48 hours will be cancelled automatically."),
    ("fait-accompli", False, "en", R,
     "If you do not want to pay the difference, you can cancel for a full refund."),
    ("fait-accompli", True, "en", R, "Your booking has been released."),
    ("fait-accompli", True, "ko", R, "기한까지 결제하지 않으시면 주문은 자동 취소됩니다."),
    ("fait-accompli", False, "ko", R, "결제하지 않으셔도 언제든 취소하실 수 있습니다."),
    ("fait-accompli", True, "ko", R, "주문하신 상품은 배송되지 않습니다."),
    ("fait-accompli", False, "ko", R, "선택해 주시기 전까지는 발송되지 않습니다."),
]
CASES = (APOLOGY + NEGATION + THREAT + PREVENTION + DEADLINE + CONTACT + EXPLANATION + OPTIONS
         + BLAME + CANCELLATION)


@pytest.mark.parametrize(("code", "raised", "lang", "kind", "text"), CASES)
def test_phenomenon_is_recognised(code: str, raised: bool, lang: str, kind: str, text: str) -> None:
    result = check_message(text, kind=kind, lang=lang)
    errors = {f.code for f in result.findings if f.severity == "error"}
    assert (code in errors) is raised, errors
