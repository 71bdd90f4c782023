"""``sagwa users``: staff and seller accounts for the pages."""

from __future__ import annotations

from typing import Annotated

import typer

from sagwa.cli.context import console, database, exits_cleanly
from sagwa.services.accounts import Role, create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Accounts for the pages: admin, reviewer, agent, seller.",
                  no_args_is_help=True)


@app.command()
@exits_cleanly
def create(
    username: Annotated[str, typer.Option("--username", help="Login name.")],
    role: Annotated[Role, typer.Option("--role", help="admin, reviewer, agent or seller.")],
    password: Annotated[str, typer.Option("--password", prompt=True, hide_input=True,
                                          confirmation_prompt=True,
                                          help="Asked for when not given (recommended).")],
    seller_id: Annotated[int | None, typer.Option(
        "--seller-id", help="The seller this account acts for (role seller).")] = None,
    actor: Annotated[str, typer.Option(
        "--actor", help="Who is acting (lands on the audit log).")] = "cli",
) -> None:
    """Create an account; the password is stored as an argon2 hash only."""
    db = database()
    try:
        assert db.session_factory is not None
        account = create_user(SqlAlchemyUnitOfWork(db.session_factory), username=username,
                              role=role, password=password, seller_id=seller_id, actor=actor)
    finally:
        db.close()
    suffix = f" for seller {account.seller_id}" if account.seller_id is not None else ""
    console.print(f"created [bold]{account.username}[/bold] ({account.role.value}{suffix})")
