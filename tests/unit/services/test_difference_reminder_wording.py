"""The reminder of an unpaid difference (``difference_reminder_*``) in all four variants passes
the message check as a ``follow_up`` with no finding at all, and says what is owed, that the
items go once it is paid, and that the order is not cancelled without consent."""

from __future__ import annotations

import pytest
from test_difference_receipt_wording import VALUES as RECEIPT

from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm

# the receipt's values, with when the customer chose instead of when it was received
VALUES = {"ko": {**RECEIPT["ko"], "chosen": "6월 13일(금) 오전 10시", "how_to_pay": ""},
          "en": {**RECEIPT["en"], "chosen": "Friday, June 13 at 10 am Korea time",
                 "how_to_pay": ""}}
SAYS = {"ko": ("아직 결제되지 않았습니다", "보내 드", "동의 없이 주문을 취소하지 않습니다"),
        "en": ("paid yet", "we will send your", "not cancel your order without your consent")}


#: What cancelling instead would give (``desk_cancel_instead``), where the plan offered it.
LINK = "https://shop.example/c/abc.def"
INSTEAD = {"ko": {"instead": True, "paid": "39,800원", "points": "10,000", "link": LINK},
           "en": {"instead": True, "paid": "39,800 KRW", "points": "10,000", "link": LINK}}
INSTEAD_SAYS = {("ko", "email"): "결제하신 39,800원은 전액 환불해 드립니다. 사과의 뜻으로 10,000포인트(10,000원 상당)도",
                ("ko", "sms"): "결제 대신 취소를 원하시면 말씀해 주세요(전액 환불, 10,000포인트): "
                               "https://shop.example/c/abc.def.",
                ("en", "email"): "you can cancel your order instead: tell us, and we will refund "
                                 "the 39,800 KRW you paid in full and add 10,000 points",
                ("en", "sms"): "Rather cancel? Tell us: full refund + 10,000 points: "
                               "https://shop.example/c/abc.def."}
NOT_OFFERED = {"instead": False, "paid": "", "points": "", "link": ""}


@pytest.mark.parametrize("offered", [True, False], ids=["cancel_offered", "no_cancel"])
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_every_reminder_variant_passes_and_says_what_matters(channel: str, lang: str,
                                                             offered: bool) -> None:
    values = VALUES[lang] | (INSTEAD[lang] if offered else NOT_OFFERED)
    text = dm.render(f"difference_reminder_{channel}", lang, **values)
    assert VALUES[lang]["difference"] in text and VALUES[lang]["phone"] in text
    for words in SAYS[lang]:
        assert words in text, words
    assert (INSTEAD_SAYS[lang, channel] in text) is offered
    result = check_message(text, kind="follow_up", lang=lang)
    assert result.ok and result.findings == (), result.as_dict()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_plan_without_compensation_names_no_points(lang: str) -> None:
    values = VALUES[lang] | INSTEAD[lang] | {"points": "0"}
    for channel in ("email", "sms"):
        text = dm.render(f"difference_reminder_{channel}", lang, **values)
        assert "포인트" not in text and "points" not in text
        assert check_message(text, kind="follow_up", lang=lang).ok


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_email_links_to_the_customers_page_where_they_may_do_it(lang: str) -> None:
    text = dm.render("difference_reminder_email", lang, **(VALUES[lang] | INSTEAD[lang]))
    said = {"ko": f"고객님 화면에서 직접 하실 수도 있습니다: {LINK}",
            "en": f"You can also do it yourself on your page: {LINK}"}[lang]
    assert said in text
    without = dm.render("difference_reminder_email", lang,
                        **(VALUES[lang] | INSTEAD[lang] | {"link": ""}))
    assert LINK not in without and "취소를 원하시면" in without or "cancel your order" in without


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_email_says_how_to_pay_in_the_policys_words_and_still_passes(lang: str) -> None:
    from sagwa.services.desk_policy import load_desk_policy

    how = load_desk_policy().how_to_pay_in(lang)
    assert how, "the shipped policy says how to pay"
    text = dm.render("difference_reminder_email", lang, **(VALUES[lang] | NOT_OFFERED
                                                             | {"how_to_pay": how}))
    assert how in text
    assert ("고객센터로 연락 주세요. 결제 방법을 안내해 드리고" if lang == "ko"
            else "we will tell you how") not in text
    assert not check_message(text, kind="follow_up", lang=lang).findings
