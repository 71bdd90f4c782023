"""A customer picks, on their own page, when the call the desk owes them suits them, on real
PostgreSQL: the time is stored and on the audit log; the call queue keeps the case below the
others until then and first from then on; the call the time asks for clears it, a call tried
early does not; a final answer clears it; a case not on the call list, without a phone number,
or a time when nobody is there is refused with nothing written."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from test_desk import POLICY, shop  # noqa: F401
from test_desk_call_attempts import _notified
from test_desk_callback_time import MORNING, _asks, _queue, _three_owed_a_call
from test_desk_difference import SEOUL

from sagwa.adapters.db.tables import audit_log, cases, customers
from sagwa.domain.call_times import CALL_TIME_CHOSEN
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import desk_cases
from sagwa.services.customer_call_time import set_call_time
from sagwa.web.pages.contact_centre import queue_context

THURSDAY_TEN = datetime(2008, 6, 19, 10, 0, tzinfo=SEOUL)  # MORNING is Wednesday at ten


def _pick(uow, case_id: int, at: datetime | None):
    return set_call_time(uow(), case_id=case_id, call_at=at, policy=POLICY)


def _stored(uow, case_id: int) -> datetime | None:
    with uow() as u:
        return u.cases.get(case_id).call_at


def _picks_logged(uow, case_id: int) -> list[dict]:
    with uow() as u:
        return [r.after for r in u.conn.execute(
            select(audit_log.c.after).where(audit_log.c.action == CALL_TIME_CHOSEN,
                                            audit_log.c.entity_id == str(case_id))
            .order_by(audit_log.c.seq))]


def test_the_picked_time_holds_the_case_back_until_then_then_puts_it_first(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    assert _queue(uow, clock) == [first, second, third]
    done = _pick(uow, first, THURSDAY_TEN)
    assert done.changed and done.call_at == THURSDAY_TEN
    assert _stored(uow, first) == THURSDAY_TEN
    with uow() as u:  # as the case's JSON answers it (``CasePublic.call_at``)
        assert u.cases.get(first).call_at == THURSDAY_TEN
        assert u.cases.get(second).call_at is None
    assert _picks_logged(uow, first) == [{"call_at": THURSDAY_TEN.isoformat()}]
    assert _queue(uow, clock) == [second, third, first]  # nobody calls before Thursday
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at == THURSDAY_TEN and queued.time_picked
    assert queued.callback_waits(clock.now)
    clock.now = THURSDAY_TEN
    assert _queue(uow, clock) == [first, second, third]
    cards = queue_context(uow(), POLICY)["cards"]
    assert cards[0].queued.case_id == first and not cards[0].callback_waits


def test_the_same_time_again_changes_nothing_and_clearing_is_logged(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    again = _pick(uow, first, THURSDAY_TEN.astimezone(UTC))  # the same moment, said in UTC
    assert not again.changed
    assert len(_picks_logged(uow, first)) == 1
    cleared = _pick(uow, first, None)
    assert cleared.changed and cleared.call_at is None and _stored(uow, first) is None
    assert _picks_logged(uow, first)[-1] == {"call_at": None}
    assert _queue(uow, clock) == [first, second, third]
    assert not _pick(uow, first, None).changed  # nothing picked, nothing to clear


def test_a_call_tried_early_leaves_the_time_the_call_it_asks_for_clears_it(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    _asks(uow, first, None, outcome="no_answer")  # Wednesday: someone tried early
    assert _stored(uow, first) == THURSDAY_TEN
    assert _queue(uow, clock) == [second, third, first]
    clock.now = THURSDAY_TEN + timedelta(minutes=5)
    _asks(uow, first, None, outcome="no_answer")  # the call they asked for, unanswered
    assert _stored(uow, first) is None
    with uow() as u:
        after = u.conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "case.contact_attempted",
            audit_log.c.entity_id == str(first)).order_by(audit_log.c.seq)).scalars().all()
    assert "call_time_replaced" not in after[0]
    assert datetime.fromisoformat(after[1]["call_time_replaced"]) == THURSDAY_TEN
    # back among the others by deadline (the attempts' spacing decides the rest)
    assert _queue(uow, clock)[0] == first


def test_a_call_that_took_a_new_wish_clears_it_early(shop) -> None:
    uow, clock, _iid, (first, _second, _third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    _asks(uow, first, MORNING + timedelta(hours=5), outcome="callback_requested")
    assert _stored(uow, first) is None
    with uow() as u:  # the time named on the call is the one now
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at == MORNING + timedelta(hours=5) and not queued.time_picked


def test_reaching_them_before_their_time_with_no_answer_taken_keeps_the_time(shop) -> None:
    """Before the mend an agent's "reached" logged before the customer's picked time, with no
    choice taken, erased it: the audit said ``call_time_replaced``, the API's call_at went
    null and the customer's page went back to "as soon as you can"."""
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    logged = _asks(uow, first, None, outcome="reached")  # Wednesday: early
    assert _stored(uow, first) == THURSDAY_TEN
    assert logged.before_call_time == THURSDAY_TEN and not logged.made_call
    with uow() as u:
        [after] = [r.event.after for r in u.audit.for_entity("case", str(first))
                   if r.event.action == "case.contact_attempted"]
    assert "call_time_replaced" not in after
    assert _queue(uow, clock) == [second, third, first]  # still owed, at their time
    # their final answer, taken on a call, is the request fulfilled: the time goes
    desk_cases.record_choice(uow(), case_id=first, choice="keep", channel="phone",
                             evidence="그냥 받을게요", taken_by="agent:park", policy=POLICY)
    assert _stored(uow, first) is None


