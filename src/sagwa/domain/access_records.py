"""Access records: who saw or changed which customers' personal data (개인정보의 안전성
확보조치 기준 제8조). What one record says, what an export must give (a reason), and how long a
record is kept before it may be purged. Pure: the database and the clock are the caller's.

A record names the account (and its role), where it came from (a web client's address, or
``cli:<os login>``), the request's id, what was done (:class:`AccessAction`), on which page,
endpoint or command (``what``, without a search's words), the customers and cases shown, how
many a search found and an export's reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput


class AccessAction(StrEnum):
    VIEW = "view"              # a page or answer that shows customers' data
    SEARCH = "search"          # a lookup by a customer's phone, name or email (words not kept)
    EXPORT = "export"          # a file of customers' data (CSV, a ledger export)
    CHANGE = "change"          # a change to a customer's case or details
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SIGN_IN_FAILED = "sign_in_failed"
    PURGE = "purge"            # expired records deleted (``sagwa access purge``)


#: The actions that touch customers' data (what the monthly review counts as access).
DATA_ACTIONS = frozenset({AccessAction.VIEW, AccessAction.SEARCH, AccessAction.EXPORT,
                          AccessAction.CHANGE})
#: The longest reason an export takes.
MAX_REASON = 500
#: Who a command acts as when its ``--actor`` is left out; a failed sign-in's account when the
#: name typed is no account's (it may be a password typed in the wrong box: never kept).
CLI_ACCOUNT = "cli"
UNKNOWN_ACCOUNT = "(unknown)"
#: The shortest time a record is kept (the standard's: one year; two with 50,000 or more data
#: subjects or sensitive data — an operator's choice of ``--before``). The database refuses to
#: delete a younger row (migration 0027).
KEPT_YEARS = 1


@dataclass(frozen=True)
class AccessRecord:
    """One access, as it is written (the database stamps ``at``)."""

    account: str
    role: str | None
    client: str
    action: AccessAction
    what: str
    customer_ids: tuple[int, ...] = ()
    case_ids: tuple[int, ...] = ()
    request_id: str | None = None
    results: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StoredAccess:
    """One access as it was recorded."""

    id: int
    at: datetime
    record: AccessRecord

    def as_dict(self) -> dict[str, object]:
        """The JSON of ``sagwa access list`` (keys only ever appended)."""
        r = self.record
        return {"id": self.id, "at": self.at.isoformat(), "account": r.account, "role": r.role,
                "client": r.client, "request_id": r.request_id, "action": r.action.value,
                "what": r.what, "customer_ids": list(r.customer_ids),
                "case_ids": list(r.case_ids), "results": r.results, "reason": r.reason}


def access_reason(reason: str | None, *, required: bool, what: str) -> str | None:
    """An export's reason, trimmed (None when none was given and none is needed).
    InvalidInput ``access_reason_required`` when ``required`` and blank, ``access_reason_too_long``
    over :data:`MAX_REASON` characters."""
    said = (reason or "").strip()
    if len(said) > MAX_REASON:
        raise InvalidInput(f"사유는 {MAX_REASON}자까지입니다(지금 {len(said)}자). The reason is at "
                           f"most {MAX_REASON} characters ({len(said)} given)", field="reason",
                           reason="access_reason_too_long")
    if not said and required:
        raise InvalidInput(f"고객 개인정보를 내려받으려면 사유가 필요합니다: {what} --reason \"…\" "
                           f"(개인정보의 안전성 확보조치 기준 제8조). Downloading customers' personal "
                           f"data needs a reason: give {what} --reason \"why\"", field="reason",
                           reason="access_reason_required")
    return said or None


def year_before(day: date, years: int = KEPT_YEARS) -> date:
    """The same day ``years`` earlier (29 February: the 28th)."""
    year = day.year - years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def latest_purge_day(now: datetime) -> date:
    """The latest ``--before`` day a purge takes at ``now``: :data:`KEPT_YEARS` before today
    in Korea."""
    return year_before(now.astimezone(SEOUL).date())


def check_purge_before(before: date, now: datetime) -> datetime:
    """The start of ``before`` (Korea time), the first moment a purge keeps; InvalidInput
    ``purge_too_recent`` for a day less than :data:`KEPT_YEARS` before today."""
    latest = latest_purge_day(now)
    if before > latest:
        raise InvalidInput(f"접근 기록은 {KEPT_YEARS}년 이상 보관해야 합니다: --before는 {latest} 이전 "
                           f"날짜여야 합니다({before} 불가). Access records are kept at least "
                           f"{KEPT_YEARS} year: --before must be {latest} or earlier, not "
                           f"{before}", field="before", reason="purge_too_recent")
    return datetime.combine(before, datetime.min.time(), SEOUL)
