"""A planned incident not yet notified, for the incident page's tests of what notifying sends:
seller A's speaker listing, shown at 8,900 instead of 89,000 and ordered by the world's three
customers (김민준 and 이서연 read Korean, Alex Kim English; each has an email and a phone
number), declared, scoped and planned through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import outbox
from sagwa.domain.money import Money
from sagwa.services import desk
from sagwa.services.unit_of_work import Clock, SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.deadlines import closing_time_after


def planned_speaker(session_factory: sessionmaker[Session], world: World, *,
                    clock: Clock = utc_now) -> int:
    """The speaker incident, planned (keep, or cancel for 5,000 points; default keep): its id.
    ``clock``: when it is declared and planned (the world's orders are of the last 3 hours)."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    start = datetime.now(UTC) - timedelta(hours=2, minutes=58)  # the world's orders: after it
    incident = int(desk.declare(
        uow(), listing_ids=[world.speaker_a], wrong_price=Money(8_900, "KRW"),
        correct_price=Money(89_000, "KRW"), window_start=start, cause="스피커 가격 입력 실수",
        responsible="seller", actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    now = uow().now()
    desk.plan(uow(), incident_id=incident, options=["keep", "cancel_with_compensation"],
              deadline=closing_time_after(now + timedelta(days=10)), default="keep",
              seller_share_pct=100, platform_share_pct=0, actor="admin:test", policy=POLICY,
              cancel_compensation=Money(5_000, "KRW"))
    return incident


def queued_apologies(session_factory: sessionmaker[Session],
                     incident_id: int) -> dict[tuple[int, str], tuple[str, str]]:
    """The incident's apologies in the outbox: (case id, channel) -> (subject, body)."""
    with session_factory() as session:
        rows = session.execute(select(outbox.c.case_id, outbox.c.channel, outbox.c.subject,
                                      outbox.c.body)
                               .where(outbox.c.incident_id == incident_id,
                                      outbox.c.purpose == "resolution")).all()
    return {(int(r.case_id), str(r.channel)): (str(r.subject), str(r.body)) for r in rows}


def outbox_rows(session_factory: sessionmaker[Session]) -> int:
    """How many messages the outbox holds, of every incident and purpose."""
    with session_factory() as session:
        return len(session.execute(select(outbox.c.id)).all())
