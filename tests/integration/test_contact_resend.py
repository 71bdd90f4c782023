"""Messages withdrawn with a removed address or number go by the customer's other channel, on
real PostgreSQL (``services.desk_resend``, through ``customer_contact``): the apology by text
instead of the call list, the confirmation of a choice, the default's note and "we could not
reach you" — never a second copy of one already on that channel, nor one no longer owed."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from sqlalchemy import select
from test_customer_contact import AGENT, _call, _events, _outbox, _queued
from test_desk import LINKS, POLICY, shop  # noqa: F401
from test_desk_never_told import _incident, _past_deadline

from sagwa.adapters.db.tables import outbox
from sagwa.services import desk_cases
from sagwa.services.customer_contact import CONTACT_CHANGED, change_customer_contact
from sagwa.services.desk_resend import copy_family


def _fix(uow, customer_id: int, **details):
    return change_customer_contact(uow(), customer_id=customer_id, actor=AGENT, policy=POLICY,
                                   links=LINKS, **details)


def _bodies(uow, case_id: int, purpose: str, channel: str) -> list[tuple[str, str, str]]:
    with uow() as u:
        return [tuple(r) for r in u.conn.execute(
            select(outbox.c.idempotency_key, outbox.c.status, outbox.c.body)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == purpose,
                   outbox.c.channel == channel).order_by(outbox.c.id))]


def _text_failed(uow, case_id: int) -> str:
    """The case's text messages failed for good (a number that does not exist); the number."""
    with uow() as u:
        [number] = u.conn.execute(outbox.update().where(
            outbox.c.case_id == case_id, outbox.c.channel == "sms")
            .values(status="failed", last_error="number does not exist")
            .returning(outbox.c.recipient)).scalars().all()
        u.commit()
    return str(number)


def test_copies_of_one_message_share_a_family_and_other_messages_do_not() -> None:
    base = "incident:7:case:12:resolution"
    assert copy_family(f"{base}:email") == copy_family(f"{base}:sms") == base
    assert copy_family(f"{base}:email:to_sms") == copy_family(f"{base}:sms:to_email:to_sms") == base
    assert copy_family("incident:7:case:12:unreachable:57") == "incident:7:case:12:unreachable:57"
    assert copy_family("incident:7:case:12:unreachable:57:sms") == \
        "incident:7:case:12:unreachable:57"
    assert copy_family("incident:7:case:12:confirmation:keep") == \
        "incident:7:case:12:confirmation:keep"


def test_an_apology_waiting_for_a_removed_address_goes_by_text_instead_of_the_call_list(
        shop) -> None:
    """The customer's apology waited for an address they say is not theirs, its text copy
    gone with a number removed earlier: before, nothing could tell them but an agent's call
    (the case went on the call list); now the apology goes by text to the number they gave."""
    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    # the number removed: its text is withdrawn; the email still goes, so nothing is re-sent
    done = _fix(uow, people[1], phone=None)
    assert (done.messages_withdrawn, done.messages_resent, done.escalated) == (1, 0, ())
    assert [(c, s) for c, _, s in _outbox(uow, ko, "resolution")] == [
        ("email", "pending"), ("sms", "withdrawn")]
    # a new number: the withdrawn text stays withdrawn (the email was still to go)
    _fix(uow, people[1], phone="010-3030-4040")
    # then the address: the apology goes by text to the new number, with the case link
    done = _fix(uow, people[1], email=None)
    assert (done.messages_withdrawn, done.messages_resent, done.escalated) == (1, 1, ())
    assert _outbox(uow, ko, "resolution")[-1] == ("sms", "010-3030-4040", "pending")
    key, _, body = _bodies(uow, ko, "resolution", "sms")[-1]
    assert key.endswith(":resolution:email:to_sms")
    assert "http://127.0.0.1:8000/c/" in body and len(body) < 400  # the text, not the email
    assert ko not in _queued(uow, iid)  # told by text: no agent needs to call yet
    with uow() as u:  # the latest copy on each channel
        assert u.outbox.apology_statuses(ko) == {"email": "withdrawn", "sms": "pending"}
    [*_, audit] = _events(uow, "customer", people[1], CONTACT_CHANGED)
    assert audit["messages_resent"] == [["resolution", "sms"]]
    # another number after that: the text waiting follows it; nothing is sent twice
    done = _fix(uow, people[1], phone="010-3030-5050")
    assert (done.messages_readdressed, done.messages_resent) == (1, 0)
    assert _outbox(uow, ko, "resolution")[-1] == ("sms", "010-3030-5050", "pending")
    assert len(_outbox(uow, ko, "resolution")) == 3


