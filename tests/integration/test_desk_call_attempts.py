"""A call owed after the deadline on real PostgreSQL: only reaching the customer makes it, or the
policy's attempts (``[calls] max_attempts``) used up, which marks the case "could not be
reached"; the call list, the count that holds back closing and the page agree at every step."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, publish_notice, shop  # noqa: F401  (shop is the fixture)

from sagwa.adapters.db.tables import outbox
from sagwa.domain.contact_hours import next_opening
from sagwa.errors import Conflict
from sagwa.services import desk, desk_cases
from sagwa.services.desk_notify import notify
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_report import build_report
from sagwa.web.pages.contact_centre import queue_context
from sagwa.web.pages.i18n import chooser
from sagwa.web.pages.rendering import make_templates

SEOUL = ZoneInfo("Asia/Seoul")
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)  # test_desk._planned's


def _notified(shop, **plan):  # noqa: F811
    uow, clock, listing_id, _, _ = shop
    iid = _planned(uow, clock, listing_id, **plan)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)  # the customers were told before the calls
    publish_notice(uow, iid)  # closing needs one; these tests are about the calls
    with uow() as u:
        case_ids = sorted(int(r.case.case_id) for r in u.cases.for_incident(iid))
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    return uow, clock, iid, case_ids


def _asked_for_a_person_then_defaulted(shop):  # noqa: F811
    """Alex Kim (customer 0, English) asked to talk to a person; the deadline passed: a call is
    owed to them. (Picked by customer: case ids follow customer ids sorted as text, "10"
    before "9", so the first case is not always theirs.)"""
    uow, clock, iid, _case_ids = _notified(shop)
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, shop[3][0]))
    desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    return uow, clock, iid, case_id


def _call(uow, clock, case_id: int, outcome: str, policy: DeskPolicy = POLICY,
          channel: str = "phone") -> None:
    """One attempt, the policy's minimum spacing after the previous one, while the contact
    centre is open (so that it counts: ``call_attempts.uncountable``)."""
    clock.now = next_opening(policy.schedule, clock.now + policy.min_call_spacing)
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel=channel, outcome=outcome,
                                   agent="agent:park", policy=policy)


def _on_list(uow, incident_id: int) -> list[int]:
    """The incident's cases on the call list; the count that holds back closing must agree."""
    with uow() as u:
        listed = [q.case_id for q in u.reads.call_queue() if q.incident_id == incident_id]
        assert u.reads.calls_owed(incident_id) == len(listed)
    return listed


def _marks(uow, case_id: int) -> list[dict]:
    with uow() as u:
        return [r.event.after for r in u.audit.for_entity("case", str(case_id))
                if r.event.action == "case.unreachable"]


def _refused_close(uow, incident_id: int) -> str:
    with pytest.raises(Conflict) as refused:
        desk.close(uow(), incident_id=incident_id, actor="operator:lee", reason="done")
    return str(refused.value.details["reason"])


@pytest.mark.parametrize("outcome", ["no_answer", "busy", "voicemail", "wrong_number",
                                     "callback_requested"])
def test_a_call_that_did_not_reach_the_customer_keeps_them_on_the_call_list(
        shop, outcome: str) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    _call(uow, clock, case_id, outcome)
    assert _on_list(uow, iid) == [case_id]
    assert _refused_close(uow, iid) == "calls_owed"
    assert _marks(uow, case_id) == []


def test_reaching_the_customer_makes_the_call_and_lets_the_incident_close(shop) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    _call(uow, clock, case_id, "no_answer")
    _call(uow, clock, case_id, "busy")
    _call(uow, clock, case_id, "reached")
    assert _on_list(uow, iid) == []
    assert _marks(uow, case_id) == []  # reached, not given up on
    closed = desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert closed.incident.status.value == "closed"


def test_after_the_policys_attempts_the_case_is_marked_could_not_be_reached(shop) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    assert POLICY.max_call_attempts == 3
    _call(uow, clock, case_id, "no_answer")
    _call(uow, clock, case_id, "voicemail")
    assert _on_list(uow, iid) == [case_id] and _marks(uow, case_id) == []
    _call(uow, clock, case_id, "wrong_number")
    assert _on_list(uow, iid) == []
    [mark] = _marks(uow, case_id)
    assert {k: mark[k] for k in ("attempts", "max_attempts", "last_outcome")} == {
        "attempts": 3, "max_attempts": 3, "last_outcome": "wrong_number"}
    assert isinstance(mark["last_attempt_id"], int)
    timeline = build_report(uow(), incident_id=iid, policy=POLICY).timeline
    assert "case.unreachable" in [e.action for e in timeline]
    _call(uow, clock, case_id, "no_answer")  # one more try is logged, and marks nothing again
    assert len(_marks(uow, case_id)) == 1 and _on_list(uow, iid) == []
    closed = desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert closed.incident.status.value == "closed"


