"""A customer owed a call with no phone number on file, on real PostgreSQL: nobody can call
them, so the desk does not wait for spaced attempts that cannot happen (they kept the incident
from closing) and does not promise a call it cannot make. At the deadline they are marked
"could not be reached" at once (``call_attempts.NO_PHONE``) and sent, by email, the message
saying we have no number to call them on, instead of "we will call you"; asking for a person
again after that marks them again at once; their page, the agent's card and the incident page
say "no phone number"."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import timedelta

from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, publish_notice, shop  # noqa: F401
from test_desk_given_up_pages import _page
from test_desk_never_told import _actions, _incident, _messages, _past_deadline

from sagwa.adapters.db.tables import customers, outbox
from sagwa.domain.call_attempts import NO_PHONE, UNREACHABLE_ACTION
from sagwa.services import desk, desk_cases
from sagwa.services.desk_notify import notify
from sagwa.services.desk_report import build_report, figure_rows
from sagwa.services.desk_status import incident_status
from sagwa.web.pages.contact_centre import attempt_flash, queue_context
from sagwa.web.pages.i18n import chooser
from sagwa.web.pages.incident_context import detail_context
from sagwa.web.pages.rendering import make_templates


def _no_phone(uow, *customer_ids: int) -> None:
    with uow() as u:
        u.conn.execute(customers.update().where(customers.c.id.in_(customer_ids))
                       .values(phone=None))
        u.commit()


def _render(template: str, context: dict, lang: str) -> str:
    values = {"lang": lang, "t": chooser(lang), "account": None, "csrf": "token",
              "flash": None, "switch_lang": "", "money": str, **context}
    return make_templates().env.get_template(template).render(values)


def _marks(uow, case_id: int) -> list[dict]:
    with uow() as u:
        return [r.event.after for r in u.audit.for_entity("case", str(case_id))
                if r.event.action == UNREACHABLE_ACTION]


def test_a_customer_never_told_with_no_phone_is_written_to_at_once_not_left_on_the_call_list(
        shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop, worker_down=True)
    _no_phone(uow, people[0])
    en, ko = cases[people[0]], cases[people[1]]
    _past_deadline(uow, clock, iid)
    with uow() as u:
        listed = [q.case_id for q in u.reads.call_queue() if q.incident_id == iid]
        assert u.reads.calls_owed(iid) == 1
    assert listed == [ko]  # the one with a number is still owed the call
    [mark] = _marks(uow, en)
    assert (mark["why"], mark["attempts"]) == (NO_PHONE, 0)
    assert "case.never_told" in _actions(uow, en)  # still true: they were never told
    unreachable = _messages(uow, "unreachable")
    assert set(unreachable) == {en}
    body = unreachable[en]
    assert "we have no phone number for you" in body and "called you" not in body
    assert "/c/" in body  # never told: their case link, where their answer still counts
    assert en not in _messages(uow, "never_told")  # "one of our staff will call you": untrue
    assert ko in _messages(uow, "never_told")
    assert not _messages(uow, "unreachable", channel="sms")  # no number to text either
    with uow() as u:
        subject = u.conn.execute(select(outbox.c.subject).where(
            outbox.c.purpose == "unreachable", outbox.c.case_id == en)).scalar_one()
        [defaulted] = [r.event.after for r in u.audit.for_entity("incident", str(iid))
                       if r.event.action == "incident.defaulted"]
    assert "no phone number" in subject
    assert defaulted["no_phone"] == 1
    # the postmortem: two never told, one of whom had no number and was written to
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    assert (report.figures["never_told_by_deadline"], report.figures["never_told_no_phone"]) \
        == (2, 1)
    assert ("… of them with no phone number to call: written to instead", "1") in \
        figure_rows(report.figures)
    page = _page(uow, en, people[0], "en")
    assert "we have no phone number for you, so we cannot call you" in page.lower()
    assert "will call you" not in page and "called you" not in page
    assert "전화번호가 없어 전화드릴 수 없습니다" in _page(uow, en, people[0], "ko")
    # they then ask for a person on their page (their first answer): marked again at once
    desk_cases.record_choice(uow(), case_id=en, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert len(_marks(uow, en)) == 2
    with uow() as u:
        assert u.reads.calls_owed(iid) == 1
    assert set(_messages(uow, "unreachable")) == {en}  # no second message: the page says it


def test_a_told_customer_who_asked_for_a_person_with_no_phone_lets_the_incident_close(
        shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    publish_notice(uow, iid)
    apologies_sent(uow)
    with uow() as u:
        asked = int(u.cases.case_for_customer(iid, people[2]))
    _no_phone(uow, people[2])
    desk_cases.record_choice(uow(), case_id=asked, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    # before the deadline: on the call list, and the card says nobody can call them
    html = _render("cs/queue.html", {**queue_context(uow(), POLICY)}, "en")
    assert html.count("data-no-phone") == 1 and "this customer cannot be called" in html
    before = _page(uow, asked, people[2], "ko")
    assert "전화번호가 없어 전화드릴 수 없습니다" in before  # the page never promised the call
    assert "전화드리겠습니다" not in before
    _past_deadline(uow, clock, iid)
    assert asked not in _messages(uow, "defaulted")
    body = _messages(uow, "unreachable")[asked]
    assert "요청하신 대로 상담원이 전화드려야 했습니다" in body and "전화번호가 없어" in body
    assert "번 전화드렸지만" not in body
    status = incident_status(uow(), incident_id=iid, policy=POLICY).as_dict()
    assert status["calls_owed"] == 0
    # asking again after that: marked again at once, with no second message
    desk_cases.record_choice(uow(), case_id=asked, choice="talk_to_person", channel="web",
                             evidence="pressed again", taken_by="customer", policy=POLICY)
    assert len(_marks(uow, asked)) == 2
    with uow() as u:
        assert u.reads.calls_owed(iid) == 0
        sent = u.conn.execute(select(outbox.c.id).where(outbox.c.purpose == "unreachable",
                                                        outbox.c.case_id == asked)).all()
        [record] = u.reads.call_records([asked]).values()
    assert len(sent) == 1
    assert record.unreachable and record.no_phone and not record.on_call_list
    ops = _render("incidents/detail.html", detail_context(uow, iid, POLICY), "en")
    assert ops.count('data-call-state="no_phone"') == 1
    # they call in and ask to be called back: nobody can, so marked again at once, with no
    # "we called you 3 times" after spaced attempts at no number
    clock.now += timedelta(hours=1)
    logged = desk_cases.log_call_attempt(uow(), case_id=asked, channel="phone",
                                         outcome="callback_requested", agent="agent:park",
                                         policy=POLICY)
    assert logged.gave_up and not logged.message_queued and logged.no_phone
    # the agent is told why, not "after 3 tries since the deadline"
    ko, en = attempt_flash(asked, "callback_requested", logged, POLICY, has_phone=False)
    assert "has no phone number, so nobody can call them back" in en and "tries" not in en
    assert "stays on the call list" not in en and "통화 목록에 둡니다" not in ko  # it is not
    assert "전화번호가 없어 다시 전화드릴 수 없으므로" in ko
    assert len(_marks(uow, asked)) == 3
    with uow() as u:
        assert u.reads.calls_owed(iid) == 0
    # the pages still say "no phone number", not "called 1 time without reaching them"
    ops = _render("incidents/detail.html", detail_context(uow, iid, POLICY), "en")
    assert ops.count('data-call-state="no_phone"') == 1
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="every customer answered")


def test_a_customer_with_a_phone_is_still_owed_spaced_calls(shop) -> None:
    """The rule is about having no number, not about one failed call: a customer with a
    number who asked for a person stays on the call list after the deadline."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        asked = int(u.cases.case_for_customer(iid, people[2]))
    desk_cases.record_choice(uow(), case_id=asked, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    _past_deadline(uow, clock, iid)
    assert _marks(uow, asked) == []
    with uow() as u:
        assert u.reads.calls_owed(iid) == 1
    assert asked not in _messages(uow, "unreachable")
    assert "전화번호가 없어" not in _page(uow, asked, people[2], "ko")


def test_the_apology_to_a_customer_with_no_phone_asks_them_to_call_us(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    _no_phone(uow, people[0], people[1])
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        rows = {(r.customer_id, r.channel): r.body for r in u.conn.execute(
            select(outbox.c.customer_id, outbox.c.channel, outbox.c.body)
            .where(outbox.c.purpose == "resolution"))}
    en, ko = rows[(people[0], "email")], rows[(people[1], "email")]
    assert "Talk to a person: we have no phone number for you, so please call us." in en
    assert "we will call you" not in en
    assert "저희에게 고객님의 전화번호가 없으니 고객센터로 전화 주세요" in ko
    assert (people[0], "sms") not in rows
    assert "저희가 직접 전화드리겠습니다" in rows[(people[2], "email")]  # has a phone
    from sagwa.messagecheck.engine import check_message
    assert check_message(en, kind="resolution", lang="en").findings == ()
    assert check_message(ko, kind="resolution", lang="ko").findings == ()


def test_a_told_customer_who_did_not_answer_a_call_default_is_written_to_not_called(
        shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, default="follow_up_call")
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        silent = int(u.cases.case_for_customer(iid, people[0]))
    _no_phone(uow, people[0])
    _past_deadline(uow, clock, iid)
    assert silent not in _messages(uow, "defaulted")  # "one of our staff will call you"
    body = _messages(uow, "unreachable")[silent]
    assert "As we have no phone number for you, we are writing to you instead." in body
    assert "as we said we would" not in body
    with uow() as u:
        assert silent not in [q.case_id for q in u.reads.call_queue()]
