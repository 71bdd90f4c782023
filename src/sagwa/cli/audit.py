"""``sagwa audit``: the hash-chained audit log."""

from __future__ import annotations

import json
from typing import Any

import typer

from sagwa.cli.context import console, database, err_console, exits_cleanly
from sagwa.domain.audit import ChainVerdict
from sagwa.services.audit import verify_audit_log
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command()
@exits_cleanly
def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Recompute every hash in the audit log. Exit 0 if intact, 1 if tampered with."""
    db = database()
    verdict = verify_audit_log(SqlAlchemyUnitOfWork(db.session_factory))
    db.close()
    if as_json:
        print(format_verdict_json(verdict))
    elif verdict.ok:
        console.print(f"[green]audit log intact[/green]: {verdict.checked:,} records verified")
    else:
        err_console.print(f"[red]audit log broken[/red] at record {verdict.first_bad_seq}: "
                          f"{verdict.reason} ({verdict.checked:,} records before it are intact)")
    if not verdict.ok:
        raise typer.Exit(1)


def format_verdict_json(verdict: ChainVerdict) -> str:
    """``ok``, ``checked``, ``first_bad_seq``, ``reason``; a broken chain appends ``code``,
    ``message`` and ``details`` (``reason`` ``chain_broken``), as every failure in JSON has."""
    body: dict[str, Any] = dict(vars(verdict))
    if not verdict.ok:
        body |= {"code": "audit_chain_broken",
                 "message": f"audit log broken at record {verdict.first_bad_seq}: "
                            f"{verdict.reason}",
                 "details": {"reason": "chain_broken", "first_bad_seq": verdict.first_bad_seq}}
    return json.dumps(body)
