"""The ``seller_notice`` kind: an email to a seller about an incident on their listings.

It holds the tone checks — no threat (of the customers' kind, "불이익", "you may suffer
disadvantages", and of the seller's: their store or listings sanctioned), no blame (of the
customers, of the seller written to, or the platform disclaiming its part) — and a way to ask.
It owes a seller no apology, explanation, options or deadline, and it reports orders the
customers chose to cancel, so the fait-accompli cues (said to a customer) do not apply. The
seller-only cues run for no customer kind, so the customers' findings do not move."""

from __future__ import annotations

import pytest

from sagwa.messagecheck import check_message
from sagwa.messagecheck.ruleset import KINDS, load_rules

SELLER = "seller_notice"
ASK = {"ko": " 궁금한 점은 이 메일에 답장해 주세요.", "en": " Questions: reply to this email."}


def errors(text: str, lang: str, kind: str = SELLER) -> set[str]:
    result = check_message(text + ASK[lang], kind=kind, lang=lang)
    return {f.code for f in result.findings if f.severity == "error"}


# (code, lang, text): each text is flagged with its code
FLAGGED = [
    ("threat", "ko", "판매자님이 주문을 직접 취소하시면 불이익을 받으실 수 있습니다."),
    ("threat", "ko", "주문을 직접 취소하시면 불이익이 있을 수 있습니다."),
    ("threat", "en", "If you cancel these orders yourself, you may suffer disadvantages."),
    ("threat", "en", "You may suffer disadvantages."),
    ("threat", "ko", "판매자 계정이 정지될 수 있습니다."),
    ("threat", "en", "Your seller account may be suspended."),
    # the seller's business: only the seller_notice cues know these
    ("threat", "ko", "주문을 직접 취소하시면 판매가 제한될 수 있습니다."),
    ("threat", "ko", "입점 계약이 해지될 수 있습니다."),
    ("threat", "ko", "판매 정지 조치가 내려질 수 있습니다."),
    ("threat", "ko", "주문을 취소하시면 스토어 운영이 정지됩니다."),
    ("threat", "en", "Your store may be closed if you cancel these orders."),
    ("threat", "en", "If you cancel these orders yourself, your listings will be removed."),
    ("threat", "en", "We may delist your listings."),
    # blaming the customers
    ("blame-shift", "ko", "구매자들은 가격이 잘못된 것을 알면서 주문했습니다."),
    ("blame-shift", "ko", "고객들은 오류임을 알고도 대량으로 구매했습니다."),
    ("blame-shift", "ko", "고객들이 오류 가격임을 알고도 주문하셨습니다."),
    ("blame-shift", "en", "Customers knew the price was obviously wrong and ordered anyway."),
    ("blame-shift", "en", "The buyers knew the price was wrong."),
    # blaming the seller written to
    ("blame-shift", "ko", "판매자님의 실수로 발생한 일입니다."),
    ("blame-shift", "ko", "귀사의 입력 오류로 발생한 사고입니다."),
    ("blame-shift", "ko", "판매자님이 가격을 잘못 입력하셨습니다."),
    ("blame-shift", "ko", "입력하신 가격이 잘못되었습니다."),
    ("blame-shift", "en", "This happened because of your pricing error."),
    ("blame-shift", "en", "The error was your fault."),
    ("blame-shift", "en", "You entered the wrong price."),
    # the platform disclaiming its part
    ("blame-shift", "ko", "가격 오류의 책임은 판매자에게 있으며 플랫폼은 책임지지 않습니다."),
    ("blame-shift", "en", "The platform is not responsible for the prices sellers enter."),
    ("blame-shift", "en", "We are only a marketplace; sellers set the prices."),
]


@pytest.mark.parametrize(("code", "lang", "text"), FLAGGED)
def test_threats_and_blame_in_a_seller_email_are_flagged(code: str, lang: str, text: str) -> None:
    assert code in errors(text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "판매하신 상품의 가격이 잘못 표시되어, 운영팀이 가격 오류 사고 7번으로 처리합니다."),
    ("en", "A product you sell was shown at a wrong price."),
    ("ko", "상품 판매를 멈췄습니다."),
    ("ko", "사고를 마무리할 때까지 판매가 정지됩니다."),
    ("en", "The listing is paused until the incident is closed."),
    ("ko", "이번 일은 판매자님의 잘못이 아닙니다."),
    ("en", "This was not your fault."),
    ("ko", "판매가 제한되지 않습니다."),
    ("en", "Your store will not be suspended, whatever happens."),
    ("ko", "오류임을 알고 주문한 고객이 있다면 알려 주세요."),
    # the platform owns its part: the seller's entry is then a fact, not blame
    ("en", "You entered the wrong price, and our checks should have caught it."),
    ("ko", "판매자님이 가격을 잘못 입력하셨지만, 이를 걸러내지 못한 것은 저희 책임입니다."),
    # what the customers chose, said to the seller: no apology, options or consent owed here
    ("ko", "아래 주문은 고객의 선택으로 취소되었고 전액 환불됩니다. 보내지 마세요."),
    ("en", "The orders below are cancelled and refunded in full: please do not send them."),
])  # fmt: skip
def test_facts_negations_and_owned_mistakes_pass(lang: str, text: str) -> None:
    assert errors(text, lang) == set()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_seller_notice_needs_only_a_way_to_ask(lang: str) -> None:
    result = check_message("", kind=SELLER, lang=lang)
    assert {f.code for f in result.findings if f.severity == "error"} == {"missing-contact"}


def test_which_checks_a_seller_notice_gets_and_which_only_it_gets() -> None:
    for lang in ("ko", "en"):
        checks = load_rules(lang).checks
        assert {c.code for c in checks if SELLER in c.kinds} == {
            "missing-contact", "threat", "blame-shift", "long-sentence", "wrong-language"}
        assert not any(SELLER in c.kinds for c in checks if c.code in (
            "missing-apology", "missing-explanation", "fait-accompli"))
        seller_only = [c for c in checks if c.kinds == (SELLER,)]
        assert seller_only and all(c.code in ("threat", "blame-shift") for c in seller_only)
    assert KINDS[:3] == ("resolution", "notice", "follow_up")  # appended, not reordered


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "향후 판매가 제한될 수 있습니다."),
    ("en", "We may delist your listings."),
])
def test_the_seller_only_cues_do_not_run_for_customer_kinds(lang: str, text: str) -> None:
    assert "threat" in errors(text, lang)
    for kind in ("resolution", "notice", "follow_up"):
        assert "threat" not in errors(text, lang, kind)
