"""Finance's reading of the points ledger: entries listed with their postings and the incident,
case and sellers they belong to (``GET /api/ledger/entries``), and exports by entry or summed by
incident, seller or day (``sagwa ledger export``).

Days are Korea's (Asia/Seoul): ``--from 2008-06-12`` starts at midnight there, and ``--to`` takes
the whole of its day. Points are won (1 point = 1 KRW).

A summary row puts every posting in one column, so the columns of all rows balance:

* ``compensation_points`` — points credited to customers by entries someone pays for (incident
  compensations and staff credits, net of their reversals); ``seller_share`` and
  ``platform_share`` — who pays them, and the two always add up to ``compensation_points``;
* ``points_spent`` — points customers spent (net of reversals);
* ``refunds`` — what the desk refunded on orders in won (not ledger entries: from the audit log);
  a refund in another currency is in ``refunds_other`` (``"USD 1234"``, minor units);
* ``differences_paid`` — what customers paid on top, the difference of the discount choice,
  recorded as paid (money received; from the audit log, on the day it was recorded), in won;
  another currency in ``differences_other``. By seller, a case's difference is divided between
  the sellers of its orders by their value.

By seller, a compensation paid by several sellers is divided between them as their charge-backs
are (whole points, ``money.allocate_by_weight``), and one with no seller share goes to the sellers
of the case's orders by their value; an entry with no seller (a spend) is on the row with an
empty key. ``entries`` counts on each seller's row the entries they have a part of (an entry
two sellers share is on both rows, as filtered to either seller), and on the total each entry
once. By incident, entries
not of a case are on the empty key's row.

Filtered to one seller (``--seller``), every row holds that seller's part of each entry only,
as their row by seller does: a compensation two sellers share is not all the filtered
seller's, and the other seller's row is not shown (a filter that named an entry made it that
seller's, not the whole of it). An export by entry shows each entry whole, every posting
of it, so that its postings still add up to 0: another seller's charge-back on an entry the
filtered seller shares is on it. A filter naming an incident, seller or customer that does not
exist is refused (``unknown_id``) rather than answered with an export that reads as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sagwa.adapters.db.ledger_repo import EntryFilter, EntryRow
from sagwa.domain.ledger import POINTS_CURRENCY, AccountKind
from sagwa.domain.moments import korean_days
from sagwa.domain.money import allocate_by_weight
from sagwa.errors import InvalidInput
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
Grouping = Literal["incident", "seller", "day"]
SUMMARY_COLUMNS = ("key", "entries", "compensation_points", "seller_share", "platform_share",
                   "points_spent", "refunds", "refunds_other", "differences_paid",
                   "differences_other")
#: The summary's columns of whole numbers (added up by :func:`total_of`).
_COUNTED = ("entries", "compensation_points", "seller_share", "platform_share", "points_spent",
            "refunds", "differences_paid")
ENTRY_COLUMNS = ("entry_id", "created_at", "kind", "memo", "reverses_id", "incident_id",
                 "case_id", "seller_ids", "account", "owner_id", "amount")
#: Entries read per query when exporting.
CHUNK = 500


def korea_days(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """The moments from the start of ``since`` to the end of ``until`` (both Korea's days,
    inclusive; either open): the start inclusive, the end exclusive."""
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"the dates are the wrong way round: from {since} is after to {until}",
                           field="from", reason="ledger_dates_reversed",
                           since=since.isoformat(), until=until.isoformat())
    return korean_days(since, until)


def entry_filter(*, incident_id: int | None = None, seller_id: int | None = None,
                 customer_id: int | None = None, since: date | None = None,
                 until: date | None = None) -> EntryFilter:
    start, end = korea_days(since, until)
    return EntryFilter(incident_id=incident_id, seller_id=seller_id, customer_id=customer_id,
                       since=start, until=end)


def _charged(row: EntryRow) -> dict[int, int]:
    """Seller id -> points charged to them by the entry (positive when charged)."""
    out: dict[int, int] = {}
    for kind, owner, amount, _ in row.postings:
        if kind == AccountKind.SELLER_CHARGEBACK.value and owner is not None:
            out[owner] = out.get(owner, 0) - amount
    return out


def seller_ids_of(row: EntryRow, case_sellers: dict[int, dict[int, int]]) -> list[int]:
    charged = _charged(row)
    return sorted(charged or (case_sellers.get(row.case_id, {}) if row.case_id else {}))


def entry_dict(row: EntryRow, case_sellers: dict[int, dict[int, int]]) -> dict[str, Any]:
    """The entry as JSON: times in Korea's, amounts in minor units (points: won)."""
    return {"id": row.id, "created_at": row.created_at.astimezone(SEOUL).isoformat(),
            "kind": row.kind, "memo": row.memo, "reverses_id": row.reverses_id,
            "incident_id": row.incident_id, "case_id": row.case_id,
            "seller_ids": seller_ids_of(row, case_sellers),
            "postings": [{"account": kind, "owner_id": owner, "amount_minor": amount,
                          "currency": currency} for kind, owner, amount, currency in row.postings]}


