"""An apology that cannot be delivered, on real PostgreSQL and through the delivery service: when
every apology message of a case failed for good (a bounced address, a wrong number, attempts
used up), the customer goes on the call list at once, not near the deadline — an agent's call
is the only way left to tell them while they can still choose."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.fake import FakeSender
from sagwa.domain.incidents import CaseStatus
from sagwa.errors import DeliveryFailed
from sagwa.services import desk_cases
from sagwa.services.delivery import MAX_ATTEMPTS, Outcome, deliver_message
from sagwa.services.desk_notify import notify
from sagwa.services.desk_undelivered import UNDELIVERED_ACTION, escalate_if_undeliverable

SEND_AT = datetime(2008, 6, 13, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))


class Refusing(FakeSender):
    """Sends, but fails for good (or, ``temporary``, for now) to the ``refused`` recipients."""

    def __init__(self, refused: set[str], *, temporary: bool = False) -> None:
        super().__init__()
        self.refused, self.temporary = refused, temporary

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        if message.recipient in self.refused:
            raise DeliveryFailed(f"550 no such recipient {message.recipient}",
                                 temporary=self.temporary)
        return super().send(message, idempotency_key=idempotency_key)


@pytest.fixture
def told(shop, session_factory):
    """The incident notified; its apologies queued for Friday 09:00, the clock there."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    clock.now = SEND_AT
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    return uow, clock, session_factory, iid, cases, people


def _apologies(uow, case_id: int) -> dict[str, int]:
    with uow() as u:
        return {r.channel: int(r.id) for r in u.conn.execute(
            select(outbox.c.id, outbox.c.channel).where(outbox.c.case_id == case_id,
                                                        outbox.c.purpose == "resolution"))}


def _deliver(session_factory, clock, sender: FakeSender, message_id: int) -> Outcome:
    return deliver_message(session_factory, {"email": sender, "sms": sender}, message_id,
                           clock.now, contact_hours=POLICY.schedule)


def _status(uow, case_id: int) -> CaseStatus:
    with uow() as u:
        return u.cases.get(case_id).case.status


def _undelivered(uow, case_id: int) -> list[dict]:
    with uow() as u:
        return [r.event.after for r in u.audit.for_entity("case", str(case_id))
                if r.event.action == UNDELIVERED_ACTION]


def _on_call_list(uow, iid: int) -> dict[int, bool]:
    with uow() as u:
        return {q.case_id: q.told for q in u.reads.call_queue() if q.incident_id == iid}


def _queue_html(uow, lang: str) -> str:
    """The agent's call list as rendered."""
    from sagwa.web.pages.contact_centre import queue_context
    from sagwa.web.pages.i18n import chooser
    from sagwa.web.pages.rendering import make_templates

    values = {"lang": lang, "t": chooser(lang), "account": None, "csrf": "token",
              "flash": None, "switch_lang": "", "money": str, **queue_context(uow(), POLICY)}
    return make_templates().env.get_template("cs/queue.html").render(values)


def test_both_apologies_failing_for_good_put_the_customer_on_the_call_list_at_once(told) -> None:
    uow, clock, session_factory, iid, cases, people = told
    lost, fine = cases[people[1]], cases[people[2]]
    sender = Refusing({"c1@example.com", "010-1234-0001"})
    first = _apologies(uow, lost)
    assert _deliver(session_factory, clock, sender, first["email"]) is Outcome.FAILED
    assert _status(uow, lost) is CaseStatus.NOTIFIED  # the text message may still reach them
    assert _on_call_list(uow, iid) == {}
    assert _deliver(session_factory, clock, sender, first["sms"]) is Outcome.FAILED
    assert _status(uow, lost) is CaseStatus.ESCALATED
    assert _on_call_list(uow, iid) == {lost: False}
    card = _queue_html(uow, "en").split(f'id="case-{lost}"')[1].split("</article>")[0]
    assert "our apology has not reached this customer: start with the apology" in card
    assert "사과 안내가 아직 이 고객에게 전해지지 않았습니다" in _queue_html(uow, "ko")
    [after] = _undelivered(uow, lost)
    assert after["status"] == "escalated"
    assert after["failed"] == {"email": "550 no such recipient c1@example.com",
                               "sms": "550 no such recipient 010-1234-0001"}
    for message_id in _apologies(uow, fine).values():  # delivered: told, not on the list
        assert _deliver(session_factory, clock, sender, message_id) is Outcome.SENT
    assert _status(uow, fine) is CaseStatus.NOTIFIED and _undelivered(uow, fine) == []
    assert _on_call_list(uow, iid) == {lost: False}
    # the same failure seen again (a repeated job) moves nothing twice
    assert _deliver(session_factory, clock, sender, first["sms"]) is Outcome.ALREADY_DONE
    assert not escalate_if_undeliverable(uow(), message_id=first["email"])
    assert len(_undelivered(uow, lost)) == 1


