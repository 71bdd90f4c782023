"""The reminder of an unpaid difference (``difference_reminder_*``) in all four variants passes
the message check as a ``follow_up`` with no finding at all, and says what is owed, that the
items go once it is paid, and that the order is not cancelled without consent."""

from __future__ import annotations

import pytest
from test_difference_receipt_wording import VALUES as RECEIPT

from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm

# the receipt's values, with when the customer chose instead of when it was received
VALUES = {"ko": {**RECEIPT["ko"], "chosen": "6월 13일(금) 오전 10시"},
          "en": {**RECEIPT["en"], "chosen": "Friday, June 13 at 10 am Korea time"}}
SAYS = {"ko": ("아직 결제되지 않았습니다", "보내 드", "동의 없이 주문을 취소하지 않습니다"),
        "en": ("paid yet", "we will send your", "not cancel your order without your consent")}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_every_reminder_variant_passes_and_says_what_matters(channel: str, lang: str) -> None:
    text = dm.render(f"difference_reminder_{channel}", lang, **VALUES[lang])
    assert VALUES[lang]["difference"] in text and VALUES[lang]["phone"] in text
    for words in SAYS[lang]:
        assert words in text, words
    result = check_message(text, kind="follow_up", lang=lang)
    assert result.ok and result.findings == (), result.as_dict()
