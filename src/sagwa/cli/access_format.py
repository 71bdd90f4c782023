"""How ``sagwa access list`` and ``review`` read: pure ``format_*`` functions (Rich tables and
CSV rows); ``cli/access.py`` prints them. Times in Korea time; what people typed (a reason, an
account's name) printed as it is, never as Rich markup."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from sagwa.domain.access_records import AccessAction, StoredAccess
from sagwa.domain.moments import SEOUL
from sagwa.services.access_records import AccessPage, MonthReview

#: The CSV's columns: the JSON's keys, in their order (new ones only ever appended).
CSV_COLUMNS = ("id", "at", "account", "role", "client", "request_id", "action", "what",
               "customer_ids", "case_ids", "results", "reason")


def _ids(ids: tuple[int, ...]) -> str:
    return " ".join(str(i) for i in ids)


def csv_rows(page: AccessPage) -> list[dict[str, Any]]:
    """One row per record; ids space-separated."""
    return [{**r.as_dict(), "customer_ids": _ids(r.record.customer_ids),
             "case_ids": _ids(r.record.case_ids)} for r in page.records]


def _row(stored: StoredAccess) -> list[str]:
    r = stored.record
    return [str(stored.id), f"{stored.at.astimezone(SEOUL):%Y-%m-%d %H:%M:%S}", escape(r.account),
            r.role or "", escape(r.client), r.action.value, escape(r.what),
            _ids(r.customer_ids), _ids(r.case_ids), "" if r.results is None else str(r.results),
            escape(r.reason or "")]


def format_access_table(page: AccessPage) -> Table:
    table = Table(title="접근 기록 · access records (Asia/Seoul, newest first)")
    for column in ("id", "at", "account", "role", "client", "action", "what", "customers",
                   "cases", "results", "reason"):
        table.add_column(column)
    for stored in page.records:
        table.add_row(*_row(stored))
    return table


#: The actions the review's table counts, in its columns.
REVIEW_ACTIONS = (AccessAction.VIEW, AccessAction.SEARCH, AccessAction.EXPORT,
                  AccessAction.CHANGE, AccessAction.SIGN_IN, AccessAction.SIGN_IN_FAILED)


def format_review_table(found: MonthReview) -> Table:
    """Per account: its counts by action, distinct customers, access outside hours, flags."""
    table = Table(title=f"접근 기록 월간 점검 · access review {found.month} (Asia/Seoul)")
    for column in ("account", "role", *(a.value for a in REVIEW_ACTIONS), "customers",
                   "outside hours", "flags"):
        table.add_column(column)
    for month in found.accounts:
        table.add_row(escape(month.account), month.role or "",
                      *(str(month.actions.get(a.value, 0)) for a in REVIEW_ACTIONS),
                      str(len(month.customers)), str(month.outside_hours),
                      ", ".join(f.code for f in month.flags))
    return table


def format_review_notes(found: MonthReview) -> list[str]:
    """The flags explained, then every export with its reason, one line each."""
    lines = [f"{escape(m.account)}: [yellow]{f.code}[/yellow] — {f.ko} ({f.en})"
             for m in found.accounts for f in m.flags]
    lines += [f"export {e.at.astimezone(SEOUL):%Y-%m-%d %H:%M} {escape(m.account)}: "
              f"{escape(e.what)} — {e.customers} customer(s); reason: "
              f"{escape(e.reason) if e.reason else '[red]none[/red]'}"
              for m in found.accounts for e in m.exports]
    return lines
