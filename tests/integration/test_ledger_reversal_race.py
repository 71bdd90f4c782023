"""Six reversals of one entry at once: one books it, the others are told it was already
reversed — not a database constraint's name in a "conflict" (a review's finding), nor
"insufficient points" when the first reversal emptied the balance."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from sagwa.domain.ledger import AccountKind
from sagwa.errors import AlreadyReversed, SagwaError
from sagwa.services import catalog, points
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration


def test_reversals_at_once_book_one_and_tell_the_rest_it_was_reversed(committed_database) -> None:
    factory = committed_database.session_factory

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory, lambda: datetime(2026, 12, 3, 6, 0, tzinfo=UTC))

    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    person = catalog.register_customer(uow(), name="동시 취소", email=f"race{stamp}@example.com",
                                       actor="t")
    receipt = points.credit_customer_points(uow(), customer_id=person.id, points=1000,
                                            memo="goodwill", actor="t")
    barrier = threading.Barrier(6)
    results: list[object] = [None] * 6

    def run(slot: int) -> None:
        barrier.wait()
        try:
            results[slot] = points.reverse_entry(uow(), entry_id=receipt.entry_id,
                                                 memo=f"undo {slot}", actor="t")
        except SagwaError as exc:
            results[slot] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    booked = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, SagwaError)]
    assert len(booked) == 1, results
    assert all(isinstance(r, AlreadyReversed) for r in refused), [
        (type(r).__name__, r.message) for r in refused]
    assert all(str(booked[0]) in r.message for r in refused)
    with uow() as u:
        assert u.ledger.balance(AccountKind.CUSTOMER_POINTS, person.id) == 0
