"""A customer who asks to be called back at a time of their own, on real PostgreSQL: the time is
kept with the attempt and on the audit log; the call list keeps the case below the others until
then and puts it first from then on; a difference's follow-up comes back at it; a time that
cannot be right is refused with nothing written, and a retried form answers as the first."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from test_desk import POLICY, shop  # noqa: F401
from test_desk_call_attempts import DEADLINE, _notified
from test_desk_difference import OPTIONS, SEOUL, _answered

from sagwa.adapters.db.tables import audit_log, cases, contact_attempts, customers
from sagwa.domain.call_attempts import CALLBACK_KEPT
from sagwa.domain.difference_follow_up import follow_up_due
from sagwa.errors import InvalidInput
from sagwa.services import desk_cases
from sagwa.services.difference_follow_ups import cadence_of, follow_ups_due
from sagwa.web.pages.contact_centre import queue_context

MORNING = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)  # a Wednesday, after the deadline


def _three_owed_a_call(shop):
    """Customers 0, 1 and 2 asked to talk to a person; the deadline passed: each is owed a call,
    listed by case id (one deadline)."""
    uow, clock, iid, _ = _notified(shop)
    case_ids = []
    for customer in shop[3][:3]:
        with uow() as u:
            case_id = int(u.cases.case_for_customer(iid, customer))
        desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person",
                                 channel="web", evidence="pressed", taken_by="customer",
                                 policy=POLICY)
        case_ids.append(case_id)
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    clock.now = MORNING
    return uow, clock, iid, sorted(case_ids)


def _asks(uow, case_id: int, at: datetime | None, key: str | None = None,
          outcome: str = "callback_requested"):
    return desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone", outcome=outcome,
                                       agent="agent:park", policy=POLICY, callback_at=at,
                                       idempotency_key=key)


def _queue(uow, clock) -> list[int]:
    with uow() as u:
        return [q.case_id for q in u.reads.call_queue(now=clock.now)]


def test_the_case_waits_below_the_others_until_the_time_then_comes_first(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    assert _queue(uow, clock) == [first, second, third]
    friday_two = MORNING + timedelta(days=2, hours=4)
    logged = _asks(uow, first, friday_two)
    assert logged.callback_at == friday_two and logged.callback_in_hours is True
    assert _queue(uow, clock) == [second, third, first]  # nobody calls before Friday at two
    # another customer named no time: they stay where they were (asked back, no time)
    _asks(uow, second, None)
    assert _queue(uow, clock) == [second, third, first]
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at == friday_two and queued.callback_waits(clock.now)
    clock.now = friday_two
    assert _queue(uow, clock) == [first, second, third]  # their time has come: first
    assert not queued.callback_waits(clock.now)
    # the page reads the list at its own clock, in the same order
    cards = queue_context(uow(), POLICY)["cards"]
    assert [c.queued.case_id for c in cards] == [first, second, third]
    assert cards[0].queued.callback_at == friday_two and not cards[0].callback_waits


def test_two_times_come_in_the_order_of_the_times(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    _asks(uow, second, MORNING + timedelta(hours=3))
    _asks(uow, third, MORNING + timedelta(hours=1))
    assert _queue(uow, clock) == [first, third, second]
    clock.now = MORNING + timedelta(hours=5)
    assert _queue(uow, clock) == [third, second, first]


def test_a_later_call_that_names_no_time_replaces_the_time(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    _asks(uow, first, MORNING + timedelta(days=1))
    clock.now += timedelta(hours=1)  # the customer rang in early after all; no answer since
    _asks(uow, first, None, outcome="no_answer")
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at is None and queued.last_outcome == "no_answer"
    assert _queue(uow, clock) == [first, second, third]


def test_the_time_is_kept_with_the_attempt_and_on_the_audit_log(shop) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    evening = MORNING.replace(hour=21)  # after work: outside the centre's hours, kept anyway
    logged = _asks(uow, first, evening)
    assert logged.callback_in_hours is False
    with uow() as u:
        [attempt] = u.reads.attempts_by_case([first])[first]
        [event] = [r.event.after for r in u.audit.for_entity("case", str(first))
                   if r.event.action == "case.contact_attempted"]
    assert attempt.callback_at == evening and attempt.outcome == "callback_requested"
    assert datetime.fromisoformat(event["callback_at"]) == evening


@pytest.mark.parametrize(("at", "outcome", "reason"), [
    (MORNING - timedelta(minutes=1), "callback_requested", "callback_time_past"),
    (MORNING + timedelta(days=15), "callback_requested", "callback_time_too_far"),
    (MORNING + timedelta(days=1), "no_answer", "callback_time_without_request"),
])
def test_a_time_that_cannot_be_right_is_refused_with_nothing_written(
        shop, at: datetime, outcome: str, reason: str) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    audit_before = _audit_rows(uow)
    with pytest.raises(InvalidInput) as refused:
        _asks(uow, first, at, outcome=outcome)
    assert refused.value.details == {"field": "callback_at", "reason": reason,
                                     **({"max_days": 14} if reason.endswith("far") else {})}
    with uow() as u:
        assert u.reads.attempts_by_case([first]) == {}
    assert _audit_rows(uow) == audit_before


def _audit_rows(uow) -> int:
    with uow() as u:
        return int(u.conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def test_only_a_call_back_request_may_carry_a_time_in_the_database_too(shop) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    with uow() as u, pytest.raises(IntegrityError):
        u.conn.execute(insert(contact_attempts).values(
            case_id=first, channel="phone", attempted_at=MORNING, outcome="no_answer",
            within_contact_hours=True, callback_at=MORNING + timedelta(days=1)))


def test_a_retried_form_answers_the_first_time_and_logs_once(shop) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    at = MORNING + timedelta(days=1)
    once = _asks(uow, first, at, key="form-1")
    again = _asks(uow, first, at, key="form-1")
    assert again == once and again.callback_at == at
    with uow() as u:
        assert u.conn.execute(select(func.count()).select_from(contact_attempts).where(
            contact_attempts.c.case_id == first)).scalar_one() == 1
    with pytest.raises(Exception) as reused:  # the same key for another time is refused
        _asks(uow, first, at + timedelta(hours=1), key="form-1")
    assert getattr(reused.value, "code", "") == "idempotency_key_reused"


def test_a_difference_follow_up_comes_back_at_the_customers_time(shop) -> None:
    """A customer owing the discount's difference asks to be called back on Monday at ten: the
    case is off the follow-up list until then (not two hours later), and first at it; the
    list's SQL agrees with the domain's rule."""
    uow, clock, _iid, cases, people = _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2]})
    one, three = cases[people[1]], cases[people[3]]
    week = POLICY.difference_follow_up_after
    chosen_at = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    clock.now = chosen_at + week + timedelta(hours=1)  # both due
    monday_ten = datetime(2008, 6, 23, 10, 0, tzinfo=SEOUL)
    _asks(uow, one, monday_ten)
    clock.now += POLICY.min_call_spacing
    listed = follow_ups_due(uow(), POLICY)
    assert [f.owing.case_id for f in listed.items] == [three]
    clock.now = monday_ten
    listed = follow_ups_due(uow(), POLICY)
    assert [f.owing.case_id for f in listed.items] == [one, three]  # call-backs first
    [back] = [f for f in listed.items if f.owing.case_id == one]
    assert back.due_at == monday_ten and back.callback
    assert back.due_at == follow_up_due(back.owing.chosen_at, back.owing.since_choice,
                                        cadence_of(POLICY))
    assert datetime.fromisoformat(back.as_dict()["last_contact"]["callback_at"]) == monday_ten


def test_a_case_owed_no_call_is_on_the_call_list_for_its_time_and_holds_nothing_back(shop) -> None:
    """Before the deadline nobody is owed a call; a customer reached then who asks to be called
    back on Monday is on the call list for it (a walkthrough found the page promising a list
    the case never reached), below the others until then; closing does not wait for it, and
    the call that reaches them takes it off."""
    uow, clock, iid, case_ids = _notified(shop)  # 2008-06-13 10:00, deadline on the 17th
    first = case_ids[0]
    assert _queue(uow, clock) == []
    monday_ten = datetime(2008, 6, 16, 10, 0, tzinfo=SEOUL)
    logged = _asks(uow, first, monday_ten)
    assert not logged.callback_after_deadline
    assert _queue(uow, clock) == [first]
    with uow() as u:
        assert u.reads.calls_owed(iid) == 0  # not a call owed: closing does not wait for it
        assert u.reads.owed_call(first) is None
    cards = queue_context(uow(), POLICY)["cards"]
    assert [c.queued.case_id for c in cards] == [first] and cards[0].callback_waits
    clock.now = monday_ten + timedelta(minutes=5)
    desk_cases.log_contact_attempt(uow(), case_id=first, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY)
    assert _queue(uow, clock) == []


def test_a_time_after_the_deadline_of_a_case_still_choosing_is_flagged(shop) -> None:
    uow, _clock, _iid, case_ids = _notified(shop)
    late = _asks(uow, case_ids[0], DEADLINE + timedelta(hours=16))
    assert late.callback_after_deadline
    assert not _asks(uow, case_ids[1], DEADLINE - timedelta(hours=1)).callback_after_deadline
    # a customer who asked to talk to a person chooses on the call, whenever it comes
    desk_cases.record_choice(uow(), case_id=case_ids[2], choice="talk_to_person",
                             channel="web", evidence="pressed", taken_by="customer",
                             policy=POLICY)
    assert not _asks(uow, case_ids[2], DEADLINE + timedelta(hours=16)).callback_after_deadline
    cards = {c.queued.case_id: c for c in queue_context(uow(), POLICY)["cards"]}
    assert cards[case_ids[0]].callback_after_deadline
    assert not cards[case_ids[1]].callback_after_deadline
    assert not cards[case_ids[2]].callback_after_deadline


def test_a_difference_owed_comes_back_on_its_own_list_not_the_call_list(shop) -> None:
    uow, clock, _iid, cases, people = _answered(shop, 20, {1: OPTIONS[2]})
    one = cases[people[1]]
    at = clock.now + timedelta(days=1)
    _asks(uow, one, at)
    assert one not in _queue(uow, clock)
    clock.now = at
    assert one in [f.owing.case_id for f in follow_ups_due(uow(), POLICY).items]
    assert one not in _queue(uow, clock)


def test_without_a_follow_up_list_the_call_list_calls_them_back(shop) -> None:
    """A desk policy that keeps no list of differences to follow up: the call list is where
    the customer's time brings them back (a review found it on neither list)."""
    uow, clock, _iid, cases, people = _answered(shop, 20, {1: OPTIONS[2]})
    one = cases[people[1]]
    _asks(uow, one, clock.now + timedelta(days=1))
    with uow() as u:
        listed = [q.case_id for q in u.reads.call_queue(now=clock.now, follow_ups=False)]
    assert listed == [one]
    no_list = replace(POLICY, difference_follow_up_after=None)
    assert [c.queued.case_id for c in queue_context(uow(), no_list)["cards"]] == [one]


