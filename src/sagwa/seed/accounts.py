"""Demo accounts, one per role, so ``make run`` prints logins that open every page.

The passwords are public on purpose (they are printed, and in the README): ``sagwa seed demo``
refuses to run in production (``seed.demo.check_demo_allowed``), and ``sagwa serve`` refuses to
start there while an account still signs in with one of them
(:func:`accounts_with_demo_password`, ``cli/serve_checks.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from sagwa.services.accounts import Role, authenticate, create_user, find_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ACTOR = "seed:demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    password: str
    seller_id: int | None = None


#: The demo's logins: (username, role, password), one per role.
DEMO_LOGINS: tuple[tuple[str, Role, str], ...] = (
    ("admin", Role.ADMIN, "sagwa-admin-demo"),
    ("reviewer", Role.REVIEWER, "sagwa-reviewer-demo"),
    ("agent", Role.AGENT, "sagwa-agent-demo"),
    ("finance", Role.FINANCE, "sagwa-finance-demo"),
    ("seller", Role.SELLER, "sagwa-seller-demo"),
)


def demo_accounts(seller_id: int) -> list[DemoAccount]:
    return [DemoAccount(name, role, password, seller_id if role is Role.SELLER else None)
            for name, role, password in DEMO_LOGINS]


def accounts_with_demo_password(session_factory: sessionmaker[Session]) -> list[str]:
    """The demo logins' usernames whose active account still takes the demo's password. Cheap:
    a name no account has costs one lookup, and at most one password check is made a login
    (five in all, where each costs argon2's ~0.1-0.2 s)."""
    found = []
    for username, _, password in DEMO_LOGINS:
        if find_user(SqlAlchemyUnitOfWork(session_factory), username=username) is None:
            continue
        if authenticate(SqlAlchemyUnitOfWork(session_factory), username=username,
                        password=password) is not None:
            found.append(username)
    return found


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
