"""Each phenomenon the rules model, in both directions, on short texts written for these tests
(not taken from a labelled set): whose apology counts, how far a negator reaches, which dates are
answer deadlines, which channels reach a person, what counts as prevention, conditional threats,
liability disclaimers and announced cancellations, where a negator's clause ends and double
negation."""

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
    # Third-person forms relay someone else's apology when another party or "pass on" is near,
    # even across "and"; a sender naming itself ("Tradepost apologizes") still apologises.
    ("missing-apology", True, "en", R,
     "The vendor, Birch & Co, typed $5 instead of $50 and apologizes for the error."),
    ("missing-apology", True, "en", N,
     "Harbor Gifts has apologised and asked us to pass on their regret."),
    ("missing-apology", True, "en", R, "The merchant regrets the mistake."),
    ("missing-apology", False, "en", R, "Tradepost apologizes for the error in your order."),
    ("missing-apology", False, "en", R, "We are sorry, and the vendor has apologized as well."),
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
    # A penalty charge that "may be charged", or being treated as fraudulent use.
    ("threat", True, "ko", R, "기한 내 선택하지 않으시면 위약 요금이 청구될 수 있습니다."),
    ("threat", True, "ko", R, "계속 이용하시면 부정 사용으로 간주됩니다."),
    ("threat", False, "ko", R, "차액은 청구되지 않습니다."),
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
    # A described change going forward: "…도록 바꿨습니다", a check before publishing, "now".
    ("missing-prevention", False, "ko", N,
     "할인율이 70%를 넘는 가격은 관리자 확인 없이는 게시되지 않도록 설정을 바꿨습니다."),
    ("missing-prevention", False, "ko", N, "이제부터 모든 특가는 운영팀 검수 후에 노출됩니다."),
    ("missing-prevention", False, "ko", N, "가격 등록 시 자동 대조 기능이 적용됩니다."),
    ("missing-prevention", True, "ko", N, "가격을 바로잡도록 판매자에게 요청했습니다."),
    ("missing-prevention", False, "en", N,
     "From now on, every discount above 60% will be validated by the pricing team."),
    ("missing-prevention", False, "en", N,
     "Partners will now have to verify each fare before it goes on sale."),
    ("missing-prevention", False, "en", N, "Imported prices are compared against the catalogue before they are published."),
    ("missing-prevention", True, "en", N, "Going forward, please check your order history."),
    # heldout5 round: a standing check described in the present, a second person, a cap, a
    # changed process, "prevent" only when not disclaimed.
    ("missing-prevention", False, "ko", N, "앞으로 모든 할인 가격은 게시 전에 다른 직원이 대조합니다."),
    ("missing-prevention", False, "ko", N, "가격 파일은 반영 전에 기존 가격과 자동으로 비교합니다."),
    ("missing-prevention", False, "ko", N, "쿠폰 할인에 최대 50% 상한을 두었습니다."),
    ("missing-prevention", False, "ko", N, "중복 할인이 적용되지 않도록 조치하였습니다."),
    ("missing-prevention", True, "ko", N, "앞으로 더 꼼꼼히 확인하겠습니다."),
    ("missing-prevention", True, "en", N, "The error was not ours to prevent."),
    ("missing-prevention", False, "en", N,
     "To prevent a repeat, large price cuts now need a manager's approval."),
    ("missing-prevention", False, "en", N,
     "We changed our upload tool so that any price below cost is rejected."),
    ("missing-prevention", True, "en", N, "We updated the listing so that the correct price is shown."),
    ("missing-prevention", False, "en", N,
     "Any discount over 60% is automatically paused until a second manager approves it."),
    ("missing-prevention", True, "en", N, "Affected orders were held for review yesterday."),
    ("missing-prevention", True, "en", N, "We have updated the prices in our system."),
    ("missing-prevention", False, "en", N,
     "The checkout now only accepts prices from the approved list."),
    ("missing-prevention", False, "en", N,
     "Our booking engine now requires every fare below $50 to be confirmed by the revenue team."),
    ("missing-prevention", True, "en", N, "We will send another email to confirm your choice."),
    # heldout6 round: investigating towards "never again" changes nothing yet; the goal still
    # counts beside a change the rules do not know; Korean "바꾸다" (no 하/XSV) for a standing rule
    # or setting, "확인한 뒤" with its predicate.
    ("missing-prevention", True, "en", N,
     "We are looking into the cause to make sure this never happens again."),
    ("missing-prevention", True, "en", N,
     "We are investigating the incident to prevent it from recurring."),
    ("missing-prevention", False, "en", N,
     "We have rebuilt the price import so this does not happen again."),
    ("missing-prevention", False, "en", N,
     "After reviewing the incident, we added a second approval step for price cuts."),
    ("missing-prevention", True, "ko", N, "현재 원인을 파악하여 재발하지 않도록 하겠습니다."),
    ("missing-prevention", False, "ko", N, "가격 입력 화면을 새로 만들어 재발을 막겠습니다."),
    ("missing-prevention", False, "ko", N, "앞으로 가격 변경은 담당자가 확인한 뒤에 반영됩니다."),
    ("missing-prevention", False, "ko", N, "큰 폭의 인하는 두 번 입력하도록 등록 절차를 바꾸었습니다."),
    ("missing-prevention", False, "ko", N,
     "앞으로는 할인 가격이 저장 전에 한 번 더 표시되도록 바꿨습니다."),
    ("missing-prevention", True, "ko", N, "가격이 바르게 보이도록 상품 페이지를 바꾸었습니다."),
]
DEADLINE = [
    ("missing-deadline", True, "ko", R, "결제하신 금액은 12월 5일까지 환불됩니다."),
    ("missing-deadline", False, "ko", R,
     "12월 5일까지 차액을 결제해 주시면 바로 발송해 드립니다."),
    ("missing-deadline", True, "en", R, "Your refund will arrive by Dec 5."),
    ("missing-deadline", False, "en", R, "Please pay the difference by Dec 5."),
    ("missing-deadline", False, "en", R, "Please tell us your choice by 12/05/2025."),
    # The customer answers ("let the shop know", "get back to us", "request a cancellation");
    # the sender telling the customer or a refund arriving is not an answer.
    ("missing-deadline", True, "en", R,
     "We are writing to let you know that the lamp you ordered on 2 May was mispriced."),
    ("missing-deadline", True, "en", R, "You will get your money back within 5 business days."),
    ("missing-deadline", False, "en", R, "Please let the shop know by 9 May which option you prefer."),
    ("missing-deadline", False, "en", R, "Request a cancellation before 10 June on your account page."),
    ("missing-deadline", False, "en", R, "Get back to us within 48 hours."),
]
CONTACT = [
    ("missing-contact", True, "en", R, "Questions? Contact us."),
    ("missing-contact", True, "ko", R, "궁금한 점은 문의 주세요."),
    ("missing-contact", False, "en", R, "Questions? Message us in ShopCo Messages."),
    ("missing-contact", False, "ko", R, "궁금한 점은 카카오톡 채널로 남겨 주세요."),
    ("missing-contact", False, "en", R, "Questions: 1800 123 456."),
    ("missing-contact", False, "en", R, "Just text back YES or NO."),
]
EXPLANATION = [
    ("missing-explanation", True, "en", N, "An issue affected some orders yesterday."),
    ("missing-explanation", False, "en", N, "Some fares were filed incorrectly yesterday."),
    ("missing-explanation", False, "ko", N, "12월 1일 일부 객실 요금이 잘못 입력되었습니다."),
    ("missing-explanation", False, "en", N, "A misconfigured discount rule affected some orders."),
    ("missing-explanation", False, "en", N, "Some lamps were listed at a tenth of their intended price."),
    ("missing-explanation", False, "en", R, "You were charged $1.20 per item instead of $12.00."),
    ("missing-explanation", False, "ko", R, "판매가를 잘못 기입하여 낮은 가격에 결제되었습니다."),
    ("missing-explanation", True, "en", R, "Something went wrong with your order."),
    # A fault with a price word, "lower than we intended", amounts written "EUR 9".
    ("missing-explanation", False, "en", R, "The rug was listed at a price far lower than we intended."),
    ("missing-explanation", False, "en", N,
     "A fault in the currency converter showed some fares at a tenth of their value."),
    ("missing-explanation", False, "en", R, "You were charged EUR 9 instead of EUR 90."),
    ("missing-explanation", True, "en", R, "A fault on our side affected your order."),
    ("missing-explanation", True, "en", R, "The replacement model costs less than the one you ordered."),
]
OPTIONS = [
    ("missing-options", True, "en", N,
     "Any decision about affected orders rests with the seller."),
    ("missing-options", True, "ko", N, "해당 주문의 처리는 각 판매자의 결정에 따릅니다."),
    ("missing-options", False, "ko", N, "해당 예약은 표시된 요금 그대로 유효합니다."),
    ("missing-options", False, "ko", R,
     "오류에 대한 보상으로 적립금 5,000원을 드리며, 주문을 유지하시거나 취소하실 수 있습니다."),
    # Alternatives laid out for the customer, whatever each one is.
    ("missing-options", False, "ko", R,
     "'반값에 절반 수량 받기' 혹은 '정가의 30% 할인' 가운데 하나를 골라 주세요."),
    ("missing-options", False, "ko", R,
     "① 소형 객실로 변경 ② 정상 요금에서 40% 할인 중 편하신 쪽을 선택해 주세요."),
    ("missing-options", True, "ko", R, "① 주문 확인 ② 결제 완료 순서로 진행됩니다."),
    ("missing-options", False, "en", R, "Text 1 for the smaller size at this price or 2 for 30% off."),
    ("missing-options", False, "en", R,
     "You can switch to economy, move to another date, or change the route."),
    ("missing-options", True, "en", R, "We will switch your seat to economy."),
    # "(1) … (2) …" after "choose" (the tokeniser splits "1)"); giving the item back is a choice;
    # money or points given back is what a notice's customers receive.
    ("missing-options", False, "en", R,
     "Please choose: (1) keep the set and pay the balance later, or (2) send it back."),
    ("missing-options", False, "en", R, "You may keep the item or return it."),
    ("missing-options", True, "en", R,
     "Please (1) check your address and (2) confirm the delivery slot."),
    ("missing-options", False, "ko", R, "차액을 결제하고 받으시거나 상품을 반품하실 수 있습니다."),
    ("missing-options", False, "ko", N, "사용하신 포인트는 계정으로 반환되었습니다."),
    ("missing-options", False, "ko", N, "해당 주문의 결제 금액은 전액 돌려드립니다."),
    # What the affected customers themselves can do in a notice, not what the sender may do.
    ("missing-options", False, "en", N, "Affected travellers can rebook at no cost."),
    ("missing-options", False, "en", N,
     "Guests who booked at that rate can pay the usual rate for their stay."),
    ("missing-options", True, "en", N, "We may cancel the affected bookings."),
    ("missing-options", True, "en", N, "The hotel can cancel such bookings."),
    # Talking to a person, or buying at a discount off the correct price, is an option too; a
    # contact line or a discount in the explanation is not.
    ("missing-options", False, "en", R,
     "Please tell us by June 17 whether to keep the order or talk to a person."),
    ("missing-options", False, "en", R,
     "Please tell us by June 17 whether to keep the order or buy it at 20% off the correct price."),
    ("missing-options", True, "en", R,
     "We will keep your order as it is. Questions? Call us at 1588-0000."),
    ("missing-options", True, "en", R,
     "The 90% discount was entered wrongly, so we will keep your order as it is."),
    ("missing-options", False, "ko", R,
     "주문 유지 또는 상담원과 통화 중 원하시는 방법을 6월 17일까지 알려 주세요."),
    ("missing-options", False, "ko", R,
     "주문 유지 또는 정상가에서 20% 할인된 가격으로 구매 중 원하시는 방법을 알려 주세요."),
    ("missing-options", True, "ko", R, "주문은 그대로 유지됩니다. 문의: 1588-0000"),
    ("missing-options", True, "ko", R,
     "90% 할인 가격이 잘못 입력되어 주문은 그대로 유지됩니다. 원하시면 알려 주세요."),
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
    ("blame-shift", True, "ko", N, "이번 오류는 제휴사 시스템 문제로, 저희 쪽 문제가 아닙니다."),
    ("blame-shift", False, "ko", N, "저희 직원의 실수로 정가가 아닌 할인가가 표시되었습니다."),
    # Kiwi sometimes splits "귀책이" into 귀/NNG 책/NNG.
    ("blame-shift", True, "ko", R, "이번 가격 오류는 저희 귀책이 아니므로 주문을 취소합니다."),
    ("blame-shift", False, "ko", R, "고객님의 귀책이 아니므로 어떤 비용도 받지 않습니다."),
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
    ("fait-accompli", True, "en", R, "We have issued a full refund for the tickets."),
    ("fait-accompli", True, "en", R, "Tickets bought at the wrong fare will not be honoured."),
    ("fait-accompli", True, "en", R,
     "Your reservation for the lakeside cabin (three nights) was rescinded yesterday."),
    ("fait-accompli", True, "en", R,
     "Without an answer by Friday, the amount will be refunded automatically."),
    ("fait-accompli", False, "en", R,
     "If you choose a refund, the amount will be refunded automatically to your card."),
    # "전체 취소" in a list of choices is an option; with a predicate it is an announcement.
    ("fait-accompli", False, "ko", R,
     "아래 중 선택해 주세요.\n1. 그대로 받기\n2. 주문 전체 취소 후 전액 환불"),
    ("fait-accompli", True, "ko", N, "해당 주문은 전체 취소 처리되었습니다."),
    ("fait-accompli", True, "ko", N, "해당 구매 건은 모두 회수 처리되었습니다."),
    ("fait-accompli", False, "ko", N, "회수나 제재는 없습니다."),
    ("fait-accompli", True, "ko", N, "해당 주문은 출고가 진행되지 않습니다."),
    ("fait-accompli", False, "ko", N, "선택하시기 전까지 출고가 진행되지 않습니다."),
    # A passive cancellation needs a participle ("as it is, or cancel it" offers one); a refund
    # the customer requests is not forced on them.
    ("fait-accompli", False, "en", R,
     "You may leave the booking as it is, or cancel it for a refund."),
    ("fait-accompli", False, "en", R, "Keep it as is or cancel it for your money back."),
    ("fait-accompli", True, "en", R, "Your booking is cancelled and the deposit returned."),
    ("fait-accompli", True, "en", R, "The order for the desk lamp has now been cancelled."),
    ("fait-accompli", False, "en", R,
     "Request a refund on your account page and we will refund you within two days."),
    ("fait-accompli", True, "en", R, "We will refund you the full amount this week."),
]
# A reviewer's report: sentences appended to an otherwise good resolution.
EN_GOOD = ("We apologise. The price was entered wrong. Keep the order or cancel it for a refund; "
           "tell us by Dec 3 at help@shop.example. ")
