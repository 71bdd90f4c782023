"""One meaning of "answered" on real PostgreSQL: the incident list and the report agree, and a
customer who only asked to talk to a person has not answered (the case is escalated)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from test_desk import POLICY, _notified, shop  # noqa: F401  (shop is the fixture)

from sagwa.services import desk_cases
from sagwa.services.desk_report import build_report
from sagwa.services.desk_status import incident_status, incident_summaries

SEOUL = ZoneInfo("Asia/Seoul")


def _choose(uow, case_id: int, choice: str) -> None:
    desk_cases.record_choice(
        uow(),
        case_id=case_id,
        choice=choice,
        channel="web",
        evidence=f"clicked: {choice}",
        taken_by="customer",
        policy=POLICY,
    )


def _answered(uow, incident_id: int) -> tuple[int, int, float | None]:
    [listed] = [s for s in incident_summaries(uow(), limit=50, offset=0) if s["id"] == incident_id]
    figures = build_report(uow(), incident_id=incident_id, policy=POLICY).figures
    return listed["answered"], figures["answered"], figures["share_answered"]


def test_talk_to_person_is_not_answered_in_the_list_or_the_report(shop) -> None:  # noqa: F811
    uow, _, incident_id, cases, people, _ = _notified(shop)
    _choose(uow, cases[people[1]], "keep")
    _choose(uow, cases[people[2]], "cancel_with_compensation")
    _choose(uow, cases[people[3]], "talk_to_person")
    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    assert (status.cases_by_status["escalated"], status.cases_by_status["notified"]) == (1, 3)
    assert status.choices == {"keep": 1, "cancel_with_compensation": 1, "talk_to_person": 1}
    assert _answered(uow, incident_id) == (2, 2, round(2 / 6, 4))
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)
    assert report.figures["by_choice"] == status.choices  # the choices themselves still show


def test_after_the_deadline_the_call_request_is_defaulted_and_still_not_answered(shop) -> None:  # noqa: F811
    uow, clock, incident_id, cases, people, _ = _notified(shop)
    _choose(uow, cases[people[1]], "keep")
    _choose(uow, cases[people[3]], "talk_to_person")
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    assert desk_cases.apply_deadline(uow(), incident_id=incident_id, actor="system") == 5
    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    assert status.cases_by_status["defaulted"] == 5  # the call request among them
    assert _answered(uow, incident_id) == (1, 1, round(1 / 6, 4))
