"""A customer whose apology never went out before the deadline, on real PostgreSQL: the worker
was down, or delivery failed, and nobody reached them by phone. The deadline must not send them
"we did not hear from you" (nobody asked them) nor leave them with nothing: their default is a
call (``incident_plan.default_outcome``), so they are on the call list, their answer counts
after the deadline, the incident cannot close until the call is made or given up on, and the
message after the calls fail is the apology itself, not "once more"."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, publish_notice, shop  # noqa: F401

from sagwa.adapters.db.tables import cases as cases_table
from sagwa.adapters.db.tables import customers, outbox
from sagwa.domain.incidents import CaseStatus
from sagwa.errors import Conflict, LateChoiceRefused
from sagwa.messagecheck.engine import check_message
from sagwa.services import desk, desk_cases
from sagwa.services.case_links import open_case_token
from sagwa.services.desk_notify import notify
from sagwa.services.desk_report import build_report
from sagwa.services.desk_status import incident_status
from sagwa.web.pages.contact_centre import queue_context
from sagwa.web.pages.i18n import chooser
from sagwa.web.pages.rendering import make_templates

SEOUL = ZoneInfo("Asia/Seoul")
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)  # test_desk._planned's


def _incident(shop, *, worker_down: bool = False):
    """Notified; customer 0 (English) and customer 1 (Korean) were never sent their apology:
    its delivery failed — or, ``worker_down``, it never left the outbox."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    publish_notice(uow, iid)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    untold = {cases[people[0]], cases[people[1]]}
    if worker_down:
        apologies_sent(uow, left_pending=untold)
    else:
        apologies_sent(uow, untold)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    return uow, clock, iid, cases, people, untold


def _past_deadline(uow, clock, iid) -> int:
    clock.now = DEADLINE + timedelta(minutes=2)
    moved = desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline",
                                      policy=POLICY, links=LINKS)
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    return moved


def _messages(uow, purpose: str, channel: str = "email") -> dict[int, str]:
    """Each case's latest message of the purpose (by outbox id: without the order, a case with
    a withdrawn message and its successor got either one, as PostgreSQL returned them)."""
    with uow() as u:
        return {int(r.case_id): r.body for r in u.conn.execute(
            select(outbox.c.case_id, outbox.c.body).where(outbox.c.purpose == purpose,
                                                          outbox.c.channel == channel)
            .order_by(outbox.c.id))}


def _actions(uow, case_id: int) -> list[str]:
    with uow() as u:
        return [r.event.action for r in u.audit.for_entity("case", str(case_id))]


def test_at_the_deadline_a_customer_never_told_is_owed_a_call_not_told_we_did_not_hear(
        shop) -> None:
    uow, clock, iid, cases, _people, untold = _incident(shop)
    assert _past_deadline(uow, clock, iid) == 6
    with uow() as u:
        listed = sorted(q.case_id for q in u.reads.call_queue() if q.incident_id == iid)
        assert u.reads.calls_owed(iid) == 2
        statuses = {int(r.case.case_id): r.case.status for r in u.cases.for_incident(iid)}
    assert listed == sorted(untold)
    assert set(statuses.values()) == {CaseStatus.DEFAULTED}
    told = set(cases.values()) - untold
    assert set(_messages(uow, "defaulted")) == told  # "we did not hear from you": only if asked
    for case_id in untold:
        assert "case.never_told" in _actions(uow, case_id)
    assert not any("case.never_told" in _actions(uow, c) for c in told)
    with uow() as u:
        [defaulted] = [r.event.after for r in u.audit.for_entity("incident", str(iid))
                       if r.event.action == "incident.defaulted"]
    assert defaulted["never_told"] == 2 and defaulted["cases"] == 6
    with pytest.raises(Conflict) as refused:  # the call is owed: the incident stays open
        desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert refused.value.details["reason"] == "calls_owed"
    figures = build_report(uow(), incident_id=iid, policy=POLICY).figures
    assert figures["never_told_by_deadline"] == 2
    status = incident_status(uow(), incident_id=iid, policy=POLICY).as_dict()
    assert (status["customers_told"], status["calls_owed"]) == (4, 2)


