"""``sagwa customers export|erase`` and ``sagwa retention plan|run``: a customer's copy of their
personal data, and erasing it on request or once no law keeps it (``sagwa.domain.retention``,
``services/customer_copy.py``, ``services/customer_erasure.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from sagwa.cli.access_recording import command_record, command_what, record_command
from sagwa.cli.actors import ACTOR, acting
from sagwa.cli.context import console, database, exits_cleanly, settings
from sagwa.cli.dates import parse_day, parse_time
from sagwa.cli.incident_format import print_result, print_rows
from sagwa.cli.incident_options import FORMAT, TableOrJson
from sagwa.cli.numbers import number_option
from sagwa.cli.output_file import output_file
from sagwa.domain.access_records import AccessAction
from sagwa.errors import Conflict
from sagwa.services.customer_copy import customer_copy
from sagwa.services.customer_erasure import (
    ErasureReason,
    erase_customer,
    erase_due,
    retention_plan,
)
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

customers_app = typer.Typer(help="Customers' personal data: their copy (개인정보 열람), erasing "
                                 "it on request or after retention (개인정보 파기).",
                            no_args_is_help=True)
retention_app = typer.Typer(help="Who may be erased now that the law's periods have ended, "
                                 "and erasing them (개인정보 보유기간 경과 파기).",
                            no_args_is_help=True)


@customers_app.command()
@exits_cleanly
def export(
    customer: int = number_option(..., "--customer", min=1, help="The customer's id."),
    reason: Annotated[str, typer.Option(
        "--reason", help="The request it answers (e.g. 'customer asked by phone 12-06'): "
                         "recorded. Name the request, not the customer: access records "
                         "cannot be erased.")] = "",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the JSON here (UTF-8) instead of printing it.")] = None,
    actor: str = ACTOR,
) -> None:
    """A customer's copy of everything sagwa holds about them (개인정보 보호법 제35조): their
    details, orders, cases and the words staff recorded, contacts, messages, refunds and
    points, as JSON. Audited, with the reason."""
    # opened first: a copy made is on the record, so it must have somewhere to go
    with output_file(out, "the copy") as target:
        db = database()
        try:
            assert db.session_factory is not None
            account, who = acting(db.session_factory, actor, command="customers export")
            copy = customer_copy(SqlAlchemyUnitOfWork(db.session_factory),
                                 customer_id=customer, actor=who, reason=reason)
            text = json.dumps(copy, ensure_ascii=False, indent=2)
            if target is not None:  # written before it is recorded (in --out's place after)
                target.write(text + "\n")
            record_command(db, account, AccessAction.EXPORT,
                           command_what("customers export", ("--customer", customer),
                                        ("--out", out)),
                           customers=[customer], reason=reason)
        finally:
            db.close()
        if target is None:
            typer.echo(text)
            return
    console.print(f"customer {customer}'s copy -> {out}", markup=False, highlight=False)


@customers_app.command()
@exits_cleanly
def erase(
    customer: int = number_option(..., "--customer", min=1, help="The customer's id."),
    reason: Annotated[ErasureReason, typer.Option(
        "--reason", help="request: the customer asked (개인정보 보호법 제36조); retention: every "
                         "period that kept it has ended (제21조).")] = ErasureReason.REQUEST,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check only: say whether it may be erased, erase nothing.")] = False,
    asked_on: Annotated[str | None, typer.Option(
        "--asked-on", metavar="YYYY-MM-DD",
        help="The day the customer asked (Korea time), when earlier than today — by letter, "
             "phone or email, entered now: the 10 days to answer a refusal count from it "
             "(시행령 제43조). With --reason request only.")] = None,
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Erase a customer's personal data: name, email, phone, the words staff typed about them
    and the messages written to them. Ids, times, amounts and choices stay, so the ledger and
    the incident's figures stand. Refused while a law keeps the data (orders and payments 5
    years, complaint handling 3 years) or a case or refund is open: the refusal names each,
    and until when. A customer's request so refused is recorded (once) and carried out as soon
    as every hold lifts (``sagwa retention run``, the worker's daily job); the answer to send
    the customer within 10 days is printed (JSON: ``details.answer``), naming the desk
    policy's ``[privacy_officer]``. A request carried out prints the letter that tells the
    customer so (JSON: ``answer``, ``answer_by``, ``answer_overdue``)."""
    officer = load_desk_policy(settings().desk_policy).privacy_officer
    db = database()
    try:
        assert db.session_factory is not None
        account, who = acting(db.session_factory, actor, command="customers erase")
        work = SqlAlchemyUnitOfWork(db.session_factory)
        # written by the commit that erases (or records the refused request): both or neither
        work.record_with_commit(command_record(
            account, AccessAction.CHANGE, command_what("customers erase", (
                "--customer", customer), ("--reason", reason.value), ("--asked-on", asked_on)),
            customers=[customer]))
        try:
            done = erase_customer(work, customer_id=customer, reason=reason, actor=who,
                                  dry_run=dry_run, officer=officer,
                                  asked_on=parse_day(asked_on, "--asked-on")
                                  if asked_on is not None else None)
        except Conflict as exc:
            if fmt != TableOrJson.json and "answer" in exc.details:
                typer.echo(format_answer(exc.details))  # unwrapped: staff copy it
            raise
    finally:
        db.close()
    data = done.as_dict()
    if fmt == TableOrJson.json:
        print_result(data, fmt.value, "")
        return
    # the letter, if any, below the table and unwrapped (staff copy it), not in a cell
    letter = (("answer", "answer_by", "send_to") if done.answer
              else ("answer", "answer_by", "answer_overdue", "send_to"))
    print_result({k: v for k, v in data.items() if k not in letter}, fmt.value,
                 "may be erased (dry run)" if dry_run else "customer's personal data erased")
    if done.answer:
        typer.echo("\n" + format_answer(data))


