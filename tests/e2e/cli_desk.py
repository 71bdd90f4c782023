"""What the ``sagwa incident`` CLI tests share: a seller typing the wrong price on a listing of
the demo data, through the real service on the CLI's embedded database (an incident is declared
only over a price a listing really had)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.embedded import query

WRONG_PRICE = 19_900


def seller_types_the_wrong_price(data_dir: Path, listing_id: int,
                                 amount: int = WRONG_PRICE) -> None:
    """The listing's seller sets its price to ``amount`` KRW now (it goes live at once)."""
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        listings.propose_price_change(SqlAlchemyUnitOfWork(sessionmaker(bind=engine)),
                                      listing_id=listing_id, new_price=Money(amount, "KRW"),
                                      proposed_by="seller:demo")
    finally:
        engine.dispose()


def busiest_listing(data_dir: Path) -> tuple[int, datetime]:
    """The demo data's listing with the most orders (the lowest id among equals) and when it
    opened: an incident's window may open no earlier (the orders go back weeks)."""
    [(listing_id,)] = query(data_dir, "SELECT listing_id FROM orders GROUP BY listing_id "
                                      "ORDER BY count(*) DESC, listing_id LIMIT 1")
    [(opened,)] = query(data_dir, f"SELECT created_at FROM listings WHERE id = {listing_id}")
    return int(listing_id), opened
