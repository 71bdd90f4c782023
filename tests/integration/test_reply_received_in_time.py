"""A reply by email or text that reached us by the answer deadline counts though staff record
it after it (``said_at``, ``domain.consent.answered_at``), on real PostgreSQL: its confirmation
says when it came and that it came in time; without it, or for another channel, the deadline
applies to when it is recorded, as before."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_desk import POLICY, _notified, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.errors import InvalidInput, LateChoiceRefused
from sagwa.services import desk_cases

SEOUL = ZoneInfo("Asia/Seoul")
#: The shop's plan: deadline Tuesday 2008-06-17 18:00 (Korea), keep by default.
REPLIED = datetime(2008, 6, 17, 17, 52, tzinfo=SEOUL)
RECORDED = datetime(2008, 6, 18, 9, 30, tzinfo=SEOUL)


def _record(uow, case_id: int, **kw):  # type: ignore[no-untyped-def]
    return desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                    channel=kw.pop("channel", "email"),
                                    evidence="답장: 취소해 주세요", taken_by="agent:park",
                                    policy=POLICY, **kw)


def test_a_reply_that_came_before_the_deadline_counts_when_recorded_the_next_morning(
        shop) -> None:
    uow, clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    clock.now = RECORDED
    result = _record(uow, case_id, said_at=REPLIED)
    assert result.changed and result.case.status.value == "resolved"
    with uow() as u:
        [body] = u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "confirmation",
            outbox.c.channel == "email")).scalars().all()
        [recorded] = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                      if r.event.action == "case.choice_recorded"]
    assert "6월 17일(화) 오후 5시 52분(한국 시간)에 받았습니다. 답변 기한인" in body
    assert "전에 알려 주셔서 감사합니다" in body and "지났지만" not in body
    assert recorded["reply_received_at"] == REPLIED.isoformat()


def test_without_the_replys_time_or_after_the_deadline_it_is_late_as_before(shop) -> None:
    uow, clock, _iid, cases, people, _ = _notified(shop)
    clock.now = RECORDED
    with pytest.raises(LateChoiceRefused):
        _record(uow, cases[people[1]])
    with pytest.raises(LateChoiceRefused):
        _record(uow, cases[people[1]], said_at=datetime(2008, 6, 17, 18, 5, tzinfo=SEOUL))
    with pytest.raises(InvalidInput) as phone:  # a call is taken when it is recorded
        _record(uow, cases[people[2]], channel="phone", said_at=REPLIED)
    assert phone.value.details["reason"] == "said_at_not_a_reply"
    with pytest.raises(InvalidInput) as ahead:
        _record(uow, cases[people[2]], said_at=datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL))
    assert ahead.value.details["reason"] == "said_at_future"
    with uow() as u:
        assert u.cases.get(cases[people[1]]).case.consent is None
        assert u.cases.get(cases[people[2]]).case.consent is None


def test_a_reply_that_came_in_time_must_be_recorded_by_the_next_open_days_close(shop) -> None:
    """After it, the default stands and the seller was told to send what it kept
    (``contact_hours.replies_recorded_by``): the deadline is Tuesday 18:00, so Wednesday's
    closing; the seller's page holds the defaulted orders until then."""
    uow, clock, iid, cases, people, _ = _notified(shop)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    clock.now = datetime(2008, 6, 18, 17, 59, tzinfo=SEOUL)  # Wednesday, before closing
    assert _record(uow, cases[people[1]], said_at=REPLIED).changed
    clock.now = datetime(2008, 6, 19, 9, 30, tzinfo=SEOUL)  # Thursday morning: too late
    with pytest.raises(LateChoiceRefused) as late:
        _record(uow, cases[people[2]], said_at=REPLIED)
    assert late.value.details["reason"] == "reply_recorded_too_late"
    assert late.value.details["recorded_by"] == "2008-06-18T18:00:00+09:00"
    assert "log a call note with a follow-up" in late.value.message
    with uow() as u:
        assert u.cases.get(cases[people[2]]).case.status.value == "defaulted"


def test_a_reply_that_came_after_the_deadline_is_late_whenever_it_is_recorded(shop) -> None:
    """Not "recorded too late" (it was never in time): the late choice's own refusal."""
    uow, clock, _iid, cases, people, _ = _notified(shop)
    clock.now = datetime(2008, 6, 19, 9, 30, tzinfo=SEOUL)
    with pytest.raises(LateChoiceRefused) as late:
        _record(uow, cases[people[1]], said_at=datetime(2008, 6, 17, 18, 30, tzinfo=SEOUL))
    assert late.value.details["reason"] == "choice_after_deadline"


