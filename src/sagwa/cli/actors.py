"""Who the audit log says acted, for a command run from a terminal.

``--actor`` used to be free text: anyone could write any name onto the audit log. Now:

* left out (or ``cli``), the command acts as ``cli``, as before;
* otherwise it must name an active staff account (admin, reviewer, agent or finance; ``kim``
  or ``admin:kim``, as the log names it), else the command is refused before it does anything and
  says how to make one (``sagwa users create``);
* and that account's role must be one the web allows for the same use case (``ACTOR_ROLES``:
  an agent declares no incident from a terminal either), else the command is refused before it
  does anything, naming the role the account has and the roles the command needs (reason
  ``actor_role_not_allowed``).

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
from sagwa.services.accounts import Account, Role, account_name, find_user, with_admin
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

DEFAULT_ACTOR = "cli"
STAFF_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.AGENT, Role.FINANCE})

#: The roles whose account ``--actor`` may name, for each command that takes it (keyed as typed
#: after ``sagwa``); an admin may run every one (``Account.may``, as on the web). Each mirrors
#: the web's rule for the same use case (web/deps.py's ``ADMIN``, ``AGENT``, ``FINANCE`` on the
#: route in the comment; the pages ask the same roles); where the web has no such action,
#: admin only. Where this table and the web would differ, the web is right.
ACTOR_ROLES: dict[str, tuple[Role, ...]] = {
    "incident declare": (Role.ADMIN,),  # POST /api/incidents
    "incident scope": (Role.ADMIN,),  # POST /api/incidents/{id}/scope
    "incident plan": (Role.ADMIN,),  # POST /api/incidents/{id}/plan
    "incident notify": (Role.ADMIN,),  # POST /api/incidents/{id}/notify
    "incident close": (Role.ADMIN,),  # POST /api/incidents/{id}/close
    "incident tell-sellers": (Role.ADMIN,),  # none: the worker's every 30 minutes
    "incident notice": (Role.ADMIN,),  # POST /api/incidents/{id}/notices
    "incident narrow-price-block": (Role.ADMIN,),  # POST /api/incidents/{id}/price-block/narrow
    "incident difference-paid": (Role.AGENT,),  # POST /api/cases/{id}/difference-paid
    "incident cancel-instead": (Role.AGENT,),  # POST /api/cases/{id}/cancel-instead
    "incident resolve-follow-up": (Role.AGENT,),  # POST /api/cases/{id}/follow-ups/{f}/resolve
    "refunds mark-paid": (Role.FINANCE,),  # POST /api/refunds/{id}/paid
    "messages retry-failed": (Role.ADMIN,),  # no web route: re-sends customers' messages
    "users create": (Role.ADMIN,),  # no web route: accounts are the operator's
    "users token": (Role.ADMIN,),  # no web route
    "users revoke-token": (Role.ADMIN,),  # no web route
    "users set-password": (Role.ADMIN,),  # no web route
    "users deactivate": (Role.ADMIN,),  # no web route
    "users activate": (Role.ADMIN,),  # no web route
    # the commands that print customers' personal data: their access records name the account
    "refunds list": (Role.FINANCE,),  # GET /api/refunds
    "ledger export": (Role.FINANCE,),  # GET /api/ledger/entries
    "incident follow-ups": (Role.AGENT,),  # GET /api/difference-follow-ups
    "incident note-follow-ups": (Role.AGENT,),  # GET /api/follow-ups (agents and reviewers)
    "access list": (Role.ADMIN,),  # no web route: the access records are the operator's
    "access review": (Role.ADMIN,),  # no web route
    "access purge": (Role.ADMIN,),  # no web route
    # a customer's copy and erasure (docs/privacy.md): the operator's, no web route
    "customers export": (Role.ADMIN,),
    "customers erase": (Role.ADMIN,),
    "retention run": (Role.ADMIN,),
}


def allowed_roles(command: str) -> tuple[Role, ...]:
    """Every role whose account may run ``command``: its roles in ``ACTOR_ROLES``, then admin."""
    return with_admin(ACTOR_ROLES[command])


def _needs_help() -> str:
    """``ACTOR_ROLES`` in a sentence: the commands other roles than admin may run."""
    by_role: dict[Role, list[str]] = {}
    for command, roles in ACTOR_ROLES.items():
        for role in roles:
            by_role.setdefault(role, []).append(command)
    return "; ".join(f"{role.value}: {', '.join(commands)}"
                     for role, commands in by_role.items() if role is not Role.ADMIN)


ACTOR_HELP = ("Who is acting, on the audit log: the username of a staff account whose role may "
              "run this command, as on the web (admin: every command; " + _needs_help() + "; "
              "`sagwa users create` makes one). Default: cli. The log also records your OS "
              "login.")
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


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def check_role(claimed: str, account: Account, command: str) -> None:
    """Refuse ``account`` (named ``claimed``) unless its role may run ``command``
    (``ACTOR_ROLES``)."""
    if account.may(ACTOR_ROLES[command]):
        return
    needs = " or ".join(role.value for role in allowed_roles(command))
    raise InvalidInput(
        f"--actor {claimed!r} is {_a(account.role.value)} account; `sagwa {command}` needs "
        f"{needs}: name {_a(needs)} account with --actor (`sagwa users create "
        f"--role {allowed_roles(command)[0].value}` makes one), or leave --actor out to act as "
        f"{DEFAULT_ACTOR!r}", field="actor", reason="actor_role_not_allowed")


def acting_account(session_factory: sessionmaker[Session], claimed: str, *,
                   command: str) -> Account | None:
    """The account ``--actor`` names, checked against the accounts and the roles ``command``
    (a key of ``ACTOR_ROLES``) needs; None for the default actor (``cli``)."""
    if command not in ACTOR_ROLES:  # a slip in the code: fails even with the default actor
        raise KeyError(f"{command!r} is not a command in ACTOR_ROLES")
    name = claimed.strip()
    if name == DEFAULT_ACTOR:
        return None
    if not name:
        raise _refuse(claimed, "is empty", reason="actor_missing")
    account = find_user(SqlAlchemyUnitOfWork(session_factory), username=account_name(name))
    check_claim(name, account)
    assert account is not None  # check_claim refuses a missing account
    check_role(name, account, command)
    return account


def recorded_actor(session_factory: sessionmaker[Session], claimed: str, *, command: str) -> str:
    """``--actor`` checked (:func:`acting_account`), as the audit log should record it."""
    return acting(session_factory, claimed, command=command)[1]


def acting(session_factory: sessionmaker[Session], claimed: str, *,
           command: str) -> tuple[Account | None, str]:
    """``--actor`` checked: the account (None for ``cli``), for the access record, and the
    actor as the audit log records it."""
    account = acting_account(session_factory, claimed, command=command)
    return account, audit_actor(account, os_login())
