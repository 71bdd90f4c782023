"""``sagwa db``: the schema."""

from __future__ import annotations

import json

import typer

from sagwa.adapters.db.database import prepare_schema, schema_ahead_message
from sagwa.adapters.db.migrate import current_revision, head_revision
from sagwa.adapters.db.schema_state import schema_state
from sagwa.cli.context import console, database, err_console, exits_cleanly, settings

app = typer.Typer(help="Database schema: upgrade it, see where it stands.", no_args_is_help=True)


@app.command()
@exits_cleanly
def upgrade() -> None:
    """Migrate the database to the latest schema (safe to run any number of times). Exit 1
    when the database is ahead of this code (migrated by a newer sagwa)."""
    db = database(migrate=False)
    try:
        # whatever SAGWA_AUTO_MIGRATE says
        prepare_schema(db.engine, upgrade=True,
                       lock_timeout=settings().migration_lock_timeout)
        console.print(f"[green]schema at {current_revision(db.engine)}[/green] on {db.description}")
    finally:
        db.close()


@app.command()
@exits_cleanly
def status(as_json: bool = typer.Option(
        False, "--json", help="Print it as JSON: database, current, latest, up_to_date, "
                              "state (current, behind or ahead).")) -> None:
    """Show the schema revision the database is at and the newest one sagwa knows. Exit 0
    when it is current or behind (`sagwa db upgrade` brings it up), 1 when it is ahead of
    this code (a revision this sagwa does not know: a newer one migrated it)."""
    db = database(migrate=False)
    with db.engine.connect() as conn:
        state = schema_state(conn)
    current, head = current_revision(db.engine), head_revision()
    if as_json:
        print(json.dumps({"database": db.description, "current": current, "latest": head,
                          "up_to_date": current == head, "state": state}, ensure_ascii=False))
    else:
        console.print(f"{db.description}\n  current: {current or '(empty)'}\n  latest:  {head}  "
                      f"{format_state(state)}")
    db.close()
    if state == "ahead":
        if not as_json:
            err_console.print(f"[red]error[/red]: {schema_ahead_message(current, head)}",
                              highlight=False)
        raise typer.Exit(1)


def format_state(state: str) -> str:
    return {"current": "[green]up to date[/green]",
            "behind": "[yellow]needs `sagwa db upgrade`[/yellow]",
            "ahead": "[red]ahead of this code (revision unknown here)[/red]"}[state]
