"""A reviewer's report: a sanction for objecting, and blaming the customers for the wrong price,
passed the check. Each family in both directions, Korean and English, on short texts written for
these tests: consequences for objecting, complaining, disputing or not cancelling (restricted trade,
lost access, excluded from promotions) and future dealings threatened outright; customers who "knew",
"should have known", "knowingly" ordered or abused the error, and a price called obviously wrong.
Negated ("we will not restrict your account"), conditional ("알고도 주문하신 경우" — a condition the
threat cues judge) and owned ("the price was obviously wrong — our mistake") forms do not count."""

from __future__ import annotations

import pytest

from sagwa.messagecheck import check_message

R, N = "resolution", "notice"

# The reviewer's four sentences, each a notice of its own.
REVIEWER = [
    ("ko", "다만 이의를 제기하시면 향후 거래가 제한될 수 있습니다.", {"threat"}),
    ("ko", "고객님들이 잘못된 가격인 줄 알면서 주문하셨으므로 주문은 취소됩니다.",
     {"blame-shift", "fait-accompli"}),
    ("en", "Customers who dispute this may lose access to future promotions.", {"threat"}),
    ("en", "Customers who ordered knew the price was obviously wrong.", {"blame-shift"}),
]

# (code, raised, lang, kind, text)
THREAT_FOR_OBJECTING = [
    ("threat", True, "ko", N, "항의하시는 경우 다음 구매 시 혜택이 제외될 수 있습니다."),
    ("threat", True, "ko", N, "민원을 제기하실 경우 회원 등급이 하향 조정됩니다."),
    ("threat", True, "ko", R, "주문을 취소하지 않으시면 향후 이벤트 참여가 어려울 수 있습니다."),
    ("threat", True, "ko", R, "이의 제기 시 향후 주문이 거절될 수 있습니다."),
    ("threat", True, "ko", R, "분쟁 조정을 신청하시는 고객님은 적립금 혜택을 받으실 수 없습니다."),
    ("threat", True, "ko", N, "향후 쇼핑몰 이용이 제한될 수 있습니다."),
    ("threat", False, "ko", R, "이의를 제기하셔도 거래가 제한되지 않습니다."),
    ("threat", False, "ko", N, "이의를 제기하셔도 향후 거래나 혜택에는 어떤 제한도 없습니다."),
    ("threat", False, "ko", N, "민원을 제기하셔도 계정이나 혜택이 제한되는 일은 전혀 없습니다."),
    ("threat", False, "ko", R, "주문을 취소하지 않으셔도 회원 혜택은 그대로 유지됩니다."),
    ("threat", False, "ko", R, "이의가 있으시면 고객센터로 연락 주세요."),
    ("threat", False, "ko", N, "향후 구매나 혜택에는 아무런 제한이 없습니다."),
    # Prevention that limits purchases going forward is no threat.
    ("threat", False, "ko", N, "앞으로 특가 상품은 1인당 2개로 구매 수량을 제한합니다."),
    ("threat", False, "ko", N, "앞으로 할인율이 70%를 넘는 쿠폰 발급은 제한될 수 있습니다."),
    ("threat", True, "en", N, "If you complain, your future orders may be restricted."),
    ("threat", True, "en", R, "Your account may be limited if you file a chargeback."),
    ("threat", True, "en", R, "Disputing this charge could affect your account standing."),
    ("threat", True, "en", N, "Customers who object will no longer be able to shop with us."),
    ("threat", True, "en", R, "If you do not cancel, you may lose your membership benefits."),
    ("threat", True, "en", N,
     "Customers who refuse the corrected price may be excluded from future sales."),
    ("threat", True, "en", R, "You may lose access to future promotions."),
    ("threat", True, "en", N, "Future purchases from your account may be restricted."),
    ("threat", False, "en", R, "We will not restrict your account."),
    ("threat", False, "en", R, "You may cancel for a full refund."),
    ("threat", False, "en", N,
     "Disputing this will not affect your account or your access to promotions."),
    ("threat", False, "en", R,
     "If you do not cancel, nothing changes and you will not lose any benefits."),
    ("threat", False, "en", N, "Disputes do not affect your eligibility for future promotions."),
    ("threat", False, "en", R, "Filing a complaint will never limit your access to our store."),
    ("threat", False, "en", R, "If you have a complaint, please reply to this email."),
    ("threat", False, "en", R, "You may lose the discount if you cancel."),
    ("threat", False, "en", N, "Future flash sales will be limited to two units per customer."),
]
BLAME_ON_CUSTOMERS = [
    ("blame-shift", True, "ko", R, "고객님께서는 가격 오류임을 알고도 주문하셨습니다."),
    ("blame-shift", True, "ko", R, "오류 가격인 줄 아시면서도 구매하셨기 때문에 주문을 취소합니다."),
    ("blame-shift", True, "ko", R, "잘못된 가격임을 충분히 알 수 있었음에도 주문하셨습니다."),
    ("blame-shift", True, "ko", N, "누가 봐도 명백한 오류임을 알 수 있는 가격이었습니다."),
    ("blame-shift", True, "ko", N, "고객님께서 가격 오류를 악용하신 것으로 확인되었습니다."),
    ("blame-shift", True, "ko", N, "명백한 오류임을 인지하셨을 것으로 판단됩니다."),
    ("blame-shift", True, "ko", R, "이 가격이 잘못된 것을 모르셨을 리 없습니다."),
    ("blame-shift", True, "ko", N, "고객님께서도 가격이 비정상적이라는 것을 알고 계셨을 것입니다."),
    ("blame-shift", True, "ko", R, "고객님께서는 이 가격이 정상이 아님을 알고도 주문하셨습니다."),
    ("blame-shift", False, "ko", R,
     "고객님께서는 가격이 잘못된 줄 모르고 주문하셨으니 아무 잘못이 없습니다."),
    ("blame-shift", False, "ko", N, "저희도 가격이 잘못된 것을 알고 즉시 판매를 중단했습니다."),
    ("blame-shift", False, "ko", R, "고객님께서 오류 가격을 알고 주문하셨다고 생각하지 않습니다."),
    ("blame-shift", False, "ko", R, "고객님께서 오류를 악용하셨다고 보지 않습니다."),
    ("blame-shift", False, "ko", R, "고객님께서 가격이 잘못된 줄 아셨을 리 없습니다."),
    ("blame-shift", False, "ko", N, "저희가 미리 알 수 있었던 오류였습니다."),
    ("blame-shift", False, "ko", N, "저희의 명백한 실수이며 깊이 사과드립니다."),
    ("blame-shift", False, "ko", N, "명백한 오류임을 인정하고 깊이 사과드립니다."),
    ("blame-shift", False, "ko", R, "할인 행사인 줄 알고 구매하셨을 텐데 죄송합니다."),
    ("blame-shift", False, "ko", R, "이미 알고 계셨을 것으로 생각되지만, 다시 한 번 안내드립니다."),
    ("blame-shift", False, "ko", R, "고객님께서는 앱에서 배송 현황을 알 수 있었습니다."),
    ("blame-shift", False, "ko", N, "고객님께서 쉽게 알 수 있는 가격 안내 방식으로 바꾸었습니다."),
    # A condition ("if you knowingly ordered, …") is for the threat cues, as the corpus labels it.
    ("blame-shift", False, "ko", R, "오류 가격임을 알고도 주문하신 경우 불이익을 받으실 수 있습니다."),
    ("blame-shift", True, "en", R, "You knew the price was wrong."),
    ("blame-shift", True, "en", R, "You must have realised the price was a mistake."),
    ("blame-shift", True, "en", R, "You should have known that $9 for a laptop was an error."),
    ("blame-shift", True, "en", N, "Customers knowingly ordered dozens of units at the wrong price."),
    ("blame-shift", True, "en", N, "Some shoppers exploited the glitch to buy in bulk."),
    ("blame-shift", True, "en", R, "The price was obviously wrong, so your order is void."),
    ("blame-shift", True, "en", N, "It was an obvious pricing error, so we have cancelled the order."),
    ("blame-shift", True, "en", R,
     "Any reasonable customer would have seen that the price was a mistake."),
    ("blame-shift", False, "en", R, "We are sorry: the price was wrong — our mistake."),
    ("blame-shift", False, "en", R, "You could not have known the price was wrong."),
    ("blame-shift", False, "en", R, "We do not believe you knew the price was wrong."),
    ("blame-shift", False, "en", N, "We knew the price was wrong by 9 a.m. and stopped the sale."),
    ("blame-shift", False, "en", N, "We should have noticed the error sooner."),
    ("blame-shift", False, "en", N, "This was clearly our mistake, and we are sorry."),
    ("blame-shift", False, "en", N,
     "The price was obviously wrong — that is our fault and we apologise."),
    ("blame-shift", False, "en", N,
     "Thank you to the customers who knew something was off and told us."),
    ("blame-shift", False, "en", R, "Thank you for your patience; we should have caught this."),
    ("blame-shift", False, "en", N,
     "Customers who knowingly exploit pricing errors may be subject to collection action."),
]
# "주문하셨으므로" (what the customer did) no longer hides the cancellation that follows; a
# present-tense "주문을 취소합니다" announces one too, unless the customer asked for it.
CANCELLATION = [
    ("fait-accompli", True, "ko", N, "잘못된 가격으로 주문하셨으므로 주문은 취소됩니다."),
    ("fait-accompli", True, "ko", R, "가격 오류가 확인되어 주문을 취소합니다."),
    ("fait-accompli", False, "ko", R, "취소를 원하시면 주문을 취소합니다."),
    ("fait-accompli", False, "ko", R, "고객님께서 주문을 취소하셨습니다."),
    ("fait-accompli", True, "ko", N, "잘못된 가격으로 주문하셨으므로 결제 금액은 환불 처리됩니다."),
    ("fait-accompli", False, "ko", R, "환불을 요청하셨으므로 결제 금액은 환불 처리됩니다."),
]