@dataclass(frozen=True)
class EntryPage:
    entries: list[dict[str, Any]]
    total: int
    #: Pass as ``after`` for the next page (None on the last).
    next_after: int | None


def _require_named(uow: SqlAlchemyUnitOfWork, filters: EntryFilter) -> None:
    """NotFound (``unknown_id``) for a filter's incident, seller or customer that does not
    exist: a mistyped id would otherwise export nothing, as if nothing were owed."""
    if filters.incident_id is not None:
        require(uow.incidents.get(filters.incident_id), "incident", filters.incident_id)
    if filters.seller_id is not None:
        require(uow.catalog.seller(filters.seller_id), "seller", filters.seller_id)
    if filters.customer_id is not None:
        require(uow.catalog.customer(filters.customer_id), "customer", filters.customer_id)


def list_entries(uow: SqlAlchemyUnitOfWork, *, filters: EntryFilter, limit: int,
                 after: int = 0) -> EntryPage:
    """A page of the entries matching ``filters``, by id (the order of booking), after the
    entry ``after``."""
    with uow:
        _require_named(uow, filters)
        rows = uow.ledger.find_entries(filters, limit=limit + 1, after_id=after)
        page = rows[:limit]
        sellers = uow.ledger.case_sellers(r.case_id for r in page if r.case_id)
        return EntryPage([entry_dict(r, sellers) for r in page], uow.ledger.count_entries(filters),
                         page[-1].id if len(rows) > limit else None)


def _chunks(uow: SqlAlchemyUnitOfWork, filters: EntryFilter
            ) -> Iterator[tuple[list[EntryRow], dict[int, dict[int, int]]]]:
    after = 0
    while rows := uow.ledger.find_entries(filters, limit=CHUNK, after_id=after):
        yield rows, uow.ledger.case_sellers(r.case_id for r in rows if r.case_id)
        after = rows[-1].id