def test_an_apology_with_its_text_still_waiting_is_not_sent_twice(shop) -> None:
    uow, _, _, cases, people, _ = _incident(shop, worker_down=True)
    en = cases[people[0]]
    done = _fix(uow, people[0], email=None)
    assert (done.messages_withdrawn, done.messages_resent) == (1, 0)
    assert [(c, s) for c, _, s in _outbox(uow, en, "resolution")] == [
        ("email", "withdrawn"), ("sms", "pending")]


def test_a_failed_text_is_not_tried_again_and_the_customer_goes_on_the_call_list(shop) -> None:
    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _text_failed(uow, ko)
    done = _fix(uow, people[1], email=None)
    assert (done.messages_resent, done.escalated) == (0, (ko,))
    assert ko in _queued(uow, iid)


def test_a_confirmation_waiting_for_a_removed_address_goes_by_text(shop) -> None:
    uow, _, _, cases, people, _ = _incident(shop, worker_down=True)
    told = cases[people[2]]
    desk_cases.record_choice(uow(), case_id=told, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert [(c, s) for c, _, s in _outbox(uow, told, "confirmation")] == [("email", "pending")]
    done = _fix(uow, people[2], email=None)
    assert (done.messages_withdrawn, done.messages_resent) == (1, 1)
    [(key, status, body)] = _bodies(uow, told, "confirmation", "sms")
    assert status == "pending" and key.endswith(":confirmation:keep:to_sms")
    assert body  # the confirmation's own text template, checked like every message


def test_the_default_note_waiting_for_a_removed_address_goes_by_text(shop) -> None:
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    told = cases[people[3]]
    _past_deadline(uow, clock, iid)
    assert [(c, s) for c, _, s in _outbox(uow, told, "defaulted")] == [("email", "pending")]
    done = _fix(uow, people[3], email=None)
    assert done.messages_resent == 1
    assert [(c, s) for c, _, s in _outbox(uow, told, "defaulted")] == [
        ("email", "withdrawn"), ("sms", "pending")]
    with uow() as u:
        due = dict(u.conn.execute(select(outbox.c.channel, outbox.c.not_before).where(
            outbox.c.case_id == told, outbox.c.purpose == "defaulted")).all())
    assert due["sms"] >= due["email"]  # not before the withdrawn one was due


def test_we_could_not_reach_you_goes_by_text_unless_a_new_number_owes_the_call_again(
        shop) -> None:
    uow, clock, iid, cases, people, _ = _incident(shop, worker_down=True)
    asked, other = cases[people[2]], cases[people[3]]
    for case_id in (asked, other):
        desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person",
                                 channel="web", evidence="pressed", taken_by="customer",
                                 policy=POLICY)
    _past_deadline(uow, clock, iid)
    for case_id in (asked, other):
        for _ in range(3):
            logged = _call(uow, clock, case_id, "no_answer")
        assert logged.gave_up and logged.message_queued
    assert [(c, s) for c, _, s in _outbox(uow, asked, "unreachable")] == [("email", "pending")]
    # the address removed: "we called you 3 times" goes by text, saying the same
    done = _fix(uow, people[2], email=None)
    assert done.messages_resent == 1
    [(email_key, _, _)] = _bodies(uow, asked, "unreachable", "email")
    [(key, status, text)] = _bodies(uow, asked, "unreachable", "sms")
    assert status == "pending" and key == f"{email_key}:to_sms"
    assert "3번 전화드렸지만" in text and "동의 없이 취소하지 않습니다" in text
    # the address removed and a new number given at once: the call is owed again, so "we
    # could not reach you" is not true any more and goes nowhere
    done = _fix(uow, people[3], email=None, phone="010-7070-8080")
    # only the acknowledgement of their request for a call, which is owed again, follows (by
    # text, to the new number: call_request_notice)
    assert done.calls_resumed == (other,) and done.messages_resent == 1
    assert {s for _, _, s in _outbox(uow, other, "unreachable")} == {"withdrawn"}
    assert [(c, r, s) for c, r, s in _outbox(uow, other, "call_requested")] == [
        ("email", "c3@example.com", "withdrawn"), ("sms", "010-7070-8080", "pending")]
    assert other in _queued(uow, iid)