def test_their_answer_on_the_call_counts_after_the_deadline_and_a_told_customers_does_not(
        shop) -> None:
    uow, clock, iid, cases, people, untold = _incident(shop)
    _past_deadline(uow, clock, iid)
    first = cases[people[0]]  # English
    result = desk_cases.record_choice(uow(), case_id=first, choice="cancel_with_compensation",
                                      channel="phone", evidence="on the call: cancel, please",
                                      taken_by="agent:park", policy=POLICY)
    assert result.changed and result.case.status is CaseStatus.RESOLVED
    assert result.compensation_points == 10_000
    confirmed = _messages(uow, "confirmation")[first]  # no deadline they missed
    assert "did not reach you in time, so that deadline does not apply to you" in confirmed
    assert "after the deadline" not in confirmed
    told_case = cases[people[2]]
    with pytest.raises(LateChoiceRefused):  # asked in time, took the default: the plan's rule
        desk_cases.record_choice(uow(), case_id=told_case, choice="cancel_with_compensation",
                                 channel="phone", evidence="late", taken_by="agent:park",
                                 policy=POLICY)
    with uow() as u:
        assert sorted(q.case_id for q in u.reads.call_queue()) == sorted(untold - {first})


def test_after_the_calls_fail_the_message_is_the_apology_itself(shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop, worker_down=True)
    _past_deadline(uow, clock, iid)
    en, ko = cases[people[0]], cases[people[1]]
    for _ in range(POLICY.max_call_attempts):
        for case_id in (en, ko):
            desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                           outcome="no_answer", agent="agent:park",
                                           policy=POLICY, links=LINKS)
        clock.now += POLICY.min_call_spacing
    with uow() as u:
        assert [q.case_id for q in u.reads.call_queue() if q.incident_id == iid] == []
    bodies = _messages(uow, "unreachable")
    assert set(bodies) == {en, ko}
    texts = _messages(uow, "unreachable", "sms")  # every channel they have, as the apology
    assert set(texts) == {en, ko} and "did not go out in time" in texts[en]
    for body in (bodies[en], bodies[ko], texts[en], texts[ko]):  # the link the apology had
        assert "http://127.0.0.1:8000/c/" in body
    token = bodies[en].split("http://127.0.0.1:8000/c/")[1].split()[0]
    assert open_case_token(LINKS.secret, token, now=clock.now + timedelta(days=13))[0] == en
    assert "did not go out in time" in bodies[en] and "once more" not in bodies[en]
    assert "as 19,900 KRW instead of 199,000 KRW" in bodies[en]  # the explanation, first time
    assert "Options you can choose from" in bodies[en]
    assert "nothing changes until we have talked to you" in bodies[en]
    assert "199,000원이 아닌 19,900원으로" in bodies[ko] and "제때 나가지 못해" in bodies[ko] and "다시 한 번" not in bodies[ko]
    assert "고르실 수 있는 방법" in bodies[ko]
    closed = desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert closed.incident.status.value == "closed"


def test_by_text_message_too_for_customers_without_an_email(shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop, worker_down=True)
    with uow() as u:
        u.conn.execute(customers.update().where(customers.c.id.in_(people[:2]))
                       .values(email=None))
        u.commit()
    _past_deadline(uow, clock, iid)
    en, ko = cases[people[0]], cases[people[1]]
    for _ in range(POLICY.max_call_attempts):
        for case_id in (en, ko):
            desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                           outcome="busy", agent="agent:park", policy=POLICY)
        clock.now += POLICY.min_call_spacing
    with uow() as u:
        sent = {int(r.case_id): (r.channel, r.body) for r in u.conn.execute(
            select(outbox.c.case_id, outbox.c.channel, outbox.c.body)
            .where(outbox.c.purpose == "unreachable"))}
    assert {c: ch for c, (ch, _) in sent.items()} == {en: "sms", ko: "sms"}
    assert sent[en][1].startswith("[sagwa] We're sorry: ") and "did not go out in time" in sent[en][1]
    assert "We meant to ask you to choose by" in sent[en][1] and "We asked you" not in sent[en][1]
    assert "안내 메시지가 제때 나가지 못했습니다. 그래서 상담원이" in sent[ko][1]
    assert "다시 한 번" not in sent[ko][1]
    for case_id, lang in ((en, "en"), (ko, "ko")):  # no warning either (no amount, too long)
        assert check_message(sent[case_id][1], kind="resolution", lang=lang).findings == ()


