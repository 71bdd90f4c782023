"""Customer messages on real PostgreSQL are checked for sagwa's wording, not for the names it
fills in: a book called "소송의 기술" / "The Lawyer" (a lawsuit, a lawyer: threat cues), sold by
"법무법인 서점" (a law firm), bought by "Sue Kim" ("sue": a threat cue), is an incident like any
other — its customers are told, asked, reminded, confirmed, written to after the deadline and
when nobody could reach them, and its notice is published — while words that threaten are still
refused: an operator's in the notice, or the wording's own (``tests/unit/services/
test_desk_messages_names.py``). Each message goes out with the real names."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import customers, listings, outbox, products, sellers
from sagwa.errors import MessageRefused
from sagwa.services import desk_cases, notices
from sagwa.services import desk_messages as dm
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import notify, remind_unanswered

SEOUL = ZoneInfo("Asia/Seoul")
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)  # test_desk._planned's
OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount", "talk_to_person"]


def _named_like_threats(shop):  # type: ignore[no-untyped-def]
    """The shop's product, seller and first two customers (made English readers) renamed as
    threat cues read."""
    uow, _clock, listing_id, people, seller_id = shop
    listed = select(listings.c.product_id).where(listings.c.id == listing_id).scalar_subquery()
    with uow() as u:
        u.conn.execute(products.update().values(title="소송의 기술", title_en="The Lawyer")
                       .where(products.c.id == listed))
        u.conn.execute(sellers.update().values(name="법무법인 서점").where(sellers.c.id == seller_id))
        for person, name in ((people[0], "Sue Kim"), (people[1], "Sue Park")):
            u.conn.execute(customers.update().where(customers.c.id == person)
                           .values(name=name, locale="en"))
        u.commit()
    return shop


def _notified(shop, **plan):  # type: ignore[no-untyped-def]
    uow, clock, listing_id, people, _ = _named_like_threats(shop)
    iid = _planned(uow, clock, listing_id, **plan)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    return uow, clock, iid, [cases[p] for p in people]


def _bodies(uow, purpose: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [(r.locale, r.body) for r in u.conn.execute(
            select(outbox.c.locale, outbox.c.body).where(outbox.c.purpose == purpose)
            .order_by(outbox.c.id)).all()]


def _email(uow, purpose: str, lang: str, channel: str = "email") -> str:  # type: ignore[no-untyped-def]
    with uow() as u:
        return u.conn.execute(select(outbox.c.body).where(
            outbox.c.purpose == purpose, outbox.c.locale == lang,
            outbox.c.channel == channel).order_by(outbox.c.id)).scalars().first()


def test_the_apology_goes_out_with_the_names_that_read_as_threats(shop) -> None:
    uow, _clock, _iid, _cases = _notified(shop)
    assert len(_bodies(uow, "resolution")) == 12  # 6 customers, email and text each
    ko, en = _email(uow, "resolution", "ko"), _email(uow, "resolution", "en")
    assert "판매자 법무법인 서점이 '소송의 기술'의 가격을 199,000원이 아닌 19,900원으로" in ko
    assert en.startswith("Dear Sue Kim, we are sorry.")
    assert "The seller 법무법인 서점 entered the price of 'The Lawyer'" in en
    sms = _email(uow, "resolution", "ko", "sms")
    assert sms.startswith("[사과 고객센터] 소송의 기술 가격이 잘못 표시되어")
    # the same words, as the platform's own, are refused: the names are what the check skipped
    for lang, body in (("ko", sms), ("en", en)):
        with pytest.raises(MessageRefused, match="threat"):
            dm.checked(body, kind="resolution", lang=lang)


def test_the_reminder_the_confirmation_and_the_note_after_the_deadline_go_out(shop) -> None:
    uow, clock, iid, cases = _notified(shop)
    assert remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                             links=LINKS) == 12
    desk_cases.record_choice(uow(), case_id=cases[0], choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)
    [(_, confirmation)] = _bodies(uow, "confirmation")
    assert confirmation.startswith("Dear Sue Kim,") and "'The Lawyer'" in confirmation
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    defaulted = _bodies(uow, "defaulted")
    assert len(defaulted) == 5 and "'소송의 기술'" in _email(uow, "defaulted", "ko")


def test_the_difference_reminder_receipt_and_cancelling_instead_go_out(shop) -> None:
    uow, clock, _iid, cases = _notified(shop, options=OPTIONS, discount_pct=20)
    for case_id in (cases[0], cases[1]):
        desk_cases.record_choice(uow(), case_id=case_id, choice=OPTIONS[2], channel="web",
                                 evidence="clicked: discount", taken_by="customer",
                                 policy=POLICY, links=LINKS)
    reminders = _bodies(uow, "difference_reminder")
    assert sorted(body.split(",")[0] for _, body in reminders) == ["Dear Sue Kim", "Dear Sue Park"]
    clock.now += timedelta(hours=1)
    assert record_difference_paid(uow(), case_id=cases[0], actor="agent:park",
                                  note="transfer 42").receipt == "email"
    [(_, receipt)] = _bodies(uow, "difference_received")
    assert receipt.startswith("Dear Sue Kim,") and "'The Lawyer'" in receipt
    instead = cancel_instead_of_paying(uow(), case_id=cases[1], channel="web",
                                       evidence="clicked: cancel instead", taken_by="customer",
                                       policy=POLICY)
    assert instead.confirmation == "email"
    [(_, cancelled)] = _bodies(uow, "cancelled_instead")
    assert cancelled.startswith("Dear Sue Park,") and "'The Lawyer'" in cancelled


def test_the_customer_nobody_could_reach_is_written_to(shop) -> None:
    uow, clock, iid, cases = _notified(shop)
    desk_cases.record_choice(uow(), case_id=cases[0], choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    clock.now = DEADLINE + timedelta(minutes=2)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    for _ in range(POLICY.max_call_attempts):
        clock.now += POLICY.min_call_spacing
        desk_cases.log_contact_attempt(uow(), case_id=cases[0], channel="phone",
                                       outcome="no_answer", agent="agent:park", policy=POLICY)
    [(lang, body)] = _bodies(uow, "unreachable")
    assert lang == "en" and body.startswith("Dear Sue Kim,")


def test_the_notice_is_published_but_an_operators_threat_in_it_is_refused(shop) -> None:
    uow, _clock, iid, _cases = _notified(shop)
    for lang in ("ko", "en"):
        title, body = notices.draft_notice(uow(), incident_id=iid, lang=lang, policy=POLICY)
        assert ("소송의 기술" if lang == "ko" else "The Lawyer") in title
        threat = ("이 가격으로 주문을 계속 요구하시면 법적 조치를 취하겠습니다." if lang == "ko"
                  else "Customers who insist on the wrong price will face legal action.")
        with pytest.raises(MessageRefused, match="threat"):
            notices.publish_notice(uow(), incident_id=iid, lang=lang, title=title,
                                   body=f"{body}\n\n{threat}", actor="operator:lee")
        published = notices.publish_notice(uow(), incident_id=iid, lang=lang, title=title,
                                           body=body, actor="operator:lee")
        assert (published.title, published.body) == (title, body)
