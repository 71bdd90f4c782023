"""The confirmation of cancelling instead of paying the difference (``cancelled_instead_*``), in
all four variants, passes the message check as a ``follow_up`` with no finding, and says that
it was the customer's own request, the refund in full, the points (only when there are some)
and that the difference is not to be paid."""

from __future__ import annotations

import pytest
from test_difference_receipt_wording import VALUES as RECEIPT

from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm

VALUES = {"ko": {**RECEIPT["ko"], "chosen": "6월 13일(금) 오전 10시", "refund": "39,800원",
                 "points": "10,000"},
          "en": {**RECEIPT["en"], "chosen": "Friday, June 13 at 10 am Korea time",
                 "refund": "39,800 KRW", "points": "10,000"}}
SAYS = {("ko", "email"): ("요청하신 대로 주문을 취소했고, 결제하신 39,800원은 전액 환불해 드립니다.",
                          "10,000포인트(10,000원 상당)는 이미 적립되었습니다", "내지 않으셔도 됩니다",
                          "6월 13일(금) 오전 10시(한국 시간)에 정상가에서 할인된 가격으로 사시기로 하셨습니다."),
        ("ko", "sms"): ("요청하신 대로 차액 대신 주문을 취소했고, 결제하신 39,800원은 전액 환불해 드립니다.",
                        "보상 10,000포인트는 적립되었습니다."),
        ("en", "email"): (("As you asked, your order is cancelled, and the 39,800 KRW you paid will "
                          "be refunded in full."), "Your 10,000 points of compensation (worth 10,000 KRW)",
                          "You do not need to pay the difference of"),
        ("en", "sms"): (("as you asked, your order is cancelled instead of paying the difference, "
                        "and the 39,800 KRW you paid will be refunded in full."),
                        "Your 10,000 points of compensation")}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_every_variant_passes_and_says_what_happened(channel: str, lang: str) -> None:
    text = dm.render(f"cancelled_instead_{channel}", lang, **VALUES[lang])
    for words in SAYS[lang, channel]:
        assert words in text, words
    assert VALUES[lang]["phone"] in text
    result = check_message(text, kind="follow_up", lang=lang)
    assert result.ok and result.findings == (), result.as_dict()
    without = dm.render(f"cancelled_instead_{channel}", lang, **(VALUES[lang] | {"points": "0"}))
    assert "포인트" not in without and "points" not in without
    assert check_message(without, kind="follow_up", lang=lang).ok
