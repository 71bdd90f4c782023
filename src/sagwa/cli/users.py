"""``sagwa users``: staff and seller accounts for the pages."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import console, database, exits_cleanly
from sagwa.cli.numbers import whole_number
from sagwa.services.accounts import (
    ROLE_KO,
    Role,
    create_user,
    issue_api_token,
    revoke_api_tokens,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Accounts for the pages and API tokens: admin, reviewer, agent, finance, "
                       "seller.",
                  no_args_is_help=True)


def format_role(role: Role) -> str:
    """A role as a person reads it: Korean first, as the pages say it, then the role's value
    (what ``--role`` takes): ``운영자 · admin``."""
    return f"{ROLE_KO[role]} · {role.value}"


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
    db = database()
    try:
        assert db.session_factory is not None
        actor = recorded_actor(db.session_factory, actor, command="users create")
        account = create_user(SqlAlchemyUnitOfWork(db.session_factory), username=username,
                              role=role, password=password, seller_id=seller_id, actor=actor)
    finally:
        db.close()
    suffix = f" for seller {account.seller_id}" if account.seller_id is not None else ""
    console.print(f"created [bold]{account.username}[/bold] ({format_role(account.role)}{suffix})")


@app.command()
@exits_cleanly
def token(
    username: Annotated[str, typer.Option("--username", help="The account the token acts as.")],
    name: Annotated[str, typer.Option(
        "--name", help="What the token is for (one live token per account and name).")] = "api",
    as_json: Annotated[bool, typer.Option("--json", help="Print the token as JSON.")] = False,
    actor: str = ACTOR,
) -> None:
    """Create a bearer token for the JSON API; it is shown once and stored only as a hash.

    Use it as `Authorization: Bearer <token>`; the account's role decides what it may do.
    """
    db = database()
    try:
        assert db.session_factory is not None
        actor = recorded_actor(db.session_factory, actor, command="users token")
        issued = issue_api_token(SqlAlchemyUnitOfWork(db.session_factory), username=username,
                                 name=name, actor=actor)
    finally:
        db.close()
    if as_json:
        typer.echo(json.dumps({"username": username, "name": name, "token": issued}))
        return
    console.print(f"API token [bold]{name}[/bold] for [bold]{username}[/bold] "
                  "(shown once; keep it secret):")
    typer.echo(issued)


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
    db = database()
    try:
        assert db.session_factory is not None
        actor = recorded_actor(db.session_factory, actor, command="users revoke-token")
        revoked = revoke_api_tokens(SqlAlchemyUnitOfWork(db.session_factory),
                                    username=username, name=name, actor=actor)
    finally:
        db.close()
    if as_json:
        typer.echo(json.dumps({"username": username, "name": name, "revoked": revoked}))
        return
    what = f"token {name!r}" if name else "tokens"
    console.print(f"revoked {revoked} {what} of {username}" if revoked
                  else f"{username} has no live {what}; nothing revoked")
