"""``sagwa db``: the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sagwa.adapters.db.database import Database, prepare_schema, schema_ahead_message
from sagwa.adapters.db.migrate import current_revision, head_revision
from sagwa.adapters.db.migration_rehearsal import Rehearsal, rehearse_upgrade
from sagwa.adapters.db.schema_state import schema_state
from sagwa.cli.context import console, database, err_console, exits_cleanly, settings
from sagwa.errors import Conflict, InvalidInput

app = typer.Typer(help="Database schema: upgrade it, see where it stands.", no_args_is_help=True)


@app.command()
@exits_cleanly
def upgrade(
    dry_run: bool = typer.Option(
        False, "--dry-run",
        help="Rehearse: run the missing migrations in one transaction, report each one's time, "
             "the statements and the tables locked until commit, then roll everything back. "
             "It takes the upgrade's locks for as long: rehearse on a restored copy, or when "
             "that pause is acceptable."),
    sql_out: Annotated[Path | None, typer.Option(
        "--sql", help="With --dry-run: write the SQL the migrations ran to this file "
                      "(for a DBA to read).")] = None,
    as_json: bool = typer.Option(
        False, "--json", help="With --dry-run: print the rehearsal as JSON: database, current, "
                              "latest, migrations (revision, title, seconds, statements), "
                              "seconds, statements, locks (table, mode, blocks, effect), "
                              "rolled_back."),
) -> None:
    """Migrate the database to the latest schema (safe to run any number of times). Exit 1
    when the database is ahead of this code (migrated by a newer sagwa). --dry-run rehearses
    it and changes nothing."""
    if not dry_run and (sql_out is not None or as_json):
        raise typer.BadParameter("goes with --dry-run: a real upgrade prints the revision it "
                                 "reached", param_hint="--sql" if sql_out is not None else "--json")
    db = database(migrate=False)
    if dry_run:
        try:
            _rehearse(db, sql_out, as_json)
        finally:
            db.close()
        return
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


def _rehearse(db: Database, sql_out: Path | None, as_json: bool) -> None:
    with db.engine.connect() as conn:
        state = schema_state(conn)
    current, head = current_revision(db.engine), head_revision()
    if state == "ahead":
        raise Conflict(schema_ahead_message(current, head), reason="schema_ahead")
    rehearsal = rehearse_upgrade(db.engine, lock_timeout=settings().migration_lock_timeout)
    if sql_out is not None:
        write_sql(sql_out, rehearsal, db.description)
    if as_json:
        print(json.dumps({"database": db.description, "current": current, "latest": head}
                         | rehearsal.as_dict(), ensure_ascii=False))
        return
    console.print(format_rehearsal(rehearsal, db.description, current, head), highlight=False,
                  soft_wrap=True)
    if sql_out is not None:
        console.print(f"SQL: {sql_out} ({len(rehearsal.sql)} statements)", highlight=False)


def write_sql(path: Path, rehearsal: Rehearsal, where: str) -> None:
    head = (f"-- sagwa db upgrade --dry-run on {where}: {len(rehearsal.sql)} statements, "
            "run in one transaction and rolled back\n")
    try:
        path.write_text(head + "\n\n".join(rehearsal.sql) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write the SQL to {path}: {exc.strerror or exc}",
                           field="sql", reason="file_unwritable") from None


def format_rehearsal(rehearsal: Rehearsal, where: str, current: str | None,
                     head: str | None) -> str:
    if not rehearsal.migrations:
        return (f"{where}: 이미 최신 스키마입니다 / already at the latest schema ({head}); "
                "nothing to apply, nothing changed")
    n = len(rehearsal.migrations)
    lines = [(f"{where}: {current or '(empty)'} → {head}: 마이그레이션 {n}개를 실행한 뒤 모두 "
             f"되돌렸습니다 / {n} migration(s) ran and were rolled back; nothing changed")]
    for m in rehearsal.migrations:
        lines.append(f"  {m.revision:<28} {m.seconds:>8.3f} s  {m.statements:>4} statements  "
                     f"{m.title}")
    lines.append(f"  {'total':<28} {rehearsal.seconds:>8.3f} s  {len(rehearsal.sql):>4} statements")
    blocking = [lock for lock in rehearsal.locks if lock.blocks]
    if blocking:
        lines.append("잠금 (커밋까지 유지) / locks held until the upgrade commits:")
        lines.extend(f"  {lock.table:<28} {lock.mode:<24} {lock.effect('ko')} / {lock.effect()}"
                     for lock in blocking)
        lines.append(f"for about {rehearsal.seconds:.1f} s on this data, these tables' "
                     "reads or writes would wait")
    else:
        lines.append("no table's reads or writes would wait (no blocking lock held)")
    return "\n".join(lines)


def format_state(state: str) -> str:
    return {"current": "[green]up to date[/green]",
            "behind": "[yellow]needs `sagwa db upgrade`[/yellow]",
            "ahead": "[red]ahead of this code (revision unknown here)[/red]"}[state]
