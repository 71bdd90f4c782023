"""A plan form carries the version of the plan it showed; a save from a form opened against
another plan than the one saved now is refused (a QA tester's two tabs: the second overwrote
the first operator's plan, and both were told "plan saved")."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.money import Money
from sagwa.domain.plan_version import NO_PLAN, check_plan_unchanged, plan_version
from sagwa.errors import Conflict

KST = ZoneInfo("Asia/Seoul")
PLAN = IncidentPlan(
    7, frozenset({CustomerOption.KEEP, CustomerOption.CANCEL_WITH_COMPENSATION}),
    datetime(2008, 6, 17, 18, 0, tzinfo=KST), DefaultAction.KEEP, 50, 50,
    datetime(2008, 6, 12, 18, 0, tzinfo=KST), Money(199_000, "KRW"),
    cancel_compensation=Money(5_000, "KRW"))


@pytest.mark.parametrize("change", [
    {"options": frozenset(CustomerOption)},
    {"deadline": PLAN.deadline + timedelta(minutes=1)},
    {"default": DefaultAction.FOLLOW_UP_CALL},
    {"seller_share_pct": 60, "platform_share_pct": 40},
    {"cancel_compensation": Money(3_000, "KRW")},
    {"discount_pct": 10},
    {"keep_max_units": 2},
    {"accept_late_choices": True},
])  # fmt: skip
def test_every_term_of_the_plan_changes_its_version(change: dict[str, object]) -> None:
    assert plan_version(replace(PLAN, **change)) != plan_version(PLAN)  # type: ignore[arg-type]


def test_the_same_terms_saved_again_later_are_the_same_version() -> None:
    again = replace(PLAN, decided_at=PLAN.decided_at + timedelta(hours=1),
                    deadline=PLAN.deadline.astimezone(ZoneInfo("UTC")))
    assert plan_version(again) == plan_version(PLAN)
    assert plan_version(None) == NO_PLAN != plan_version(PLAN)


def test_a_form_opened_against_the_plan_saved_now_or_sent_without_a_version_passes() -> None:
    check_plan_unchanged(PLAN, plan_version(PLAN), incident_id=7)
    check_plan_unchanged(None, NO_PLAN, incident_id=7)
    check_plan_unchanged(PLAN, None, incident_id=7)  # the API and the CLI send whole plans


@pytest.mark.parametrize(("saved", "opened"), [
    (PLAN, NO_PLAN),                                              # opened before any plan
    (PLAN, plan_version(replace(PLAN, discount_pct=10,
                                options=frozenset(CustomerOption)))),  # opened on another
])  # fmt: skip
def test_a_form_opened_against_another_plan_is_refused_as_stale(
        saved: IncidentPlan, opened: str) -> None:
    with pytest.raises(Conflict) as refused:
        check_plan_unchanged(saved, opened, incident_id=7)
    assert refused.value.details["reason"] == "plan_changed"
    assert refused.value.details["stale"] is True
    assert refused.value.details["plan_version"] == plan_version(saved)