def test_one_channel_that_reached_them_is_enough(told) -> None:
    uow, clock, session_factory, _iid, cases, people = told
    case_id = cases[people[3]]
    sender = Refusing({"c3@example.com"})
    ids = _apologies(uow, case_id)
    assert _deliver(session_factory, clock, sender, ids["sms"]) is Outcome.SENT
    assert _deliver(session_factory, clock, sender, ids["email"]) is Outcome.FAILED
    assert _status(uow, case_id) is CaseStatus.NOTIFIED and _undelivered(uow, case_id) == []


def test_a_customer_who_answered_meanwhile_is_not_called(told) -> None:
    """They found the page through the public notice and chose before the apology failed."""
    uow, clock, session_factory, _iid, cases, people = told
    case_id = cases[people[4]]
    sender = Refusing({"c4@example.com", "010-1234-0004"})
    ids = _apologies(uow, case_id)
    assert _deliver(session_factory, clock, sender, ids["email"]) is Outcome.FAILED
    with uow() as u:  # the text message was being sent right then (so not withdrawn)…
        u.conn.execute(outbox.update().where(outbox.c.id == ids["sms"]).values(status="sending"))
        u.commit()
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="pressed keep", taken_by="customer", policy=POLICY)
    with uow() as u:  # …and then failed for good
        u.outbox.record_outcome(ids["sms"], status="failed", last_error="550 no such number")
        u.commit()
    assert not escalate_if_undeliverable(uow(), message_id=ids["sms"])
    assert _status(uow, case_id) is CaseStatus.RESOLVED and _undelivered(uow, case_id) == []


def test_attempts_used_up_count_as_failing_for_good(told) -> None:
    uow, clock, session_factory, iid, cases, people = told
    case_id = cases[people[5]]
    sender = Refusing({"c5@example.com", "010-1234-0005"}, temporary=True)
    ids = _apologies(uow, case_id)
    outcomes = [_deliver(session_factory, clock, sender, ids["email"])
                for _ in range(MAX_ATTEMPTS)]
    assert outcomes == [Outcome.RETRY] * (MAX_ATTEMPTS - 1) + [Outcome.FAILED]
    assert _status(uow, case_id) is CaseStatus.NOTIFIED
    for _ in range(MAX_ATTEMPTS):
        _deliver(session_factory, clock, sender, ids["sms"])
    assert _status(uow, case_id) is CaseStatus.ESCALATED
    assert set(_undelivered(uow, case_id)[0]["failed"]) == {"email", "sms"}
    assert _on_call_list(uow, iid) == {case_id: False}


def test_a_customer_an_agent_already_reached_is_not_put_back_on_the_list(told) -> None:
    uow, clock, session_factory, iid, cases, people = told
    case_id = cases[people[2]]
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY)
    sender = Refusing({"c2@example.com", "010-1234-0002"})
    for message_id in _apologies(uow, case_id).values():
        assert _deliver(session_factory, clock, sender, message_id) is Outcome.FAILED
    assert _status(uow, case_id) is CaseStatus.NOTIFIED and _undelivered(uow, case_id) == []
    assert _on_call_list(uow, iid) == {}


def test_after_the_deadline_the_deadline_job_owes_the_call_instead(told) -> None:
    """A failure recorded after the deadline (the message was being sent when it passed): the
    deadline's default makes them owed a call as never told; no escalation on top."""
    uow, clock, _session_factory, iid, cases, people = told
    case_id = cases[people[3]]
    ids = _apologies(uow, case_id)
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=ZoneInfo("Asia/Seoul"))
    apologies_sent(uow, failed_cases={case_id})  # everyone else's went out
    assert not escalate_if_undeliverable(uow(), message_id=ids["sms"])
    assert _status(uow, case_id) is CaseStatus.NOTIFIED and _undelivered(uow, case_id) == []
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    assert _on_call_list(uow, iid) == {case_id: False}