def test_a_final_answer_clears_the_picked_time(shop) -> None:
    uow, _clock, iid, _case_ids = _notified(shop)
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, shop[3][1]))
    desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    _pick(uow, case_id, datetime(2008, 6, 13, 15, 0, tzinfo=SEOUL))  # Friday at three
    assert _stored(uow, case_id) is not None
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert _stored(uow, case_id) is None
    with pytest.raises(Conflict) as refused:  # no call is owed now
        _pick(uow, case_id, datetime(2008, 6, 13, 16, 0, tzinfo=SEOUL))
    assert refused.value.details["reason"] == "call_time_not_on_call_list"


def test_refusals_write_nothing(shop) -> None:
    uow, _clock, iid, (first, second, _third) = _three_owed_a_call(shop)
    with uow() as u:
        others = [int(u.cases.case_for_customer(iid, c)) for c in shop[3][3:]]
    with pytest.raises(Conflict) as refused:  # answered nothing, owed no call yet: not listed
        _pick(uow, others[0], THURSDAY_TEN)
    assert refused.value.details["reason"] == "call_time_not_on_call_list"
    for at, reason in ((MORNING - timedelta(minutes=1), "call_time_past"),
                       (datetime(2008, 6, 19, 20, 0, tzinfo=SEOUL), "call_time_closed"),
                       (datetime(2008, 6, 22, 11, 0, tzinfo=SEOUL), "call_time_closed"),  # Sunday
                       (MORNING + timedelta(days=15), "call_time_too_far")):
        with pytest.raises(InvalidInput) as bad:
            _pick(uow, first, at)
        assert bad.value.details["reason"] == reason
    with uow() as u:  # a customer whose number was removed: nobody could call
        customer_id = u.conn.execute(select(cases.c.customer_id)
                                     .where(cases.c.id == second)).scalar_one()
        u.conn.execute(update(customers).where(customers.c.id == customer_id).values(phone=None))
        u.commit()
    with pytest.raises(Conflict) as no_phone:
        _pick(uow, second, THURSDAY_TEN)
    assert no_phone.value.details["reason"] == "call_time_no_phone"
    with uow() as u:
        assert u.conn.execute(select(func.count()).select_from(cases)
                              .where(cases.c.call_at.is_not(None))).scalar_one() == 0
    assert _picks_logged(uow, first) == [] and _picks_logged(uow, second) == []


def test_only_a_customer_who_asked_or_whose_default_is_a_call_picks_a_time(shop) -> None:
    """The desk's own escalation before the deadline (unanswered) puts a case on the call list
    to get an answer in time; the default applies at the deadline whatever time was picked,
    so no time is taken for it — the customer can ask for a person first."""
    uow, _clock, iid, _case_ids = _notified(shop)
    desk_cases.escalate_unanswered(uow(), incident_id=iid, actor="sagwa:escalation")
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, shop[3][4]))
        assert u.reads.call_records([case_id])[case_id].on_call_list  # listed, not asked
    friday_three = datetime(2008, 6, 13, 15, 0, tzinfo=SEOUL)
    with pytest.raises(Conflict) as refused:
        _pick(uow, case_id, friday_three)
    assert refused.value.details["reason"] == "call_time_not_on_call_list"
    desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert _pick(uow, case_id, friday_three).changed


