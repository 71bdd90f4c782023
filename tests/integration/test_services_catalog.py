"""Registering and looking up sellers, products and customers on real PostgreSQL."""

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import audit_log, customers, products, sellers
from sagwa.domain.money import Money
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import catalog
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]


def _count(session_factory: sessionmaker[Session], table) -> int:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return int(s.execute(select(func.count()).select_from(table)).scalar_one())


def test_registered_seller_can_be_looked_up(uow: Uow) -> None:
    seller = catalog.register_seller(uow(), code="haneul", name="하늘전자", actor="t",
                                     contact_email="Shop@Haneul.kr")
    with uow() as u:
        assert u.catalog.seller(seller.id) == seller
        assert u.catalog.seller_by_code("haneul") == seller
    assert seller.contact_email == "shop@haneul.kr"


def test_registered_product_can_be_looked_up_by_gtin_and_title(uow: Uow) -> None:
    product = catalog.register_product(uow(), title="아이팟 나노 3세대 4GB", category="electronics/mp3",
                                       list_price=Money(199000, "KRW"), gtin="4006381333931",
                                       sku="APL-T-1", actor="t")
    with uow() as u:
        assert u.catalog.product(product.id) == product
        assert u.catalog.product_by_gtin("4006381333931") == product
        assert product in u.catalog.list_products(query="아이팟", limit=10, offset=0)
    assert product.list_price == Money(199000, "KRW")


@pytest.mark.parametrize("typed", ["%", "_", "\\", "100%", "4_B"])
def test_a_search_matches_percent_underscore_and_backslash_as_typed(uow: Uow, typed: str) -> None:
    # "%" and "_" listed every product: they were LIKE wildcards
    plain = catalog.register_product(uow(), title="아이팟 나노 4GB", category="electronics/mp3",
                                     list_price=Money(199000, "KRW"), actor="t")
    odd = catalog.register_product(uow(), title="할인 100% 4_B \\ 특가", category="books",
                                   list_price=Money(9000, "KRW"), actor="t")
    with uow() as u:
        found = u.catalog.list_products(query=typed, limit=1000, offset=0)
        assert plain not in found and odd in found


def test_registered_customer_can_be_looked_up(uow: Uow) -> None:
    customer = catalog.register_customer(uow(), name="김민준", email="MJ@example.com", actor="t")
    with uow() as u:
        assert u.catalog.customer(customer.id) == customer
        assert u.catalog.customer_by_email("mj@example.com") == customer


def test_registration_is_audited(uow: Uow) -> None:
    seller = catalog.register_seller(uow(), code="audited", name="감사", actor="op:kim")
    with uow() as u:
        trail = u.audit.for_entity("seller", str(seller.id))
    assert [(r.event.action, r.event.actor) for r in trail] == [("seller.registered", "op:kim")]
    assert trail[0].event.after is not None and trail[0].event.after["code"] == "audited"


def test_duplicate_seller_code_is_a_conflict(uow: Uow, session_factory) -> None:
    catalog.register_seller(uow(), code="dup", name="하나", actor="t")
    before = _count(session_factory, sellers)
    with pytest.raises(Conflict, match="'dup' already exists") as info:
        catalog.register_seller(uow(), code="dup", name="둘", actor="t")
    assert info.value.code == "conflict"
    assert info.value.details == {"field": "code", "reason": "seller_code_taken"}
    assert _count(session_factory, sellers) == before


def test_duplicate_gtin_is_a_conflict(uow: Uow, session_factory) -> None:
    catalog.register_product(uow(), title="A", category="c", gtin="036000291452", actor="t")
    before = _count(session_factory, products)
    with pytest.raises(Conflict, match="GTIN 036000291452") as info:
        catalog.register_product(uow(), title="B", category="c", gtin="0-36000-29145-2", actor="t")
    assert info.value.details["reason"] == "gtin_taken"
    assert _count(session_factory, products) == before


def test_duplicate_customer_email_is_a_conflict_whatever_its_case(uow: Uow,
                                                                   session_factory) -> None:
    catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t")
    before = _count(session_factory, customers)
    with pytest.raises(Conflict, match="mj@example.com") as info:
        catalog.register_customer(uow(), name="김민준2", email="MJ@Example.COM", actor="t")
    assert info.value.details["reason"] == "customer_email_taken"
    assert _count(session_factory, customers) == before


def test_duplicate_sku_slipping_past_checks_is_a_conflict_not_a_crash(uow: Uow) -> None:
    catalog.register_product(uow(), title="A", category="c", sku="SKU-1", actor="t")
    with pytest.raises(Conflict, match="conflicts with stored data") as info:
        catalog.register_product(uow(), title="B", category="c", sku="SKU-1", actor="t")
    assert info.value.details["reason"] == "stored_data_conflict"


@pytest.mark.parametrize(("register", "kwargs"), [
    (catalog.register_seller, {"code": "Bad Code", "name": "x"}),
    (catalog.register_seller, {"code": "ok-code", "name": " "}),
    (catalog.register_product, {"title": "x", "category": "c", "gtin": "4006381333932"}),
    (catalog.register_product, {"title": "x", "category": "c",
                                "list_price": Money(-1, "KRW")}),
    (catalog.register_customer, {"name": "x"}),
    (catalog.register_customer, {"name": "x", "email": "nope"}),
])
def test_bad_input_is_refused_and_nothing_is_stored(uow: Uow, session_factory, register,
                                                    kwargs) -> None:  # type: ignore[no-untyped-def]
    tables = (sellers, products, customers, audit_log)
    before = [_count(session_factory, t) for t in tables]
    with pytest.raises(InvalidInput):
        register(uow(), actor="t", **kwargs)
    assert [_count(session_factory, t) for t in tables] == before
