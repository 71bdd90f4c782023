"""Notifying on real PostgreSQL: refused once the plan's deadline no longer leaves customers the
minimum answer time (nothing queued, nothing scheduled), no reminder landing with the apology, and
in an incident over several sellers' listings each customer is told about their own seller."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from test_desk import LINKS, POLICY, RIGHT, WRONG, _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.domain.incidents import CaseStatus, IncidentStatus
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import Conflict
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_notify import notify
from sagwa.web.pages.error_texts import error_text

SEOUL = ZoneInfo("Asia/Seoul")


def _desk_jobs(uow) -> dict[str, datetime]:
    with uow() as u:
        return dict(u.conn.exec_driver_sql(
            "SELECT task_name, scheduled_at FROM procrastinate_jobs WHERE queue_name = 'desk'"
        ).all())


def _stored(uow, incident_id: int) -> tuple[int, IncidentStatus, set[CaseStatus]]:
    with uow() as u:
        queued = u.conn.execute(select(func.count()).select_from(outbox)).scalar_one()
        status = u.incidents.get(incident_id).incident.status
        cases = {r.case.status for r in u.cases.for_incident(incident_id)}
    return queued, status, cases


def _refused(uow, incident_id: int) -> Conflict:
    with pytest.raises(Conflict) as caught:
        notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY, links=LINKS)
    assert caught.value.details["reason"] == "deadline_too_close"
    assert caught.value.details["field"] == "deadline"
    assert _stored(uow, incident_id) == (0, IncidentStatus.PLANNED, {CaseStatus.OPEN})
    assert _desk_jobs(uow) == {}
    return caught.value


def test_notify_after_the_deadline_is_refused_and_nothing_is_queued(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)  # deadline Tuesday 17 June 18:00
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    refusal = _refused(uow, incident_id)
    assert refusal.details["deadline"] == datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL).isoformat()
    assert refusal.details["contact_minutes_left"] == 0
    assert refusal.details["min_answer_minutes"] == 24 * 60
    assert "Tuesday, June 17 at 6 pm" in refusal.message
    assert "revise the plan" in refusal.message
    assert refusal.details["deadline_passed"] is True
    assert error_text(refusal, "ko") == ("답변 기한(6월 17일(화) 오후 6시, 한국 시간)이 이미 지났습니다. "
                                         "방안에서 기한을 늦춘 뒤 다시 안내해 주세요.")


def test_notify_counts_the_answer_time_from_the_first_send_not_from_now(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    # Wednesday 18 June 10:00: from Friday 16:30 that is 24.5 contact hours, but nothing goes
    # out before Saturday 10:00 (too little of Friday is left), which leaves only 23.
    incident_id = _planned(uow, clock, listing_id,
                           deadline=datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL))
    clock.now = datetime(2008, 6, 13, 16, 30, tzinfo=SEOUL)
    refusal = _refused(uow, incident_id)
    saturday = datetime(2008, 6, 14, 10, 0, tzinfo=SEOUL)
    assert refusal.details["earliest_send_at"] == saturday.isoformat()
    assert refusal.details["contact_minutes_left"] == 23 * 60
    assert "deadline_passed" not in refusal.details
    assert "Saturday, June 14 at 10 am" in refusal.message
    # the operator's page says the same figures: when it would reach them, how many hours
    # that leaves, how many are needed (it said only "too close")
    ko, en = error_text(refusal, "ko"), error_text(refusal, "en")
    assert "6월 14일(토) 오전 10시" in ko and "23시간" in ko and "24시간" in ko, ko
    assert "Saturday, June 14 at 10 am" in en and "23 h" in en and "24 h" in en, en


def test_a_revised_plan_with_a_later_deadline_can_be_notified(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)
    clock.now = datetime(2008, 6, 17, 10, 0, tzinfo=SEOUL)
    _refused(uow, incident_id)
    later = datetime(2008, 6, 20, 18, 0, tzinfo=SEOUL)
    desk.plan(uow(), incident_id=incident_id, options=["keep", "talk_to_person"], deadline=later,
              default="keep", seller_share_pct=60, platform_share_pct=40, actor="operator:lee",
              policy=POLICY)
    summary = notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY,
                     links=LINKS)
    assert summary.messages == 12 and summary.send_at == clock.now
    assert _desk_jobs(uow)["incident_deadline"] == later + timedelta(minutes=1)


def test_no_reminder_or_escalation_is_scheduled_before_the_apology_goes_out(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)  # notified Thursday 17:30, sent Friday 09:00
    # A long lead: the reminder (80 contact hours before the deadline) and the escalation (40)
    # would both fall before Friday 09:00.
    policy = replace(POLICY, escalation_lead=timedelta(hours=40))
    summary = notify(uow(), incident_id=incident_id, actor="operator:lee", policy=policy,
                     links=LINKS)
    assert summary.send_at == datetime(2008, 6, 13, 9, 0, tzinfo=SEOUL)
    assert summary.reminder_at is None
    jobs = _desk_jobs(uow)
    assert "remind_incident" not in jobs
    assert jobs["escalate_incident"] == summary.send_at
    with uow() as u:
        [notifying] = [r.event for r in u.audit.for_entity("incident", str(incident_id))
                       if r.event.action == "incident.notifying"]
    assert notifying.after is not None and "reminder_at" in notifying.after
    assert notifying.after["reminder_at"] is None


def test_the_usual_reminder_is_still_scheduled_after_the_apology(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)
    summary = notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY,
                     links=LINKS)
    jobs = _desk_jobs(uow)
    assert summary.reminder_at == jobs["remind_incident"]
    assert summary.send_at < jobs["remind_incident"] < jobs["escalate_incident"]


def _second_seller(uow, clock, people) -> tuple[int, int]:
    """다른가게 sells a pink iPod at the same wrong price; customer 1 also buys there, and a new
    customer buys only there. Returns (the listing, the new customer)."""
    seller = catalog.register_seller(uow(), code="dareun", name="다른가게", actor="t")
    pink = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB 핑크",
                                    title_en="Apple iPod nano 3rd gen 4GB pink",
                                    category="electronics/mp3", list_price=RIGHT, actor="t")
    other = listings.create_listing(uow(), seller_id=seller.id, product_id=pink.id, price=WRONG,
                                    actor="seller:dareun")
    listings.change_listing_status(uow(), listing_id=other.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    newcomer = catalog.register_customer(uow(), name="새고객", email="n@example.com",
                                         phone="010-5555-1234", locale="ko", actor="t")
    clock.now = datetime(2008, 6, 12, 15, 30, tzinfo=SEOUL)
    for customer, quantity in ((people[1], 3), (newcomer.id, 1)):
        orders.place_order(uow(), customer_id=customer, listing_id=other.id, quantity=quantity,
                           actor="t", velocity=None)
    return other.id, newcomer.id


def _two_seller_incident(shop) -> tuple[object, int, int, list[int]]:
    uow, clock, listing_id, people, _ = shop
    other, newcomer = _second_seller(uow, clock, people)
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[listing_id, other], wrong_price=WRONG,
                       correct_price=RIGHT, window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                       cause="typo", responsible="both", actor="op")
    incident_id = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="op")
    desk.plan(uow(), incident_id=incident_id, options=["keep", "cancel_with_compensation"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=60, platform_share_pct=40, actor="op", policy=POLICY,
              cancel_compensation=Money(10_000, "KRW"))
    notify(uow(), incident_id=incident_id, actor="op", policy=POLICY, links=LINKS)
    return uow, incident_id, newcomer, people


def _bodies(uow, customer_id: int, purpose: str = "resolution") -> dict[str, str]:
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.channel, outbox.c.body).where(
            outbox.c.customer_id == customer_id, outbox.c.purpose == purpose)).all()
    return {r.channel: r.body for r in rows}


def test_each_customer_is_told_about_the_seller_and_product_of_their_own_orders(shop) -> None:
    uow, _, newcomer, people = _two_seller_incident(shop)
    theirs = _bodies(uow, newcomer)
    assert "판매자 다른가게가 '애플 아이팟 나노 3세대 4GB 핑크'의 가격을" in theirs["email"]
    assert "하늘디지털" not in theirs["email"]
    assert "핑크" in theirs["sms"]
    ours = _bodies(uow, people[2])  # bought from 하늘디지털 only
    assert "판매자 하늘디지털이 '애플 아이팟 나노 3세대 4GB'의 가격을" in ours["email"]
    assert "다른가게" not in ours["email"] and "핑크" not in ours["email"]
    english = _bodies(uow, people[0])["email"]
    assert "The seller 하늘디지털 entered" in english and "다른가게" not in english
    both = _bodies(uow, people[1])["email"]  # bought from both sellers
    assert "판매자 하늘디지털과 다른가게가" in both
    assert "'애플 아이팟 나노 3세대 4GB, 애플 아이팟 나노 3세대 4GB 핑크'" in both


def test_the_confirmation_names_the_customers_own_product(shop) -> None:
    uow, incident_id, newcomer, _ = _two_seller_incident(shop)
    with uow() as u:
        case_id = u.cases.case_for_customer(incident_id, newcomer)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)
    assert "'애플 아이팟 나노 3세대 4GB 핑크'" in _bodies(uow, newcomer, "confirmation")["email"]


def test_the_customers_case_page_names_their_own_seller_and_product(shop) -> None:
    from sagwa.web.pages.case_facts import load_case

    uow, incident_id, newcomer, people = _two_seller_incident(shop)
    with uow() as u:
        theirs = load_case(u, u.cases.case_for_customer(incident_id, newcomer), known={})
        ours = load_case(u, u.cases.case_for_customer(incident_id, people[2]), known={})
    assert (theirs.facts.seller_name, theirs.facts.product_ko) == (
        "다른가게", "애플 아이팟 나노 3세대 4GB 핑크")
    assert (ours.facts.seller_name, ours.facts.product_ko) == (
        "하늘디지털", "애플 아이팟 나노 3세대 4GB")
