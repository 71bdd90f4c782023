"""A small marketplace for the page tests, built through the services (never around them).

Two sellers; an iPod nano both sell at ~199,000 KRW; seller B's MacBook listing that showed
159,000 KRW instead of 1,590,000 KRW, ordered by three customers — a declared, scoped, planned
and notified incident (one customer asked to talk to a person); and seller A's speaker listing
at a wrong price with two orders, for the operator to declare by hand. One account per role.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.accounts import create_user
from sagwa.services.case_links import case_token
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

POLICY = load_desk_policy()
#: The built-in policy with the contact centre open every minute of every day: for tests whose
#: calls are logged at the real now, which count only while the centre is open
#: (``call_attempts.uncountable``) — whatever hour the suite runs at.
OPEN_ALL_DAY = replace(POLICY, schedule=ContactSchedule(
    hours=((time.min, time.max),) * 7, min_time_left=POLICY.schedule.min_time_left,
    holidays_closed=False))
PASSWORD = "correct-horse-42"
KRW = "KRW"




@dataclass
class World:
    seller_a: int = 0
    seller_b: int = 0
    ipod_a: int = 0           # seller A's iPod listing, live at 199,000
    ipod_b: int = 0           # seller B's iPod listing
    macbook_b: int = 0        # seller B's listing in incident `incident`
    speaker_a: int = 0        # seller A's listing at a wrong price, not declared yet
    incident: int = 0
    deadline: datetime = field(default_factory=lambda: datetime.now(UTC))  # the plan's
    cases: dict[str, int] = field(default_factory=dict)     # customer name -> case id
    customers: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)    # customer name -> link token


def _listing(uow, seller_id: int, product_id: int, price: int) -> int:  # type: ignore[no-untyped-def]
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product_id,
                                      price=Money(price, KRW), actor="test")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="test")
    return listing.id


def build_world(session_factory: sessionmaker[Session], secret: str) -> World:
    real_now = datetime.now(UTC).replace(microsecond=0)
    clock = ManualClock(real_now - timedelta(hours=3))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    w = World()
    w.seller_a = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t").id
    w.seller_b = catalog.register_seller(uow(), code="bada", name="바다전자", actor="t").id
    product = {}
    for key, title, title_en, price in (
            ("ipod", "애플 아이팟 나노 3세대 4GB", "Apple iPod nano 3rd gen 4GB", 199_000),
            ("macbook", "애플 맥북 13인치", "Apple MacBook 13-inch", 1_590_000),
            ("speaker", "블루투스 스피커 미니", "Bluetooth speaker mini", 89_000)):
        product[key] = catalog.register_product(
            uow(), title=title, title_en=title_en, category="electronics/mp3",
            list_price=Money(price, KRW), actor="t").id
    w.ipod_a = _listing(uow, w.seller_a, product["ipod"], 199_000)
    w.ipod_b = _listing(uow, w.seller_b, product["ipod"], 195_000)
    w.macbook_b = _listing(uow, w.seller_b, product["macbook"], 159_000)
    w.speaker_a = _listing(uow, w.seller_a, product["speaker"], 8_900)
    for name, locale in (("김민준", "ko"), ("이서연", "ko"), ("Alex Kim", "en")):
        w.customers[name] = catalog.register_customer(
            uow(), name=name, email=f"{len(w.customers)}@example.com",
            phone=f"010-1234-000{len(w.customers)}", locale=locale, actor="t").id
    for name, customer_id in w.customers.items():
        clock.now += timedelta(minutes=5)
        for listing_id in (w.macbook_b, w.speaker_a):
            orders.place_order(uow(), customer_id=customer_id, listing_id=listing_id,
                               quantity=1, actor="t", velocity=None)
    _incident(uow, clock, w, real_now, secret)
    _accounts(uow, w)
    return w


def _incident(uow, clock: ManualClock, w: World, real_now: datetime,  # type: ignore[no-untyped-def]
              secret: str) -> None:
    clock.now = real_now - timedelta(minutes=30)
    row = desk.declare(uow(), listing_ids=[w.macbook_b], wrong_price=Money(159_000, KRW),
                       correct_price=Money(1_590_000, KRW),
                       window_start=real_now - timedelta(hours=3),
                       cause="맥북 가격 1,590,000원을 159,000원으로 잘못 입력", responsible="both",
                       actor="admin:test")
    w.incident = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=w.incident, actor="admin:test")
    deadline = closing_time_after(real_now + timedelta(days=10))
    w.deadline = deadline
    desk.plan(uow(), incident_id=w.incident,
              options=["keep", "cancel_with_compensation", "talk_to_person"], deadline=deadline,
              default="keep", seller_share_pct=60, platform_share_pct=40, actor="admin:test",
              policy=POLICY, cancel_compensation=Money(10_000, KRW))
    notify(uow(), incident_id=w.incident, actor="admin:test", policy=POLICY,
           links=LinkMaker(secret, "http://127.0.0.1"))
    with uow() as u:
        for r in u.cases.for_incident(w.incident):
            name = next(n for n, c in w.customers.items() if c == int(r.case.customer_id))
            w.cases[name] = int(r.case.case_id)
            w.tokens[name] = case_token(secret, case_id=int(r.case.case_id),
                                        customer_id=int(r.case.customer_id),
                                        expires_at=deadline + timedelta(days=14))
    desk_cases.record_choice(uow(), case_id=w.cases["이서연"], choice="talk_to_person",
                             channel="web", evidence="web case page: talk to a person",
                             taken_by="customer", policy=POLICY)


def _accounts(uow, w: World) -> None:  # type: ignore[no-untyped-def]
    for username, role, seller in (("admin", "admin", None), ("reviewer", "reviewer", None),
                                   ("agent", "agent", None), ("seller_a", "seller", w.seller_a),
                                   ("seller_b", "seller", w.seller_b)):
        create_user(uow(), username=username, role=role, password=PASSWORD, seller_id=seller,
                    actor="test")