def test_a_callback_request_counts_but_keeps_the_customer_for_the_call_back(shop) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    for outcome in ("no_answer", "no_answer", "callback_requested"):
        _call(uow, clock, case_id, outcome)
    assert _on_list(uow, iid) == [case_id]  # three attempts, but we promised to call back
    with uow() as u:
        owed = u.reads.owed_call(case_id)
    assert owed is not None and (owed.attempts, owed.last_outcome) == (3, "callback_requested")
    _call(uow, clock, case_id, "no_answer")  # the call back did not reach them either
    assert _on_list(uow, iid) == []
    assert _marks(uow, case_id)[0]["attempts"] == 4


def test_a_callback_request_after_the_mark_puts_the_customer_back_on_the_list(shop) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    for outcome in ("no_answer", "busy", "no_answer"):
        _call(uow, clock, case_id, outcome)
    assert _on_list(uow, iid) == [] and len(_marks(uow, case_id)) == 1
    _call(uow, clock, case_id, "callback_requested")  # the customer rang and asked for a call
    assert _on_list(uow, iid) == [case_id]
    assert _refused_close(uow, iid) == "calls_owed"
    [card] = [c for c in queue_context(uow(), POLICY)["cards"] if c.queued.case_id == case_id]
    assert (card.queued.attempts_counted, card.last_outcome) == (4, "callback_requested")
    _call(uow, clock, case_id, "voicemail")  # the call back did not reach them: given up again
    assert _on_list(uow, iid) == []
    assert [m["attempts"] for m in _marks(uow, case_id)] == [3, 5]
    _call(uow, clock, case_id, "no_answer")  # and another try marks nothing more
    assert len(_marks(uow, case_id)) == 2 and _on_list(uow, iid) == []


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_an_email_or_text_neither_makes_the_call_nor_uses_up_its_attempts(
        shop, channel: str) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    _call(uow, clock, case_id, "reached", channel=channel)
    for _ in range(POLICY.max_call_attempts):
        _call(uow, clock, case_id, "no_answer", channel=channel)
    assert _on_list(uow, iid) == [case_id] and _marks(uow, case_id) == []
    assert _refused_close(uow, iid) == "calls_owed"
    _call(uow, clock, case_id, "reached")  # the phone call itself
    assert _on_list(uow, iid) == []


def test_max_attempts_comes_from_the_desk_policy(shop) -> None:  # noqa: F811
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    one_try = replace(POLICY, max_call_attempts=1)
    _call(uow, clock, case_id, "busy", policy=one_try)
    assert _on_list(uow, iid) == []
    [mark] = _marks(uow, case_id)
    assert (mark["attempts"], mark["max_attempts"], mark["last_outcome"]) == (1, 1, "busy")


def test_calls_before_the_deadline_do_not_count_towards_the_call_owed(shop) -> None:  # noqa: F811
    uow, clock, iid, case_ids = _notified(shop)
    desk_cases.record_choice(uow(), case_id=case_ids[0], choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    for _ in range(3):  # escalated: on the list until the deadline, however the calls went
        _call(uow, clock, case_ids[0], "no_answer")
    assert _on_list(uow, iid) == [case_ids[0]]
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    assert _on_list(uow, iid) == [case_ids[0]] and _marks(uow, case_ids[0]) == []
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue() if q.case_id == case_ids[0]]
    assert queued.attempts_counted == 0


def test_an_answer_given_after_the_desk_gave_up_still_counts(shop) -> None:  # noqa: F811
    """A follow-up call default accepts late answers; giving up on the call does not undo that."""
    uow, clock, iid, case_ids = _notified(shop, default="follow_up_call")
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    assert _on_list(uow, iid) == case_ids
    for outcome in ("no_answer", "busy", "no_answer"):
        _call(uow, clock, case_ids[1], outcome)
    assert _on_list(uow, iid) == [case_ids[0], *case_ids[2:]]
    assert _refused_close(uow, iid) == "calls_owed"  # the others are still owed their calls
    clock.now += timedelta(days=1)  # the customer rings the contact centre themselves
    answered = desk_cases.record_choice(uow(), case_id=case_ids[1],
                                        choice="cancel_with_compensation", channel="phone",
                                        evidence="said: please cancel", taken_by="agent:park",
                                        policy=POLICY)
    assert answered.changed and answered.case.status.value == "resolved"
    assert answered.compensation_points == 10_000