def test_a_customer_an_agent_reached_before_the_deadline_counts_as_told(shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop)
    reached = cases[people[0]]
    desk_cases.escalate_unanswered(uow(), incident_id=iid, actor="operator:lee")
    desk_cases.log_contact_attempt(uow(), case_id=reached, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY,
                                   note="explained; they will think about it")
    with uow() as u:
        told_at = u.conn.execute(select(cases_table.c.first_notified_at).where(
            cases_table.c.id == reached)).scalar_one()
    assert told_at == clock.now
    desk_cases.log_contact_attempt(uow(), case_id=cases[people[1]], channel="phone",
                                   outcome="no_answer", agent="agent:park", policy=POLICY)
    _past_deadline(uow, clock, iid)
    with uow() as u:
        listed = [q.case_id for q in u.reads.call_queue() if q.incident_id == iid]
    assert listed == [cases[people[1]]]  # a call that did not get through tells nobody
    assert reached in _messages(uow, "defaulted")  # told by a person: told what happens now


def test_the_call_card_says_the_customer_hears_it_first_from_the_agent(shop) -> None:
    uow, clock, iid, _cases, _people, untold = _incident(shop)
    _past_deadline(uow, clock, iid)
    context = queue_context(uow(), POLICY)
    assert sorted(card.queued.case_id for card in context["cards"]) == sorted(untold)
    assert {card.queued.told for card in context["cards"]} == {False}
    for lang, words in (("en", "start with the apology and the explanation"),
                        ("ko", "사과와 설명부터 해 주세요")):
        values = {"lang": lang, "t": chooser(lang), "account": None, "csrf": "token",
                  "flash": None, "switch_lang": "", "money": str, **context}
        html = make_templates().env.get_template("cs/queue.html").render(values)
        assert html.count("data-never-told") == 2 and words in html


def test_an_apology_sent_after_the_deadline_leaves_the_customer_owed_the_call(shop) -> None:
    """An apology still being sent when the deadline passed (the worker had taken it) goes out
    after the customer took the default as never told: they stay owed the call, whose answer
    counts, and are not turned into a told customer whose deadline is gone."""
    uow, clock, listing_id, _people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    publish_notice(uow, iid)
    with uow() as u:
        late = u.conn.execute(select(outbox.c.id, outbox.c.case_id).where(  # the same one each run
            outbox.c.purpose == "resolution", outbox.c.channel == "email")
            .order_by(outbox.c.id)).first()
        u.conn.execute(outbox.update().where(outbox.c.id == late.id).values(status="sending"))
        u.commit()
    apologies_sent(uow, {int(late.case_id)})
    _past_deadline(uow, clock, iid)
    with uow() as u:
        u.outbox.record_outcome(late.id, status="sent", last_error=None, sent_at=clock.now)
        u.commit()
        listed = [q.case_id for q in u.reads.call_queue() if q.incident_id == iid]
    assert listed == [int(late.case_id)]
    answered = desk_cases.record_choice(uow(), case_id=int(late.case_id), choice="keep",
                                        channel="web", evidence="pressed keep",
                                        taken_by="customer", policy=POLICY)
    assert answered.changed


def test_between_the_deadline_and_its_job_they_are_still_heard_and_a_call_tells_nobody(
        shop) -> None:
    """Past the deadline the apologies are withdrawn, so a customer not told by then never will
    be: before the deadline job runs, their answer counts already, and a call that reaches them
    then does not make them "told in time" (the job would send them "we did not hear from you");
    it is the call they are owed, made."""
    uow, clock, iid, cases, people, untold = _incident(shop)
    reached, chooses = cases[people[0]], cases[people[1]]
    clock.now = DEADLINE + timedelta(minutes=5)  # the deadline job has not run yet
    desk_cases.log_contact_attempt(uow(), case_id=reached, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY, note="thinking about it")
    answered = desk_cases.record_choice(uow(), case_id=chooses, choice="keep", channel="phone",
                                        evidence="on the call: keep it", taken_by="agent:park",
                                        policy=POLICY)
    assert answered.changed and answered.case.status is CaseStatus.RESOLVED
    clock.now = DEADLINE + timedelta(minutes=10)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    with uow() as u:
        listed = [q.case_id for q in u.reads.call_queue() if q.incident_id == iid]
        told_at = u.conn.execute(select(cases_table.c.first_notified_at).where(
            cases_table.c.id.in_(untold))).scalars().all()
    assert listed == [] and told_at == [None, None]  # the call after the deadline is the call
    assert reached not in _messages(uow, "defaulted")
    assert "case.never_told" in _actions(uow, reached)