def test_a_discount_that_leaves_nothing_to_pay_is_called_back_from_the_call_list(shop) -> None:
    """90% off the correct price is the wrong price itself: nothing is owed, so the follow-up
    list never shows the case, and the call list does."""
    uow, clock, _iid, cases, people = _answered(shop, 90, {1: OPTIONS[2]})
    one = cases[people[1]]
    _asks(uow, one, clock.now + timedelta(days=1))
    assert _queue(uow, clock) == [one]


def test_a_customer_without_a_number_cannot_be_given_a_time(shop) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    with uow() as u:
        customer = u.conn.execute(select(cases.c.customer_id).where(cases.c.id == first)
                                  ).scalar_one()
        u.conn.execute(update(customers).where(customers.c.id == customer).values(phone=None))
        u.commit()
    audit_before = _audit_rows(uow)
    with pytest.raises(InvalidInput) as refused:
        _asks(uow, first, MORNING + timedelta(days=1))
    assert refused.value.details["reason"] == "callback_time_no_phone"
    assert _audit_rows(uow) == audit_before
    with uow() as u:
        assert u.reads.attempts_by_case([first]) == {}


def test_a_call_back_goes_stale_a_week_after_its_time(shop) -> None:
    uow, clock, _iid, case_ids = _notified(shop)
    first = case_ids[0]
    _asks(uow, first, clock.now + timedelta(days=13))  # first "in two weeks", then sooner:
    clock.now += timedelta(minutes=10)
    at = clock.now + timedelta(hours=3)
    _asks(uow, first, at)  # the latest time counts, not the earlier request's
    clock.now = at + CALLBACK_KEPT - timedelta(minutes=1)
    assert _queue(uow, clock) == [first]
    clock.now = at + CALLBACK_KEPT
    assert _queue(uow, clock) == []