def _page(uow, lang: str) -> str:
    values = {"lang": lang, "t": chooser(lang), "account": None, "csrf": "token", "flash": None,
              "switch_lang": "", "money": str, **queue_context(uow(), POLICY)}
    return make_templates().env.get_template("cs/queue.html").render(values)


def test_the_call_list_shows_attempts_out_of_the_maximum_and_the_last_outcome(shop) -> None:  # noqa: F811
    uow, clock, _, case_id = _asked_for_a_person_then_defaulted(shop)
    _call(uow, clock, case_id, "no_answer")
    _call(uow, clock, case_id, "callback_requested")
    [card] = [c for c in queue_context(uow(), POLICY)["cards"] if c.queued.case_id == case_id]
    assert (card.queued.attempts_counted, card.last_outcome) == (2, "callback_requested")
    english, korean = _page(uow, "en"), _page(uow, "ko")
    assert 'data-attempts="2/3"' in english
    assert "Attempts since the deadline: 2 of 3" in english
    assert "customer asked us to call back" in english
    assert 'data-last-outcome="callback_requested">asked us to call back<' in english
    assert "기한 후 통화 시도 2/3회" in korean and "다시 전화 요청" in korean


def _card(uow, case_id: int):
    [card] = [c for c in queue_context(uow(), POLICY)["cards"] if c.queued.case_id == case_id]
    return card


def test_an_escalated_cases_calls_so_far_and_last_outcome_are_its_phone_calls(shop) -> None:  # noqa: F811
    uow, clock, _, case_ids = _notified(shop)
    desk_cases.record_choice(uow(), case_id=case_ids[0], choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    _call(uow, clock, case_ids[0], "callback_requested")
    _call(uow, clock, case_ids[0], "no_answer", channel="email")
    _call(uow, clock, case_ids[0], "reached", channel="sms")
    card = _card(uow, case_ids[0])
    assert card.queued.status == "escalated" and len(card.attempts) == 3  # the history: all
    assert (card.queued.phone_calls, card.last_outcome) == (1, "callback_requested")
    english, korean = _page(uow, "en"), _page(uow, "ko")
    assert 'data-calls="1">Calls so far: 1<' in english and "지금까지 통화 1회" in korean
    assert 'data-last-outcome="callback_requested"' in english
    assert "customer asked us to call back" in english


def test_a_defaulted_cases_last_outcome_is_of_its_phone_calls_since_the_deadline(shop) -> None:  # noqa: F811
    uow, clock, iid, case_ids = _notified(shop)
    desk_cases.record_choice(uow(), case_id=case_ids[0], choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    _call(uow, clock, case_ids[0], "callback_requested")  # before the deadline
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    _call(uow, clock, case_ids[0], "busy", channel="sms")  # after it, but no call
    card = _card(uow, case_ids[0])
    assert card.queued.status == "defaulted"
    assert (card.queued.attempts_counted, card.last_outcome) == (0, None)
    english = _page(uow, "en")
    assert "customer asked us to call back" not in english
    assert 'data-last-outcome=""' in english
    _call(uow, clock, case_ids[0], "voicemail")
    assert _card(uow, case_ids[0]).last_outcome == "voicemail"


@pytest.mark.parametrize("clock_skew", [timedelta(0), timedelta(seconds=-2)])
def test_a_callback_logged_after_the_mark_counts_whatever_the_clock_says(
        shop, clock_skew: timedelta) -> None:  # noqa: F811
    """The same clock reading as the mark, or a reading 2 s earlier (another server's clock):
    what was logged after the mark is after it."""
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    for outcome in ("no_answer", "busy", "no_answer"):
        _call(uow, clock, case_id, outcome)
    assert _on_list(uow, iid) == [] and len(_marks(uow, case_id)) == 1
    clock.now += clock_skew
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                   outcome="callback_requested", agent="agent:kim",
                                   policy=POLICY)
    assert _on_list(uow, iid) == [case_id] and len(_marks(uow, case_id)) == 1


def test_the_call_that_uses_up_the_attempts_is_the_one_that_gave_up(shop) -> None:  # noqa: F811
    """What the call list's flash reads to tell the agent the customer left the list."""
    uow, clock, _, case_id = _asked_for_a_person_then_defaulted(shop)
    given_up, made = [], []
    for outcome in ("no_answer", "busy", "no_answer", "no_answer"):
        clock.now += POLICY.min_call_spacing
        logged = desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                             outcome=outcome, agent="agent:park", policy=POLICY)
        given_up.append(logged.gave_up)
        made.append(logged.made_call)
    assert given_up == [False, False, True, False] and not any(made)


