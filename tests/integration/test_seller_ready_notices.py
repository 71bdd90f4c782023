"""The seller is emailed the orders that became ones to send while the customers answer, on
real PostgreSQL (``services.seller_ready_notices``): each order once, with why (kept, the
deadline's keep default, bought at the discounted price), never a cancelled one or one still
open to an answer, never the difference-paid email's orders again, nothing for a closed
incident or a seller without an address (until they have one). A seller walk found a
customer's kept order waiting until the seller happened to open their page."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from apologies_sent import apologies_sent
from periodic_jobs import run_periodic
from sqlalchemy import select
from test_desk import LINKS, POLICY, RIGHT, WRONG, _planned, publish_notice, shop  # noqa: F401

from sagwa.adapters.db.tables import audit_log, outbox, seller_orders_told, sellers
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput
from sagwa.jobs.seller_tasks import SELLERS_READY_CRON, tell_sellers_ready_job
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import notify
from sagwa.services.seller_notices import SELLER_PURPOSE
from sagwa.services.seller_ready_notices import TOLD_ACTION, tell_sellers_ready

DISCOUNT = "buy_at_correct_price_discount"


def _with_email(uow, seller_id: int, email: str | None) -> None:
    with uow() as u:
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email=email))
        u.commit()


def _notified(shop, **plan):
    """The incident notified and its apologies sent; the seller has an address."""
    uow, clock, listing_id, people, seller_id = shop
    _with_email(uow, seller_id, "ops@haneul.example")
    iid = _planned(uow, clock, listing_id, **plan)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    with uow() as u:
        cases = {int(r.case.customer_id): r.case for r in u.cases.for_incident(iid)}
    return uow, clock, iid, cases, people


def _choose(uow, case_id: int, choice: str) -> None:
    desk_cases.record_choice(uow(), case_id=case_id, choice=choice, channel="web",
                             evidence=f"clicked {choice}", taken_by="customer", policy=POLICY)


def _tell(uow):
    return tell_sellers_ready(uow, actor="system:scheduler", policy=POLICY, links=LINKS)


def _ready_emails(uow) -> list:
    with uow() as u:
        return u.conn.execute(select(outbox).where(
            outbox.c.purpose == SELLER_PURPOSE, outbox.c.idempotency_key.like("%:ready:%"))
            .order_by(outbox.c.id)).all()


def _order_ids(case) -> list[int]:
    return sorted(int(o.order_id) for o in case.orders)


def test_kept_orders_are_listed_once_each_and_cancelled_or_open_ones_never(shop) -> None:
    uow, clock, iid, cases, people = _notified(shop)
    assert _tell(uow) == []  # nobody has answered: nothing to send yet
    keeper, canceller, later = cases[people[1]], cases[people[2]], cases[people[4]]
    _choose(uow, int(keeper.case_id), "keep")
    _choose(uow, int(canceller.case_id), "cancel_with_compensation")
    clock.now = datetime(2008, 6, 13, 10, 30, tzinfo=SEOUL)

    [told] = _tell(uow)
    assert (told.incident_id, told.orders, told.units) == (iid, tuple(_order_ids(keeper)), 2)
    [email] = _ready_emails(uow)
    assert (email.recipient, email.status, email.channel) == ("ops@haneul.example", "pending",
                                                             "email")
    assert email.idempotency_key == f"incident:{iid}:seller:{told.seller_id}:ready:1"
    assert email.not_before == clock.now  # the seller's business: at once
    assert email.subject == (f"[사과 고객센터] 가격 오류 사고 {iid}번: 이제 보내셔도 되는 주문 2건 / "
                             f"[sagwa] Pricing incident {iid}: orders you can "
                             "send now (2)")
    ko, en = email.body.split("— English —")
    first, second = _order_ids(keeper)
    assert "이제 보내셔도 되는 주문이 2건 있습니다(모두 2개)" in ko
    assert f"- 주문 {first}번: 애플 아이팟 나노 3세대 4GB (#" in ko
    assert "1개 (고객이 주문 유지를 골랐습니다)" in ko
    assert f"order {second}: Apple iPod nano 3rd gen 4GB (#" in en
    assert "1 item (the customer kept the order)" in en
    assert "2 orders have become ready to send (2 items in all)" in en
    assert f"{LINKS.base_url}/seller/incidents/{iid}" in en
    for cancelled in _order_ids(canceller):  # cancelled: never "send"
        assert f"주문 {cancelled}번" not in ko
    with uow() as u:
        [audit] = u.conn.execute(select(audit_log.c.actor, audit_log.c.after).where(
            audit_log.c.action == TOLD_ACTION)).all()
    assert audit.actor == "system:scheduler"
    assert audit.after["orders"] == 2 and audit.after["units"] == 2  # the ids: in the table
    assert audit.after["message_key"] == email.idempotency_key

    assert _tell(uow) == []  # told once: the next run has nothing new
    _choose(uow, int(later.case_id), "keep")
    [again] = _tell(uow)
    assert again.orders == tuple(_order_ids(later))
    second_email = _ready_emails(uow)[-1]
    assert second_email.idempotency_key.endswith(":ready:2")
    assert "보내셔도 되는 주문 1건" in second_email.subject
    assert f"주문 {first}번" not in second_email.body  # not listed again
    assert "1 order has become ready to send (1 item in all)" in second_email.body


def test_the_deadlines_keep_default_is_listed_with_its_reason(shop) -> None:
    uow, clock, iid, cases, people = _notified(shop)
    _choose(uow, int(cases[people[1]].case_id), "keep")
    _tell(uow)
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    # replies that reached us by the deadline may be recorded until Wednesday's closing: a
    # reply recorded then could still cancel a defaulted order, so none is to be sent yet
    clock.now = datetime(2008, 6, 18, 17, 59, tzinfo=SEOUL)
    assert _tell(uow) == []
    clock.now = datetime(2008, 6, 18, 18, 1, tzinfo=SEOUL)
    [told] = _tell(uow)
    answered = set(_order_ids(cases[people[1]]))
    defaulted = {o for n in (0, 2, 3, 4, 5) for o in _order_ids(cases[people[n]])}
    assert set(told.orders) == defaulted and not answered & set(told.orders)
    body = _ready_emails(uow)[-1].body
    assert "기한까지 답이 없어 주문이 유지되었습니다" in body
    assert "kept when the customer did not answer by the deadline" in body


def test_a_plan_taking_late_answers_keeps_the_defaulted_orders_on_hold(shop) -> None:
    """The customer may still answer after the deadline: their order is not to be sent yet."""
    uow, clock, iid, _cases, _people = _notified(shop, accept_late_choices=True)
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    assert _tell(uow) == []


def test_the_difference_paid_emails_orders_are_not_listed_again(shop) -> None:
    uow, _clock, iid, cases, people = _notified(
        shop, options=["keep", "cancel_with_compensation", DISCOUNT], discount_pct=20)
    payer = cases[people[1]]
    _choose(uow, int(payer.case_id), DISCOUNT)
    assert _tell(uow) == []  # the difference is owed: held
    record_difference_paid(uow(), case_id=int(payer.case_id), actor="agent:park",
                           note="receipt 0613-1", links=LINKS)
    assert _tell(uow) == []  # its own email said to send them
    with uow() as u:
        told = set(u.orders_told.told_times(iid))
    assert told == set(_order_ids(payer))


def test_a_discount_that_leaves_nothing_to_pay_is_listed_as_bought_at_the_discount(shop) -> None:
    """95% off 199,000 is below the 19,900 paid: no difference, no difference-paid email."""
    uow, _clock, _iid, cases, people = _notified(
        shop, options=["keep", "cancel_with_compensation", DISCOUNT], discount_pct=95)
    _choose(uow, int(cases[people[2]].case_id), DISCOUNT)
    [told] = _tell(uow)
    assert told.orders == tuple(_order_ids(cases[people[2]]))
    body = _ready_emails(uow)[-1].body
    assert "정상가에서 할인된 가격으로 사고 차액을 냈습니다" in body


def test_a_seller_without_an_address_is_told_once_they_have_one(shop) -> None:
    uow, _clock, iid, cases, people = _notified(shop)
    seller_id = shop[4]
    _with_email(uow, seller_id, None)
    _choose(uow, int(cases[people[1]].case_id), "keep")
    assert _tell(uow) == []
    with uow() as u:
        assert set(u.orders_told.told_times(iid)) == set()  # nothing recorded as told
    _with_email(uow, seller_id, "new@haneul.example")
    [told] = _tell(uow)
    assert told.orders == tuple(_order_ids(cases[people[1]]))
    assert _ready_emails(uow)[-1].recipient == "new@haneul.example"


def test_a_closed_incident_is_left_to_its_closing_email(shop) -> None:
    uow, clock, iid, cases, people = _notified(shop)
    _choose(uow, int(cases[people[1]].case_id), "keep")
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    publish_notice(uow, iid)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done", policy=POLICY,
               links=LINKS)
    assert _tell(uow) == []
    assert tell_sellers_ready(uow, actor="t", policy=POLICY, links=LINKS,
                              incident_ids=[iid]) == []
    assert _ready_emails(uow) == []


def test_the_keep_confirmation_tells_the_customer_the_seller_is_asked_to_send(shop) -> None:
    uow, _clock, _iid, cases, people = _notified(shop)
    _choose(uow, int(cases[people[0]].case_id), "keep")  # Alex Kim reads English
    _choose(uow, int(cases[people[1]].case_id), "keep")
    with uow() as u:
        bodies = {r.case_id: r.body for r in u.conn.execute(select(outbox).where(
            outbox.c.purpose == "confirmation", outbox.c.channel == "email"))}
    assert ("We will send your 1 item at the price you paid. We are asking the seller to "
            "send it as usual.") in bodies[int(cases[people[0]].case_id)]
    assert ("주문하신 상품 2개를 결제하신 가격 그대로 보내 드립니다. 판매자에게 평소처럼 보내 "
            "드리도록 안내하겠습니다.") in bodies[int(cases[people[1]].case_id)]


def test_the_worker_runs_it_every_half_hour(shop, database, session_factory) -> None:
    uow, _clock, _iid, cases, people = _notified(shop)
    _choose(uow, int(cases[people[1]].case_id), "keep")
    emails = run_periodic(tell_sellers_ready_job, database, session_factory, POLICY)
    assert emails == 1 and len(_ready_emails(uow)) == 1
    assert SELLERS_READY_CRON == "*/30 * * * *"


def test_emails_are_numbered_by_the_outbox_so_none_is_lost(shop) -> None:
    """The table of orders told emptied (a downgrade past 0033 and back): the orders are listed
    again under the next number, not dropped under a key the outbox already holds."""
    uow, _clock, _iid, cases, people = _notified(shop)
    _choose(uow, int(cases[people[1]].case_id), "keep")
    [first] = _tell(uow)
    with uow() as u:
        u.conn.execute(seller_orders_told.delete())
        u.commit()
    [again] = _tell(uow)
    assert again.orders == first.orders
    assert [e.idempotency_key[-8:] for e in _ready_emails(uow)] == [":ready:1", ":ready:2"]


def test_each_seller_is_told_of_their_own_orders_only(shop) -> None:
    """A customer who bought from two sellers and kept both orders: each seller's email lists
    their own order, never the other's."""
    uow, clock, listing_id, people, seller_id = shop
    _with_email(uow, seller_id, "ops@haneul.example")
    other = catalog.register_seller(uow(), code="byeol", name="별상회",
                                    contact_email="ops@byeol.example", actor="t")
    with uow() as u:
        product = u.market.listing(listing_id).product_id
    theirs = listings.create_listing(uow(), seller_id=other.id, product_id=product, price=WRONG,
                                     actor="t").id
    listings.change_listing_status(uow(), listing_id=theirs, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    clock.now += timedelta(minutes=5)
    bought = orders.place_order(uow(), customer_id=people[2], listing_id=theirs, quantity=1,
                                actor="t", velocity=None)
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    iid = int(desk.declare(uow(), listing_ids=[listing_id, theirs], wrong_price=WRONG,
                           correct_price=RIGHT,
                           window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                           cause="90% event typed as the price", responsible="both",
                           actor="operator:lee", links=LINKS).incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="operator:lee")
    desk.plan(uow(), incident_id=iid, options=["keep", "talk_to_person"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=100, platform_share_pct=0, actor="operator:lee", policy=POLICY)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    with uow() as u:
        [case] = [r.case for r in u.cases.for_incident(iid) if r.case.customer_id == people[2]]
    _choose(uow, int(case.case_id), "keep")
    told = {t.seller_id: set(t.orders) for t in _tell(uow)}
    mine = {int(o.order_id) for o in case.orders if int(o.listing_id) == listing_id}
    assert told == {seller_id: mine, other.id: {int(bought.id)}}
    bodies = {e.recipient: e.body for e in _ready_emails(uow)}
    assert f"주문 {bought.id}번" in bodies["ops@byeol.example"]
    assert f"주문 {bought.id}번" not in bodies["ops@haneul.example"]


def test_an_incident_whose_emails_fail_does_not_stop_the_others(shop) -> None:
    """The run goes on to the next incident, then raises the refusal (the job is retried): the
    first incident's unit of work cannot be made (a fake factory), the second is told."""
    uow, _clock, iid, cases, people = _notified(shop)
    _choose(uow, int(cases[people[1]].case_id), "keep")
    made: list[int] = []

    def failing_first():  # type: ignore[no-untyped-def]
        made.append(1)
        if len(made) == 1:
            raise InvalidInput("the database refused this incident's read", reason="test")
        return uow()

    with pytest.raises(InvalidInput):
        tell_sellers_ready(failing_first, actor="t", policy=POLICY, links=LINKS,
                           incident_ids=[iid, iid])
    assert len(made) == 2 and len(_ready_emails(uow)) == 1  # the next one was told


def test_an_order_emailed_to_send_stays_send_though_the_hours_change(shop) -> None:
    """The seller was emailed after the reply window closed; then the contact centre's hours
    change (a closed day added) and the window would run later: the order stays "send" on the
    page, and a reply recorded now on its case is refused — it cannot undo what the seller was
    told to send."""
    from dataclasses import replace as replaced

    from sagwa.errors import LateChoiceRefused
    from sagwa.services.seller_incidents import seller_incident

    uow, clock, iid, cases, people = _notified(shop)
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    clock.now = datetime(2008, 6, 18, 18, 1, tzinfo=SEOUL)  # the window closed
    [told] = _tell(uow)
    order = _order_ids(cases[people[4]])[0]
    assert order in told.orders
    schedule = replaced(POLICY.schedule, closed_dates=frozenset(
        {datetime(2008, 6, 18).date(), datetime(2008, 6, 19).date()}))
    moved = replaced(POLICY, schedule=schedule)  # the window would now run to Friday
    view = seller_incident(uow(), seller_id=shop[4], incident_id=iid, policy=moved)
    assert {o.order_id: o.instruction.value for o in view.orders}[order] == "send"
    with pytest.raises(LateChoiceRefused) as refused:
        desk_cases.record_choice(uow(), case_id=int(cases[people[4]].case_id),
                                 choice="cancel_with_compensation", channel="email",
                                 evidence="답장: 취소해 주세요", taken_by="agent:park",
                                 policy=moved,
                                 said_at=datetime(2008, 6, 17, 17, 50, tzinfo=SEOUL))
    assert refused.value.details["reason"] == "reply_recorded_too_late"
    assert "the seller was emailed to send order(s)" in refused.value.message
