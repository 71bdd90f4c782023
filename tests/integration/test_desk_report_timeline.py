"""The postmortem's timeline on real PostgreSQL: a grouped case step counts distinct cases
(two calls to one customer are "2 attempts on 1 case"), and the desk's changes to orders behind
the money — cancellations, lowered quantities, new prices — are on it, grouped, with their units
and amounts, in Seoul time like the rest."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from test_desk import POLICY, shop  # noqa: F401
from test_desk_call_attempts import _asked_for_a_person_then_defaulted, _notified

from sagwa.services import desk_cases
from sagwa.services.desk_report import build_report, write_postmortem

SEOUL = ZoneInfo("Asia/Seoul")


def test_two_calls_to_one_customer_read_as_two_attempts_on_one_case(shop) -> None:
    uow, _, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    for outcome in ("no_answer", "busy"):  # a second apart: the same minute
        desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone", outcome=outcome,
                                    agent="agent:park", policy=POLICY)
    [calls] = [e for e in build_report(uow(), incident_id=iid, policy=POLICY).timeline
               if e.action == "case.contact_attempted"]
    assert (calls.case_count, calls.records) == (1, 2)
    assert calls.entity == "2 attempts on 1 case"
    assert calls.case_ids == (str(case_id),)  # the page names and links it


def test_the_desks_order_changes_are_on_the_timeline_grouped_with_units_and_money(
        shop, tmp_path) -> None:
    uow, clock, iid, case_ids = _notified(shop)
    clock.now = datetime(2008, 6, 13, 10, 0, 30, tzinfo=SEOUL)
    for case_id in case_ids[:2]:  # 1 order of 1 unit, then 2 orders of 1 unit
        desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                 channel="web", evidence="pressed cancel", taken_by="customer",
                                 policy=POLICY)
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    [cancelled] = [e for e in report.timeline if e.action == "order.cancel_and_refund"]
    assert (cancelled.entity_kind, cancelled.case_count, cancelled.records) == ("order", 2, 3)
    assert cancelled.entity == "3 orders on 2 cases"
    assert cancelled.case_ids == tuple(sorted((str(c) for c in case_ids[:2]), key=int))
    assert cancelled.detail == "units=3, refunded=59,700 KRW"
    assert cancelled.actor == "customer"
    chosen = next(e for e in report.timeline if e.action == "case.choice_recorded")
    assert report.timeline.index(cancelled) < report.timeline.index(chosen)  # log order
    path, _ = write_postmortem(report, tmp_path)
    assert ("| 2008-06-13 10:00 | customer | order.cancel_and_refund | 3 orders on 2 cases | "
            "units=3, refunded=59,700 KRW |") in path.read_text(encoding="utf-8")