def test_a_choice_given_on_the_phone_before_the_deadline_counts_as_told(shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop)
    desk_cases.record_choice(uow(), case_id=cases[people[0]], choice="keep", channel="phone",
                             evidence="on the call: keep it", taken_by="agent:park",
                             policy=POLICY)
    assert incident_status(uow(), incident_id=iid, policy=POLICY).customers_told == 5
    _past_deadline(uow, clock, iid)
    with uow() as u:
        assert [q.case_id for q in u.reads.call_queue() if q.incident_id == iid] == [
            cases[people[1]]]


def test_an_answer_in_time_before_the_apology_went_out_is_not_called_late(shop) -> None:
    """A customer with only a phone finds their case through the public notice and answers the
    evening before their apology's text goes out: the confirmation must not say our message
    'did not reach you in time' (found by a review: the case handed to it predated the answer
    that told them)."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    with uow() as u:  # customers 0 (English) and 1 (Korean) have only a phone
        u.conn.execute(customers.update().where(customers.c.id.in_(people[:2]))
                       .values(email=None))
        u.commit()
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    clock.now = datetime(2008, 6, 12, 20, 0, tzinfo=SEOUL)  # the apology waits for 09:00
    for person in people[:2]:
        assert desk_cases.record_choice(uow(), case_id=cases[person], choice="keep",
                                        channel="web", evidence="pressed keep",
                                        taken_by="customer", policy=POLICY).changed
    texts = _messages(uow, "confirmation", "sms")
    en, ko = texts[cases[people[0]]], texts[cases[people[1]]]
    assert "did not reach you in time" not in en and " (deadline " in en
    assert "제때 전해지지 않았" not in ko and "(답변 기한 " in ko


def test_at_the_deadline_they_are_sent_the_apology_they_never_got(shop) -> None:
    """Not left waiting in silence for the call: the apology, saying our message did not go out
    in time and the deadline does not apply to them, by both channels, with their link, at the
    next contact opening; withdrawn if they answer before it goes out. The call is still owed."""
    uow, clock, iid, cases, people, untold = _incident(shop, worker_down=True)
    _past_deadline(uow, clock, iid)
    emails, texts = _messages(uow, "never_told"), _messages(uow, "never_told", "sms")
    assert set(emails) == set(texts) == untold  # the told got "we did not hear from you"
    en, ko = cases[people[0]], cases[people[1]]
    assert emails[en].startswith("Dear Alex Kim, we are sorry for a pricing error")
    assert "our message did not go out in time" in emails[en]
    assert "that deadline does not apply to you" in emails[en]
    assert "one of our staff will call you to ask which option you would like" in emails[en]
    assert "as 19,900 KRW instead of 199,000 KRW" in emails[en]
    assert "안내 메시지가 제때 나가지 못했습니다" in emails[ko] and "다시 한 번" not in emails[ko]
    for case_id, lang in ((en, "en"), (ko, "ko")):
        for body in (emails[case_id], texts[case_id]):
            assert "http://127.0.0.1:8000/c/" in body
            assert check_message(body, kind="resolution", lang=lang).ok
    token = emails[en].split("http://127.0.0.1:8000/c/")[1].split()[0]
    assert open_case_token(LINKS.secret, token, now=clock.now + timedelta(days=13))[0] == en
    with uow() as u:
        due = {r.not_before for r in u.conn.execute(select(outbox.c.not_before).where(
            outbox.c.purpose == "never_told"))}
        assert u.reads.calls_owed(iid) == 2  # the call is still owed
    assert due == {datetime(2008, 6, 18, 9, 0, tzinfo=SEOUL)}  # the deadline was 18:00
    desk_cases.record_choice(uow(), case_id=ko, choice="keep", channel="web",
                             evidence="pressed keep", taken_by="customer", policy=POLICY)
    with uow() as u:
        statuses = {r.channel: r.status for r in u.conn.execute(
            select(outbox.c.channel, outbox.c.status).where(outbox.c.purpose == "never_told",
                                                            outbox.c.case_id == ko))}
    assert statuses == {"email": "withdrawn", "sms": "withdrawn"}  # they answered first


def _calls_fail(uow, clock, case_ids) -> None:
    """The policy's attempts to call each of ``case_ids``, spaced out, none reaching them."""
    for _ in range(POLICY.max_call_attempts):
        for case_id in case_ids:
            desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                           outcome="no_answer", agent="agent:park",
                                           policy=POLICY, links=LINKS)
        clock.now += POLICY.min_call_spacing


def _outbox(uow, case_id: int, purpose: str) -> dict[str, str]:
    with uow() as u:
        return {r.channel: r.status for r in u.conn.execute(
            select(outbox.c.channel, outbox.c.status).where(outbox.c.case_id == case_id,
                                                            outbox.c.purpose == purpose))}