# A negator inside a condition or relative clause stops where that clause ends (a comma after
# "if", or the main verb once the clause's own verb has come): the threat in the main clause
# stands. "No" as the subject of the main clause, or before a list, still negates.
CLAUSE_SCOPE = [
    ("threat", True, "en", R, EN_GOOD + "If you do not respond, you may suffer disadvantages."),
    ("threat", True, "en", R, EN_GOOD + "If you do not reply, your account may be suspended."),
    ("threat", True, "en", R, EN_GOOD + "If you don't reply, legal action may follow."),
    ("threat", True, "en", R, EN_GOOD + "Customers who do not respond may face penalties."),
    ("threat", True, "en", R, EN_GOOD + "If you do not cancel, we will close your account."),
    ("threat", True, "en", R, "If you do not reply we will close your account."),
    ("threat", True, "en", N, "If no reply is received, your account will be closed."),
    ("threat", True, "en", N, "Accounts that do not respond will be suspended."),
    ("threat", True, "en", N, "Customers who don't reply risk account suspension."),
    ("threat", False, "en", R, EN_GOOD + "There is no penalty if you do not reply."),
    ("threat", False, "en", R,
     EN_GOOD + "If you do not reply, nothing happens and there is no disadvantage."),
    ("threat", False, "en", R,
     "If you don't reply, there will be no penalty and your account will not be affected."),
    ("threat", False, "en", N, "Customers who do not reply will not face any penalty."),
    ("threat", False, "en", N, "We can confirm that no fees, penalties or account changes will apply."),
    ("threat", False, "en", N, "We can confirm that no one will be charged a fee."),
    ("threat", False, "en", R,
     "Unless you tell us otherwise, your account will not be charged a fee."),
    ("fait-accompli", False, "en", R, "If you do not reply, nothing will be cancelled."),
    # Korean conditions end at -면 (a clause break); a negated "no disadvantage" stays clean.
    ("threat", False, "ko", R, "불이익은 전혀 없습니다."),
    ("threat", False, "ko", R, "회신하지 않으셔도 불이익은 없습니다."),
    ("threat", False, "ko", R, "회신하지 않으셔도 계정은 정지되지 않습니다."),
]
# A negation negated again ("I can't say there will be no disadvantage") asserts the threat;
# "수밖에 없다" (have no choice but to) is no negation at all.
DOUBLE_NEGATION = [
    ("threat", True, "ko", R, "불이익이 없다고는 말씀드릴 수 없습니다."),
    ("threat", True, "ko", R, "불이익이 없는 것은 아닙니다."),
    ("threat", True, "ko", R, "불이익이 전혀 없지는 않습니다."),
    ("threat", True, "ko", R, "불이익이 없을 것이라고 보장할 수 없습니다."),
    ("threat", True, "ko", R, "계정이 정지되지 않는다고 단정할 수 없습니다."),
    ("threat", True, "ko", R, "회신하지 않으시면 불이익을 드릴 수밖에 없습니다."),
    ("threat", False, "ko", R, "불이익이 없습니다."),
    ("threat", False, "ko", R, "불이익이 없다고 말씀드립니다."),
    ("threat", False, "ko", R, "불이익이 없다는 점은 변함이 없습니다."),
    ("threat", False, "ko", R, "불이익이 없으므로 걱정하지 않으셔도 됩니다."),
]
# "Nothing to do with us" (the sender, as subject or "저희와는"), not "regardless of" (관계없이)
# nor "nothing to do with you".
UNRELATED = [
    ("blame-shift", True, "ko", R, "판매자의 입력 실수로 생긴 일로, 저희와는 관계없는 일입니다."),
    ("blame-shift", True, "ko", N, "저희 회사와는 상관없는 일입니다."),
    ("blame-shift", True, "ko", N, "이번 건은 당사와는 상관없는 일입니다."),
    ("blame-shift", False, "ko", R, "고객님과는 관계없이 전액 환불해 드립니다."),
    ("blame-shift", False, "ko", R, "결제 수단과 관계없이 환불됩니다."),
    ("blame-shift", False, "ko", R, "저희는 결제 수단과 관계없이 환불해 드립니다."),
    ("blame-shift", False, "ko", R, "저희 실수이며, 고객님과는 관계가 없는 일입니다."),
    ("blame-shift", False, "ko", N, "저희는 고객님과는 관계가 없는 문제로 판단했습니다."),
]
CASES = (APOLOGY + NEGATION + THREAT + PREVENTION + DEADLINE + CONTACT + EXPLANATION + OPTIONS
         + BLAME + CANCELLATION + CLAUSE_SCOPE + DOUBLE_NEGATION + UNRELATED)


@pytest.mark.parametrize(("code", "raised", "lang", "kind", "text"), CASES)
def test_phenomenon_is_recognised(code: str, raised: bool, lang: str, kind: str, text: str) -> None:
    result = check_message(text, kind=kind, lang=lang)
    errors = {f.code for f in result.findings if f.severity == "error"}
    assert (code in errors) is raised, errors


@pytest.mark.parametrize(("lang", "text", "warned"), [
    ("en", "주문이 취소되었습니다. 양해 바랍니다. 문의는 고객센터로 해 주세요.", True),
    ("ko", "We are sorry: the price was wrong. Keep the order or cancel it by Friday.", True),
    ("ko", "가격이 잘못 표시되어 죄송합니다. Apple iPod nano 3세대 주문은 그대로 유지됩니다.", False),
    ("en", "We are sorry: the price of the 아이팟 나노 was wrong. Reply KEEP or CANCEL.", False),
    ("en", "주문 취소", False),  # too short to tell
])
def test_a_text_in_the_other_language_gets_a_warning(lang: str, text: str, warned: bool) -> None:
    result = check_message(text, kind="resolution", lang=lang)
    codes = {f.code: f.severity for f in result.findings}
    assert (codes.get("wrong-language") == "warning") is warned, codes
