"""Correcting a customer's email or phone number, on real PostgreSQL
(``services.customer_contact``): a number given to an agent puts a customer the desk gave up on
back on the call list, with attempts counted afresh; a removed number gives up at once and
writes to them; messages still waiting follow the new address or number; a refused correction
stores nothing."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from test_desk import POLICY, shop  # noqa: F401
from test_desk_given_up_pages import _page
from test_desk_never_told import _incident, _messages, _past_deadline
from test_desk_no_phone import _marks, _no_phone

from sagwa.adapters.db.tables import customers, outbox
from sagwa.domain.call_attempts import CALL_RESUMED, NO_PHONE, PHONE_ADDED, PHONE_CHANGED
from sagwa.domain.catalog import KEEP
from sagwa.domain.contact_hours import next_opening
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import desk_cases
from sagwa.services.customer_contact import CONTACT_CHANGED, change_customer_contact
from sagwa.services.desk_report import build_report
from sagwa.web.pages.timeline import timeline_rows

AGENT = "agent:park"


def _change(uow, customer_id: int, **details):
    return change_customer_contact(uow(), customer_id=customer_id, actor=AGENT, policy=POLICY,
                                   **details)


def _events(uow, kind: str, entity_id: int, action: str) -> list[dict]:
    with uow() as u:
        return [r.event.after for r in u.audit.for_entity(kind, str(entity_id))
                if r.event.action == action]


def _queued(uow, iid: int) -> list[int]:
    with uow() as u:
        return [q.case_id for q in u.reads.call_queue() if q.incident_id == iid]


def _call(uow, clock, case_id: int, outcome: str):
    # while the contact centre is open: a call made while it is closed counts for nothing
    clock.now = next_opening(POLICY.schedule, clock.now)
    logged = desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                         outcome=outcome, agent=AGENT, policy=POLICY)
    clock.now += timedelta(hours=2)  # the policy's spacing: the next one counts
    return logged


def _outbox(uow, case_id: int, purpose: str) -> list[tuple[str, str, str]]:
    with uow() as u:
        return [tuple(r) for r in u.conn.execute(
            select(outbox.c.channel, outbox.c.recipient, outbox.c.status)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == purpose)
            .order_by(outbox.c.id))]


def test_a_number_given_to_an_agent_puts_a_customer_given_up_for_none_back_on_the_call_list(
        shop) -> None:
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    _no_phone(uow, people[0])
    en = cases[people[0]]
    _past_deadline(uow, clock, iid)
    assert en not in _queued(uow, iid)
    assert _outbox(uow, en, "unreachable") == [("email", "c0@example.com", "pending")]
    done = _change(uow, people[0], phone="010-9876-5432")
    assert done.changed == {"phone": "added"}
    assert done.calls_resumed == (en,) and done.calls_given_up == ()
    assert en in _queued(uow, iid)
    [resumed] = _events(uow, "case", en, CALL_RESUMED)
    assert resumed == {"why": PHONE_ADDED, "given_up": True}
    [audit] = _events(uow, "customer", people[0], CONTACT_CHANGED)
    assert audit["phone"] == "added" and audit["calls_resumed"] == [en]
    assert "9876" not in str(audit)  # the log says what changed, not the number
    # "we have no number to call you", still waiting, is no longer true
    assert _outbox(uow, en, "unreachable") == [("email", "c0@example.com", "withdrawn")]
    with uow() as u:
        [record] = u.reads.call_records([en]).values()
    assert record.on_call_list and not record.unreachable and not record.no_phone
    assert "no phone number" not in _page(uow, en, people[0], "en").lower()
    # the new number is tried as any other: three spaced attempts, then "we called you"
    assert not _call(uow, clock, en, "no_answer").gave_up
    assert not _call(uow, clock, en, "busy").gave_up
    last = _call(uow, clock, en, "no_answer")
    assert last.gave_up and last.message_queued
    assert [m["why"] if "why" in m else m["attempts"] for m in _marks(uow, en)] == [NO_PHONE, 3]
    assert en not in _queued(uow, iid)
    assert "called you 3 times" in _messages(uow, "unreachable")[en]


def test_a_corrected_number_after_tries_at_a_wrong_one_counts_its_attempts_afresh(shop) -> None:
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]  # never told: owed a call, and it has a number
    _past_deadline(uow, clock, iid)
    for _ in range(3):
        logged = _call(uow, clock, ko, "wrong_number")
    assert logged.gave_up and ko not in _queued(uow, iid)
    done = _change(uow, people[1], phone="010-5555-0101")
    assert done.changed == {"phone": "changed"} and done.calls_resumed == (ko,)
    assert _events(uow, "case", ko, CALL_RESUMED) == [{"why": PHONE_CHANGED, "given_up": True}]
    assert ko in _queued(uow, iid)
    # one try at the new number is one attempt of three, not a fourth that gives up at once
    logged = _call(uow, clock, ko, "no_answer")
    assert not logged.gave_up and logged.attempts_counted == 1
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue() if q.case_id == ko]
    assert queued.attempts_counted == 1 and queued.phone == "010-5555-0101"
    # correcting it again to the same number changes nothing and records nothing
    again = _change(uow, people[1], phone="010-5555-0101")
    assert again.changed == {} and again.calls_resumed == ()
    assert len(_events(uow, "customer", people[1], CONTACT_CHANGED)) == 1
    # the incident's timeline says why each step happened
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    rows = [(r.action_code, r.detail) for r in timeline_rows(report.timeline, "en")]
    assert ("case.call_resumed", "the phone number was corrected") in rows


def test_removing_the_number_of_a_customer_owed_a_call_gives_up_at_once_and_writes(shop) -> None:
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    assert ko in _queued(uow, iid)
    with uow() as u:
        u.conn.execute(outbox.update().where(outbox.c.case_id == ko,
                                             outbox.c.channel == "sms")
                       .values(status="pending"))  # a text still waiting to that number
        u.commit()
        texts = len(_outbox(uow, ko, "never_told"))
    done = _change(uow, people[1], phone=None)
    assert done.changed == {"phone": "removed"}
    assert done.calls_given_up == (ko,) and done.messages_queued == 1
    assert ko not in _queued(uow, iid)
    [mark] = _marks(uow, ko)
    assert (mark["why"], mark["attempts"]) == (NO_PHONE, 0)
    assert _outbox(uow, ko, "unreachable") == [("email", "c1@example.com", "pending")]
    assert "전화번호가 없어" in _messages(uow, "unreachable")[ko]
    # nothing more goes to the removed number; "one of our staff will call you" is withdrawn
    assert all(status == "withdrawn" for channel, _, status in _outbox(uow, ko, "never_told"))
    assert texts and done.messages_withdrawn >= 1
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    rows = [(r.action_code, r.detail) for r in timeline_rows(report.timeline, "ko")]
    assert ("case.unreachable", "전화번호 없음") in rows


def test_messages_still_waiting_follow_a_corrected_address_and_number(shop) -> None:
    uow, _, _, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    before = _outbox(uow, ko, "resolution")
    assert {status for *_, status in before} == {"pending"}
    done = _change(uow, people[1], email="Minji.Kim@Example.com", phone="+82 10 2222 3333")
    assert done.changed == {"email": "changed", "phone": "changed"}
    assert done.messages_readdressed == len(before)
    after = {channel: recipient for channel, recipient, _ in _outbox(uow, ko, "resolution")}
    assert after == {"email": "minji.kim@example.com", "sms": "+82 10 2222 3333"}
    # a message already sent stays as it was sent
    other = cases[people[2]]
    sent = _outbox(uow, other, "resolution")
    _change(uow, people[2], email="new2@example.com")
    assert _outbox(uow, other, "resolution") == sent


@pytest.mark.parametrize(("details", "reason", "field"), [
    ({"email": None, "phone": ""}, "customer_contact_required", "email"),
    ({"phone": "call me maybe"}, "phone_not_a_number", "phone"),
    ({"email": "minji at example"}, "email_not_an_address", "email"),
])  # fmt: skip
def test_a_refused_correction_stores_nothing(shop, details, reason, field) -> None:
    uow, _, _, people, _ = shop
    with uow() as u:
        before = u.catalog.customer(people[1])
    with pytest.raises(InvalidInput) as refused:
        _change(uow, people[1], **details)
    assert (refused.value.details["reason"], refused.value.details["field"]) == (reason, field)
    with uow() as u:
        assert u.catalog.customer(people[1]) == before
    assert _events(uow, "customer", people[1], CONTACT_CHANGED) == []


def test_an_address_another_customer_has_is_refused(shop) -> None:
    uow, _, _, people, _ = shop
    with pytest.raises(Conflict) as refused:
        _change(uow, people[1], email="C2@example.com", phone="010-7777-8888")
    assert refused.value.details["reason"] == "customer_email_taken"
    with uow() as u:
        phone = u.conn.execute(select(customers.c.phone).where(
            customers.c.id == people[1])).scalar_one()
    assert phone == "010-1234-0001"  # the phone in the same request was not stored either


def test_a_customer_adds_a_number_only_where_there_is_none(shop) -> None:
    """Found by a review: the customer's page checked for a number in one transaction and saved
    in another, so a number an agent saved in between was replaced from a link."""
    uow, _, _, people, _ = shop
    with pytest.raises(Conflict) as refused:
        _change(uow, people[1], phone="010-9999-0000", only_a_new_phone=True)
    assert refused.value.details["reason"] == "phone_already_on_file"
    with uow() as u:
        assert u.catalog.customer(people[1]).phone == "010-1234-0001"
    _no_phone(uow, people[1])
    done = _change(uow, people[1], phone="010-9999-0000", only_a_new_phone=True)
    assert done.changed == {"phone": "added"}


def test_removing_one_detail_keeps_the_other_and_keep_leaves_it(shop) -> None:
    uow, _, _, people, _ = shop
    done = _change(uow, people[3], email=None, phone=KEEP)
    assert done.changed == {"email": "removed"}
    assert (done.customer.email, done.customer.phone) == (None, "010-1234-0003")
    with pytest.raises(InvalidInput):
        _change(uow, people[3], phone=None)  # the last one left


def test_a_number_removed_again_after_one_was_given_is_written_about_again(shop) -> None:
    """Found by a review: the second "we have no number" email shared the first one's key, so
    after the first was withdrawn (a number given) removing the number again sent nothing."""
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    assert _change(uow, people[1], phone=None).messages_queued == 1
    assert _change(uow, people[1], phone="010-2020-3030").calls_resumed == (ko,)
    again = _change(uow, people[1], phone=None)
    assert again.calls_given_up == (ko,) and again.messages_queued == 1
    assert [s for *_, s in _outbox(uow, ko, "unreachable")] == ["withdrawn", "pending"]


def test_a_customer_given_up_after_the_tries_is_not_said_to_have_had_no_number(shop) -> None:
    """Found by a review: with the number removed after three calls, the pages said the desk
    gave up at once for want of a number and wrote so; it called three times."""
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    for _ in range(3):
        _call(uow, clock, ko, "no_answer")
    assert _change(uow, people[1], phone=None).calls_given_up == ()  # already given up
    with uow() as u:
        [record] = u.reads.call_records([ko]).values()
    assert record.unreachable and record.no_phone and not record.given_up_no_phone


def test_the_same_number_written_another_way_is_no_new_number(shop) -> None:
    """Found by a review: 01012340001 for 010-1234-0001 counted as a new number, reset the
    attempts and withdrew "we could not reach you"."""
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    for _ in range(3):
        _call(uow, clock, ko, "no_answer")
    for written in ("01012340001", "+82 10-1234-0001"):
        done = _change(uow, people[1], phone=written)
        assert done.changed == {} and done.calls_resumed == ()
    assert ko not in _queued(uow, iid)
    assert {s for *_, s in _outbox(uow, ko, "unreachable")} == {"pending"}  # not withdrawn


def test_after_a_new_number_the_card_shows_no_outcome_of_the_old_one(shop) -> None:
    """Found by a review: the card showed "last outcome: wrong number" beside the new number."""
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    for _ in range(3):
        _call(uow, clock, ko, "wrong_number")
    _change(uow, people[1], phone="010-4444-5555")
    with uow() as u:
        [queued] = [q for q in u.reads.call_queue() if q.case_id == ko]
        [record] = u.reads.call_records([ko]).values()
    assert (queued.last_outcome, queued.attempts_counted) == (None, 0)
    assert record.last_outcome is None and record.on_call_list


def test_a_message_left_sending_by_a_worker_that_is_gone_follows_the_new_address(shop) -> None:
    """Found by a review: only pending messages were readdressed; one left "sending" by a dead
    worker is claimed again and went to the old number."""
    uow, _, _, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    with uow() as u:
        u.conn.execute(outbox.update().where(outbox.c.case_id == ko, outbox.c.channel == "sms")
                       .values(status="sending"))
        u.commit()
    assert _change(uow, people[1], phone="010-6666-7777").messages_readdressed == 1
    assert ("sms", "010-6666-7777", "sending") in _outbox(uow, ko, "resolution")


def test_a_new_number_for_a_customer_still_on_the_list_counts_their_attempts_afresh(
        shop) -> None:
    """Found by a review: two tries at a wrong number, then the right one, and a single missed
    call at it gave up (the wrong number's tries still counted)."""
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    _call(uow, clock, ko, "wrong_number")
    _call(uow, clock, ko, "wrong_number")
    done = _change(uow, people[1], phone="010-1212-3434")
    assert (done.calls_resumed, done.attempts_restarted) == ((), (ko,))
    assert _events(uow, "case", ko, CALL_RESUMED) == [{"why": PHONE_CHANGED, "given_up": False}]
    logged = _call(uow, clock, ko, "no_answer")
    assert not logged.gave_up and logged.attempts_counted == 1


def test_an_apology_withdrawn_with_the_address_removed_puts_the_customer_on_the_call_list(
        shop) -> None:
    """Removing the address an apology was waiting for, when nothing else can tell them (its
    text failed), must not leave the customer unheard until the escalation job: an agent calls
    now, while they still have time to choose."""
    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    with uow() as u:
        u.conn.execute(outbox.update().where(outbox.c.case_id == ko, outbox.c.channel == "sms",
                                             outbox.c.purpose == "resolution")
                       .values(status="failed", last_error="number does not exist"))
        u.commit()
    assert ko not in _queued(uow, iid)
    done = _change(uow, people[1], email=None)
    assert done.messages_withdrawn >= 1 and done.escalated == (ko,)
    assert ko in _queued(uow, iid)
    [moved] = _events(uow, "case", ko, "case.apology_undelivered")
    assert moved["apology"] == {"email": "withdrawn", "sms": "failed"}
    assert moved["why"] == "contact_removed" and moved["status"] == "escalated"
    # one whose text can still tell them stays where it was
    other = cases[people[0]]
    assert _change(uow, people[0], email=None).escalated == ()
    assert other not in _queued(uow, iid)


def test_an_apology_that_fails_after_its_other_copy_went_with_a_removed_number_escalates(
        shop) -> None:
    """Found by a review: the number removed first (its text withdrawn), then the email
    bounced — the bounce did not put the customer on the call list, as a withdrawn copy was
    not "failed"; the other order did."""
    from sagwa.services.desk_undelivered import escalate_if_undeliverable

    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    assert _change(uow, people[1], phone=None).escalated == ()  # the email may still go
    with uow() as u:
        email = u.conn.execute(select(outbox.c.id).where(
            outbox.c.case_id == ko, outbox.c.purpose == "resolution",
            outbox.c.channel == "email")).scalar_one()
        u.outbox.record_outcome(email, status="failed", last_error="550 no such user",
                                sent_at=None)
        u.commit()
    assert escalate_if_undeliverable(uow(), message_id=email)
    assert ko in _queued(uow, iid)


def test_the_pages_count_attempts_at_the_new_number_not_since_the_deadline(shop) -> None:
    """The card said "attempts since the deadline: 1 of 3" after three tries since the
    deadline and one at a new number: the count is the new number's."""
    from test_desk_no_phone import _render

    from sagwa.web.pages.contact_centre import attempt_flash, case_context, queue_context
    from sagwa.web.pages.incident_context import detail_context

    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _past_deadline(uow, clock, iid)
    _call(uow, clock, ko, "wrong_number")
    card = _render("cs/queue.html", queue_context(uow(), POLICY), "en")
    assert "Attempts since the deadline: 1 of 3" in card
    _change(uow, people[1], phone="010-5555-0101")
    _call(uow, clock, ko, "no_answer")
    card = _render("cs/queue.html", queue_context(uow(), POLICY), "en")
    assert card.count("Attempts at the new number: 1 of 3") == 1  # that customer's card only
    ops = _render("incidents/detail.html", detail_context(uow, iid, POLICY), "ko")
    assert "새 번호로 1회 시도" in ops
    _call(uow, clock, ko, "no_answer")
    last = _call(uow, clock, ko, "no_answer")
    assert last.gave_up and last.at_new_number and not last.no_phone
    ko_flash, en_flash = attempt_flash(ko, "no_answer", last, POLICY)
    assert "After 3 tries at the new number" in en_flash and "새 번호로 3번 시도해도" in ko_flash
    ops = _render("incidents/detail.html", detail_context(uow, iid, POLICY), "en")
    assert "3 attempts at the new number" in ops
    page = _render("cs/case.html", case_context(uow(), POLICY, ko), "en")
    assert "Called 3 times at the new number without reaching the customer" in page


def test_the_timeline_says_the_email_was_corrected_too(shop) -> None:
    """A CS walk changed a customer's email and phone at once; the incident's timeline said
    only "the phone number was corrected". It says both now, and an email alone too."""
    uow, _clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    assert cases[people[1]]  # the customer has a case in the incident
    _change(uow, people[1], phone="010-5555-0102", email="new-address@example.com")
    _change(uow, people[2], email="other-address@example.com")
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    details = [r.detail for r in timeline_rows(report.timeline, "en")
               if r.action_code == CONTACT_CHANGED]
    assert "the phone number was corrected · the email address was corrected" in details
    assert "the email address was corrected" in details
    korean = [r.detail for r in timeline_rows(report.timeline, "ko")
              if r.action_code == CONTACT_CHANGED]
    assert "전화번호를 고침 · 이메일 주소를 고침" in korean