def test_calls_tried_before_the_time_do_not_use_up_the_tries(shop) -> None:
    uow, clock, _iid, (first, _second, _third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    for hours in (0, 2.5, 5, 7.5):  # four tries on Wednesday, spaced: more than the policy's
        clock.now = MORNING + timedelta(hours=hours)
        logged = _asks(uow, first, None, outcome="no_answer")
        assert not logged.gave_up and not logged.counted  # before their time: not counted
    with uow() as u:
        owed = u.reads.owed_call(first)
        assert owed is not None and owed.attempts == 0  # still owed, none of those counted
        assert u.reads.call_records([first])[first].attempts_counted == 0  # as the card says
        assert not u.reads.call_records([first])[first].unreachable
    assert _stored(uow, first) == THURSDAY_TEN
    clock.now = THURSDAY_TEN + timedelta(minutes=1)
    at_the_time = _asks(uow, first, None, outcome="no_answer")  # the call they asked for
    assert at_the_time.attempts_counted == 1 and at_the_time.counted  # the first that counts
    assert not at_the_time.gave_up
    assert _stored(uow, first) is None
    for hours in (2.5, 5):  # the policy's three tries, spaced, from the time they picked
        clock.now = THURSDAY_TEN + timedelta(hours=hours)
        last = _asks(uow, first, None, outcome="no_answer")
    assert last.attempts_counted == 3 and last.gave_up  # marked, and told


def test_giving_up_for_want_of_a_number_forgets_the_time(shop) -> None:
    from sagwa.services.customer_contact import change_customer_contact

    uow, clock, _iid, (first, _second, _third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    with uow() as u:
        customer_id = int(u.conn.execute(select(cases.c.customer_id)
                                         .where(cases.c.id == first)).scalar_one())
    change_customer_contact(uow(), customer_id=customer_id, actor="agent:park", policy=POLICY,
                            phone=None)  # removed: nobody can call, the desk gives up at once
    assert _stored(uow, first) is None
    # a new number later owes the call again: as soon as can be, not the old time
    change_customer_contact(uow(), customer_id=customer_id, actor="agent:park", policy=POLICY,
                            phone="010-9999-0001")
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at is None and not queued.time_picked


def test_as_soon_as_you_can_on_the_page_outranks_a_time_named_on_an_earlier_call(shop) -> None:
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    friday_two = MORNING + timedelta(days=2, hours=4)
    _asks(uow, first, friday_two)  # on Wednesday's call: "call me back Friday at two"
    assert _queue(uow, clock) == [second, third, first]
    with uow() as u:
        assert u.reads.call_time_of(first) == friday_two
    clock.now = MORNING + timedelta(hours=1)
    cleared = _pick(uow, first, None)  # then, on their page: as soon as you can
    assert cleared.changed and cleared.call_at is None
    with uow() as u:
        assert u.reads.call_time_of(first) is None
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at is None
    assert _queue(uow, clock)[-1] != first  # no longer held back until Friday
    assert _picks_logged(uow, first)[-1] == {"call_at": None}
    assert queued.soon_on_page  # the card says so
    assert not _pick(uow, first, None).changed  # nothing left to clear
    # a later call that names a time counts again
    clock.now = MORNING + timedelta(hours=3)
    _asks(uow, first, friday_two + timedelta(hours=1))
    with uow() as u:
        assert u.reads.call_time_of(first) == friday_two + timedelta(hours=1)
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert not queued.soon_on_page  # a call came since


def test_the_agent_is_told_a_call_came_before_the_customers_time(shop) -> None:
    from sagwa.web.pages.call_words import attempt_flash

    uow, clock, _iid, (first, _second, _third) = _three_owed_a_call(shop)
    _pick(uow, first, THURSDAY_TEN)
    early = _asks(uow, first, None, outcome="no_answer")
    assert early.before_call_time == THURSDAY_TEN and not early.counted and not early.too_soon
    ko, en = attempt_flash(first, "no_answer", early, POLICY)
    assert "고객이 고른 통화 시간(6월 19일(목) 오전 10시) 전의 통화라 시도 횟수에 넣지 않았습니다" in ko
    assert "before the time the customer picked (Thursday, June 19 at 10 am Korea time)" in en
    clock.now = THURSDAY_TEN
    assert _asks(uow, first, None, outcome="no_answer").before_call_time is None  # at the time


@pytest.mark.parametrize("hours", [4, 10])  # Friday at two, or at eight: the centre is closed
def test_saving_the_time_named_on_a_call_again_changes_nothing(shop, hours: int) -> None:
    """Found by QA: the page's select now starts on the time the customer told the agent, so
    saving it unchanged sends that time — which must keep it as it is (named on the call, not
    turned into one picked on the page), record nothing, and not be refused for an hour a page
    may not pick (the customer and the agent agreed on it)."""
    uow, clock, _iid, (first, second, third) = _three_owed_a_call(shop)
    named = MORNING + timedelta(days=2, hours=hours)
    _asks(uow, first, named)
    kept = _pick(uow, first, named.astimezone(SEOUL))  # as the select's value says it
    assert not kept.changed and kept.call_at == named
    assert _stored(uow, first) is None  # still the agent's call-back, not a picked time
    assert _picks_logged(uow, first) == []
    with uow() as u:
        assert u.reads.call_time_of(first) == named
        [queued] = [q for q in u.reads.call_queue(now=clock.now) if q.case_id == first]
    assert queued.callback_at == named and not queued.time_picked
    assert _queue(uow, clock) == [second, third, first]
