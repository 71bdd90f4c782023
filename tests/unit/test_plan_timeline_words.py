"""The incident page's timeline says what a plan decided is — its options, default, points,
discount, split and deadline — or, for a revision, what changed; not only its deadline (a QA
tester's finding: every "plan decided" row read "deadline …" and nothing else)."""

from __future__ import annotations

from datetime import UTC, datetime

from sagwa.services.desk_report import TimelineEntry
from sagwa.web.pages.plan_words import plan_changes, plan_terms
from sagwa.web.pages.timeline import timeline_rows

AT = datetime(2008, 6, 12, 9, 0, tzinfo=UTC)
#: As ``plan_version.plan_record`` records a plan on the audit log.
FOUR = {"options": ["buy_at_correct_price_discount", "cancel_with_compensation", "keep",
                    "talk_to_person"],
        "deadline": "2008-06-17T18:00:00+09:00", "default": "keep", "seller_share_pct": 70,
        "platform_share_pct": 30, "cancel_compensation": {"amount_minor": 5000, "currency": "KRW"},
        "discount_pct": 10, "keep_max_units": None, "accept_late_choices": False}
TWO = {**FOUR, "options": ["keep", "talk_to_person"], "cancel_compensation": None,
       "discount_pct": None, "deadline": "2008-06-18T18:00:00+09:00"}


def _planned(after: dict[str, object], before: dict[str, object] | None = None) -> TimelineEntry:
    return TimelineEntry(AT, "admin:kim", "incident.planned", "incident", "3",
                         {"deadline": after["deadline"]}, plan=after, plan_before=before)


def test_the_first_plan_decided_says_the_whole_plan_in_each_language() -> None:
    ko = timeline_rows([_planned(FOUR)], "ko")[0].detail
    assert ko == ("선택지: 주문 유지, 주문 취소(전액 환불과 보상 포인트), 정상가에서 할인된 가격으로 구매, 상담원과 통화 · "
                  "미응답 시: 주문 유지 · 취소 보상: 5,000포인트 · 정상가 10% 할인 · "
                  "보상 포인트 분담: 판매자 70%, 플랫폼 30% · 답변 기한 2008-06-17 18:00")
    en = timeline_rows([_planned(FOUR)], "en")[0].detail
    assert "cancel compensation: 5,000 points" in en and "10% off the correct price" in en
    assert "compensation (points) split: seller 70%, platform 30%" in en and en.startswith("options: keep the order")


def test_a_revised_plan_says_what_changed() -> None:
    ko = timeline_rows([_planned(TWO, FOUR)], "ko")[0].detail
    assert ko == ("바뀐 것: 주문 취소(전액 환불과 보상 포인트) 선택지 제외 · 정상가에서 할인된 가격으로 구매 선택지 제외 · "
                  "취소 보상 5,000포인트 → 없음 · 할인율 10% → — · "
                  "답변 기한 2008-06-17 18:00 → 2008-06-18 18:00")
    assert plan_changes(TWO, FOUR, "en")[:3] == [
        "new option: cancel the order (full refund and compensation points)",
        "new option: buy at a discount off the correct price",
        "cancel compensation none → 5,000 points"]
    en = plan_changes(FOUR, {**FOUR, "seller_share_pct": 50, "platform_share_pct": 50,
                             "default": "follow_up_call"}, "en")
    assert en == ["if no answer keep the order → follow-up call",
                  "compensation (points) split seller 70%, platform 30% → seller 50%, platform 50%"]


def test_a_cancellation_without_points_is_named_a_full_refund() -> None:
    free = {**FOUR, "cancel_compensation": {"amount_minor": 0, "currency": "KRW"}}
    said = plan_terms(free, "en")
    assert "cancel the order (full refund)" in said[0]
    assert "cancel compensation: none (a full refund only)" in said


def test_the_status_views_plan_reads_the_same() -> None:
    """The plan saved now, shown beside a form refused as stale, comes from the status view
    (points as a number, the deadline in UTC)."""
    status = {**FOUR, "cancel_compensation": 5000, "deadline": "2008-06-17T09:00:00+00:00"}
    assert plan_terms(status, "ko") == plan_terms(FOUR, "ko")


def test_other_steps_keep_their_facts() -> None:
    scoped = TimelineEntry(AT, "admin:kim", "incident.scoped", "incident", "3",
                           {"status": "scoped", "new_cases": 3})
    assert timeline_rows([scoped], "en")[0].detail == "status: scoped · 3 new cases"
