"""Audit-log names (``seller:seller``, ``api:kim``, ``reviewer:reviewer``) as people know them:
a seller's account by its seller's name, a staff account by its username. Pages show these
beside the raw name (kept in a ``title``)."""

from __future__ import annotations

from collections.abc import Iterable

from sagwa.adapters.db.users_repo import UserRecord
from sagwa.domain.catalog import Seller
from sagwa.services.accounts import account_name
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def actor_names(uow: SqlAlchemyUnitOfWork, actors: Iterable[str]) -> dict[str, str]:
    """How people know the accounts behind audit-log names (``seller:seller``, ``api:kim``,
    ``reviewer:reviewer``), read inside ``uow`` (already entered), one lookup per distinct
    account however many rows name it: a seller's account by its seller's name, a staff account
    by its username. The demo's and the replay's proposals name a seller by id or code
    (``seller:12``, ``seller:haneul-digital``): those by the seller's name too. A name nobody
    is behind is left out (the caller shows it as it is)."""
    users: dict[str, UserRecord | None] = {}
    names: dict[str, str] = {}
    for actor in sorted(set(actors)):
        username = account_name(actor)
        if username not in users:
            users[username] = uow.users.by_username(username)
        user = users[username]
        seller = _seller_behind(uow, actor, username, user)
        if seller is not None:
            names[actor] = seller.name
        elif user is not None:
            names[actor] = user.username
    return names


def _seller_behind(uow: SqlAlchemyUnitOfWork, actor: str, username: str,
                   user: UserRecord | None) -> Seller | None:
    if user is not None:
        return uow.catalog.seller(user.seller_id) if user.seller_id is not None else None
    if not actor.startswith("seller:"):
        return None
    return (uow.catalog.seller(int(username)) if username.isdigit()
            else uow.catalog.seller_by_code(username))
