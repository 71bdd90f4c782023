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
from sagwa.errors import DatabaseUnavailable, InvalidInput


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
#: The shortest time a record is kept whatever the settings say (the standard's least: one
#: year). The database refuses to delete a younger row (migration 0027).
KEPT_YEARS = 1
#: The years records are kept unless ``SAGWA_ACCESS_RECORDS_KEEP_YEARS`` says otherwise: two, as
#: the standard asks of a processor of 50,000 or more data subjects or of sensitive or
#: unique-identifying data — the safe choice for a marketplace — and the most a setting takes.
DEFAULT_KEEP_YEARS = 2
MAX_KEEP_YEARS = 10
#: The setting that says how many years (``sagwa access purge`` keeps that many).
KEEP_YEARS_SETTING = "SAGWA_ACCESS_RECORDS_KEEP_YEARS"
#: The audit log's entity types whose records are about one customer's data (a customer, their
#: case, order, message or points entry): an audit trail of one names whose it is
#: (``adapters.db.access_records_repo.AccessRecordRepository.whose_audited``).
CUSTOMERS_AUDITED = ("customer", "case", "order", "message", "ledger_entry")
#: The audit log's other entity types: staff accounts, sellers, products, listings and incidents
#: (an incident's records hold counts, not a customer's data).
OTHERS_AUDITED = ("user", "seller", "product", "listing", "incident")
#: ``details["reason"]`` of a change refused because its access record could not be written.
ACCESS_NOT_RECORDED = "access_record_unwritten"
#: The largest id the database stores (bigint): a longer one names nothing.
LARGEST_ID = 2**63 - 1


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
    #: A step of these incidents (scope, notify, escalate, the deadline, close) goes through
    #: every case of theirs, changing those it applies to: the record names all of them, and
    #: their customers, as they stand when it is written — with the step's commit, the cases
    #: scoping made among them; a step that moved none still committed (its audit record) and
    #: is recorded too. Not kept apart: a stored record's ``case_ids`` hold them.
    incident_ids: tuple[int, ...] = ()


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


@dataclass(frozen=True)
class WhoseData:
    """The customers and cases whose personal data something shows (an audit trail)."""

    customers: tuple[int, ...] = ()
    cases: tuple[int, ...] = ()


def audited_id(entity_id: str) -> int | None:
    """An audit trail's ``entity_id`` as the id of a customer's row: None when it is no whole
    number the database could hold (such a trail is of no row of theirs)."""
    text = entity_id.strip()
    if not text.isascii() or not text.isdigit() or int(text) > LARGEST_ID:
        return None
    return int(text)


def year_before(day: date, years: int = KEPT_YEARS) -> date:
    """The same day ``years`` earlier (29 February: the 28th)."""
    year = day.year - years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def latest_purge_day(now: datetime, keep_years: int = KEPT_YEARS) -> date:
    """The latest ``--before`` day a purge takes at ``now``: ``keep_years`` (never fewer than
    :data:`KEPT_YEARS`) before today in Korea."""
    return year_before(now.astimezone(SEOUL).date(), max(keep_years, KEPT_YEARS))


def check_purge_before(before: date, now: datetime, keep_years: int = KEPT_YEARS) -> datetime:
    """The start of ``before`` (Korea time), the first moment a purge keeps; InvalidInput
    ``purge_too_recent`` for a day less than ``keep_years`` (:data:`KEEP_YEARS_SETTING`; at
    least :data:`KEPT_YEARS`) before today, naming the setting and the latest day allowed."""
    years = max(keep_years, KEPT_YEARS)
    latest = latest_purge_day(now, years)
    if before > latest:
        raise InvalidInput(
            f"접근 기록은 {years}년 보관합니다({KEEP_YEARS_SETTING}={years}): --before는 {latest} "
            f"또는 그 이전 날짜여야 합니다({before} 불가). Access records are kept {years} "
            f"year{'s' if years > 1 else ''} ({KEEP_YEARS_SETTING}={years}): --before must be "
            f"{latest} or earlier, not {before}", field="before", reason="purge_too_recent",
            setting=KEEP_YEARS_SETTING, keep_years=years, latest_before=latest.isoformat())
    return datetime.combine(before, datetime.min.time(), SEOUL)


def access_not_recorded() -> DatabaseUnavailable:
    """The refusal of a change whose access record could not be written in its transaction:
    the change was not made either (503, ``access_record_unwritten``)."""
    return DatabaseUnavailable(
        "접근 기록을 남길 수 없어 아무것도 바꾸지 않았습니다. 잠시 뒤 다시 해 보시고, 계속되면 관리자에게 "
        "알려 주세요. The access record could not be written, so nothing was changed: try "
        "again in a moment, and tell an administrator if it goes on.",
        reason="access_record_unwritten")
