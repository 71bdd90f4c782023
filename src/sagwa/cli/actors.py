"""Who the audit log says acted, for a command run from a terminal.

``--actor`` used to be free text: anyone could write any name onto the audit log. Now:

* left out (or ``cli``), the command acts as ``cli``, as before;
* otherwise it must name an active staff account (admin, reviewer, agent or finance; ``kim``
  or ``admin:kim``, as the log names it), else the command is refused before it does anything and
  says how to make one (``sagwa users create``).

Either way the log records where the command came from — the operating-system login of the
process — in the actor field itself (the log has no other free field, and its hash chain covers
that field, so ``sagwa audit verify`` holds): ``cli (os user deploy)`` or
``admin:kim via cli (os user deploy)``. The account comes first, named as the pages name it.
"""

from __future__ import annotations

import getpass

import typer
from sqlalchemy.orm import Session, sessionmaker

from sagwa.errors import InvalidInput
from sagwa.services.accounts import Account, Role, account_name, find_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

DEFAULT_ACTOR = "cli"
STAFF_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.AGENT, Role.FINANCE})
ACTOR_HELP = ("Who is acting, on the audit log: a staff account's username (admin, reviewer, "
              "agent or finance; `sagwa users create` makes one). Default: cli. The log also "
              "records your OS login.")
ACTOR = typer.Option(DEFAULT_ACTOR, "--actor", help=ACTOR_HELP)


def os_login() -> str:
    """The operating-system login of this process (``unknown`` if the system cannot say)."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):  # no USER/LOGNAME and no passwd entry
        return "unknown"


def audit_actor(account: Account | None, login: str) -> str:
    """The audit log's actor: ``cli (os user root)``, ``admin:kim via cli (os user root)``."""
    if account is None:
        return f"{DEFAULT_ACTOR} (os user {login})"
    return f"{account.actor} via {DEFAULT_ACTOR} (os user {login})"


def _refuse(claimed: str, why: str, *, reason: str, username: str = "NAME") -> InvalidInput:
    """The refusal of ``--actor``; ``reason`` is its stable sub-code."""
    return InvalidInput(
        f"--actor {claimed!r} {why}: --actor must name an active staff account (admin, "
        f"reviewer, agent or finance). Create one with `sagwa users create --username "
        f"{username} --role admin` (or reviewer, agent, finance), or leave --actor out to act as "
        f"{DEFAULT_ACTOR!r}", field="actor", reason=reason)


def check_claim(claimed: str, account: Account | None) -> None:
    """Refuse ``claimed`` unless ``account`` (found by its username) is active staff whose
    audit name, when ``claimed`` gives a role, has that role."""
    if account is None:
        named = account_name(claimed)
        hint = named if named.replace("-", "").replace("_", "").replace(".", "").isalnum() \
            else "NAME"
        raise _refuse(claimed, "is not an active account", reason="account_not_active",
                      username=hint)
    if account.role not in STAFF_ROLES:
        raise _refuse(claimed, f"is a {account.role.value} account, not staff",
                      reason="actor_not_staff")
    if claimed not in (account.username, account.actor):
        raise _refuse(claimed, f"does not match the account, which is {account.actor!r}",
                      reason="actor_not_the_account")


def recorded_actor(session_factory: sessionmaker[Session], claimed: str) -> str:
    """``--actor`` checked against the accounts, as the audit log should record it."""
    name = claimed.strip()
    if name == DEFAULT_ACTOR:
        return audit_actor(None, os_login())
    if not name:
        raise _refuse(claimed, "is empty", reason="actor_missing")
    account = find_user(SqlAlchemyUnitOfWork(session_factory), username=account_name(name))
    check_claim(name, account)
    return audit_actor(account, os_login())
