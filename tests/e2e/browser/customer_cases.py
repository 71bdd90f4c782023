"""A customer's case for the case page tests (``/c/<token>``), told through the real services,
and what a page that offers no choice must not show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import customers, outbox
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.case_links import case_token
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

KRW = "KRW"
EARPHONES = ("무선 이어폰", "Wireless earphones")


@dataclass(frozen=True)
class NotifiedCase:
    """The incident, 김민준's case in it, the case's link token, the plan's deadline and the
    clock the story ran on (standing at the notice)."""

    incident_id: int
    case_id: int
    token: str
    deadline: datetime
    clock: ManualClock


def notified_two_unit_case(session_factory: sessionmaker[Session], secret: str, world: World, *,
                           started: datetime, options: list[str],
                           product: tuple[str, str] = EARPHONES, sent: bool = True,
                           notified: bool = True,
                           ordered_after: timedelta = timedelta(minutes=10),
                           **plan_terms: object) -> NotifiedCase:
    """김민준 orders 2 of ``product`` (Korean and English title) shown at 19,900 (correct price
    185,000) from ``started``, ``ordered_after`` it; the incident is declared, scoped, planned
    (``options`` and ``plan_terms``; deadline a week later, default keep) and notified; with
    ``sent``, the apology sent (without, it never went out: the customer was never told). Not
    ``notified``, it stops at the plan (the operator's page sends the apologies)."""
    clock = ManualClock(started)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    listing = _published_listing(uow, world, product)
    customer = world.customers["김민준"]
    clock.advance(ordered_after)
    orders.place_order(uow(), customer_id=customer, listing_id=listing, quantity=2, actor="t",
                       velocity=None)
    clock.advance(timedelta(minutes=20))
    incident = int(desk.declare(
        uow(), listing_ids=[listing], wrong_price=Money(19_900, KRW),
        correct_price=Money(185_000, KRW), window_start=started, cause="가격 입력 실수",
        responsible="seller", actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    deadline = closing_time_after(clock.now + timedelta(days=7))
    desk.plan(uow(), incident_id=incident, options=options, deadline=deadline, default="keep",
              seller_share_pct=100, platform_share_pct=0, actor="admin:test", policy=POLICY,
              **plan_terms)  # type: ignore[arg-type]
    if notified:
        notify(uow(), incident_id=incident, actor="admin:test", policy=POLICY,
               links=LinkMaker(secret, "http://127.0.0.1"))
    with uow() as u:
        case_id = int(u.cases.for_incident(incident)[0].case.case_id)
        for message_id, due in u.conn.execute(select(outbox.c.id, outbox.c.not_before).where(
                outbox.c.case_id == case_id, outbox.c.purpose == "resolution",
                sent)).all():
            # the worker sent it: the customer was told (their link came in it)
            u.outbox.record_outcome(message_id, status="sent", last_error=None, sent_at=due)
        u.commit()
    token = case_token(secret, case_id=case_id, customer_id=customer,
                       expires_at=datetime.now(UTC) + timedelta(days=30))
    return NotifiedCase(incident, case_id, token, deadline, clock)


#: The options of a plan whose discount the customer takes (``discount_chosen``).
DISCOUNT_OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"]


def discount_chosen(session_factory: sessionmaker[Session], secret: str, world: World, *,
                    chosen_ago: timedelta) -> NotifiedCase:
    """김민준's 2 earphones (19,900 paid, 185,000 correct), notified two days before the
    choice, bought at 20% off ``chosen_ago`` (256,200 KRW more to pay); cancelling would have
    given 5,000 points."""
    chosen_at = datetime.now(UTC) - chosen_ago
    case = notified_two_unit_case(session_factory, secret, world,
                                  started=chosen_at - timedelta(hours=47),
                                  options=DISCOUNT_OPTIONS, discount_pct=20,
                                  cancel_compensation=Money(5_000, KRW))
    case.clock.now = chosen_at
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, choice=DISCOUNT_OPTIONS[2], channel="web",
                             evidence="pressed buy at the discount", taken_by="customer",
                             policy=POLICY)
    return case


def change_customer(session_factory: sessionmaker[Session], customer_id: int,
                    **values: object) -> None:
    """Columns of a customer's row set directly: what the pages do not change for them (the
    language they read) or a number gone behind the desk's back."""
    with session_factory() as session:
        session.execute(update(customers).where(customers.c.id == customer_id).values(**values))
        session.commit()


def _published_listing(uow: Callable[[], SqlAlchemyUnitOfWork], world: World,
                       product: tuple[str, str]) -> int:
    """Seller A's listing of a new product (list price 185,000) at 19,900, published."""
    title, title_en = product
    product_id = catalog.register_product(uow(), title=title, title_en=title_en,
                                          category="electronics/audio",
                                          list_price=Money(185_000, KRW), actor="t").id
    listing = listings.create_listing(uow(), seller_id=world.seller_a, product_id=product_id,
                                      price=Money(19_900, KRW), actor="test").id
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.PUBLISH,
                                   actor="test")
    return listing


def assert_no_choice_offered(html: str) -> None:
    assert 'id="choose-' not in html and 'id="confirm-step"' not in html
    assert "답변 기한:" not in html and "Please answer by" not in html
    assert "기한까지 답이 없으시면" not in html and "If we do not hear from you" not in html
