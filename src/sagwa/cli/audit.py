"""``sagwa audit``: the hash-chained audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from sagwa.adapters.anchor_file import default_anchors_path, read_anchors
from sagwa.cli.context import console, database, err_console, exits_cleanly, settings
from sagwa.domain.audit import ChainVerdict
from sagwa.domain.audit_anchors import anchors_warning
from sagwa.services.audit import WrittenAnchor, anchor_audit_log, verify_audit_log
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

AnchorsOption = Annotated[Path | None, typer.Option(
    "--anchors", help="The anchors file (JSON lines: seq, hash, time). Default: "
                      "<data dir>/audit-anchors.jsonl. The worker writes its anchors into "
                      "its own data directory: on another host, copy or point at that file.")]

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command()
@exits_cleanly
def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
           anchors: AnchorsOption = None) -> None:
    """Recompute every hash in the audit log and check every anchor against it. Exit 0 if
    intact, 1 if tampered with (a record changed, or records after an anchor deleted)."""
    path = anchors or default_anchors_path(settings().data_dir)
    if anchors is not None and not anchors.is_file():
        err_console.print(f"[red]no anchors file at {anchors}[/red]")
        raise typer.Exit(2)
    found = read_anchors(path)
    db = database()
    verdict = verify_audit_log(SqlAlchemyUnitOfWork(db.session_factory), anchors=found)
    db.close()
    if as_json:
        print(format_verdict_json(verdict))
    elif verdict.ok:
        console.print(f"[green]audit log intact[/green]: {verdict.checked:,} records verified"
                      f"{_anchors_note(verdict, path)}")
        warning = anchors_warning(verdict)
        if warning is not None:
            console.print(f"[yellow]warning[/yellow]: {warning} (anchors file: {path})")
    else:
        where = f" at record {verdict.first_bad_seq}" if verdict.first_bad_seq else ""
        err_console.print(f"[red]audit log broken[/red]{where}: {verdict.reason} "
                          f"({verdict.checked:,} records before it are intact)")
    if not verdict.ok:
        raise typer.Exit(1)


@app.command()
@exits_cleanly
def anchor(anchors: AnchorsOption = None,
           print_only: bool = typer.Option(False, "--print-only",
                                           help="Print the head; write nothing."),
           as_json: bool = typer.Option(False, "--json", help="Print the anchor as JSON.")) -> None:
    """Write the audit log's head (seq, hash, time) to the anchors file, outside the database,
    so that a later ``audit verify`` notices records deleted after it or a rewritten log."""
    path = None if print_only else anchors or default_anchors_path(settings().data_dir)
    db = database()
    written = anchor_audit_log(SqlAlchemyUnitOfWork(db.session_factory), path=path)
    db.close()
    if as_json:
        print(json.dumps(None if written is None else format_anchor(written)))
    elif written is None:
        console.print("the audit log is empty: nothing to anchor")
    else:
        where = f" → {written.path}" if written.path is not None else ""
        console.print(f"anchored record {written.seq:,} ({written.hash[:16]}…) at "
                      f"{written.at.isoformat(timespec='seconds')}{where}")


def format_anchor(written: WrittenAnchor) -> dict[str, Any]:
    return {"seq": written.seq, "hash": written.hash,
            "at": written.at.isoformat(timespec="seconds"),
            "path": None if written.path is None else str(written.path)}


def _anchors_note(verdict: ChainVerdict, path: Path) -> str:
    unkeyed = (verdict.keyed_from - 1 if verdict.keyed_from is not None else verdict.checked)
    notes = [f"{verdict.anchors_checked:,} anchors from {path} hold"
             if verdict.anchors_checked else f"no anchors in {path}"]
    if unkeyed:
        notes.append(f"{unkeyed:,} older records have unkeyed hashes")
    return "; " + "; ".join(notes)


def format_verdict_json(verdict: ChainVerdict) -> str:
    """``ok``, ``checked``, ``first_bad_seq``, ``reason``; a broken chain appends ``code``,
    ``message`` and ``details`` (``reason`` ``chain_broken``), as every failure in JSON has;
    ``anchors_warning`` last (None unless an intact log was checked against no anchor)."""
    body: dict[str, Any] = dict(vars(verdict))
    if not verdict.ok:
        where = f" at record {verdict.first_bad_seq}" if verdict.first_bad_seq else ""
        body |= {"code": "audit_chain_broken",
                 "message": f"audit log broken{where}: {verdict.reason}",
                 "details": {"reason": "chain_broken", "first_bad_seq": verdict.first_bad_seq}}
    body["anchors_warning"] = anchors_warning(verdict)
    return json.dumps(body)
