"""``sagwa users``: staff and seller accounts for the pages."""

from __future__ import annotations

import typer

from sagwa.cli.context import console, database, exits_cleanly
from sagwa.services.accounts import Role, create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Accounts for the pages: admin, reviewer, agent, seller.",
                  no_args_is_help=True)


@app.command()
@exits_cleanly
def create(
    username: str = typer.Option(..., "--username", help="Login name."),
    role: Role = typer.Option(..., "--role", help="admin, reviewer, agent or seller."),
    seller_id: int | None = typer.Option(None, "--seller-id",
                                         help="The seller this account acts for (role seller)."),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True,
                                 confirmation_prompt=True,
                                 help="Asked for when not given (recommended)."),
    actor: str = typer.Option("cli", "--actor", help="Who is acting (lands on the audit log)."),
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
