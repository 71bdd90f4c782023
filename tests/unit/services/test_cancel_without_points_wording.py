"""A plan may offer the cancellation with no compensation (0 points): the option lines and the
short phrase then promise a full refund and nothing more — never "0 포인트를 드립니다" — and the
option's name, wherever a message names it, is "주문 취소(전액 환불)", not "…과 보상 포인트"."""

from __future__ import annotations

import pytest
from test_desk_messages import chosen, confirmation, facts, plan

from sagwa.domain.money import Money
from sagwa.services import desk_messages as dm
from sagwa.services.desk_outcome_wording import defaulted_values
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_wordings import order_values, wording_samples

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
    assert ("주문 취소: 결제 금액 전액 환불과 함께 사과의 뜻으로 5,000포인트(5,000원 상당)를 드립니다."
            in dm.option_lines(given, PAID, "ko"))
    assert "Cancel the order: a full refund plus 5,000 points (worth 5,000 KRW) as an apology." in dm.option_lines(
        given, PAID, "en")
    assert "cancel it for a full refund plus compensation points" in dm.options_phrase(given, "en")


def test_the_messages_of_a_plan_without_points_pass_the_check() -> None:
    samples = wording_samples(facts(), plan(cancel_compensation=Money(0, "KRW")),
                              load_desk_policy())
    assert any("결제 금액을 전액 환불해 드립니다" in text for lang, text in samples if lang == "ko")
    for lang, text in samples:
        assert "0 포인트" not in text and " 0포인트" not in text and " 0 points" not in text
        assert "보상 포인트" not in text and "compensation points" not in text
        dm.checked(text, kind="resolution", lang=lang)


def test_the_cancellation_is_named_a_full_refund_where_the_plan_gives_no_points() -> None:
    free, given, option = plan(cancel_compensation=Money(0, "KRW")), plan(), "cancel_with_compensation"
    assert dm.choice_label(option, "ko", free) == "주문 취소(전액 환불)"
    assert dm.choice_label(option, "en", free) == "cancel the order (full refund)"
    assert dm.choice_label(option, "en", points=0) == "cancel the order (full refund)"
    generic = "cancel the order (full refund and compensation points)"
    assert dm.choice_label(option, "en", given) == generic
    assert dm.choice_label(option, "ko", given) == "주문 취소(전액 환불과 보상 포인트)"
    assert dm.choice_label(option, "en") == generic  # no incident: the generic name
    # a plan that does not offer the cancellation does not name it for itself (the plan form)
    kept = plan(options=["keep", "talk_to_person"], cancel_compensation=None, discount_pct=None)
    assert dm.choice_label(option, "en", kept) == generic


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_messages_after_a_choice_or_the_deadline_name_no_points_without_any(lang: str) -> None:
    """The confirmation of a cancellation, and the lists of options offered in it and in the
    messages after the deadline, under a plan without points: checked and sent as they are."""
    free = plan(cancel_compensation=Money(0, "KRW"))
    text = confirmation(chosen("cancel_with_compensation", free), free, lang)
    values = defaulted_values(chosen("keep", free), free, PAID, lang, still_open=False)
    offered = [*values["offered"], *order_values(chosen("keep", free), free, "KRW",
                                                 lang)["offered"]]  # type: ignore[misc]
    if lang == "ko":
        assert "- 선택하신 방법: 주문 취소(전액 환불)\n" in text
        assert "주문 취소(전액 환불)" in offered
    else:
        assert "cancel the order (full refund)" in text and "cancel the order (full refund)" in offered
    for said in (text, *offered):
        assert "보상 포인트" not in said and "compensation points" not in said


def test_messages_under_a_plan_with_points_still_name_them() -> None:
    given = plan()
    ko = confirmation(chosen("cancel_with_compensation", given), given, "ko")
    assert "- 선택하신 방법: 주문 취소(전액 환불과 보상 포인트)" in ko
    values = defaulted_values(chosen("keep", given), given, PAID, "en", still_open=False)
    assert "cancel the order (full refund and compensation points)" in values["offered"]  # type: ignore[operator]
