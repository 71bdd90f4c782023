"""``sagwa messages lint``: check a customer message or public notice before it is queued;
``sagwa messages retry-failed``: send again the messages that failed for good (after an outage:
:mod:`sagwa.services.failed_messages`).

Thin: read the text, call :func:`sagwa.messagecheck.check_message` (a notice with
``--incident``: :func:`sagwa.services.notices.check_notice`, as publishing judges it), format,
print. Exit status is 0 whether or not problems are found (``ok`` says which); 2 for bad usage;
1 when ``--incident`` names no incident (or the database cannot be reached).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console, Group
from rich.text import Text

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import ExitRefused, database, exits_cleanly, prints_json
from sagwa.errors import InvalidInput
from sagwa.messagecheck import CheckResult, check_message

app = typer.Typer(help="Check customer messages and notices before they are queued.")

USAGE_ERROR = 2
_LABELS = {
    "ko": {"ok": "문제 없음", "count": "지적 {n}건", "error": "오류", "warning": "경고",
           "suggest": "제안", "at": "위치"},
    "en": {"ok": "No problems found", "count": "{n} finding(s)", "error": "error",
           "warning": "warning", "suggest": "suggestion", "at": "at"},
}


@app.callback()
def messages() -> None:
    """Check customer messages and public notices."""


@app.command("lint")
@exits_cleanly
def lint(
    path: Annotated[str, typer.Argument(help="File to check; '-' reads standard input.")],
    kind: Annotated[str, typer.Option(
        help="resolution | notice | follow_up (a receipt after the case is settled) | "
             "seller_notice (an email to a seller)")],
    lang: Annotated[str, typer.Option(help="ko | en")],
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    incident: Annotated[int | None, typer.Option(
        help="With --kind notice: the incident the notice is about. Judged as publishing it "
             "would be: the incident's product titles and seller names where the notice "
             "writes them are not threats (reads the database). Write the notice as it is "
             "published: the title, a blank line, the body ('sagwa incident notice --file' "
             "takes the same file).")] = None,
) -> None:
    """Check one message; print findings with suggestions.

    Exit status 0 whether or not the message passes (read "ok" in the JSON; in the text, an
    error finding is marked ✗); 2 for bad input (an unreadable file, an unknown kind, language
    or format, --incident with another kind than notice); 1 when --incident names no incident.
    """
    if fmt not in ("text", "json"):
        _usage_error(InvalidInput(f"unknown format {fmt!r}; expected text or json",
                                  field="format", reason="format_unknown"))
    if incident is not None and kind != "notice":
        _usage_error(InvalidInput(
            f"--incident is taken with --kind notice only, not {kind!r}: the names of an "
            "incident are excused in a notice only", field="incident",
            reason="incident_needs_notice_kind"))
    text = _read(path)
    try:
        result = (check_message(text, kind=kind, lang=lang) if incident is None
                  else _check_notice(text, lang=lang, incident_id=incident))
    except InvalidInput as exc:
        _usage_error(exc)
    if fmt == "json":
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False, soft_wrap=True).print(format_text(result, text, lang))


@app.command("retry-failed")
@exits_cleanly
@prints_json
def retry_failed(
    incident: Annotated[int | None, typer.Option(
        help="Only the messages of this incident.")] = None,
    since: Annotated[str | None, typer.Option(
        help="Only messages queued at or after this ISO date-time (Korea time unless it "
             "names a zone), e.g. 2026-12-05T09:00.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Say what would be re-queued; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Accepted as on the other commands: this one always prints JSON.")
    ] = True,
    actor: str = ACTOR,
) -> None:
    """Queue again the messages that failed for good (e.g. the mail server was down longer
    than SAGWA_DELIVERY_RETRY_HOURS). Only failed ones; each keeps its idempotency key, so
    nothing is sent twice. Messages that would now be wrong stay failed (the customer has
    answered, the deadline passed, a copy was sent); the contact centre's hours still apply.
    Prints JSON: counts, and the messages re-queued (a refusal too: code, message, details).
    Audited."""
    from sagwa.cli.dates import parse_time
    from sagwa.cli.incident_options import desk_context
    from sagwa.services.failed_messages import retry_failed as retry
    from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

    del as_json  # JSON either way (an ops walk's script passed --json and was refused)
    queued_since = parse_time(since, "since") if since is not None else None
    with desk_context() as (config, db, policy):
        actor = recorded_actor(db.session_factory, actor, command="messages retry-failed")
        report = retry(SqlAlchemyUnitOfWork(db.session_factory), actor=actor,
                       contact_hours=policy.schedule, incident_id=incident,
                       queued_since=queued_since, dry_run=dry_run,
                       texts_not_sent=config.sms_log_only)
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))


def _check_notice(text: str, *, lang: str, incident_id: int) -> CheckResult:
    """``text``, a notice of ``incident_id``, checked as publishing judges it (NotFound for an
    unknown incident)."""
    from sagwa.services import notices
    from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

    db = database()
    try:
        return notices.check_notice(SqlAlchemyUnitOfWork(db.session_factory),
                                    incident_id=incident_id, text=text, lang=lang)
    finally:
        db.close()


def format_text(result: CheckResult, text: str, lang: str) -> Group:
    """The findings as rich text, labelled in the message's language."""
    labels = _LABELS[lang]
    if not result.findings:
        return Group(Text(f"✓ {labels['ok']}", style="bold green"))
    lines: list[Text] = [Text(labels["count"].format(n=len(result.findings)), style="bold")]
    for f in result.findings:
        mark, style = ("✗", "bold red") if f.severity == "error" else ("!", "bold yellow")
        lines.append(Text.assemble((f"{mark} {labels[f.severity]} ", style), (f.code, "bold"),
                                   f"  {f.message}"))
        if f.span is not None:
            excerpt = text[f.span[0]:f.span[1]]
            lines.append(Text(f"    {labels['at']} {f.span[0]}–{f.span[1]}: «{excerpt}»",
                              style="dim"))
        if f.suggestion:
            lines.append(Text(f"    {labels['suggest']}: {f.suggestion}", style="cyan"))
    return Group(*lines)


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _usage_error(InvalidInput(
            f"cannot read {path}: {exc}", field="file", option="",  # an argument, no option
            reason="file_not_utf8" if isinstance(exc, UnicodeDecodeError) else "file_unreadable"))


def _usage_error(error: InvalidInput) -> NoReturn:
    """``Error: …`` on stderr, exit status 2 (USAGE_ERROR); with --format json, ``error`` is
    also printed on stdout as JSON (``exits_cleanly``)."""
    typer.echo(f"Error: {error.message}", err=True)
    raise ExitRefused(error)
