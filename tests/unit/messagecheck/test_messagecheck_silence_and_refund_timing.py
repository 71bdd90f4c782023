"""A legal review (전자상거래법) found the check passing, with no finding at all, texts that end an
order on silence without the word 취소/cancel ("주문이 무효가 됩니다", "결제하신 금액을 자동으로
돌려드립니다", "주문은 유지되지 않습니다"), that refuse the order because the customer supposedly
knew the price was wrong ("…알면서 주문하셨다면 주문을 유지할 수 없습니다"), and that promise a
refund later than the 3 business days of 제18조 ("영업일 기준 10일", "다음 달 정산일").

Each sentence is added to a message that passes the check on its own, so the error codes found
are exactly the sentence's. The look-alikes that must pass are the desk's own kind of wording:
the order kept on silence, a refund on the customer's choice, 3 business days or fewer, the card
company's own processing time.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sagwa.messagecheck import check_message, english
from sagwa.messagecheck.cues import find_hits
from sagwa.messagecheck.patterns import (
    find_entities,
    longest_span_days,
    span_days,
    without_entities,
)
from sagwa.messagecheck.ruleset import parse_rules

R, N = "resolution", "notice"
BASES = {
    ("ko", N): ("[사과문] 가격 오류에 대해 사과드립니다\n가격이 잘못 표시되어 진심으로 사과드립니다. "
                "저희의 책임입니다. 해당 고객님께는 개별적으로 연락드려 주문 유지 또는 전액 환불 중에서 "
                "고르시도록 안내하겠습니다. 재발 방지를 위해 가격 검증을 강화하겠습니다. "
                "문의: 고객센터 1544-0000"),
    ("ko", R): ("고객님, 가격 오류로 불편을 드려 진심으로 사과드립니다. 저희가 가격을 잘못 입력해 "
                "59,700원이 아닌 5,970원으로 표시되었습니다. 주문 유지 또는 주문 취소 중에서 골라 "
                "주세요. 12월 8일 오후 6시까지 알려 주세요. 문의: 고객센터 1544-0000."),
    ("en", N): ("We are sorry: a pricing error listed the kettle at $3.99 instead of $39.99, and it "
                "was our mistake. Every affected customer can choose to keep the order or get a full "
                "refund. From now on, every price cut over 50% needs a second person's approval. "
                "Questions? Call us on 1544-0000."),
    ("en", R): ("We're sorry — a decimal slip showed this kettle at $3.99 instead of $39.99. Keep "
                "the order or cancel it for a refund plus a $5 credit; tell us by Dec 3 at "
                "help@shop.example."),
}
FA, BLAME, LATE = "fait-accompli", "blame-shift", "refund-timing"

CAUGHT = [
    # void / refund / end / not kept on silence, without the word 취소
    ("ko", N, "기한 내 선택하지 않으시면 주문이 무효가 됩니다.", {FA}),
    ("ko", N, "기한까지 연락이 없으면 결제하신 금액을 자동으로 돌려드립니다.", {FA}),
    ("ko", R, "답이 없으시면 결제 금액을 돌려드리고 주문을 종료합니다.", {FA}),
    ("ko", N, "기한까지 답이 없으시면 주문은 유지되지 않습니다.", {FA}),
    ("ko", R, "기한까지 답이 없으시면 주문을 유지할 수 없습니다.", {FA}),
    ("ko", N, "기한이 지나면 주문은 무효 처리됩니다.", {FA}),
    ("ko", N, "잘못된 가격으로 접수된 주문은 유지되지 않습니다.", {FA}),
    ("en", N, "Your order will be void if you do not reply.", {FA}),
    ("en", R, "If you do not reply by the deadline, your order will be void.", {FA}),
    ("en", N, "We will refund and close your order if we do not hear from you.", {FA}),
    ("en", R, ("If we do not hear from you by the deadline, we will refund your payment "
               "automatically."), {FA}),
    ("en", R, "If you do not reply, your order will not be kept.", {FA}),
    ("en", N, "Your order will not be kept.", {FA}),
    # refusing the order because the customer "knew"
    ("ko", N, "고객님께서 잘못된 가격인 줄 알면서 주문하셨다면 주문을 유지할 수 없습니다.", {BLAME, FA}),
    ("ko", N, "잘못된 가격임을 알고 주문하신 고객님의 주문은 유지되지 않습니다.", {BLAME, FA}),
    ("ko", R, "오류 가격임을 알고도 주문하신 경우 주문이 취소될 수 있습니다.", {BLAME, FA}),
    # a tester's sentences, "보내 드리지 않습니다" (passed before: only 유지·배송·발송 … were seen)
    ("ko", R, "다만 고객님도 가격이 잘못된 것을 알고 주문하셨기 때문에 주문을 보내 드리지 않습니다.",
     {BLAME, FA}),
    ("ko", R, "가격 오류를 알고도 주문하셨으므로 주문을 보내 드리지 않습니다.", {BLAME, FA}),
    ("ko", R, "가격 오류를 알고도 주문하셨으므로 상품은 보내지 않습니다.", {BLAME, FA}),
    ("en", N, "If you knew the price was wrong, we cannot keep your order.", {BLAME, FA}),
    ("en", N, "Customers who knew the price was wrong will not have their orders honoured.",
     {BLAME, FA}),
    # refund later than 3 business days (its most, for a range)
    ("ko", N, "환불은 영업일 기준 10일 이내에 처리됩니다.", {LATE}),
    ("ko", R, "환불 금액은 결제하신 수단으로 영업일 기준 14일 안에 돌아갑니다.", {LATE}),
    ("ko", R, "환불은 다음 달 정산일에 일괄 처리됩니다.", {LATE}),
    ("ko", R, "환불 금액은 결제하신 수단으로 영업일 기준 3~5일 안에 돌아갑니다.", {LATE}),
    ("ko", N, "환불까지 최대 10영업일이 걸립니다.", {LATE}),
    ("ko", R, "환불은 열흘 안에 해 드립니다.", {LATE}),
    ("en", N, "Refunds are processed within 10 business days.", {LATE}),
    ("en", R, "Your refund will reach your card within 14 business days.", {LATE}),
    ("en", N, "Refunds are processed at the next settlement.", {LATE}),
    ("en", R, "The refund goes back to the way you paid within 3–5 business days.", {LATE}),
    ("en", R, "Refunds take up to a month.", {LATE}),
]

#: A review found the exemptions too broad (a word anywhere in the clause): the bank or card named
#: only as where the money goes, or a check the seller makes ("확인 후"), is still the seller's time.
#: The issuer is exempt only when it is the one taking the time, the customer's deadline only with
#: the customer's own verb. (The English "We will refund you …" is also an unasked refund, so
#: other codes come with it: only refund-timing is asserted here.)
LATE_STILL = [
    ("ko", "환불은 영업일 기준 10일 안에 입금해 드립니다."),
    ("ko", "환불은 영업일 기준 10일 안에 은행 계좌로 입금해 드립니다."),
    ("ko", "환불은 영업일 기준 7일 이내에 확인 후 처리됩니다."),
    ("en", "We will refund you within 14 days to your bank account."),
    ("en", "Your refund is credited to your card statement within 10 days."),
]

PASSES = [
    ("ko", R, "답이 없으시면 주문은 그대로 유지됩니다."),
    ("ko", N, "고객님의 동의 없이 주문을 취소하지 않습니다."),
    ("ko", R, "취소를 고르시면 결제하신 금액을 전액 돌려드립니다."),
    ("ko", R, "환불은 취소 접수일로부터 3영업일 안에 해 드립니다."),
    ("ko", R, "선택하지 않으셔도 주문은 유지되며, 원하시면 언제든 전액 돌려드립니다."),
    ("ko", N, "기한이 지나도 주문은 그대로 유지됩니다."),
    ("ko", R, "주문을 유지하지 않으시려면 아래 링크에서 취소를 선택해 주세요."),
    ("ko", N, "오류 가격임을 알고 주문하셨더라도 주문을 취소하지 않습니다."),
    ("ko", R, "잘못된 가격인 줄 알고 주문하셨더라도 주문을 취소하지 않고 그대로 보내 드립니다."),
    # "보내다" sends texts too; a next clause's 없다 is not the order withheld (a review's)
    ("ko", R, "잘못된 가격인 줄 알고 주문하셨어도 주문하신 상품은 그대로 보내 드리며 추가 요금은 없습니다."),
    ("ko", R, "잘못된 가격인 줄 알고 주문하셨어도 주문은 그대로 유지되며, 별도의 안내 문자는 보내 드리지 않습니다."),
    # the order going as it is, then the next clause's 없다 (flagged before this session too)
    ("ko", R, "잘못된 가격인 줄 알고 주문하셨어도 그대로 배송되며 불이익은 없습니다."),
    ("ko", R, "잘못된 가격인 줄 알고 주문하셨어도 상품은 정상 출고되며 불이익은 없습니다."),
    ("ko", R, "환불은 72시간 안에 해 드립니다."),
    ("ko", R, "7일 이내에 알려 주시면 3영업일 안에 환불해 드립니다."),
    ("ko", R, ("카드 결제는 3영업일 안에 카드사에 취소를 요청하며, 실제 반영은 카드사에 따라 "
               "3~5영업일 더 걸릴 수 있습니다.")),
    ("ko", R, "차액 3,000원은 다음 달 결제 때 빼 드립니다."),
    ("en", R, "If you do not reply, your order stays as it is."),
    ("en", N, "We will not cancel your order without your consent."),
    ("en", R, "If you choose to cancel, we will refund the full amount you paid."),
    ("en", R, "Your refund is made within 3 business days of the cancellation."),
    ("en", R, "If you do not reply, you can still ask for a refund later."),
    ("en", N, "Even if you knew the price was wrong, we will not cancel your order."),
    ("en", R, "Please allow 5–10 business days for your bank to show the refund."),
    ("en", R, "We will refund the difference within 48 hours."),
    # the card company or bank taking the time, and the customer's own deadline
    ("ko", R, ("환불은 취소 접수일로부터 3영업일 안에 결제하신 수단으로 해 드립니다(카드 결제는 이 "
               "기간 안에 카드사에 취소를 요청하며, 카드사에 따라 반영까지 며칠 더 걸릴 수 "
               "있습니다).")),
    ("ko", R, "카드사 사정에 따라 반영까지 3~5영업일이 더 걸릴 수 있습니다."),
    ("ko", R, "12월 9일까지 알려 주시면 3영업일 안에 환불해 드립니다."),
    ("ko", R, "7일 안에 선택해 주세요. 선택하시면 3영업일 안에 환불해 드립니다."),
    ("ko", R, "7일 안에 선택해 주시면 환불해 드립니다."),
    ("en", R, "Your card company may take 3–5 more days to show it."),
    ("en", R, "Depending on your bank, it may take up to 5 days to appear."),
    ("en", R, "If you want a refund, reply within 7 days."),
    ("en", R, "Let us know within 14 days if you want a refund."),
]


def errors(text: str, *, kind: str, lang: str, plan_default: str | None = None) -> set[str]:
    found = check_message(text, kind=kind, lang=lang, plan_default=plan_default).findings
    return {f.code for f in found if f.severity == "error"}


@pytest.mark.parametrize(("lang", "kind"), list(BASES))
def test_each_base_message_passes_on_its_own(lang: str, kind: str) -> None:
    assert errors(BASES[lang, kind], kind=kind, lang=lang) == set()


@pytest.mark.parametrize(("lang", "kind", "sentence", "codes"), CAUGHT)
def test_the_sentence_is_caught_with_exactly_these_codes(lang: str, kind: str, sentence: str,
                                                          codes: set[str]) -> None:
    text = f"{BASES[lang, kind]}\n{sentence}"
    assert errors(text, kind=kind, lang=lang) == codes
    assert errors(sentence, kind="follow_up", lang=lang) >= codes


@pytest.mark.parametrize(("lang", "sentence"), LATE_STILL)
def test_a_bank_named_as_the_destination_does_not_excuse_a_late_refund(lang: str,
                                                                        sentence: str) -> None:
    assert LATE in errors(f"{BASES[lang, R]}\n{sentence}", kind=R, lang=lang)
    assert LATE in errors(sentence, kind="follow_up", lang=lang)


@pytest.mark.parametrize(("lang", "kind", "sentence"), PASSES)
def test_the_look_alike_passes(lang: str, kind: str, sentence: str) -> None:
    assert errors(f"{BASES[lang, kind]}\n{sentence}", kind=kind, lang=lang) == set()


@pytest.mark.parametrize(("lang", "sentence"), [
    ("ko", "기한 내 선택하지 않으시면 주문이 무효가 됩니다."),
    ("ko", "기한까지 연락이 없으면 결제하신 금액을 자동으로 돌려드립니다."),
    ("en", "Your order will be void if you do not reply."),
])
def test_voiding_on_silence_contradicts_a_plan_that_keeps_the_order(lang: str,
                                                                     sentence: str) -> None:
    text = f"{BASES[lang, N]}\n{sentence}"
    assert errors(text, kind=N, lang=lang, plan_default="keep") == {
        FA, "contradicts-plan-default"}


def test_the_refund_timing_finding_points_at_the_span_and_cites_the_law() -> None:
    sentence = "환불은 영업일 기준 10일 이내에 처리됩니다."
    text = f"{BASES['ko', R]}\n{sentence}"
    (finding,) = [f for f in check_message(text, kind=R, lang="ko").findings if f.code == LATE]
    assert finding.severity == "error" and finding.span is not None
    assert "10일" in text[finding.span[0] : finding.span[1]]
    assert "제18조" in finding.message and "3영업일" in finding.suggestion


def test_the_packaged_refund_timing_passes() -> None:
    """Whatever the packaged desk policy promises is within 3 business days (or the check
    would refuse every confirmation that says it)."""
    desk = Path(__file__).parents[3] / "src" / "sagwa" / "desk.toml"
    refund = tomllib.loads(desk.read_text(encoding="utf-8")).get("refund", {})
    from sagwa.services.desk_policy import DEFAULT_REFUND_TIMING

    for ko, en in {(refund.get("timing_ko", DEFAULT_REFUND_TIMING[0]),
                    refund.get("timing_en", DEFAULT_REFUND_TIMING[1])), DEFAULT_REFUND_TIMING}:
        assert LATE not in errors(f"{BASES['ko', R]}\n{ko}", kind=R, lang="ko"), ko
        assert LATE not in errors(f"{BASES['en', R]}\n{en}", kind=R, lang="en"), en


@pytest.mark.parametrize(("text", "days"), [
    ("영업일 기준 3~5일 안에", 5), ("3영업일 안에", 3), ("영업일 기준 10일", 10), ("열흘", 10),
    ("한 달", 30), ("1~2주", 14), ("72시간", 3), ("within 3–5 business days", 5),
    ("within 14 business days", 14), ("two weeks", 14), ("a month", 30), ("다음 달 정산일", None),
])
def test_the_longest_span_of_time_is_read_in_days(text: str, days: float | None) -> None:
    assert longest_span_days(text) == days


@pytest.mark.parametrize(("text", "days"), [
    ("영업일 기준 3~5일 안에", (3, 5)), ("3 ~ 5영업일", (3, 5)), ("1~2주", (7, 14)),
    ("within 3–5 business days", (3, 5)), ("3 to 5 business days", (3, 5)),
    ("one to two weeks", (7, 14)), ("사흘", (3,)), ("이틀이나 닷새", (2, 5)), ("열흘", (10,)),
    ("보름", (15,)), ("일주일", (7,)), ("2주 안에", (14,)), ("72시간", (3,)),
    ("fifteen days", (15,)), ("다음 달 정산일", ()),
])  # fmt: skip
def test_every_span_of_time_is_read_with_both_ends_of_a_range(text: str,
                                                              days: tuple[float, ...]) -> None:
    """One reading for the check and the desk policy's refund timing (whose Korean and English
    sentences must promise the same days: "3~5일" is 3 and 5)."""
    assert span_days(text) == days


@pytest.mark.parametrize(("text", "days"), [
    ("12월 8일까지 알려 주시면 3영업일 안에 환불해 드립니다.", (3,)),
    ("Tell us by Dec 8 and we refund you within 3 business days.", (3,)),
    ("12/8(월)까지 알려 주시면 72시간 안에 환불해 드립니다.", (3,)),
])  # fmt: skip
def test_a_date_is_no_span_once_the_entities_are_left_out(text: str,
                                                          days: tuple[float, ...]) -> None:
    assert span_days(without_entities(text, find_entities(text))) == days


def test_a_word_list_is_expanded_among_other_alternatives() -> None:
    """``@kept|valid`` is the word list ``kept`` or ``valid`` (the rule files write
    ``@third|없|아니``, ``@buyer|anyone|someone``): it was left as the literal ``@kept``."""
    rules = parse_rules("en", {
        "words": {"kept": "kept|honoured"},
        "cues": {"refused": {"any": ["not be @kept|valid"], "negatable": False}},
        "checks": [{"code": "x", "when": "present", "cues": ["refused"], "message": "m"}],
        "negation": {},
    })
    for text in ("It will not be honoured.", "It will not be valid."):
        assert find_hits(english.analyse(text), rules)["refused"], text
