"""A walkthrough's report: the Korean notice's promise "앞으로는 가격이 크게 바뀌면 판매 전에
검토하겠습니다" was refused as missing prevention while its English equivalent passed. The Korean
rule for a check from now on took only the present ending (확인합니다) and had no 검토 (review);
the English one ("from now on … review*") takes any tense. Both directions on short texts
written for these tests: a check of prices or of what goes on sale, promised in any future form,
counts; a pledge with no check, a check of nothing named, and reviewing measures or causes do
not."""

from __future__ import annotations

import pytest

from sagwa.messagecheck import check_message

#: Korean sentences that now count as prevention, then those that still do not.
KO_COUNTS = """
앞으로는 가격이 크게 바뀌면 판매 전에 검토하겠습니다.
앞으로는 가격이 크게 바뀌면 판매 전에 검토합니다.
앞으로는 가격이 크게 바뀌면 판매 전에 확인하겠어요.
앞으로는 가격이 크게 바뀌면 판매 전에 검토할게요.
이제부터 모든 할인 가격은 등록 전에 검수할 것입니다.
앞으로 판매 전에 가격을 검토하도록 하겠습니다.
향후 쿠폰 할인율은 발급 전에 두 번 대조하겠습니다.
재발하지 않도록 가격 변경은 두 번 확인하겠습니다.
""".strip().splitlines()
KO_STILL_MISSING = """
앞으로 잘하겠습니다.
앞으로 더 주의하겠습니다.
앞으로 더 꼼꼼히 확인하겠습니다.
앞으로 내부 시스템을 꼼꼼히 점검하겠습니다.
향후 가격 보상 방안을 검토하겠습니다.
앞으로 가격 오류의 원인을 확인하겠습니다.
앞으로 가격은 고객님께서 직접 확인하실 수 있습니다.
앞으로 주문하시기 전에 가격을 확인해 주세요.
앞으로 가격 확인을 하지 않겠습니다.
""".strip().splitlines()
#: The English rule they mirror: a check from now on counts in any tense, "do better" does not.
COUNTS = [("ko", t) for t in KO_COUNTS] + [
    ("en", "From now on large price changes are reviewed before they go on sale."),
    ("en", "From now on we will review large price changes before they go on sale.")]
STILL_MISSING = [("ko", t) for t in KO_STILL_MISSING] + [("en", "From now on we will do better.")]


def _missing_prevention(lang: str, text: str) -> bool:
    result = check_message(text, kind="notice", lang=lang)
    return "missing-prevention" in {f.code for f in result.findings if f.severity == "error"}


@pytest.mark.parametrize(("lang", "text"), COUNTS)
def test_a_check_promised_from_now_on_counts_as_prevention(lang: str, text: str) -> None:
    assert not _missing_prevention(lang, text)


@pytest.mark.parametrize(("lang", "text"), STILL_MISSING)
def test_a_pledge_without_a_named_check_is_not_prevention(lang: str, text: str) -> None:
    assert _missing_prevention(lang, text)


def test_the_walkthrough_notice_passes_in_both_languages() -> None:
    """The whole notice the walkthrough wrote, Korean and English: only prevention differed."""
    ko = ("가격 오류 안내\n\n12월 1일 오후 2시부터 30분 동안 무선 이어폰이 정상가 129,000원 대신 "
          "12,900원으로 잘못 표시되었습니다. 불편을 드려 진심으로 죄송합니다. 주문하신 고객님은 "
          "정상가의 30% 할인가로 구매를 유지하시거나 주문을 취소하고 전액 환불받으실 수 있습니다. "
          "앞으로는 가격이 크게 바뀌면 판매 전에 검토하겠습니다. 문의는 1588-0000으로 주세요.")
    en = ("Pricing error\n\nOn December 1 from 2 p.m., for 30 minutes, wireless earbuds were shown "
          "at 12,900 KRW instead of 129,000 KRW. We are sorry. If you ordered, you can keep the "
          "order at 30% off the correct price or cancel it for a full refund. From now on large "
          "price changes are reviewed before they go on sale. Call us on 1588-0000.")
    assert check_message(ko, kind="notice", lang="ko").ok
    assert check_message(en, kind="notice", lang="en").ok
