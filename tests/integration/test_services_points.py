"""Customer points in the append-only, balanced ledger on real PostgreSQL."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import audit_words, ledger_entries, ledger_postings
from sagwa.domain.ledger import AccountKind
from sagwa.errors import AlreadyReversed, InsufficientPoints, InvalidInput, NotFound
from sagwa.services import catalog, points
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]
K = AccountKind


@pytest.fixture
def people(uow: Uow) -> tuple[int, int]:
    seller = catalog.register_seller(uow(), code="haneul", name="하늘전자", actor="t")
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t")
    return customer.id, seller.id


def _balances(uow: Uow, customer_id: int, seller_id: int) -> dict[str, int]:
    with uow() as u:
        return {"customer": u.ledger.balance(K.CUSTOMER_POINTS, customer_id),
                "seller": u.ledger.balance(K.SELLER_CHARGEBACK, seller_id),
                "platform": u.ledger.balance(K.PLATFORM_EXPENSE, None),
                "redeemed": u.ledger.balance(K.POINTS_REDEEMED, None),
                "trial": u.ledger.trial_balance()}


def _entries(uow: Uow) -> int:
    with uow() as u:
        return int(u.conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one())


def test_credit_with_seller_split_books_each_account(uow: Uow, people: tuple[int, int]) -> None:
    customer_id, seller_id = people
    receipt = points.credit_customer_points(uow(), customer_id=customer_id, points=3001,
                                            memo="사과의 뜻으로", actor="desk:lee",
                                            seller_id=seller_id, seller_share_pct=50)
    assert receipt.balance == 3001
    assert _balances(uow, customer_id, seller_id) == {
        "customer": 3001, "seller": -1500, "platform": -1501, "redeemed": 0, "trial": 0}
    with uow() as u:
        trail = u.audit.for_entity("customer", str(customer_id))
    assert trail[-1].event.action == "points.credited"
    # the memo a person typed: a digest on the log, the words beside it (erasable)
    after = trail[-1].event.after
    assert {k: after[k] for k in ("entry_id", "points", "memo_chars")} == {
        "entry_id": receipt.entry_id, "points": 3001, "memo_chars": len("사과의 뜻으로")}
    assert "사과의 뜻으로" not in str(after) and len(after["memo_hmac"]) == 64
    with uow() as u:
        words = u.conn.execute(select(audit_words.c.words).where(
            audit_words.c.seq == trail[-1].seq, audit_words.c.field == "memo")).scalar_one()
    assert words == "사과의 뜻으로"


def test_debit_within_balance_moves_points_to_redeemed(uow: Uow, people: tuple[int, int]) -> None:
    customer_id, seller_id = people
    points.credit_customer_points(uow(), customer_id=customer_id, points=5000, memo="m",
                                  actor="t")
    receipt = points.debit_customer_points(uow(), customer_id=customer_id, points=5000,
                                           memo="spent", actor="t")
    assert receipt.balance == 0
    assert _balances(uow, customer_id, seller_id)["redeemed"] == 5000


def test_debit_beyond_balance_is_refused_and_nothing_is_stored(uow: Uow,
                                                                people: tuple[int, int]) -> None:
    customer_id, seller_id = people
    points.credit_customer_points(uow(), customer_id=customer_id, points=1000, memo="m",
                                  actor="t")
    before = (_entries(uow), _balances(uow, customer_id, seller_id))
    with pytest.raises(InsufficientPoints, match="has 1000 points, cannot spend 1001"):
        points.debit_customer_points(uow(), customer_id=customer_id, points=1001, memo="x",
                                     actor="t")
    assert (_entries(uow), _balances(uow, customer_id, seller_id)) == before


def test_reversal_restores_balances_and_happens_once(uow: Uow, people: tuple[int, int]) -> None:
    customer_id, seller_id = people
    receipt = points.credit_customer_points(uow(), customer_id=customer_id, points=3000,
                                            memo="m", actor="t", seller_id=seller_id,
                                            seller_share_pct=100)
    reversal_id = points.reverse_entry(uow(), entry_id=receipt.entry_id, memo="booked twice",
                                       actor="t")
    assert _balances(uow, customer_id, seller_id) == {
        "customer": 0, "seller": 0, "platform": 0, "redeemed": 0, "trial": 0}
    entries = _entries(uow)
    with pytest.raises(AlreadyReversed, match=f"already reversed by {reversal_id}") as info:
        points.reverse_entry(uow(), entry_id=receipt.entry_id, memo="again", actor="t")
    assert info.value.code == "already_reversed"
    with pytest.raises(InvalidInput, match="itself a reversal") as undo:
        points.reverse_entry(uow(), entry_id=reversal_id, memo="undo the undo", actor="t")
    assert undo.value.details["reason"] == "entry_is_a_reversal"
    assert _entries(uow) == entries


def test_unknown_customer_or_entry_is_not_found(uow: Uow) -> None:
    with pytest.raises(NotFound, match="customer"):
        points.credit_customer_points(uow(), customer_id=987_654_321, points=10, memo="m",
                                      actor="t")
    with pytest.raises(NotFound, match="ledger entry"):
        points.reverse_entry(uow(), entry_id=987_654_321, memo="m", actor="t")


def test_credit_needs_a_memo(uow: Uow, people: tuple[int, int]) -> None:
    with pytest.raises(InvalidInput, match="memo"):
        points.credit_customer_points(uow(), customer_id=people[0], points=10, memo="  ",
                                      actor="t")


def _credit(uow: Uow, customer_id: int) -> int:
    return points.credit_customer_points(uow(), customer_id=customer_id, points=100, memo="m",
                                         actor="t").entry_id


@pytest.mark.parametrize("sql", [
    "UPDATE ledger_postings SET amount_minor = amount_minor * 10",
    "DELETE FROM ledger_postings",
    "UPDATE ledger_entries SET memo = 'rewritten'",
    "DELETE FROM ledger_entries",
    "UPDATE audit_log SET actor = 'nobody'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log CASCADE",  # refunds reference it: even the cascade is refused
])
def test_database_refuses_to_rewrite_ledger_or_audit_log(
        uow: Uow, people: tuple[int, int], session_factory: sessionmaker[Session],
        sql: str) -> None:
    _credit(uow, people[0])
    with session_factory() as session, pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(sql))
    assert _balances(uow, people[0], people[1])["customer"] == 100


def _raw_entry(conn, amounts: list[int]) -> int:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    entry_id = conn.execute(insert(ledger_entries).values(kind="raw", memo="raw", created_at=now)
                            .returning(ledger_entries.c.id)).scalar_one()
    for amount in amounts:
        conn.execute(insert(ledger_postings).values(entry_id=entry_id, account_kind="platform_expense",
                                                    owner_id=None, amount_minor=amount,
                                                    currency="KRW"))
    return int(entry_id)


def test_unbalanced_raw_insert_is_refused_at_commit(committed_database: Database) -> None:
    engine = committed_database.engine
    with engine.connect() as conn:
        _raw_entry(conn, [500, -400])  # accepted statement by statement: the check is deferred
        with pytest.raises(DBAPIError, match="does not balance"):
            conn.commit()
    with engine.connect() as conn:
        _raw_entry(conn, [1])
        with pytest.raises(DBAPIError, match="does not balance"):
            conn.commit()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one() == 0
        balanced = _raw_entry(conn, [500, -500])
        conn.commit()
    with engine.connect() as conn:
        stored = conn.execute(select(ledger_postings.c.amount_minor)
                              .where(ledger_postings.c.entry_id == balanced)).scalars().all()
    assert sorted(stored) == [-500, 500]