def test_a_choice_made_after_asking_takes_the_call_back_off(shop) -> None:
    uow, clock, _iid, case_ids = _notified(shop)
    first = case_ids[0]
    _asks(uow, first, clock.now + timedelta(hours=3))
    assert _queue(uow, clock) == [first]
    clock.now += timedelta(hours=1)  # they chose on their page meanwhile
    desk_cases.record_choice(uow(), case_id=first, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert _queue(uow, clock) == []


def test_the_same_moment_written_two_ways_is_the_same_retry(shop) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    at = MORNING + timedelta(days=1)
    once = _asks(uow, first, at, key="form-z")
    again = _asks(uow, first, at.astimezone(UTC), key="form-z")
    assert again == once


def test_a_deadline_already_passed_is_not_said_to_come_after(shop) -> None:
    """Between the deadline and its job a case still reads unanswered: a time after the
    deadline is not "after the deadline, agree on an earlier one" then."""
    uow, clock, _iid, case_ids = _notified(shop)
    clock.now = DEADLINE + timedelta(seconds=30)
    assert not _asks(uow, case_ids[0], DEADLINE + timedelta(days=1)).callback_after_deadline


def test_a_time_goes_with_a_phone_call_only(shop) -> None:
    uow, _clock, _iid, (first, *_rest) = _three_owed_a_call(shop)
    with pytest.raises(InvalidInput) as refused:
        desk_cases.log_call_attempt(uow(), case_id=first, channel="email",
                                    outcome="callback_requested", agent="agent:park",
                                    policy=POLICY, callback_at=MORNING + timedelta(days=1))
    assert refused.value.details["reason"] == "callback_time_not_phone"
    with uow() as u:
        assert u.reads.attempts_by_case([first]) == {}


def test_the_contact_centre_is_open_from_its_opening_minute_to_before_its_closing_one(
        shop) -> None:
    uow, _clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    thursday = MORNING + timedelta(days=1)  # 2008-06-19, the shipped hours 09:00-18:00
    assert _asks(uow, first, thursday.replace(hour=9)).callback_in_hours is True
    assert _asks(uow, second, thursday.replace(hour=18)).callback_in_hours is False
    assert _asks(uow, third, thursday.replace(hour=17, minute=59)).callback_in_hours is True


def test_a_call_back_asked_for_without_a_time_keeps_a_case_owed_no_call_on_the_list(shop) -> None:
    """"Call me back later" with no time, before the deadline (nobody owed a call): the case
    is on the call list until someone calls back (a walkthrough found it dropped off every
    list), among the others (no time to wait for), holding nothing back; the call that reaches
    them takes it off."""
    uow, clock, iid, case_ids = _notified(shop)
    first = case_ids[0]
    _asks(uow, first, None)
    assert _queue(uow, clock) == [first]
    with uow() as u:
        assert u.reads.calls_owed(iid) == 0
        assert u.reads.calls_waiting_for_a_time([first], now=clock.now) == {}  # no time named
    cards = queue_context(uow(), POLICY)["cards"]
    assert [c.queued.case_id for c in cards] == [first]
    assert cards[0].queued.callback_at is None and not cards[0].callback_waits
    clock.now += timedelta(hours=3)
    desk_cases.log_contact_attempt(uow(), case_id=first, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY)
    assert _queue(uow, clock) == []


def test_a_call_back_without_a_time_goes_stale_a_week_after_the_request(shop) -> None:
    uow, clock, _iid, case_ids = _notified(shop)
    first = case_ids[0]
    asked = clock.now
    _asks(uow, first, None)
    clock.now = asked + CALLBACK_KEPT - timedelta(minutes=1)
    assert _queue(uow, clock) == [first]
    clock.now = asked + CALLBACK_KEPT + timedelta(minutes=1)
    assert _queue(uow, clock) == []


def test_a_later_call_that_did_not_reach_them_ends_the_untimed_request(shop) -> None:
    """Only the latest phone call speaks: a no-answer after the request is the call back tried
    (an owed call would keep trying; a case owed none leaves the list), and so is a choice
    the customer made since asking."""
    uow, clock, _iid, case_ids = _notified(shop)
    first, second = case_ids[0], case_ids[1]
    _asks(uow, first, None)
    _asks(uow, second, None)
    assert _queue(uow, clock) == [first, second]
    clock.now += timedelta(hours=2)
    _asks(uow, first, None, outcome="no_answer")
    desk_cases.record_choice(uow(), case_id=second, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert _queue(uow, clock) == []


def test_the_untimed_call_back_requests_are_read_through_their_index(shop) -> None:
    """The queue finds requests without a time through the partial index of migration 0018,
    not by reading every contact attempt logged."""
    from sqlalchemy import text

    uow, _clock, _iid, _ids = _notified(shop)
    with uow() as u:  # a few rows here: the planner would read them all unless told not to
        u.conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(r[0] for r in u.conn.execute(text(
            "EXPLAIN SELECT case_id FROM contact_attempts WHERE outcome = 'callback_requested' "
            "AND callback_at IS NULL AND attempted_at > now() - interval '7 days'")))
    assert "ix_contact_attempts_untimed_callback" in plan, plan
