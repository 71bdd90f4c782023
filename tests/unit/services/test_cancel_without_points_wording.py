"""A plan may offer the cancellation with no compensation (0 points): the option lines and the
short phrase then promise a full refund and nothing more — never "0 포인트를 드립니다"."""

from __future__ import annotations

from test_desk_messages import facts, plan

from sagwa.domain.money import Money
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_wordings import wording_samples

PAID = Money(39_800, "KRW")


def test_a_cancellation_without_points_is_offered_as_a_full_refund_only() -> None:
    free = plan(cancel_compensation=Money(0, "KRW"))
    ko, en = dm.option_lines(free, PAID, "ko"), dm.option_lines(free, PAID, "en")
    assert "주문 취소: 결제 금액을 전액 환불해 드립니다." in ko
    assert "Cancel the order: a full refund." in en
    assert not any("포인트" in line for line in ko) and not any("points" in line for line in en)
    assert "주문 취소(전액 환불)" in dm.options_phrase(free, "ko")
    phrase = dm.options_phrase(free, "en")
    assert "cancel it for a full refund" in phrase and "compensation" not in phrase


def test_a_cancellation_with_points_still_names_them() -> None:
    given = plan()  # 5,000 points
    assert ("주문 취소: 결제 금액 전액 환불과 함께 사과의 뜻으로 5,000 포인트를 드립니다."
            in dm.option_lines(given, PAID, "ko"))
    assert "Cancel the order: a full refund plus 5,000 points as an apology." in dm.option_lines(
        given, PAID, "en")
    assert "cancel it for a full refund plus compensation points" in dm.options_phrase(given, "en")


def test_the_messages_of_a_plan_without_points_pass_the_check() -> None:
    samples = wording_samples(facts(), plan(cancel_compensation=Money(0, "KRW")),
                              load_desk_policy())
    assert any("결제 금액을 전액 환불해 드립니다" in text for lang, text in samples if lang == "ko")
    for lang, text in samples:
        assert "0 포인트" not in text and " 0 points" not in text
        dm.checked(text, kind="resolution", lang=lang)
