"""Calls owed on real PostgreSQL: only attempts spaced out count towards "could not be reached"
(``[calls] min_spacing_minutes``), and a customer the desk gives up on is told so."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from test_desk import POLICY, shop  # noqa: F401
from test_desk_call_attempts import (
    DEADLINE,
    _asked_for_a_person_then_defaulted,
    _marks,
    _notified,
    _on_list,
)

from sagwa.adapters.db.tables import outbox
from sagwa.domain.contact_hours import may_contact
from sagwa.messagecheck.engine import check_message
from sagwa.services import desk_cases
from sagwa.web.pages.call_words import attempt_flash

SEOUL = ZoneInfo("Asia/Seoul")


def _log(uow, case_id: int, outcome: str, policy=POLICY):
    return desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone", outcome=outcome,
                                       agent="agent:park", policy=policy)


def test_three_attempts_in_the_same_second_count_as_one(shop) -> None:
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    first = _log(uow, case_id, "no_answer")
    second = _log(uow, case_id, "busy")
    third = _log(uow, case_id, "voicemail")
    assert not first.too_soon and first.attempts_counted == 1
    assert (second.too_soon, third.too_soon) == (True, True)
    assert third.counts_from == clock.now + POLICY.min_call_spacing
    assert (third.attempts_counted, third.gave_up) == (1, False)
    assert _on_list(uow, iid) == [case_id] and _marks(uow, case_id) == []
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue() if q.case_id == case_id]
        records = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                   if r.event.action == "case.contact_attempted"]
    assert queued.attempts_counted == 1
    assert [r["counted"] for r in records] == [True, False, False]


def test_attempts_count_from_the_last_counted_one_and_then_give_up(shop) -> None:
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    hour = timedelta(hours=1)
    counted = []
    for outcome in ("no_answer", "busy", "no_answer", "voicemail", "no_answer"):
        logged = _log(uow, case_id, outcome)
        counted.append((not logged.too_soon, logged.attempts_counted, logged.gave_up))
        clock.now += hour  # hourly: every second call is two hours after the last counted one
    assert counted == [(True, 1, False), (False, 1, False), (True, 2, False), (False, 2, False),
                       (True, 3, True)]
    [mark] = _marks(uow, case_id)
    assert (mark["attempts"], mark["min_spacing_minutes"]) == (3, 120)
    assert _on_list(uow, iid) == []


def test_the_spacing_is_the_desk_policys(shop) -> None:
    uow, _, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    every_call = replace(POLICY, min_call_spacing=timedelta(0))
    for outcome in ("no_answer", "busy"):
        assert not _log(uow, case_id, outcome, every_call).too_soon
    assert _log(uow, case_id, "voicemail", every_call).gave_up
    assert _on_list(uow, iid) == []


def _unreachable(uow, case_id: int) -> list:
    with uow() as u:
        return u.conn.execute(select(outbox).where(outbox.c.case_id == case_id,
                                                   outbox.c.purpose == "unreachable")).all()


def test_a_customer_who_asked_for_a_person_and_could_not_be_reached_is_told(shop) -> None:
    uow, clock, _, case_id = _asked_for_a_person_then_defaulted(shop)
    clock.now = datetime(2008, 6, 18, 12, 0, tzinfo=SEOUL)
    for outcome in ("no_answer", "busy"):
        _log(uow, case_id, outcome)
        clock.now += POLICY.min_call_spacing
    assert _unreachable(uow, case_id) == []
    # late in the day: the message waits for a time with hours left to answer it
    clock.now = datetime(2008, 6, 18, 16, 30, tzinfo=SEOUL)
    logged = _log(uow, case_id, "voicemail")
    assert logged.gave_up and logged.message_queued
    [message] = _unreachable(uow, case_id)
    assert (message.channel, message.status, message.locale) == ("email", "pending", "en")
    assert message.not_before > clock.now and may_contact(POLICY.schedule, message.not_before)
    body = message.body
    assert body.startswith("Dear Alex Kim, once more we are sorry for the pricing error.")
    assert "As you asked, one of our staff called you 3 times, but we could not reach you." in body
    assert "We will not cancel anything without your consent." in body
    assert POLICY.contact.phone in body
    assert check_message(body, kind="resolution", lang="en").ok
    _log(uow, case_id, "no_answer")  # a try after the mark sends nothing more
    assert len(_unreachable(uow, case_id)) == 1


def test_a_customer_owed_the_default_call_who_could_not_be_reached_is_told_in_korean(
        shop) -> None:
    """The follow-up call default: the note after the deadline said we would call; after the
    attempts the customer hears that we could not reach them, and can still choose. By SMS
    when they have no email address."""
    uow, clock, iid, _ = _notified(shop, default="follow_up_call")
    people = shop[3]
    with uow() as u:  # by customer: case ids follow customer ids as text ("10" before "9")
        case_of = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    korean, other = case_of[people[1]], case_of[people[3]]
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    for outcome in ("no_answer", "busy", "no_answer"):
        logged = _log(uow, korean, outcome)
        clock.now += POLICY.min_call_spacing
    assert logged.gave_up and logged.message_queued
    [message] = _unreachable(uow, korean)
    assert (message.channel, message.locale) == ("email", "ko")
    assert message.body.startswith("고객1 고객님, 가격 오류로 불편을 드려 다시 한 번 죄송합니다.")
    assert "답을 받지 못해 안내드린 대로 상담원이 3번 전화드렸지만 연결되지 않았습니다" in message.body
    assert check_message(message.body, kind="resolution", lang="ko").ok
    with uow() as u:
        u.conn.exec_driver_sql(f"UPDATE customers SET email = NULL WHERE id = {int(people[3])}")
        u.commit()
    clock.now = datetime(2008, 6, 19, 10, 0, tzinfo=SEOUL)  # the next morning
    for outcome in ("no_answer", "busy", "voicemail"):
        logged = _log(uow, other, outcome)
        clock.now += POLICY.min_call_spacing
    [sms] = _unreachable(uow, other)
    assert (sms.channel, sms.subject) == ("sms", "")
    assert sms.body.startswith("[사과 고객센터]") and "3번 전화드렸지만 연결되지 않았습니다" in sms.body
    assert check_message(sms.body, kind="resolution", lang="ko").ok


def test_before_the_deadline_no_attempt_counts_towards_could_not_be_reached(shop) -> None:
    """A customer who asked for a person is called twice, a second apart, before the deadline:
    both calls are on the record, neither counts towards giving up — ``counted`` is false and
    agrees with ``attempts_counted`` (0); after the deadline the first call counts."""
    uow, clock, _, case_ids = _notified(shop)
    case_id = case_ids[0]
    desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    early = [_log(uow, case_id, "no_answer"), _log(uow, case_id, "no_answer")]
    assert [(a.counted, a.attempts_counted, a.too_soon) for a in early] == [(False, 0, False)] * 2
    with uow() as u:
        records = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                   if r.event.action == "case.contact_attempted"]
    assert [r["counted"] for r in records] == [False, False]
    # the next morning, the deadline job has not run: still escalated
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    late = _log(uow, case_id, "no_answer")
    assert (late.counted, late.attempts_counted) == (True, 1)
    assert _log(uow, case_id, "busy").counted is False  # a second later: too soon


def test_a_call_that_reaches_the_customer_or_a_text_message_does_not_count(shop) -> None:
    uow, _, _, case_id = _asked_for_a_person_then_defaulted(shop)
    text = desk_cases.log_call_attempt(uow(), case_id=case_id, channel="sms", outcome="no_answer",
                                       agent="agent:park", policy=POLICY)
    assert (text.counted, text.attempts_counted) == (False, 0)
    reached = _log(uow, case_id, "reached")
    assert (reached.counted, reached.made_call) == (False, True)


def test_calls_while_the_centre_is_closed_are_logged_but_never_give_up(shop) -> None:
    """A CS walk logged "no answer" three times one evening, the page saying not to call: the
    customer was marked could not be reached and sent "one of our staff called you 3 times".
    Now such calls are on the record, count for nothing, and the agent is told when the centre
    opens; calls in the day then count as before."""
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    every_call = replace(POLICY, min_call_spacing=timedelta(0))
    clock.now = datetime(2008, 6, 18, 20, 28, tzinfo=SEOUL)  # Wednesday evening
    evening = [_log(uow, case_id, "no_answer", every_call) for _ in range(3)]
    assert [(e.counted, e.gave_up, e.not_counted) for e in evening] == [
        (False, False, "outside_hours")] * 3
    assert evening[-1].counts_again_at == datetime(2008, 6, 19, 9, 0, tzinfo=SEOUL)
    assert _on_list(uow, iid) == [case_id] and _unreachable(uow, case_id) == []
    ko, en = attempt_flash(case_id, "no_answer", evening[-1], every_call)
    assert "연락 가능 시간 밖의 통화라" in ko and "2008-06-19 09:00(한국 시간)" in ko
    assert "the contact centre is closed" in en and "2008-06-19 09:00" in en
    clock.now = datetime(2008, 6, 19, 10, 0, tzinfo=SEOUL)
    day = [_log(uow, case_id, outcome, every_call) for outcome in ("no_answer", "busy")]
    assert [(d.counted, d.attempts_counted) for d in day] == [(True, 1), (True, 2)]
    assert _log(uow, case_id, "voicemail", every_call).gave_up


def test_calls_before_the_time_the_customer_asked_for_do_not_count(shop) -> None:
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    every_call = replace(POLICY, min_call_spacing=timedelta(0))
    friday_eleven = datetime(2008, 6, 20, 11, 0, tzinfo=SEOUL)
    desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                outcome="callback_requested", agent="agent:park",
                                policy=every_call, callback_at=friday_eleven)
    early = [_log(uow, case_id, "no_answer", every_call) for _ in range(4)]
    assert [(e.counted, e.gave_up, e.not_counted) for e in early] == [
        (False, False, "before_callback")] * 4
    assert early[-1].counts_again_at == friday_eleven
    _, en = attempt_flash(case_id, "no_answer", early[-1], every_call)
    assert "before the time the customer asked to be called back at" in en
    assert _on_list(uow, iid) == [case_id]
    clock.now = friday_eleven
    at_time = _log(uow, case_id, "no_answer", every_call)
    assert (at_time.counted, at_time.not_counted) == (True, None)


def test_calls_logged_before_the_centre_hours_were_kept_count_as_they_did(shop) -> None:
    """A review: reading the old ``within_contact_hours`` anew would take back, at a deploy,
    calls made late in the afternoon (it says whether a message might still go out). Calls
    logged before ``centre_open`` was kept (NULL) count as they did."""
    from sqlalchemy import update

    from sagwa.adapters.db.tables import contact_attempts

    uow, clock, _, case_id = _asked_for_a_person_then_defaulted(shop)
    every_call = replace(POLICY, min_call_spacing=timedelta(0))
    clock.now = datetime(2008, 6, 18, 20, 28, tzinfo=SEOUL)
    for _ in range(2):
        _log(uow, case_id, "no_answer", every_call)
    with uow() as u:
        stored = u.conn.execute(select(contact_attempts.c.centre_open,
                                       contact_attempts.c.within_contact_hours)
                                .where(contact_attempts.c.case_id == case_id)).all()
        assert stored == [(False, False), (False, False)]
        u.conn.execute(update(contact_attempts).where(contact_attempts.c.case_id == case_id)
                       .values(centre_open=None))  # as a call logged before 0032
        u.commit()
        owed = u.reads.owed_call(case_id, min_spacing=timedelta(0))
    assert owed is not None and owed.attempts == 2


def test_a_call_back_time_asked_before_the_deadline_holds_after_it(shop) -> None:
    """A review: a customer asked (before the deadline) to be called back on Thursday at 10;
    the calls after the deadline but before Thursday counted, and gave up on them. They do not
    count now; Thursday's does."""
    from test_desk_call_attempts import _notified

    uow, clock, iid, _ = _notified(shop)
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, shop[3][0]))
    desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    thursday_ten = datetime(2008, 6, 19, 10, 0, tzinfo=SEOUL)
    clock.now = datetime(2008, 6, 16, 11, 0, tzinfo=SEOUL)  # Monday, before the deadline
    desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                outcome="callback_requested", agent="agent:park",
                                policy=POLICY, callback_at=thursday_ten)
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    every_call = replace(POLICY, min_call_spacing=timedelta(0))
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)  # Wednesday: before the time asked
    early = [_log(uow, case_id, "no_answer", every_call) for _ in range(3)]
    assert [(e.counted, e.gave_up, e.not_counted) for e in early] == [
        (False, False, "before_callback")] * 3
    assert early[-1].counts_again_at == thursday_ten
    assert _on_list(uow, iid) == [case_id]
    clock.now = thursday_ten
    on_time = _log(uow, case_id, "no_answer", every_call)
    assert (on_time.counted, on_time.attempts_counted) == (True, 1)
