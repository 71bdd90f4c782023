"""The Korean shown beside a guard reason the audit log keeps in English
(``ReadRepository.guard_reasons_ko``), on real PostgreSQL: when one English reason was stored
with two Korean wordings (the wording changed between versions), the latest change's is shown,
the same on every call — not whichever row the database's DISTINCT happened to return last."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import price_changes
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import ipod_listed_at_wrong_price

EN = "new price 19,900 KRW is 90% below the median of 3 other sellers (199,000 KRW)"
# the latest wording sorts first (a DISTINCT by sorting returned it first, so the older won)
OLD_KO, NEW_KO = "새 가격 19,900원은 다른 판매자 3곳의 중앙값보다 90% 낮음", \
    "새 가격 19,900원은 다른 판매자 3곳 중앙값(199,000원)보다 90% 낮습니다."


def test_the_latest_korean_wording_of_a_reason_is_shown(
        session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(datetime(2008, 6, 12, 5, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    listing_id = ipod_listed_at_wrong_price(uow).listing_id
    rows = [(OLD_KO, 0), (OLD_KO, 1), (NEW_KO, 2)] * 3 + [(NEW_KO, 3)]
    with uow() as u:
        for ko, hours in rows:
            u.conn.execute(insert(price_changes).values(
                listing_id=listing_id, old_price_minor=199_000, new_price_minor=19_900,
                currency="KRW", proposed_by="seller:x", status="rejected",
                proposed_at=clock.now + timedelta(hours=hours), guard_verdict="hold",
                guard_reason_en=EN, guard_reason_ko=ko))
        u.commit()
        assert u.reads.guard_reasons_ko([listing_id])[EN] == NEW_KO
        assert u.reads.guard_reasons_ko([]) == {}
