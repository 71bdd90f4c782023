"""Idempotency keys: a retried command returns its first result and creates nothing twice."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import audit_log, customers, idempotency_keys, sellers
from sagwa.errors import Conflict, IdempotencyMismatch, InvalidInput
from sagwa.services import catalog
from sagwa.services.idempotency import IdempotencyKey
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]


def _counts(uow: Uow) -> dict[str, int]:
    with uow() as u:
        return {t.name: int(u.conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (sellers, customers, idempotency_keys, audit_log)}


def test_same_key_and_body_returns_the_same_object_and_creates_one_row(uow: Uow) -> None:
    first = catalog.register_seller(uow(), code="haneul", name="하늘", actor="t",
                                    idempotency_key="k-1")
    counts = _counts(uow)
    again = catalog.register_seller(uow(), code="haneul", name="하늘", actor="t",
                                    idempotency_key="k-1")
    assert again == first
    assert _counts(uow) == counts
    assert counts["sellers"] == 1 and counts["idempotency_keys"] == 1


def test_same_key_with_a_different_body_is_refused(uow: Uow) -> None:
    catalog.register_seller(uow(), code="haneul", name="하늘", actor="t", idempotency_key="k-1")
    counts = _counts(uow)
    with pytest.raises(IdempotencyMismatch, match="'k-1' was already used") as info:
        catalog.register_seller(uow(), code="other", name="다른", actor="t",
                                idempotency_key="k-1")
    assert info.value.code == "idempotency_key_reused"
    assert _counts(uow) == counts


def test_keys_are_scoped_per_kind_of_command(uow: Uow) -> None:
    catalog.register_seller(uow(), code="haneul", name="하늘", actor="t", idempotency_key="same")
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t",
                                         idempotency_key="same")
    assert _counts(uow)["idempotency_keys"] == 2
    assert customer.email == "mj@example.com"


def test_a_failed_first_attempt_does_not_burn_the_key(uow: Uow) -> None:
    catalog.register_seller(uow(), code="taken", name="선점", actor="t")
    with pytest.raises(Conflict):
        catalog.register_seller(uow(), code="taken", name="나", actor="t", idempotency_key="k-2")
    seller = catalog.register_seller(uow(), code="free", name="나", actor="t",
                                     idempotency_key="k-2")
    assert seller.code == "free"


@pytest.mark.parametrize("key", ["", "   ", "k" * 201])
def test_blank_or_overlong_key_is_refused(uow: Uow, key: str) -> None:
    with pytest.raises(InvalidInput, match="(?i)idempotency.key"):
        catalog.register_seller(uow(), code="haneul", name="하늘", actor="t", idempotency_key=key)


def test_concurrent_retries_with_one_key_create_one_row(committed_database: Database) -> None:
    factory = committed_database.session_factory
    assert factory is not None
    start = threading.Barrier(6)

    def attempt(_: int) -> int:
        start.wait(timeout=10)
        return catalog.register_seller(SqlAlchemyUnitOfWork(factory), code="race", name="경주",
                                       actor="t", idempotency_key="race-key").id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(attempt, range(6)))
    assert len(set(ids)) == 1
    counts = _counts(lambda: SqlAlchemyUnitOfWork(factory))
    assert counts["sellers"] == 1
    assert counts["idempotency_keys"] == 1
    assert counts["audit_log"] == 1


# Keys per account, and the whole request compared (services.idempotency.IdempotencyKey).

def _as(owner: str, key: str) -> IdempotencyKey:
    return IdempotencyKey(key, owner=owner)


def test_the_same_key_from_two_accounts_is_two_keys(uow: Uow) -> None:
    first = catalog.register_seller(uow(), code="sa", name="가", actor="api:seller_a",
                                    idempotency_key=_as("api:seller_a", "rv-x-9"))
    other = catalog.register_seller(uow(), code="sb", name="나", actor="api:admin",
                                    idempotency_key=_as("api:admin", "rv-x-9"))
    assert other.id != first.id  # not refused, and nothing said about the other account
    again = catalog.register_seller(uow(), code="sa", name="가", actor="api:seller_a",
                                    idempotency_key=_as("api:seller_a", "rv-x-9"))
    assert again == first
    with uow() as u:
        owners = u.conn.execute(select(idempotency_keys.c.owner)).scalars().all()
    assert sorted(owners) == ["api:admin", "api:seller_a"]


def test_a_plain_key_is_not_an_accounts_key(uow: Uow) -> None:
    catalog.register_seller(uow(), code="sa", name="가", actor="seed", idempotency_key="k")
    mine = catalog.register_seller(uow(), code="sb", name="나", actor="api:admin",
                                   idempotency_key=_as("api:admin", "k"))
    assert mine.code == "sb"


def test_a_different_request_under_ones_own_key_is_refused_with_its_reason(uow: Uow) -> None:
    catalog.register_seller(uow(), code="sa", name="가", actor="api:admin",
                            idempotency_key=_as("api:admin", "k"))
    with pytest.raises(IdempotencyMismatch) as info:
        catalog.register_seller(uow(), code="sb", name="나", actor="api:admin",
                                idempotency_key=_as("api:admin", "k"))
    assert info.value.details == {"idempotency_key": "k", "reason": "idempotency_request_differs"}


def test_request_parts_the_use_case_does_not_see_are_compared_too(uow: Uow) -> None:
    key = _as("api:admin", "k")
    first = catalog.register_seller(uow(), code="sa", name="가", actor="api:admin",
                                    idempotency_key=key.with_request(publish=True))
    same = catalog.register_seller(uow(), code="sa", name="가", actor="api:admin",
                                   idempotency_key=key.with_request(publish=True))
    assert same == first
    with pytest.raises(IdempotencyMismatch):
        catalog.register_seller(uow(), code="sa", name="가", actor="api:admin",
                                idempotency_key=key.with_request(publish=False))


@pytest.mark.parametrize(("key", "reason"), [("", "idempotency_key_missing"),
                                             ("  ", "idempotency_key_missing"),
                                             ("k" * 201, "idempotency_key_too_long")])
def test_a_blank_or_overlong_key_says_which(uow: Uow, key: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        catalog.register_seller(uow(), code="sa", name="가", actor="t", idempotency_key=key)
    assert info.value.details["reason"] == reason
    assert _counts(uow)["sellers"] == 0