def test_a_receipt_waiting_for_a_removed_number_goes_by_email(shop) -> None:
    """The other way round: the receipt went by text to a customer with no address; they give
    one and say the number is not theirs — the receipt goes by email."""
    from test_desk_difference import OPTIONS, _answered

    from sagwa.services.desk_difference import RECEIPT_PURPOSE, record_difference_paid

    uow, _, _, cases, people = _answered(shop, 20, {1: OPTIONS[2]})
    paid = cases[people[1]]
    _fix(uow, people[1], email=None)
    assert record_difference_paid(uow(), case_id=paid, actor="agent:park",
                                  note="bank transfer 42").receipt == "sms"
    done = _fix(uow, people[1], email="minji@example.org", phone=None)
    # the receipt, and the confirmation of their choice that had gone by text for the address
    # removed first: both go by email now
    assert (done.messages_withdrawn, done.messages_resent) == (2, 2)
    [*_, (key, status, _)] = _bodies(uow, paid, "confirmation", "email")
    assert status == "pending" and key.endswith(":confirmation:buy_at_correct_price_discount:to_sms:to_email")
    assert [(c, r, s) for c, r, s in _outbox(uow, paid, RECEIPT_PURPOSE)] == [
        ("sms", _outbox(uow, paid, RECEIPT_PURPOSE)[0][1], "withdrawn"),
        ("email", "minji@example.org", "pending")]
    [(_, _, body)] = _bodies(uow, paid, RECEIPT_PURPOSE, "email")
    assert "278,600" in body or "139,300" in body


def _call_default(shop):
    """Planned with a follow-up call as the default, apologies sent; customer 0's case."""
    from apologies_sent import apologies_sent
    from test_desk import _planned

    from sagwa.services.desk_notify import notify

    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, default="follow_up_call")
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        return uow, clock, iid, people, int(u.cases.case_for_customer(iid, people[0]))


def test_the_default_note_promising_a_call_does_not_follow_a_removed_number(shop) -> None:
    """Found by a review: the note "one of our staff will call you", waiting by text, was sent
    by email when the number was removed — beside "we have no number to call you"."""
    uow, clock, iid, people, silent = _call_default(shop)
    _fix(uow, people[0], email=None)  # texts only
    _past_deadline(uow, clock, iid)
    assert [(c, s) for c, _, s in _outbox(uow, silent, "defaulted")] == [("sms", "pending")]
    done = _fix(uow, people[0], email="new0@example.org", phone=None)
    assert done.calls_given_up == (silent,) and done.messages_resent == 0
    assert [(c, s) for c, _, s in _outbox(uow, silent, "defaulted")] == [("sms", "withdrawn")]
    [(_, _, body)] = _bodies(uow, silent, "unreachable", "email")
    assert "no phone number" in body


def test_we_could_not_reach_you_does_not_follow_once_they_asked_to_be_called_back(
        shop) -> None:
    """Found by a review: back on the call list after asking to be called back, the customer
    was still texted "we could not reach you" when their email was removed."""
    uow, clock, iid, people, silent = _call_default(shop)
    _past_deadline(uow, clock, iid)
    for _ in range(3):
        logged = _call(uow, clock, silent, "no_answer")
    assert logged.gave_up
    _call(uow, clock, silent, "callback_requested")
    assert silent in _queued(uow, iid)
    done = _fix(uow, people[0], email=None)
    assert not _bodies(uow, silent, "unreachable", "sms")
    # the default's note ("one of our staff will call you") is still true: it goes by text
    assert done.messages_withdrawn == 2 and done.messages_resent == 1
    assert [s for _, s, _ in _bodies(uow, silent, "defaulted", "sms")] == ["pending"]


def test_a_text_failed_to_a_number_since_corrected_does_not_stop_the_apology(shop) -> None:
    """Found by a review: a text that failed to a wrong number counted as "already on that
    channel", so once the email went too, nothing was texted to the corrected number."""
    uow, _, _, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _text_failed(uow, ko)
    _fix(uow, people[1], phone="010-6060-7070")
    done = _fix(uow, people[1], email=None)
    assert (done.messages_resent, done.escalated) == (1, ())
    assert _outbox(uow, ko, "resolution")[-1] == ("sms", "010-6060-7070", "pending")


def test_a_message_that_cannot_be_built_again_does_not_stop_the_correction(
        shop, monkeypatch) -> None:
    """The agent must be able to remove an address the customer says is not theirs even if a
    waiting message cannot be rebuilt (its wording refused): the correction is stored, the
    refusal named, and the untold customer goes on the call list."""
    from sagwa.errors import MessageRefused
    from sagwa.services import desk_resend

    def refused(*_args, **_kwargs):
        raise MessageRefused("the resolution (ko) failed the message check: threat",
                             reason="message_refused")

    monkeypatch.setattr(desk_resend, "apology_messages", refused)
    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    _fix(uow, people[1], phone=None)
    _fix(uow, people[1], phone="010-3030-4040")
    done = _fix(uow, people[1], email=None)
    assert done.changed == {"email": "removed"} and done.customer.email is None
    assert (done.messages_resent, done.escalated) == (0, (ko,))
    [*_, audit] = _events(uow, "customer", people[1], CONTACT_CHANGED)
    assert audit["messages_not_resent"] == [["resolution", "sms", "message_refused"]]
    assert ko in _queued(uow, iid)


