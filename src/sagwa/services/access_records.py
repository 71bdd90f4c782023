"""Access records (개인정보의 안전성 확보조치 기준 제8조): writing one for each page, API answer or
command that showed or changed customers' personal data, listing them, the monthly review and
purging the expired ones.

The records live behind the :class:`AccessLog` port (``adapters.db.access_records_repo.
SqlAccessLog``): each is written in a transaction of its own, before the page or output is
given, so that a record that cannot be written fails the request or command (nothing shown
unrecorded). A change's record is written in the change's own transaction instead
(``SqlAlchemyUnitOfWork.record_with_commit``): kept with the change, or neither is. ``domain.access_records`` says what a record holds and what an export needs;
``domain.access_review`` what the monthly review flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sagwa.domain.access_records import (
    CUSTOMERS_AUDITED,
    UNKNOWN_ACCOUNT,
    AccessAction,
    AccessRecord,
    StoredAccess,
    WhoseData,
    audited_id,
    check_purge_before,
)
from sagwa.domain.access_review import (
    DEFAULT_RULES,
    AccountMonth,
    ReviewedRow,
    ReviewRules,
    review,
)
from sagwa.domain.contact_hours import ContactSchedule, is_open
from sagwa.domain.ledger import AccountKind
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The most records ``sagwa access list`` shows at once.
MAX_LISTED = 10_000


class AccessLog(Protocol):
    """Where access records are kept."""

    def add(self, record: AccessRecord) -> None: ...

    def listed(self, *, customer_id: int | None = None, account: str | None = None,
               since: datetime | None = None, until: datetime | None = None,
               action: str | None = None, limit: int = 100) -> list[StoredAccess]: ...

    def reviewed(self, since: datetime, until: datetime) -> Iterable[ReviewedRow]: ...

    def purge(self, before: datetime, record: AccessRecord) -> int: ...


def record_access(log: AccessLog, record: AccessRecord) -> None:
    """Write ``record``; a database error goes up to fail the request or command."""
    log.add(record)


def account_tried(uow: SqlAlchemyUnitOfWork, typed: str) -> str:
    """The account a failed sign-in named, or :data:`UNKNOWN_ACCOUNT` when the name typed is
    no account's — it may be a password typed into the name field, so it is never kept."""
    with uow:
        user = uow.users.by_username(typed.strip())
    return user.username if user is not None else UNKNOWN_ACCOUNT


def ledger_customers(entries: Iterable[dict[str, Any]]) -> list[int]:
    """The customers whose points accounts ledger entries (``ledger_reports.entry_dict``) post
    to: whose data a page of the ledger, or an export of it, shows."""
    return sorted({int(p["owner_id"]) for e in entries for p in e["postings"]
                   if p["account"] == AccountKind.CUSTOMER_POINTS.value
                   and p["owner_id"] is not None})


def audit_trail_whose(uow: SqlAlchemyUnitOfWork, *, entity_type: str,
                      entity_id: str) -> WhoseData:
    """The customers and cases whose data the audit trail of ``entity_type`` ``entity_id``
    shows — a customer's, or their case's, order's, message's or points entry's
    (``domain.access_records.CUSTOMERS_AUDITED``) — found in the database."""
    found = audited_id(entity_id)
    if found is None or entity_type not in CUSTOMERS_AUDITED:
        return WhoseData()
    with uow:
        return uow.access_records.whose_audited(entity_type, found)


@dataclass(frozen=True)
class AccessPage:
    """Records as ``sagwa access list`` shows them: the newest first, and whether there are
    more than the limit."""

    records: list[StoredAccess]
    more: bool

    def as_dict(self) -> dict[str, Any]:
        return {"records": [r.as_dict() for r in self.records], "more": self.more}


def check_action(action: str | None) -> str | None:
    """``action`` when it is one a record can have; InvalidInput ``access_action_unknown``."""
    if action is not None and action not in {a.value for a in AccessAction}:
        known = ", ".join(a.value for a in AccessAction)
        raise InvalidInput(f"알 수 없는 접근 종류입니다: {action!r}. Unknown action {action!r}: one of "
                           f"{known}", field="action", reason="access_action_unknown")
    return action


def list_access(log: AccessLog, *, customer_id: int | None = None, account: str | None = None,
                since: datetime | None = None, until: datetime | None = None,
                action: str | None = None, limit: int = 100) -> AccessPage:
    """The records matching every filter given, the newest first, at most ``limit``."""
    found = log.listed(customer_id=customer_id, account=account, since=since, until=until,
                       action=check_action(action), limit=limit + 1)
    return AccessPage(found[:limit], len(found) > limit)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first moment of ``month`` (``YYYY-MM``, Korea time) and of the next one;
    InvalidInput ``month_malformed``."""
    try:
        first = datetime.strptime(month.strip(), "%Y-%m").replace(tzinfo=SEOUL)
    except ValueError:
        raise InvalidInput(f"--month {month!r}은(는) YYYY-MM 형식이 아닙니다. --month {month!r} is "
                           "not a month like 2026-12", field="month",
                           reason="month_malformed") from None
    after = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    return first, after


@dataclass(frozen=True)
class MonthReview:
    """``sagwa access review``: each account's month (``domain.access_review``)."""

    month: str
    since: datetime
    until: datetime
    rules: ReviewRules
    accounts: list[AccountMonth] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Keys only ever appended."""
        return {"month": self.month, "from": self.since.isoformat(),
                "to": self.until.isoformat(), "many_factor": self.rules.many_factor,
                "many_at_least": self.rules.many_at_least,
                "accounts": [a.as_dict() for a in self.accounts]}


def review_access(log: AccessLog, *, month: str, schedule: ContactSchedule,
                  rules: ReviewRules = DEFAULT_RULES) -> MonthReview:
    """The month's review; "outside hours" is when ``schedule`` (the desk policy's contact
    hours) is closed."""
    since, until = month_bounds(month)
    accounts = review(log.reviewed(since, until), open_at=lambda at: is_open(schedule, at),
                      rules=rules)
    return MonthReview(f"{since:%Y-%m}", since, until, rules, accounts)


def purge_access(log: AccessLog, *, before: date, now: datetime, record: AccessRecord,
                 keep_years: int) -> int:
    """Delete the records from before ``before`` (Korea time; at least ``keep_years`` ago —
    ``SAGWA_ACCESS_RECORDS_KEEP_YEARS``, never under a year — else InvalidInput
    ``purge_too_recent``) and write ``record`` saying so; how many went."""
    return log.purge(check_purge_before(before, now, keep_years), record)
