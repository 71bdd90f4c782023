"""Messages that pass the check on their own in each language, for tests that add one sentence
to them and read which errors the sentence brings (``with_base``)."""

from __future__ import annotations

from sagwa.messagecheck import check_message

R = "resolution"
BASES = {
    "ko": ("고객님, 가격 오류로 불편을 드려 진심으로 사과드립니다. 저희가 가격을 잘못 입력해 "
           "59,700원이 아닌 5,970원으로 표시되었습니다. 주문 유지 또는 주문 취소 중에서 골라 "
           "주세요. 12월 8일 오후 6시까지 알려 주세요. 문의: 고객센터 1544-0000."),
    "en": ("We're sorry — a decimal slip showed this kettle at $3.99 instead of $39.99. Keep "
           "the order or cancel it for a refund plus a $5 credit; tell us by Dec 3 at "
           "help@shop.example."),
}


def errors(text: str, *, lang: str, kind: str = R) -> set[str]:
    """The codes of the error findings on ``text``."""
    return {f.code for f in check_message(text, kind=kind, lang=lang).findings
            if f.severity == "error"}


def with_base(sentence: str, lang: str) -> set[str]:
    """The error codes of ``sentence`` after the base message in ``lang``."""
    return errors(f"{BASES[lang]}\n{sentence}", lang=lang)
