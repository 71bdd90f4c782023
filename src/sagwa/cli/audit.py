"""``sagwa audit``: the hash-chained audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from sagwa.adapters.anchor_file import read_anchors
from sagwa.adapters.db.audit_repo import settings_chain_keys
from sagwa.cli.context import console, database, err_console, exits_cleanly, settings
from sagwa.domain.audit import ChainVerdict
from sagwa.domain.audit_anchors import anchors_warning
from sagwa.errors import InvalidInput
from sagwa.services.audit import WrittenAnchor, anchor_audit_log, verify_audit_log
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

AnchorsOption = Annotated[Path | None, typer.Option(
    "--anchors", help="The anchors file (JSON lines: seq, hash, time). Default: "
                      "SAGWA_AUDIT_ANCHORS_PATH (unset: audit-anchors.jsonl in the data directory, SAGWA_DATA_DIR, default ./.sagwa). The "
                      "worker writes its anchors there: on several hosts, point "
                      "SAGWA_AUDIT_ANCHORS_PATH at one shared file.")]

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command()
@exits_cleanly
def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
           anchors: AnchorsOption = None) -> None:
    """Recompute every hash in the audit log and check every anchor against it. Exit 0 if
    intact, 1 if tampered with (a record changed, or records after an anchor deleted) or if a
    record or anchor names a key not configured (a secret rotated out: list it in
    SAGWA_PREVIOUS_SECRET_KEYS)."""
    path = anchors or _anchors_path()
    if anchors is not None and not anchors.is_file():  # said as every refusal (JSON too)
        raise InvalidInput(f"no anchors file at {anchors}: give the file `audit anchor` "
                           "writes (or leave --anchors out for the configured one)",
                           field="anchors", option="--anchors", reason="file_unreadable")
    found = read_anchors(path)
    db = database(audit_key=False)  # it reads: it must tell a foreign key, not refuse to start
    verdict = verify_audit_log(SqlAlchemyUnitOfWork(db.session_factory), anchors=found,
                               key=settings_chain_keys(settings()))
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
    path = None if print_only else anchors or _anchors_path()
    db = database()
    try:
        written = anchor_audit_log(SqlAlchemyUnitOfWork(db.session_factory), path=path)
    except OSError as exc:  # a read-only file system, a directory that cannot be made
        raise InvalidInput(f"cannot write the anchors file {exc.filename or path}: "
                           f"{exc.strerror or exc}; point --anchors or "
                           "SAGWA_AUDIT_ANCHORS_PATH at a writable file",
                           reason="file_unwritable") from None
    finally:
        db.close()
    if as_json:
        print(json.dumps(None if written is None else format_anchor(written)))
    elif written is None:
        console.print("the audit log is empty: nothing to anchor")
    else:
        where = f" → {written.path}" if written.path is not None else ""
        console.print(f"anchored record {written.seq:,} ({written.hash[:16]}…) at "
                      f"{written.at.isoformat(timespec='seconds')}{where}")


def _anchors_path() -> Path:
    configured = settings().audit_anchors_path
    assert configured is not None  # derived from the data directory when not set
    return configured


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
    ``message`` and ``details`` (``reason`` ``chain_broken``; ``missing_key`` appended when a
    record or an anchor names a key not configured), as every failure in JSON has;
    ``anchors_warning`` last (None unless an intact log was checked against no anchor)."""
    body: dict[str, Any] = dict(vars(verdict))
    missing_key = body.pop("missing_key")
    if not verdict.ok:
        where = f" at record {verdict.first_bad_seq}" if verdict.first_bad_seq else ""
        details = {"reason": "chain_broken", "first_bad_seq": verdict.first_bad_seq}
        if missing_key is not None:
            details["missing_key"] = missing_key
        body |= {"code": "audit_chain_broken",
                 "message": f"audit log broken{where}: {verdict.reason}", "details": details}
    body["anchors_warning"] = anchors_warning(verdict)
    return json.dumps(body)