def test_only_a_reached_call_owed_is_said_to_make_the_call(shop) -> None:  # noqa: F811
    """Reaching a customer before the deadline is not the call owed after it (the customer
    stays on the list); reaching them after the deadline is."""
    uow, clock, iid, case_ids = _notified(shop)
    desk_cases.record_choice(uow(), case_id=case_ids[0], choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    early = desk_cases.log_call_attempt(uow(), case_id=case_ids[0], channel="phone",
                                        outcome="reached", agent="agent:park", policy=POLICY)
    assert not early.made_call and _on_list(uow, iid) == [case_ids[0]]
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    late = desk_cases.log_call_attempt(uow(), case_id=case_ids[0], channel="phone",
                                       outcome="reached", agent="agent:park", policy=POLICY)
    assert late.made_call and not late.gave_up and _on_list(uow, iid) == []


def _default_notes(uow, incident_id: int) -> dict[int, tuple[str, str | None]]:
    """The "what happens now that the default applied" note of each case: its status and why."""
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.case_id, outbox.c.status, outbox.c.last_error).where(
            outbox.c.incident_id == incident_id, outbox.c.purpose == "defaulted")).all()
    return {int(r.case_id): (r.status, r.last_error) for r in rows}


def _attempt_records(uow, case_id: int) -> list[dict]:
    with uow() as u:
        return [r.event.after for r in u.audit.for_entity("case", str(case_id))
                if r.event.action == "case.contact_attempted"]


def test_reaching_a_customer_owed_a_call_withdraws_the_default_note_not_yet_sent(shop) -> None:  # noqa: F811
    """The note says we will call; an agent who reaches the customer before it goes out (next
    morning, in contact hours) made that call, so the customer is not told it afterwards."""
    uow, clock, iid, case_ids = _notified(shop, default="follow_up_call")
    clock.now = DEADLINE + timedelta(minutes=2)  # Tuesday evening: the notes wait for 9:00
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    assert _default_notes(uow, iid) == {i: ("pending", None) for i in case_ids}
    _call(uow, clock, case_ids[1], "no_answer")  # not reached: the call is still owed
    assert _default_notes(uow, iid) == {i: ("pending", None) for i in case_ids}
    clock.now += timedelta(minutes=20)
    logged = desk_cases.log_call_attempt(uow(), case_id=case_ids[1], channel="phone",
                                         outcome="reached", agent="agent:park", policy=POLICY)
    assert logged.made_call and _on_list(uow, iid) == [case_ids[0], *case_ids[2:]]
    notes = _default_notes(uow, iid)
    status, why = notes.pop(case_ids[1])
    assert status == "withdrawn" and why is not None and "reached by phone" in why
    assert notes == {i: ("pending", None) for i in case_ids if i != case_ids[1]}
    no_answer, reached = _attempt_records(uow, case_ids[1])
    assert (no_answer["outcome"], no_answer["messages_withdrawn"]) == ("no_answer", 0)
    assert (reached["outcome"], reached["messages_withdrawn"]) == ("reached", 1)
    assert reached["made_call"] is True


@pytest.mark.parametrize("channel", ["phone", "email"])
def test_reaching_a_customer_settles_nothing_unless_it_made_the_call_owed(
        shop, channel: str) -> None:  # noqa: F811
    """A customer whose order is simply kept is owed no call, and an email reaches nobody on
    the phone: the note telling them what happened still goes out."""
    uow, clock, iid, case_ids = _notified(shop, default="keep" if channel == "phone"
                                          else "follow_up_call")
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    clock.now += timedelta(minutes=20)
    logged = desk_cases.log_call_attempt(uow(), case_id=case_ids[0], channel=channel,
                                         outcome="reached", agent="agent:park", policy=POLICY)
    assert not logged.made_call
    assert _default_notes(uow, iid) == {i: ("pending", None) for i in case_ids}
    [record] = _attempt_records(uow, case_ids[0])
    assert (record["made_call"], record["messages_withdrawn"]) == (False, 0)
