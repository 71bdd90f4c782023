"""Demo accounts, one per role, so ``make run`` prints logins that open every page.

The passwords are public on purpose (they are printed); never load the demo in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from sagwa.services.accounts import Role, create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ACTOR = "seed:demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    password: str
    seller_id: int | None = None


def demo_accounts(seller_id: int) -> list[DemoAccount]:
    return [DemoAccount("admin", Role.ADMIN, "sagwa-admin-demo"),
            DemoAccount("reviewer", Role.REVIEWER, "sagwa-reviewer-demo"),
            DemoAccount("agent", Role.AGENT, "sagwa-agent-demo"),
            DemoAccount("finance", Role.FINANCE, "sagwa-finance-demo"),
            DemoAccount("seller", Role.SELLER, "sagwa-seller-demo", seller_id)]


def demo_seller_id(session_factory: sessionmaker[Session]) -> int | None:
    """The seller of the first iPod nano listing (the demo's story), else the first seller."""
    from sagwa.seed.demo import IPOD_SKU

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        return uow.market.first_listing_seller(prefer_sku=IPOD_SKU)


def create_demo_accounts(session_factory: sessionmaker[Session], *,
                         seller_id: int) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns all of them."""
    accounts = demo_accounts(seller_id)
    for account in accounts:
        with SqlAlchemyUnitOfWork(session_factory) as uow:
            exists = uow.users.by_username(account.username) is not None
        if not exists:
            create_user(SqlAlchemyUnitOfWork(session_factory), username=account.username,
                        role=account.role, password=account.password,
                        seller_id=account.seller_id, actor=ACTOR)
    return accounts


def format_accounts(accounts: list[DemoAccount]) -> list[str]:
    return [f"  {a.role.value:<9} {a.username:<9} {a.password}"
            + (f"  (seller {a.seller_id})" if a.seller_id is not None else "")
            for a in accounts]