def export_entries(uow: SqlAlchemyUnitOfWork, *, filters: EntryFilter,
                   progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Every entry matching ``filters`` as :func:`entry_dict` makes it, in one transaction;
    ``progress(done, total)`` after each chunk read."""
    out: list[dict[str, Any]] = []
    with uow:
        _require_named(uow, filters)
        total = uow.ledger.count_entries(filters)
        for rows, sellers in _chunks(uow, filters):
            out += [entry_dict(r, sellers) for r in rows]
            if progress:
                progress(len(out), total)
    return out


def posting_rows(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The CSV rows of an export by entry: one per posting."""
    for e in entries:
        for p in e["postings"]:
            yield {"entry_id": e["id"], "created_at": e["created_at"], "kind": e["kind"],
                   "memo": e["memo"], "reverses_id": e["reverses_id"],
                   "incident_id": e["incident_id"], "case_id": e["case_id"],
                   "seller_ids": ";".join(str(s) for s in e["seller_ids"]),
                   "account": p["account"], "owner_id": p["owner_id"],
                   "amount": p["amount_minor"]}


@dataclass
class SummaryRow:
    key: str
    entries: int = 0
    compensation_points: int = 0
    seller_share: int = 0
    platform_share: int = 0
    points_spent: int = 0
    refunds: int = 0
    refunds_other: dict[str, int] = field(default_factory=dict)
    differences_paid: int = 0
    differences_other: dict[str, int] = field(default_factory=dict)
    #: Of ``entries``, those counted on another row too (an entry sellers share, by seller):
    #: :func:`total_of` counts each entry once. Not a column.
    shared: int = 0

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        del d["shared"]
        for other in ("refunds_other", "differences_other"):
            d[other] = " ".join(f"{c} {n}" for c, n in sorted(getattr(self, other).items()))
        return d

    def add_money(self, column: str, currency: str, minor: int) -> None:
        """``minor`` units of ``currency`` into ``column`` (won) or its ``_other`` beside it."""
        if currency == POINTS_CURRENCY:
            setattr(self, column, getattr(self, column) + minor)
            return
        other: dict[str, int] = getattr(self, "refunds_other" if column == "refunds"
                                        else "differences_other")
        other[currency] = other.get(currency, 0) + minor


def _legs(row: EntryRow) -> dict[str, int]:
    sums: dict[str, int] = {}
    for kind, _, amount, _ in row.postings:
        sums[kind] = sums.get(kind, 0) + amount
    return sums


def _split_by_seller(row: EntryRow, case_sellers: dict[int, dict[int, int]]
                     ) -> list[tuple[str, dict[str, int]]]:
    """The entry's columns on each seller's row (see the module docstring)."""
    legs, charged = _legs(row), _charged(row)
    customer = legs.get(AccountKind.CUSTOMER_POINTS.value, 0)
    spent = legs.get(AccountKind.POINTS_REDEEMED.value, 0)
    if spent:
        return [("", {"points_spent": spent})]
    weights = {s: abs(v) for s, v in charged.items()} or (
        case_sellers.get(row.case_id, {}) if row.case_id else {})
    if not weights:
        return [("", {"compensation_points": customer, "seller_share": 0,
                      "platform_share": customer})]
    sign = -1 if customer < 0 else 1
    parts = allocate_by_weight(abs(customer), weights)
    return [(str(s), {"compensation_points": sign * parts[s], "seller_share": charged.get(s, 0),
                      "platform_share": sign * parts[s] - charged.get(s, 0)})
            for s in sorted(parts)]


def _entry_columns(row: EntryRow) -> dict[str, int]:
    legs = _legs(row)
    spent = legs.get(AccountKind.POINTS_REDEEMED.value, 0)
    if spent:
        return {"points_spent": spent}
    return {"compensation_points": legs.get(AccountKind.CUSTOMER_POINTS.value, 0),
            "seller_share": -legs.get(AccountKind.SELLER_CHARGEBACK.value, 0),
            "platform_share": -legs.get(AccountKind.PLATFORM_EXPENSE.value, 0)}


def _key(by: Grouping, incident_id: int | None, at: datetime) -> str:
    if by == "day":
        return at.astimezone(SEOUL).date().isoformat()
    return "" if incident_id is None else str(incident_id)


def summarize(uow: SqlAlchemyUnitOfWork, *, by: Grouping, filters: EntryFilter,
              progress: Callable[[int, int], None] | None = None) -> list[SummaryRow]:
    """The ledger and the desk's refunds summed by ``by``, rows by key (see the module
    docstring), in one transaction."""
    rows: dict[str, SummaryRow] = {}

    def add(key: str, columns: dict[str, int], shared: bool = False) -> None:
        r = rows.setdefault(key, SummaryRow(key))
        r.entries += 1
        r.shared += shared
        for name, value in columns.items():
            setattr(r, name, getattr(r, name) + value)

    only = None if filters.seller_id is None else str(filters.seller_id)
    with uow:
        _require_named(uow, filters)
        total, done = uow.ledger.count_entries(filters), 0
        for chunk, sellers in _chunks(uow, filters):
            for e in chunk:
                if by != "seller" and only is None:
                    add(_key(by, e.incident_id, e.created_at), _entry_columns(e))
                    continue
                parts = _split_by_seller(e, sellers)
                if only is not None:  # that seller's part of the entry only (as their row
                    parts = [p for p in parts if p[0] == only]  # by seller counts it)
                for n, (key, columns) in enumerate(parts):
                    add(key if by == "seller" else _key(by, e.incident_id, e.created_at),
                        columns, shared=n > 0)
            done += len(chunk)
            if progress:
                progress(done, total)
        for refund in uow.ledger.refunds_applied(filters):
            key = (str(refund.seller_id) if by == "seller"
                   else _key(by, refund.incident_id, refund.occurred_at))
            rows.setdefault(key, SummaryRow(key)).add_money("refunds", refund.currency,
                                                            int(refund.amount_minor))
        paid = uow.ledger.differences_paid(filters)
        owners = uow.ledger.case_sellers(int(d.case_id) for d in paid)
        for d in paid:
            for key, minor in _difference_parts(d, by, owners, only):
                rows.setdefault(key, SummaryRow(key)).add_money("differences_paid", d.currency,
                                                                minor)
    return sorted(rows.values(), key=lambda r: (r.key == "", len(r.key), r.key))


def _difference_parts(paid: Any, by: Grouping, owners: dict[int, dict[int, int]],
                      only: str | None) -> list[tuple[str, int]]:
    """(row key, minor units) of one paid difference: by seller, divided between the sellers
    of the case's orders by their value (whole units); filtered to a seller, that seller's part
    only, whatever the grouping."""
    amount = int(paid.amount_minor)
    weights = owners.get(int(paid.case_id), {})
    if by != "seller" and only is None:
        return [(_key(by, paid.incident_id, paid.occurred_at), amount)]
    parts = ({str(s): v for s, v in allocate_by_weight(amount, weights).items()}
             if weights else {"": amount})
    if only is not None:
        parts = {only: parts.get(only, 0)}
    if by == "seller":
        return list(parts.items())
    return [(_key(by, paid.incident_id, paid.occurred_at), sum(parts.values()))]


def total_of(rows: list[SummaryRow]) -> SummaryRow:
    """The rows added up (key ``total``): each entry counted once, though by seller an entry
    sellers share is on each of their rows."""
    out = SummaryRow("total")
    for r in rows:
        for name in _COUNTED:
            setattr(out, name, getattr(out, name) + getattr(r, name))
        out.entries -= r.shared
        for cur, n in r.refunds_other.items():
            out.add_money("refunds", cur, n)
        for cur, n in r.differences_other.items():
            out.add_money("differences_paid", cur, n)
    return out