def test_giving_up_the_calls_withdraws_the_we_will_call_you_message(shop) -> None:
    """The worker was down (why they were never told): its "one of our staff will call you"
    still waits when the calls are given up; the message saying we could not reach them
    replaces it (found by a review: both went out, after the incident closed)."""
    uow, clock, iid, cases, people, untold = _incident(shop, worker_down=True)
    _past_deadline(uow, clock, iid)
    _calls_fail(uow, clock, untold)
    en = cases[people[0]]
    assert _outbox(uow, en, "never_told") == {"email": "withdrawn", "sms": "withdrawn"}
    assert _outbox(uow, en, "unreachable") == {"email": "pending", "sms": "pending"}


def test_a_channel_whose_apology_failed_is_not_written_to_again(shop) -> None:
    """Customer 0's email and text both failed for good (they went on the call list for it);
    customer 1's email failed and their text never left the outbox: the message at the
    deadline goes to customer 1 by text only, and to customer 0 not at all — it would fail
    again (found by a review: it was sent to the bounced addresses)."""
    uow, clock, iid, cases, people, _untold = _incident(shop, worker_down=True)
    en, ko = cases[people[0]], cases[people[1]]
    with uow() as u:
        for message_id, case_id, channel in u.conn.execute(
                select(outbox.c.id, outbox.c.case_id, outbox.c.channel).where(
                    outbox.c.purpose == "resolution", outbox.c.case_id.in_([en, ko]))):
            if case_id == en or channel == "email":
                u.outbox.record_outcome(message_id, status="failed", last_error="550 bounced")
        u.commit()
    _past_deadline(uow, clock, iid)
    assert _outbox(uow, en, "never_told") == {}
    assert _outbox(uow, ko, "never_told") == {"sms": "pending"}
    with uow() as u:
        assert u.reads.calls_owed(iid) == 2  # the call is how customer 0 hears of it


def test_an_address_corrected_after_its_apology_bounced_is_written_to_at_the_deadline(
        shop) -> None:
    """Found by a review: a bounce to an address since corrected kept the deadline's message
    from the corrected one; only a failure to the address as it is now says it would fail."""
    from sagwa.services.customer_contact import change_customer_contact

    uow, clock, iid, cases, people, _untold = _incident(shop, worker_down=True)
    en = cases[people[0]]
    with uow() as u:
        for (message_id,) in u.conn.execute(select(outbox.c.id).where(
                outbox.c.purpose == "resolution", outbox.c.case_id == en)):
            u.outbox.record_outcome(message_id, status="failed", last_error="550 bounced")
        u.commit()
    change_customer_contact(uow(), customer_id=people[0], actor="agent:park", policy=POLICY,
                            email="alex.new@example.org")
    _past_deadline(uow, clock, iid)
    assert _outbox(uow, en, "never_told") == {"email": "pending"}  # not the number: it failed


def test_after_the_message_at_the_deadline_the_one_after_the_calls_refers_to_it(shop) -> None:
    """They had the apology and its explanation at the deadline: the message after the calls
    fail says "once more" and "as we wrote", not the news again (found by a review)."""
    uow, clock, iid, cases, people, untold = _incident(shop, worker_down=True)
    _past_deadline(uow, clock, iid)
    with uow() as u:
        for (message_id,) in u.conn.execute(select(outbox.c.id).where(
                outbox.c.purpose == "never_told")):
            u.outbox.record_outcome(message_id, status="sent", last_error=None,
                                    sent_at=clock.now)
        u.commit()
    _calls_fail(uow, clock, untold)
    en, ko = cases[people[0]], cases[people[1]]
    emails, texts = _messages(uow, "unreachable"), _messages(uow, "unreachable", "sms")
    assert emails[en].startswith("Dear Alex Kim, once more we are sorry for the pricing error.")
    assert "As we wrote to you, our message asking you to choose by Tuesday, June 17" in emails[en]
    assert "instead of 199,000 KRW" not in emails[en]  # the explanation is not news any more
    assert "앞서 알려 드린 대로" in emails[ko] and "다시 한 번 죄송합니다" in emails[ko]
    assert "We're sorry again" in texts[en] and "As we wrote" in texts[en]
    assert "다시 한 번 사과드립니다" in texts[ko]
    for case_id, lang in ((en, "en"), (ko, "ko")):
        for body in (emails[case_id], texts[case_id]):
            assert check_message(body, kind="resolution", lang=lang).ok, body
