"""The access record of a command that prints customers' personal data (``services.
access_records``): the account ``--actor`` names (or ``cli``), the OS login it runs under
(``cli:<login>``, the record's client), what was run and whose data it printed. It is written
before anything is printed: a record that cannot be written fails the command, and nothing
is shown unrecorded.

An export — a file of customers' data, a CSV of refunds with their names, a ledger export of
one customer — takes ``--reason``; where it holds names, contacts or one customer's records,
it needs one (``access_reason_required``, exit 2, nothing printed).
"""

from __future__ import annotations

from collections.abc import Iterable

import typer

from sagwa.adapters.db.access_records_repo import SqlAccessLog
from sagwa.adapters.db.database import Database
from sagwa.cli.actors import os_login
from sagwa.domain.access_records import CLI_ACCOUNT, AccessAction, AccessRecord
from sagwa.services.access_records import record_access
from sagwa.services.accounts import Account

REASON_HELP = ("Why customers' personal data is exported (kept on the access record, for the "
               "monthly review; 개인정보의 안전성 확보조치 기준 제8조). Name the request or the "
               "case, never the customer: access records cannot be erased.")
REASON = typer.Option("--reason", metavar="TEXT", help=REASON_HELP)  # Annotated[str | None, REASON] = None

Flag = tuple[str, object]


def command_what(command: str, *flags: Flag) -> str:
    """``sagwa refunds list --status owed --format csv``: the command and the options given
    (None and False left out, True as the bare flag); never ``--reason``, which is kept apart."""
    words = [f"sagwa {command}"]
    for flag, value in flags:
        if value is None or value is False:
            continue
        words.append(flag if value is True else f"{flag} {value}")
    return " ".join(words)


def command_record(account: Account | None, action: AccessAction, what: str, *,
                   customers: Iterable[int] = (), cases: Iterable[int] = (),
                   reason: str | None = None, results: int | None = None,
                   incidents: Iterable[int] = ()) -> AccessRecord:
    """The record of a command run by ``account`` (None: ``cli``) from this OS login; a step of
    ``incidents`` names their cases as its commit leaves them (``AccessRecord.incident_ids``)."""
    return AccessRecord(account=account.username if account else CLI_ACCOUNT,
                        role=account.role.value if account else None,
                        client=f"cli:{os_login()}", action=action, what=what,
                        customer_ids=tuple(customers), case_ids=tuple(cases), results=results,
                        reason=reason, incident_ids=tuple(incidents))


def record_command(db: Database, account: Account | None, action: AccessAction, what: str, *,
                   customers: Iterable[int] = (), cases: Iterable[int] = (),
                   reason: str | None = None) -> None:
    """Write the command's record (see the module)."""
    assert db.session_factory is not None
    record_access(SqlAccessLog(db.session_factory),
                  command_record(account, action, what, customers=customers, cases=cases,
                                 reason=reason))
