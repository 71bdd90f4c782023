"""A late choice (the plan accepts late choices) recorded while the operator closes the
incident, on real commits (found by a review): the choice used to check "not closed" without
locking the incident, so a choice whose check ran before the close committed after it — an order
cancelled and compensation booked on a closed incident, whose figures and ledger are final. The
choice now holds the incident (shared) from before its check: the close waits for it."""
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apologies_sent import apologies_sent

from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, notices, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()


def test_closing_waits_for_a_choice_being_recorded(committed_database, monkeypatch) -> None:
    now = [datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)]
    factory = committed_database.session_factory
    uow = lambda: SqlAlchemyUnitOfWork(factory, lambda: now[0])
    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노", category="electronics/mp3",
                                       list_price=Money(199_000, "KRW"), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    person = catalog.register_customer(uow(), name="고객", email="c@example.com", actor="t")
    now[0] += timedelta(minutes=3)
    orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                       actor="t", velocity=None)
    now[0] = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    iid = int(desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(19_900, "KRW"),
                           correct_price=Money(199_000, "KRW"),
                           window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                           cause="typo", responsible="seller", actor="op").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="op")
    desk.plan(uow(), incident_id=iid, options=["keep", "cancel_with_compensation"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=50, platform_share_pct=50, actor="op", policy=POLICY,
              cancel_compensation=Money(5_000, "KRW"), accept_late_choices=True)
    notify(uow(), incident_id=iid, actor="op", policy=POLICY,
           links=LinkMaker("test-secret-key-0123456789", "http://t"))
    apologies_sent(uow)
    for lang in ("ko",):
        t, b = notices.draft_notice(uow(), incident_id=iid, lang=lang, policy=POLICY)
        notices.publish_notice(uow(), incident_id=iid, lang=lang, title=t, body=b, actor="op")
    now[0] = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="op", policy=POLICY)
    with uow() as u:
        case_id = int(u.cases.for_incident(iid)[0].case.case_id)

    checked, finished = threading.Event(), []
    original = desk_cases._require_not_closed

    def slow_check(u, incident_id):  # the customer's request, paused just after its check
        original(u, incident_id)
        checked.set()
        time.sleep(1.0)  # the operator's close starts meanwhile

    monkeypatch.setattr(desk_cases, "_require_not_closed", slow_check)
    out: dict[str, object] = {}

    def customer() -> None:
        try:
            out["choice"] = desk_cases.record_choice(
                uow(), case_id=case_id, choice="cancel_with_compensation", channel="web",
                evidence="pressed", taken_by="customer", policy=POLICY)
        except Exception as exc:  # noqa: BLE001
            out["choice"] = exc
        finished.append("choice")

    th = threading.Thread(target=customer)
    th.start()
    assert checked.wait(10)
    closed = desk.close(uow(), incident_id=iid, actor="op", reason="all answered or defaulted")
    finished.append("close")
    th.join(30)
    assert finished == ["choice", "close"], out  # the close waited for the choice
    assert out["choice"].changed and closed.incident.status is IncidentStatus.CLOSED
    with uow() as u:
        entry = u.cases.get(case_id).compensation_entry_id
        events = [r.event.action for r in u.audit.for_entity("incident", str(iid))]
        case_events = u.audit.for_entity("case", str(case_id))
    assert entry is not None and any(e.startswith("incident.clos") for e in events), events
    assert "case.choice_recorded" in [r.event.action for r in case_events]
