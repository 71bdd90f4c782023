"""``sagwa users``: staff and seller accounts for the pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, TypeVar

import typer
from rich.markup import escape

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import console, database, exits_cleanly, settings
from sagwa.cli.dates import parse_day
from sagwa.cli.numbers import whole_number
from sagwa.domain.moments import SEOUL, day_end
from sagwa.errors import InvalidInput
from sagwa.services.accounts import (
    ROLE_KO,
    Role,
    create_user,
    issue_api_token,
    list_accounts,
    list_api_tokens,
    revoke_api_tokens,
    set_active,
    set_password,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

T = TypeVar("T")

app = typer.Typer(help="Accounts for the pages and API tokens: admin, reviewer, agent, finance, "
                       "seller.",
                  no_args_is_help=True)


def _as_actor(actor: str, command: str,
              run: Callable[[SqlAlchemyUnitOfWork, str], T]) -> T:
    """``run(uow, actor)`` on the database, ``actor`` the account ``--actor`` names as
    ``command`` may record it (``recorded_actor``: refused for a role that may not)."""
    db = database()
    try:
        assert db.session_factory is not None
        recorded = recorded_actor(db.session_factory, actor, command=command)
        return run(SqlAlchemyUnitOfWork(db.session_factory), recorded)
    finally:
        db.close()


def format_role(role: Role) -> str:
    """A role as a person reads it: Korean first, as the pages say it, then the role's value
    (what ``--role`` takes): ``운영자 · admin``."""
    return f"{ROLE_KO[role]} · {role.value}"


def refuse_published_password(password: str) -> None:
    """In production, a demo login's password (printed by ``sagwa seed demo`` and in the
    README) is refused: ``sagwa serve`` would refuse to start while an account takes it (an ops
    walk created ``admin`` with it, accepted, and found out at serve)."""
    from sagwa.seed.accounts import DEMO_LOGINS

    if settings().environment != "production":
        return
    if password in {demo for _name, _role, demo in DEMO_LOGINS}:
        raise InvalidInput("SAGWA_ENVIRONMENT is production and this password is one of the "
                           "demo's, printed in sagwa's README (anyone could sign in with it): "
                           "choose another", field="password", reason="password_published")


@app.command()
@exits_cleanly
def create(
    username: Annotated[str, typer.Option("--username", help="Login name.")],
    role: Annotated[Role, typer.Option(
        "--role", help=", ".join(format_role(r) for r in Role)
        + " (finance: the refunds owed and the ledger).")],
    password: Annotated[str | None, typer.Option(
        "--password", prompt=True, hide_input=True, confirmation_prompt=True,
        help="Asked for (hidden, twice) when omitted, which keeps it out of shell history.",
    )] = None,
    seller_id: Annotated[int | None, typer.Option(
        "--seller-id", help="The seller this account acts for (role seller).",
        parser=whole_number())] = None,
    actor: str = ACTOR,
) -> None:
    """Create an account; the password is stored as an argon2 hash only."""
    assert password is not None  # click asks for it when --password is omitted
    refuse_published_password(password)
    account = _as_actor(actor, "users create", lambda uow, by: create_user(
        uow, username=username, role=role, password=password, seller_id=seller_id, actor=by))
    suffix = f" for seller {account.seller_id}" if account.seller_id is not None else ""
    console.print(f"created [bold]{account.username}[/bold] ({format_role(account.role)}{suffix})")


@app.command()
@exits_cleanly
def token(
    username: Annotated[str, typer.Option("--username", help="The account the token acts as.")],
    name: Annotated[str, typer.Option(
        "--name", help="What the token is for (one live token per account and name).")] = "api",
    expires_on: Annotated[str | None, typer.Option(
        "--expires-on", metavar="YYYY-MM-DD",
        help="The last Korean day the token works (it is refused from the next day's 00:00, "
             "Korea time); without it, it works until revoked.")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print JSON: username, name, token, expires_at (ISO, Korea time; null "
                       "when it does not expire).")] = False,
    actor: str = ACTOR,
) -> None:
    """Create a bearer token for the JSON API; it is shown once and stored only as a hash.

    Use it as `Authorization: Bearer TOKEN`; the account's role decides what it may do.
    `sagwa users tokens` lists the live ones and when each was last used.
    """
    last_day = parse_day(expires_on, "--expires-on") if expires_on is not None else None
    issued = _as_actor(actor, "users token", lambda uow, by: issue_api_token(
        uow, username=username, name=name, actor=by, expires_on=last_day))
    ends = None if last_day is None else day_end(last_day).astimezone(SEOUL)
    if as_json:
        typer.echo(json.dumps({"username": username, "name": name, "token": issued,
                               "expires_at": None if ends is None else ends.isoformat()}))
        return
    until = "" if ends is None else f", works through {last_day} (Korea time)"
    console.print(f"API token [bold]{escape(name)}[/bold] for [bold]{escape(username)}[/bold]"
                  f"{until} (shown once; keep it secret):")
    typer.echo(issued)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M}"


def _last_day(expires_at: datetime | None) -> str:
    """The last Korean day a token works, as ``--expires-on`` named it (it is refused from the
    next day's 00:00); "until revoked" without an end."""
    if expires_at is None:
        return "until revoked"
    return (expires_at.astimezone(SEOUL) - timedelta(microseconds=1)).date().isoformat()


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(SEOUL).isoformat()


@app.command()
@exits_cleanly
def tokens(
    username: Annotated[str | None, typer.Option(
        "--username", help="Only this account's tokens.")] = None,
    include_ended: Annotated[bool, typer.Option(
        "--all", help="The revoked and expired tokens too.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print JSON: a list of username, role, name, state (live, expired, "
                       "revoked, account_inactive), created_at, expires_at, last_used_at, "
                       "revoked_at (ISO, Korea time, or null).")] = False,
) -> None:
    """List the live API tokens (never the tokens themselves): account, name, when created,
    when it expires, when it was last used (to the minute), to revoke the forgotten ones."""
    db = database()
    try:
        assert db.session_factory is not None
        listed = list_api_tokens(SqlAlchemyUnitOfWork(db.session_factory), username=username,
                                 include_ended=include_ended)
    finally:
        db.close()
    if as_json:
        typer.echo(json.dumps([{"username": t.username, "role": t.role.value, "name": t.name,
                                "state": t.state, "created_at": _iso(t.created_at),
                                "expires_at": _iso(t.expires_at),
                                "last_used_at": _iso(t.last_used_at),
                                "revoked_at": _iso(t.revoked_at)} for t in listed],
                              ensure_ascii=False))
        return
    from rich.table import Table

    which = "API tokens" if include_ended else "live API tokens"
    table = Table(title=f"{which} (Korea time)")
    for column in ("username", "role", "name", "state", "created", "works through",
                   "last used"):
        table.add_column(column)
    for t in listed:
        state = t.state + (f" {_when(t.revoked_at)}" if t.revoked_at is not None else "")
        table.add_row(escape(t.username), format_role(t.role), escape(t.name), state,
                      _when(t.created_at), _last_day(t.expires_at),
                      _when(t.last_used_at) or "never")
    console.print(table if listed else f"no {which}"
                  + (f" for {escape(username)}" if username else ""))


@app.command("revoke-token")
@exits_cleanly
def revoke_token(
    username: Annotated[str, typer.Option("--username", help="Whose token to revoke.")],
    name: Annotated[str | None, typer.Option(
        "--name", help="The token's name; without it, every live token of the account.")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the result as JSON: username, name, revoked (how many).")] = False,
    actor: str = ACTOR,
) -> None:
    """Revoke an account's API token(s); a revoked token is refused from the next request."""
    revoked = _as_actor(actor, "users revoke-token", lambda uow, by: revoke_api_tokens(
        uow, username=username, name=name, actor=by))
    if as_json:
        typer.echo(json.dumps({"username": username, "name": name, "revoked": revoked}))
        return
    what = f"token {name!r}" if name else "tokens"
    console.print(f"revoked {revoked} {what} of {username}" if revoked
                  else f"{username} has no live {what}; nothing revoked")


@app.command("set-password")
@exits_cleanly
def set_password_(
    username: Annotated[str, typer.Option("--username", help="Whose password to change.")],
    password: Annotated[str | None, typer.Option(
        "--password", prompt="New password", hide_input=True, confirmation_prompt=True,
        help="Asked for (hidden, twice) when omitted, which keeps it out of shell history.",
    )] = None,
    actor: str = ACTOR,
) -> None:
    """Change an account's password (a leaked one, or the demo's); its live sign-ins end."""
    assert password is not None  # click asks for it when --password is omitted
    refuse_published_password(password)
    ended = _as_actor(actor, "users set-password", lambda uow, by: set_password(
        uow, username=username, password=password, actor=by))
    signed_out = f"; {ended} sign-in(s) ended" if ended else ""
    console.print(f"password of [bold]{username}[/bold] changed{signed_out}")


def _set_active(username: str, active: bool, as_json: bool, actor: str, command: str) -> None:
    done = _as_actor(actor, command, lambda uow, by: set_active(
        uow, username=username, active=active, actor=by))
    if as_json:
        typer.echo(json.dumps({"username": done.username, "active": done.active,
                               "changed": done.changed, "sessions_ended": done.sessions_ended}))
        return
    state = "active" if active else "deactivated"
    if not done.changed:
        console.print(f"{username} is already {state}; nothing changed")
    elif active:
        console.print(f"{username} is active again: it may sign in, and its API tokens "
                      "that were not revoked are accepted again")
    else:
        console.print(f"{username} is deactivated: no sign-in, no API token accepted; "
                      f"{done.sessions_ended} sign-in(s) ended; nothing it did is removed")


@app.command()
@exits_cleanly
def deactivate(
    username: Annotated[str, typer.Option("--username", help="The account to deactivate.")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the result as JSON: username, active, changed, sessions_ended."
    )] = False,
    actor: str = ACTOR,
) -> None:
    """Deactivate an account (someone who left; a demo account): it can no longer sign in and
    its API tokens are refused; its live sign-ins end. The last active admin is kept."""
    _set_active(username, False, as_json, actor, "users deactivate")


@app.command()
@exits_cleanly
def activate(
    username: Annotated[str, typer.Option("--username", help="The account to activate again.")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the result as JSON: username, active, changed, sessions_ended."
    )] = False,
    actor: str = ACTOR,
) -> None:
    """Activate a deactivated account again: it may sign in, and its API tokens that were not
    revoked are accepted again."""
    _set_active(username, True, as_json, actor, "users activate")


@app.command("list")
@exits_cleanly
def list_(
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print JSON: a list of username, role, seller_id, active.")] = False,
) -> None:
    """List the accounts: name, role, the seller an account acts for, active or not."""
    db = database()
    try:
        assert db.session_factory is not None
        accounts = list_accounts(SqlAlchemyUnitOfWork(db.session_factory))
    finally:
        db.close()
    if as_json:
        typer.echo(json.dumps([{"username": a.username, "role": a.role.value,
                                "seller_id": a.seller_id, "active": a.active}
                               for a in accounts], ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title="accounts")
    for column in ("username", "role", "seller", "active"):
        table.add_column(column)
    for a in accounts:
        table.add_row(escape(a.username), format_role(a.role),
                      "" if a.seller_id is None else str(a.seller_id),
                      "yes" if a.active else "no (deactivated)")
    console.print(table)
