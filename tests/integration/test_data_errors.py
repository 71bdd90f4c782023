"""What PostgreSQL refuses to store is said plainly with a reason a page can translate, not in
the database's words ("bigint out of range"), and nothing is written."""

from __future__ import annotations

import pytest

from sagwa.errors import InvalidInput
from sagwa.services import catalog
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def test_an_id_beyond_bigint_is_a_number_too_large(session_factory) -> None:
    with pytest.raises(InvalidInput) as refused, SqlAlchemyUnitOfWork(session_factory) as u:
        u.market.listing(10**20)
    assert refused.value.details["reason"] == "number_too_large"
    assert "out of range" not in refused.value.message


def test_text_with_a_nul_character_is_refused_and_nothing_is_stored(session_factory) -> None:
    with pytest.raises(InvalidInput) as refused:
        catalog.register_seller(SqlAlchemyUnitOfWork(session_factory), code="nul-shop",
                                name="가게 이름", contact_email="shop\x00@example.com",
                                actor="t")  # a name refuses it earlier: text_control_character
    assert refused.value.details["reason"] == "text_not_storable"
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.catalog.seller_by_code("nul-shop") is None