def test_a_reminder_does_not_follow_to_a_customer_an_agent_has_reached_since(shop) -> None:
    """Found by a review: the reminder ("you have not answered yet") was re-sent by text to a
    customer who had just talked to an agent, as the reminder job would not have sent it."""
    from sagwa.services.desk_notify import remind_unanswered

    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    told = cases[people[2]]
    assert remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                             links=LINKS) > 0
    assert {c for c, _, _ in _outbox(uow, told, "reminder")} == {"email", "sms"}
    _fix(uow, people[2], phone=None)  # its text withdrawn; the email still goes
    desk_cases.log_call_attempt(uow(), case_id=told, channel="phone", outcome="reached",
                                agent=AGENT, policy=POLICY)
    _fix(uow, people[2], phone="010-4040-5050")
    done = _fix(uow, people[2], email=None)
    assert done.messages_withdrawn >= 1
    assert [s for _, _, s in _outbox(uow, told, "reminder")] == ["withdrawn", "withdrawn"]


def test_we_could_not_reach_you_is_withdrawn_once_they_are_reached_and_not_sent_again(
        shop) -> None:
    """Found by a review: reached by phone after the desk gave up (they rang in), the customer
    still had "we could not reach you" waiting — and removing their email re-sent it by text."""
    uow, clock, iid, people, silent = _call_default(shop)
    _past_deadline(uow, clock, iid)
    for _ in range(3):
        logged = _call(uow, clock, silent, "no_answer")
    assert logged.gave_up and logged.message_queued
    assert [s for _, s, _ in _bodies(uow, silent, "unreachable", "email")] == ["pending"]
    assert [s for _, s, _ in _bodies(uow, silent, "defaulted", "email")] == ["pending"]
    _call(uow, clock, silent, "reached")
    # they talked to a person: neither "we could not reach you" nor "we did not hear from
    # you" (with its "one of our staff will call you") is true any more
    assert [s for _, s, _ in _bodies(uow, silent, "unreachable", "email")] == ["withdrawn"]
    assert [s for _, s, _ in _bodies(uow, silent, "defaulted", "email")] == ["withdrawn"]
    done = _fix(uow, people[0], email=None)
    assert done.messages_withdrawn == 0 and done.messages_resent == 0


def test_a_number_given_back_written_another_way_is_the_number_that_failed(shop) -> None:
    """Found by the second review: the text failed to 010-1234-0001; the number removed and
    given back as +82 10-1234-0001 counted as a new one, so the apology was texted again to
    the number that had failed."""
    uow, _, iid, cases, people, _ = _incident(shop, worker_down=True)
    ko = cases[people[1]]
    assert _text_failed(uow, ko) == "010-1234-0001"
    _fix(uow, people[1], phone=None)
    _fix(uow, people[1], phone="+82 10-1234-0001")
    done = _fix(uow, people[1], email=None)
    assert (done.messages_resent, done.escalated) == (0, (ko,))
    assert ko in _queued(uow, iid)
    with uow() as u:
        assert u.outbox.failed_apology_channels(ko) == {"sms"}


def test_the_reminder_of_an_unpaid_difference_follows_a_removed_address_until_it_is_paid(
        shop) -> None:
    """The reminder waiting for the address goes by text, due when it was; once the payment is
    recorded nothing of it is sent again."""
    from test_desk_difference import OPTIONS, _answered

    from sagwa.services.desk_difference import REMINDER_PURPOSE, record_difference_paid

    uow, _, _, cases, people = _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2]})
    owed, paid = cases[people[1]], cases[people[3]]
    [(_, (_key, due))] = [(0, r) for r in _reminder_due(uow, owed)]
    _fix(uow, people[1], email=None)
    [(email_key, withdrawn, _)] = _bodies(uow, owed, REMINDER_PURPOSE, "email")
    [(key, status, body)] = _bodies(uow, owed, REMINDER_PURPOSE, "sms")
    assert withdrawn == "withdrawn" and (key, status) == (f"{email_key}:to_sms", "pending")
    assert "차액 278,600원이 아직 결제되지 않았습니다" in body
    assert [d for _, d in _reminder_due(uow, owed)] == [due, due]  # not moved by the correction
    record_difference_paid(uow(), case_id=paid, actor="agent:park", note="transfer 77")
    done = _fix(uow, people[3], email=None)
    # paid: the reminder was withdrawn then, and is not sent again; the confirmation and the
    # receipt go by text
    assert _bodies(uow, paid, REMINDER_PURPOSE, "sms") == []
    assert (done.messages_withdrawn, done.messages_resent) == (2, 2)


def _reminder_due(uow, case_id: int) -> list[tuple[str, object]]:
    from sagwa.services.desk_difference import REMINDER_PURPOSE

    with uow() as u:
        return [tuple(r) for r in u.conn.execute(
            select(outbox.c.idempotency_key, outbox.c.not_before)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == REMINDER_PURPOSE)
            .order_by(outbox.c.id))]
