"""Seller emails pass the message check as a ``seller_notice`` on real PostgreSQL, and what it
judges is sagwa's wording, not the catalogue's: a seller called "법원서점" (법원: a court) selling
"소송의 기술" / "The Lawyer" (a lawsuit, a lawyer: threat cues) is still told when its incident is
declared, and the declaration — which pauses the listing — is not refused. There is no
free-text part in a seller email (no operator's words are quoted into one), so only the wording
itself can be refused (``tests/unit/services/test_seller_notice_wording.py``)."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import pytest
from sqlalchemy import select
from test_desk import _declared, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox, products, sellers
from sagwa.errors import MessageRefused
from sagwa.services.seller_notices import SELLER_PURPOSE, check_wording


def test_a_name_and_title_that_read_as_threats_do_not_stop_the_declaration(shop) -> None:
    uow, clock, listing_id, _, seller_id = shop
    with uow() as u:
        product_id = u.market.listing(listing_id).product_id
        u.conn.execute(products.update().where(products.c.id == product_id)
                       .values(title="소송의 기술", title_en="The Lawyer"))
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(name="법원서점", contact_email="ops@court.example"))
        u.commit()
    _declared(uow, clock, listing_id)
    with uow() as u:
        assert u.market.listing(listing_id).status == "paused"
        [email] = u.conn.execute(select(outbox).where(outbox.c.purpose == SELLER_PURPOSE)).all()
    ko, en = email.body.split("— English —")
    assert "법원서점 담당자님께" in ko and f"소송의 기술 (#{listing_id})" in ko
    assert f"The Lawyer (#{listing_id})" in en
    # the same words as the platform's own would be refused
    with pytest.raises(MessageRefused):
        check_wording(ko, lang="ko", names={})
    with pytest.raises(MessageRefused):
        check_wording(en, lang="en", names={})
