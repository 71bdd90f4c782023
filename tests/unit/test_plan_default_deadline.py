"""The plan form's default deadline: closing time of an open day five days on, in the contact
centre's time zone (it was 09:00 UTC — 18:00 in Seoul — whatever the day)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.incident_context import default_deadline

SEOUL = ZoneInfo("Asia/Seoul")
SCHEDULE = load_desk_policy().schedule


def test_five_days_on_at_closing_time_in_seoul() -> None:
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # Tuesday 1 December, 08:30 in Seoul
    deadline = default_deadline(now, SCHEDULE).astimezone(SEOUL)
    close = SCHEDULE.opening(deadline.date())
    assert deadline.date().isoformat() == "2026-12-07"  # Sunday the 6th is closed: Monday
    assert close is not None and deadline == close[1]


def test_a_closed_day_moves_the_deadline_to_the_next_open_one() -> None:
    now = datetime(2026, 9, 19, 3, 0, tzinfo=UTC)  # five days on is 24 Sep, Chuseok
    deadline = default_deadline(now, SCHEDULE).astimezone(SEOUL)
    assert SCHEDULE.opening(deadline.date()) is not None
    assert deadline.date() > datetime(2026, 9, 24).date()


def test_the_starting_cost_split_follows_who_was_declared_responsible() -> None:
    """A walkthrough's finding: an incident declared the seller's and one declared the
    platform's both opened the plan at 50 / 50."""
    from types import SimpleNamespace

    from sagwa.web.pages.incident_context import _plan_form

    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    split = {who: (form["seller_share_pct"], form["platform_share_pct"])
             for who in ("seller", "platform", "both", None)
             for form in [_plan_form(SimpleNamespace(plan=None, responsible=who), now, SCHEDULE)]}
    assert split == {"seller": (70, 30), "platform": (0, 100), "both": (50, 50), None: (50, 50)}
    saved = SimpleNamespace(plan={"seller_share_pct": 90, "platform_share_pct": 10},
                            responsible="platform")
    form = _plan_form(saved, now, SCHEDULE)  # a saved plan keeps its own split
    assert (form["seller_share_pct"], form["platform_share_pct"]) == (90, 10)


def test_a_call_is_promised_soon_only_while_the_contact_centre_is_open() -> None:
    """A walkthrough's finding: "one of our staff will call you soon" at any hour."""
    from sagwa.services.call_when_words import call_when
    from sagwa.services.desk_policy import load_desk_policy

    policy = load_desk_policy()
    open_hours = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)  # Thursday 14:00 in Seoul
    assert call_when(policy, open_hours, "ko") == "상담원이 곧 전화드리겠습니다."
    night = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # Thursday 23:00 in Seoul
    assert call_when(policy, night, "en") == ("one of our staff will call you once our contact "
                                              "centre opens, from Friday, December 4 at 9 am "
                                              "Korea time.")
    christmas_eve = datetime(2026, 12, 24, 12, 0, tzinfo=UTC)  # 21:00; the 25th is a holiday
    assert call_when(policy, christmas_eve, "ko") == (
        "고객센터가 문을 여는 12월 26일(토) 오전 10시(한국 시간)부터 상담원이 전화드리겠습니다.")
    # a walkthrough's finding: at 16:47 on a Thursday (open until 18:00) it said "from Friday
    # 9 am": "soon" went by when a message may go out (two hours before closing)
    late_afternoon = datetime(2026, 12, 3, 7, 47, tzinfo=UTC)  # Thursday 16:47 in Seoul
    assert call_when(policy, late_afternoon, "en") == "one of our staff will call you soon."
    saturday_noon = datetime(2026, 12, 5, 3, 30, tzinfo=UTC)  # 12:30, open 10:00-14:00
    assert call_when(policy, saturday_noon, "ko") == "상담원이 곧 전화드리겠습니다."
    early = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # Friday 08:30: opens at 9 that morning
    assert "12월 4일(금) 오전 9시(한국 시간)부터" in call_when(policy, early, "ko")
