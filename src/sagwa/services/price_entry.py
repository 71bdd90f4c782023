"""What the record says about how an incident's wrong price went live, for its wordings.

:func:`change_that_set` finds the price change that put the wrong price live on a listing (the
notice's prevention paragraph asks whether a reviewer approved it); :func:`who_entered` says
whose account entered it — the change's proposer, or for a listing that had the wrong price
from the start, whoever created the listing (:mod:`sagwa.domain.price_entry`). Read inside the
caller's unit of work; nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import actor_parts
from sagwa.domain.incidents import Incident
from sagwa.domain.money import Money
from sagwa.domain.price_entry import PriceEntry, across, entry_of_role
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

LIVE_CHANGES = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)


def change_that_set(changes: list[PriceChangeRecord], wrong: Money,
                    end: datetime) -> PriceChangeRecord | None:
    """The last change that put ``wrong`` live by ``end`` (applied when proposed, approved when
    decided); None if the listing had it from the start."""
    def live_at(change: PriceChangeRecord) -> datetime:
        return change.decided_at or change.proposed_at

    setters = [c for c in changes if c.status in LIVE_CHANGES and c.new_price == wrong
               and live_at(c) <= end]
    return max(setters, key=live_at, default=None)


def who_entered(uow: SqlAlchemyUnitOfWork, inc: Incident,
                listing_ids: Iterable[int]) -> PriceEntry:
    """Whose account entered the wrong price on ``listing_ids``: one side when every listing
    agrees, else :attr:`PriceEntry.UNKNOWN` (so is a listing the record cannot tell about)."""
    end = inc.window_end or uow.now()
    return across(_listing_entry(uow, inc, int(i), end) for i in listing_ids)


def _listing_entry(uow: SqlAlchemyUnitOfWork, inc: Incident, listing_id: int,
                   end: datetime) -> PriceEntry:
    setter = change_that_set(uow.market.price_changes_for(listing_id), inc.wrong_price, end)
    if setter is not None:
        return actor_entry(uow, setter.proposed_by)
    created = uow.audit.latest_for_entity("listing", str(listing_id), "listing.created")
    first = (created.event.after or {}).get("price") if created else None
    if created is None or first != inc.wrong_price.as_dict():
        return PriceEntry.UNKNOWN
    return actor_entry(uow, created.event.actor)


def actor_entry(uow: SqlAlchemyUnitOfWork, actor: str) -> PriceEntry:
    """The side of an audit-log name: the pages name an account by its role (``seller:kim``,
    ``admin:lee``), the API by ``api:<username>`` — that account's role decides."""
    prefix, username = actor_parts(actor)
    if prefix != "api":
        return entry_of_role(prefix)
    user = uow.users.by_username(username)
    return entry_of_role(user.role if user is not None else None)
