"""``sagwa db``: the schema."""

from __future__ import annotations

import json

import typer

from sagwa.adapters.db.migrate import current_revision, head_revision
from sagwa.cli.context import console, database, exits_cleanly

app = typer.Typer(help="Database schema: upgrade it, see where it stands.", no_args_is_help=True)


@app.command()
@exits_cleanly
def upgrade() -> None:
    """Migrate the database to the latest schema (safe to run any number of times)."""
    db = database(migrate=True)
    console.print(f"[green]schema at {current_revision(db.engine)}[/green] on {db.description}")
    db.close()


@app.command()
@exits_cleanly
def status(as_json: bool = typer.Option(
        False, "--json", help="Print it as JSON: database, current, latest, up_to_date.")) -> None:
    """Show the schema revision the database is at and the newest one sagwa knows."""
    db = database(migrate=False)
    current, head = current_revision(db.engine), head_revision()
    if as_json:
        print(json.dumps({"database": db.description, "current": current, "latest": head,
                          "up_to_date": current == head}, ensure_ascii=False))
        db.close()
        return
    mark = "[green]up to date[/green]" if current == head else "[yellow]needs `sagwa db upgrade`[/yellow]"
    console.print(f"{db.description}\n  current: {current or '(empty)'}\n  latest:  {head}  {mark}")
    db.close()