# A walkthrough's finding: "판매자의 실수로 가격이 잘못 표시되었습니다" passed as no blame-shift. Naming
# the seller's mistake is blame-shifting when the message neither apologises nor owns the error
# anywhere; with either it explains (the desk's own cause sentence names the seller and says
# "저희의 책임입니다"). A relayed apology ("the seller apologizes") is not the sender's.
BLAME_ON_THE_SELLER = [
    # a code review's sentences: the seller answering for it, or "we hold the seller
    # responsible", is no ownership; an adverb "잘못", the platform's own system, a courier or a
    # seller merely contacted blame no seller
    ("blame-shift", True, "ko", N, "판매자의 실수로 가격이 잘못 표시되었습니다. 판매자가 책임지고 환불해 드립니다."),
    ("blame-shift", True, "ko", N, "판매자의 실수로 가격이 잘못 표시되었습니다. 판매자가 모든 책임을 지겠다고 밝혔습니다."),
    ("blame-shift", True, "ko", N, "판매자의 실수로 가격이 잘못 표시되었습니다. 저희는 막을 수 없었습니다."),
    ("blame-shift", True, "en", N, "The seller made a mistake with the price. We hold the seller responsible."),
    ("blame-shift", True, "en", N, "The seller made a mistake with the price. You can count on us."),
    ("blame-shift", False, "ko", N, "입점 판매자의 상품 가격이 잘못 표시되었습니다."),
    ("blame-shift", False, "ko", N, "판매자 관리 시스템의 오류로 가격이 잘못 표시되었습니다."),
    ("blame-shift", False, "ko", N, "택배 업체의 배송 오류로 배송이 늦어졌습니다."),
    ("blame-shift", False, "en", N, "We have contacted the seller about the pricing error."),
    ("blame-shift", False, "en", N, "Our seller tools had an error in the price feed."),
    ("blame-shift", True, "ko", N, "판매자의 실수로 가격이 잘못 표시되었습니다. 해당 주문은 모두 취소 처리되었습니다."),
    ("blame-shift", True, "ko", R, "입점 업체의 가격 입력 오류로 정상가보다 90% 낮게 판매되었습니다."),
    ("blame-shift", True, "ko", N, "판매자가 가격을 잘못 입력했습니다. 판매자께서 사과의 뜻을 전해 오셨습니다."),
    ("blame-shift", False, "ko", N, "판매자의 실수로 가격이 잘못 표시되었습니다. 불편을 드려 죄송합니다."),
    ("blame-shift", False, "ko", N, ("판매자가 가격을 잘못 입력했고, 저희 플랫폼은 이 오류를 바로잡지 "
                                    "못했습니다. 저희의 책임입니다.")),
    ("blame-shift", False, "ko", R, "판매자의 실수이지만 책임은 저희에게 있습니다."),
    ("blame-shift", False, "ko", N, "일부 입점 상품의 가격이 잘못 입력되어 판매되었습니다."),
    ("blame-shift", False, "ko", N, "판매자의 잘못이 아닙니다."),
    ("blame-shift", True, "en", N, "The seller made a mistake: the price was wrong."),
    ("blame-shift", True, "en", R, ("Due to a seller's pricing error, the item was shown at 10% of "
                                   "its price.")),
    ("blame-shift", True, "en", N, ("The seller listed it at $129 by mistake. The seller apologizes "
                                   "for the error.")),
    ("blame-shift", False, "en", N, ("The seller made the typo, but catching it was our "
                                    "responsibility, and we didn't.")),
    ("blame-shift", False, "en", N, "A seller's typo listed it at $4.50. We are sorry."),
    ("blame-shift", False, "en", N, ("The seller entered the price as $4.50, and our platform did "
                                    "not catch the mistake.")),
]


@pytest.mark.parametrize(("lang", "text", "codes"), REVIEWER)
def test_the_reviewers_sentences_fail_the_notice_check(lang: str, text: str, codes: set[str]) -> None:
    result = check_message(text, kind=N, lang=lang)
    assert not result.ok
    assert codes <= result.codes


@pytest.mark.parametrize(("code", "raised", "lang", "kind", "text"),
                         THREAT_FOR_OBJECTING + BLAME_ON_CUSTOMERS + CANCELLATION
                         + BLAME_ON_THE_SELLER)
def test_phenomenon_is_recognised(code: str, raised: bool, lang: str, kind: str, text: str) -> None:
    errors = {f.code for f in check_message(text, kind=kind, lang=lang).findings
              if f.severity == "error"}
    assert (code in errors) is raised, errors
