"""The receipt for a discount's difference (``difference_received_*``) in all four variants
passes the message check as a ``follow_up`` with no finding at all, and the ``follow_up`` kind
still asks for an apology and a contact while not asking for options or a deadline."""

from __future__ import annotations

import pytest

from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm

VALUES = {
    "ko": {"customer_name": "김민수", "product": "애플 아이팟 나노 3세대 4GB",
           "product_short": "애플 아이팟 나노 3세대 4GB", "difference": "278,600원",
           "received": "6월 14일(토) 오전 11시 5분", "units": 2, "phone": "1544-0000",
           "hours": "평일 9:00-18:00", "email": "help@sagwa.example"},
    "en": {"customer_name": "Alex Kim", "product": "Apple iPod nano 3rd gen 4GB",
           "product_short": "Apple iPod nano 3rd gen 4GB", "difference": "139,300 KRW",
           "received": "Saturday, June 14 at 11:05 am Korea time", "units": 1,
           "phone": "1544-0000", "hours": "weekdays 9:00-18:00", "email": "help@sagwa.example"},
}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_every_receipt_variant_passes_with_no_finding(channel: str, lang: str) -> None:
    text = dm.render(f"difference_received_{channel}", lang, **VALUES[lang])
    assert VALUES[lang]["difference"] in text
    result = check_message(text, kind="follow_up", lang=lang)
    assert result.ok and result.findings == (), result.as_dict()
    # the same receipt as a resolution would be refused: it offers nothing and sets no deadline
    assert "missing-deadline" in {f.code for f in check_message(text, kind="resolution",
                                                                  lang=lang).findings}


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "차액 10,000원을 받았습니다. 상품을 보내 드립니다."),
    ("en", "We received the difference of 10,000 KRW. Your items are on their way."),
])
def test_a_follow_up_still_needs_an_apology_and_a_contact(lang: str, text: str) -> None:
    codes = {f.code for f in check_message(text, kind="follow_up", lang=lang).findings}
    assert {"missing-apology", "missing-contact"} <= codes
    assert not codes & {"missing-options", "missing-deadline", "missing-amount",
                        "missing-prevention"}