def format_answer(details: dict[str, Any]) -> str:
    """The answer to a request, refused or carried out, as staff copy it to the customer:
    Korean, then English."""
    by, answer = details["answer_by"], details["answer"]
    if details.get("answer_overdue"):
        head = (f"고객에게 오늘 보낼 답변 (기한 {by} 지남, 개인정보 보호법 시행령 제43조) — the "
                f"answer to send the customer today (it was due by {by})")
    else:
        head = (f"고객에게 {by}까지 보낼 답변 (개인정보 보호법 시행령 제43조) — the answer to send "
                f"the customer by {by}")
    sent = details.get("send_to") or {}
    where = ", ".join(v for v in (sent.get("email"), sent.get("phone")) if v)
    to = (f"\n\n보낼 곳 (파기 전 연락처, 여기에만 보입니다) — send to (as before the erasure, shown "
          f"here only): {where}") if where else ""
    return f"{head}:\n\n{answer['ko']}\n\n{answer['en']}{to}\n"


def request_rows(requests: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The plan's pending requests, one row each: whose, and when it will be carried out."""
    rows = []
    for r in requests:
        when = (f"{r['erase_from']} 파기 — erased on {r['erase_from']}" if r["erase_from"]
                else "처리 중인 일이 끝난 뒤 — once the open matter is settled")
        asked = r["requested_at"][:10]
        said = (f"{when}{' (지금 — due now)' if r['due'] else ''}; {asked} 요청, 답변 기한 "
                f"{r['answer_by']} — asked {asked}, answer due by {r['answer_by']}")
        rows.append((f"고객 customer {r['customer_id']}", said))
    return rows


@retention_app.command()
@exits_cleanly
def plan(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge at this time (ISO; Korea time if no zone); default now.")] = None,
    fmt: TableOrJson = FORMAT,
) -> None:
    """How many customers may be erased now (``due``), how many are still kept, and when the
    next one falls due; the customers who asked to be erased, when each asked, the day their
    answer was due by and when each will be erased. JSON: as_of, due, due_ids, kept, kept_open,
    next_due_at, requests_pending, requests_due_ids, requests (customer_id, requested_at,
    erase_from, due, answer_by)."""
    db = database()
    try:
        assert db.session_factory is not None
        found = retention_plan(SqlAlchemyUnitOfWork(db.session_factory),
                               as_of=parse_time(as_of, "as_of") if as_of else None)
    finally:
        db.close()
    data = found.as_dict()
    if fmt == TableOrJson.json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    shown = {k: v for k, v in data.items()
             if k not in ("due_ids", "requests_due_ids", "requests")}
    print_result(shown, fmt.value, "retention")
    if found.requests:
        print_rows(request_rows(data["requests"]),  # type: ignore[arg-type]
                   "삭제 요청 — erasure requests")


@retention_app.command()
@exits_cleanly
def run(
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Erase every customer whose retention periods have all ended, one at a time (each in its
    own transaction, audited), those who asked to be erased as asked; run it daily (e.g. from
    cron). Prints, for each customer whose request it carried out, the letter to send them.
    JSON: erased, customer_ids, requested_ids (erased on their request), answers
    (customer_id, answer_by, answer: ko, en, send_to: email, phone as they were). A run that
    stops part-way still prints the letters of those it erased (on stderr)."""
    from rich.progress import Progress

    officer = load_desk_policy(settings().desk_policy).privacy_officer
    told: list[dict[str, Any]] = []  # each as soon as it is committed: their requests close
    db = database()
    try:
        assert db.session_factory is not None
        factory = db.session_factory
        account, who = acting(factory, actor, command="retention run")
        found = retention_plan(SqlAlchemyUnitOfWork(factory))
        due, asked = found.due, [r.customer_id for r in found.requests]
        total = len({*due, *asked})
        with Progress(console=console, transient=True,
                      disable=not console.is_terminal or total < 2) as bar:
            task = bar.add_task("erasing", total=total)
            # each customer's record written by the commit that erases them: both or neither
            done = erase_due(lambda: SqlAlchemyUnitOfWork(factory), actor=who, due=due,
                             requested=asked, progress=lambda n: bar.advance(task, n),
                             record=lambda customer_id: command_record(
                                 account, AccessAction.CHANGE, "sagwa retention run",
                                 customers=[customer_id]), officer=officer,
                             on_erased=lambda d: told.append(d.as_dict()) if d.answer else None)
    except BaseException:
        for letter in told:  # erased, their requests closed: the letters must not be lost
            typer.echo(_customers_letter(letter), err=True)
        raise
    finally:
        db.close()
    answers = [{"customer_id": t["customer_id"], "answer_by": t["answer_by"],
                "answer": t["answer"], "send_to": t["send_to"]} for t in told]
    summary = {"erased": len(done), "customer_ids": [d.customer_id for d in done],
               "requested_ids": [d.customer_id for d in done if d.request_id is not None]}
    if fmt == TableOrJson.json:
        print_result(summary | {"answers": answers}, fmt.value, "")
        return
    print_result(summary, fmt.value, "retention run")
    for letter in told:  # each below the table, unwrapped: staff copy them
        typer.echo(_customers_letter(letter))


def _customers_letter(erased: dict[str, Any]) -> str:
    """One erased customer's letter (:func:`format_answer`) headed with whose it is."""
    return f"\n고객 customer {erased['customer_id']}\n" + format_answer(erased)
