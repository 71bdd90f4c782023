"""After the desk gave up calling, on real PostgreSQL (found by a review): the customer's page
neither says "could not reach you" to a customer reached since, nor promises a call it no
longer owes (a told customer whose default was a call included); a customer who then asks for
a person is back on the call list; and the message saying we could not reach them skips the
channel whose apology bounced."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import re
from html import unescape

from apologies_sent import apologies_sent
from sqlalchemy import select
from starlette.requests import Request
from test_desk import LINKS, POLICY, _planned, publish_notice, shop  # noqa: F401
from test_desk_never_told import _calls_fail, _incident, _outbox, _past_deadline

from sagwa.adapters.db.tables import outbox
from sagwa.services import desk_cases
from sagwa.services.desk_notify import notify
from sagwa.web.pages.customer import case_context
from sagwa.web.pages.i18n import chooser
from sagwa.web.pages.rendering import make_templates


def _page(uow, case_id: int, customer_id: int, lang: str) -> str:
    """The customer's case page as text (rendered from its context, as the route does)."""
    request = Request({"type": "http", "query_string": f"lang={lang}".encode(), "headers": []})
    context = case_context(uow(), case_id, customer_id, POLICY, request)
    values = {"t": chooser(lang), "account": None, "csrf": "x", "flash": None,
              "switch_lang": "", "money": str, "token": "tok", "problem": None, **context}
    html = make_templates().env.get_template("customer/case.html").render(values)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(html)))


def test_a_customer_reached_after_the_give_up_is_not_told_we_could_not_reach_them(shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop)
    _past_deadline(uow, clock, iid)
    en = cases[people[0]]
    _calls_fail(uow, clock, [en])
    assert "could not reach you" in _page(uow, en, people[0], "en")
    desk_cases.log_contact_attempt(uow(), case_id=en, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY, links=LINKS)
    assert "could not reach you" not in _page(uow, en, people[0], "en")


def test_a_told_customer_whose_default_was_a_call_is_not_promised_one_after_the_give_up(
        shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, default="follow_up_call")
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    publish_notice(uow, iid)
    apologies_sent(uow)
    with uow() as u:
        en = int(u.cases.case_for_customer(iid, people[0]))
    _past_deadline(uow, clock, iid)
    assert "One of our staff will call you" in _page(uow, en, people[0], "en")
    _calls_fail(uow, clock, [en])
    english = _page(uow, en, people[0], "en")
    assert "One of our staff will call you" not in english
    assert "Our staff called you 3 times but could not reach you" in english
    assert "상담원이 3번 전화드렸지만 연결되지 않았습니다" in _page(uow, en, people[0], "ko")


def test_asking_for_a_person_after_the_give_up_puts_them_back_on_the_call_list(shop) -> None:
    uow, clock, iid, cases, people, _untold = _incident(shop)
    _past_deadline(uow, clock, iid)
    en = cases[people[0]]
    _calls_fail(uow, clock, [en])
    with uow() as u:
        assert en not in [q.case_id for q in u.reads.call_queue()]
    desk_cases.record_choice(uow(), case_id=en, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    with uow() as u:
        assert en in [q.case_id for q in u.reads.call_queue()]


def test_the_message_after_the_give_up_skips_the_bounced_channel(shop) -> None:
    """Customer 0's apology email bounced; their text never left (the worker was down)."""
    uow, clock, iid, cases, people, _untold = _incident(shop, worker_down=True)
    en = cases[people[0]]
    with uow() as u:
        [email] = u.conn.execute(select(outbox.c.id).where(
            outbox.c.case_id == en, outbox.c.purpose == "resolution",
            outbox.c.channel == "email")).scalars()
        u.outbox.record_outcome(email, status="failed", last_error="550 bounced")
        u.commit()
    _past_deadline(uow, clock, iid)
    _calls_fail(uow, clock, [en])
    assert _outbox(uow, en, "unreachable") == {"sms": "pending"}


def test_asking_again_for_a_person_after_the_give_up_puts_them_back_on_the_list(shop) -> None:
    """They had asked for a person before the calls; the desk gave up; they press "talk to a
    person" again on their page — the same words as the first time. Before the give-up that is
    a plain retry (nothing logged); after it, a new request (found by a review: it was dropped
    while the page still said "we will call you")."""
    uow, clock, iid, cases, people, _untold = _incident(shop)
    _past_deadline(uow, clock, iid)
    en = cases[people[0]]

    def ask() -> bool:
        return desk_cases.record_choice(uow(), case_id=en, choice="talk_to_person",
                                        channel="web", evidence="web case page: talk to a person",
                                        taken_by="customer", policy=POLICY).changed

    ask()
    ask()  # a double click: nothing more
    with uow() as u:
        repeats = [r for r in u.audit.for_entity("case", str(en))
                   if r.event.action == "case.choice_repeated"]
    assert repeats == []
    _calls_fail(uow, clock, [en])
    with uow() as u:
        assert en not in [q.case_id for q in u.reads.call_queue()]
    ask()
    with uow() as u:
        assert en in [q.case_id for q in u.reads.call_queue()]
        repeats = [r for r in u.audit.for_entity("case", str(en))
                   if r.event.action == "case.choice_repeated"]
    assert len(repeats) == 1
    ask()  # and a double click of that: still one
    with uow() as u:
        assert len([r for r in u.audit.for_entity("case", str(en))
                    if r.event.action == "case.choice_repeated"]) == 1
