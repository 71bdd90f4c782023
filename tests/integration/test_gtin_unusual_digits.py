"""A GTIN typed with full-width digits is stored as ASCII digits, so the unique-GTIN check sees
it; one with a superscript digit is refused and nothing is stored (real PostgreSQL)."""

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import products
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import catalog
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]


def _count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return int(s.execute(select(func.count()).select_from(products)).scalar_one())


def test_a_full_width_gtin_is_the_same_gtin_as_its_ascii_digits(
    uow: Uow, session_factory: sessionmaker[Session]
) -> None:
    first = catalog.register_product(
        uow(), title="iPod nano", category="mp3", gtin="４００６３８１３３３９３１", actor="t"
    )
    assert first.gtin == "4006381333931"
    with uow() as u:
        assert u.catalog.product_by_gtin("4006381333931") == first
    before = _count(session_factory)
    with pytest.raises(Conflict) as info:
        catalog.register_product(
            uow(), title="iPod again", category="mp3", gtin="4006381333931", actor="t"
        )
    assert info.value.details["reason"] == "gtin_taken"
    assert _count(session_factory) == before


def test_a_gtin_with_a_superscript_digit_is_refused_and_nothing_stored(
    uow: Uow, session_factory: sessionmaker[Session]
) -> None:
    before = _count(session_factory)
    with pytest.raises(InvalidInput, match="only digits") as info:
        catalog.register_product(
            uow(), title="iPod nano", category="mp3", gtin="400638133393²", actor="t"
        )
    assert info.value.details["field"] == "gtin"
    assert _count(session_factory) == before