def test_a_reply_before_the_wrong_price_went_live_is_refused(shop) -> None:
    """A mistyped year would otherwise make any reply count as in time."""
    uow, clock, _iid, cases, people, _ = _notified(shop)
    clock.now = RECORDED
    with pytest.raises(InvalidInput) as typo:
        _record(uow, cases[people[1]], said_at=datetime(2007, 6, 17, 17, 52, tzinfo=SEOUL))
    assert typo.value.details["reason"] == "said_at_before_incident"
    assert typo.value.details["window_start"] == "2008-06-12T14:00:00+09:00"
    with uow() as u:
        assert u.cases.get(cases[people[1]]).case.consent is None


def test_a_call_asked_for_by_a_reply_in_time_takes_the_answer_on_the_call(shop) -> None:
    """The reply asking for a call reached us before the deadline and was recorded the next
    morning, after the default: the customer is owed that call, and what they choose on it
    counts (the reply's time is kept on the case: before, the request read as made late and
    the answer on the call was refused)."""
    uow, clock, iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    clock.now = datetime(2008, 6, 18, 9, 30, tzinfo=SEOUL)
    asked = desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person",
                                     channel="email", evidence="답장: 전화 주세요",
                                     taken_by="agent:park", policy=POLICY, said_at=REPLIED)
    assert asked.changed
    with uow() as u:
        assert u.cases.get(case_id).case.consent.said_at == REPLIED  # kept on the case
    clock.now = datetime(2008, 6, 18, 14, 0, tzinfo=SEOUL)
    answered = desk_cases.record_choice(uow(), case_id=case_id,
                                        choice="cancel_with_compensation", channel="phone",
                                        evidence="통화: 취소해 주세요", taken_by="agent:kim",
                                        policy=POLICY)
    assert answered.changed and answered.case.status.value == "resolved"


def test_the_window_is_fixed_when_the_default_is_applied_and_later_hours_do_not_reopen_it(
        shop) -> None:
    """The deadline job keeps the window it applied the default under (Wednesday's closing,
    in the plan's row and on the audit log). The centre then declares that Wednesday closed
    — under the new hours the window would run to Thursday's closing — but on Thursday
    morning the defaulted orders stay "send" on the seller's page and a reply recorded then is
    refused: nothing the seller was shown as final goes back to being held."""
    import dataclasses
    from datetime import date

    from sagwa.domain.seller_orders import OrderInstruction
    from sagwa.services.seller_incidents import seller_view

    uow, clock, iid, cases, people, seller_id = _notified(shop)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system", policy=POLICY)
    wednesday_close = datetime(2008, 6, 18, 18, 0, tzinfo=SEOUL)
    wednesday_off = dataclasses.replace(POLICY, schedule=dataclasses.replace(
        POLICY.schedule, closed_dates=frozenset({date(2008, 6, 18)})))
    with uow() as u:
        plan = desk_cases.current_plan(u, iid)
        [defaulted] = [r.event.after for r in u.audit.for_entity("incident", str(iid))
                       if r.event.action == "incident.defaulted"]
    assert plan.replies_until == wednesday_close
    assert defaulted["replies_until"] == wednesday_close.isoformat()
    # what the new hours alone would give: the next open day after Tuesday is Thursday
    assert dataclasses.replace(plan, replies_until=None).replies_recorded_by(
        wednesday_off.schedule) == datetime(2008, 6, 19, 18, 0, tzinfo=SEOUL)
    # the job running again (a retry) under the new hours leaves the window as it was
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system", policy=wednesday_off)

    clock.now = datetime(2008, 6, 19, 9, 30, tzinfo=SEOUL)  # Thursday morning
    case_id = cases[people[2]]
    with uow() as u:
        assert desk_cases.current_plan(u, iid).replies_until == wednesday_close
        view = seller_view(u, seller_id=seller_id, incident_id=iid, policy=wednesday_off)
        kept = {int(o.order_id) for o in u.cases.get(case_id).case.orders}
    shown = {o.order_id: o.instruction for o in view.orders if o.order_id in kept}
    assert shown and set(shown.values()) == {OrderInstruction.SEND}
    with pytest.raises(LateChoiceRefused) as late:
        desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                 channel="email", evidence="답장: 취소해 주세요",
                                 taken_by="agent:park", policy=wednesday_off, said_at=REPLIED)
    assert late.value.details["reason"] == "reply_recorded_too_late"
    assert late.value.details["recorded_by"] == wednesday_close.isoformat()


def test_a_plan_saved_with_another_deadline_drops_the_fixed_window(shop) -> None:
    """The window belongs to the deadline it was computed for (the repository's rule: the
    same deadline saved again keeps it)."""
    import dataclasses
    from datetime import timedelta

    uow, clock, iid, _cases, _people, _ = _notified(shop)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system", policy=POLICY)
    with uow() as u:
        plan = desk_cases.current_plan(u, iid)
        u.incidents.save_plan(plan, decided_by="operator:lee")
        assert desk_cases.current_plan(u, iid).replies_until == plan.replies_until
        u.incidents.save_plan(dataclasses.replace(plan, deadline=plan.deadline
                                                  + timedelta(days=2)), decided_by="operator:lee")
        assert desk_cases.current_plan(u, iid).replies_until is None
        u.rollback()
