"""Customer cases of an incident, their orders, contact attempts, and public notices."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    func,
    insert,
    select,
    update,
)

from sagwa.adapters.db.bulk import among, insert_unnest
from sagwa.adapters.db.incident_repo import CaseRow, NoticeRow
from sagwa.adapters.db.tables import (
    case_orders,
    cases,
    contact_attempts,
    customers,
    incidents,
    notices,
    orders,
)
from sagwa.domain.consent import Channel, ConsentRecord
from sagwa.domain.difference import DifferencePaid
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import Case, CaseStatus, OrderRecord
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus
from sagwa.domain.sla import notice_languages, notice_languages_missing


def _consent(row: Any) -> ConsentRecord | None:
    if row.choice is None:
        return None
    return ConsentRecord(row.id, row.customer_id, CustomerOption(row.choice),
                         Channel(row.choice_channel), row.choice_at, row.choice_evidence,
                         row.choice_taken_by, said_at=row.choice_said_at)


def owes_a_difference() -> ColumnElement[bool]:
    """The case took the discount and its difference is not recorded as paid (whether the
    discount repriced anything upwards is for ``domain.difference`` to say)."""
    return and_(cases.c.status == CaseStatus.RESOLVED.value,
                cases.c.choice == CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT.value,
                cases.c.difference_paid_at.is_(None))


def _difference_paid(row: Any) -> DifferencePaid | None:
    if row.difference_paid_at is None:
        return None
    return DifferencePaid(row.difference_paid_at, row.difference_paid_by,
                          row.difference_paid_note)


class _Prices:
    """One Money per (amount, currency) while a read builds its rows (Money is immutable)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, str], Money] = {}

    def __call__(self, minor: int, currency: str) -> Money:
        key = (minor, currency)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = Money(minor, currency)
        return found


class CaseRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, *, incident_id: int, customer_id: int, exposure: Money,
            order_ids: list[int], now: datetime) -> int:
        case_id = self.conn.execute(insert(cases).values(
            incident_id=incident_id, customer_id=customer_id, status=CaseStatus.OPEN.value,
            exposure_minor=exposure.amount_minor, currency=exposure.currency, updated_at=now,
        ).returning(cases.c.id)).scalar_one()
        self.conn.execute(insert(case_orders), [
            {"case_id": case_id, "order_id": oid, "incident_id": incident_id} for oid in order_ids])
        return int(case_id)

    def add_many(self, *, incident_id: int, drafts: list[tuple[int, Money, list[int]]],
                 now: datetime) -> dict[int, int]:
        """Insert many (customer_id, exposure, order_ids) cases at once; customer -> case id."""
        if not drafts:
            return {}
        rows = insert_unnest(self.conn, cases, [
            {"incident_id": incident_id, "customer_id": cid, "status": CaseStatus.OPEN.value,
             "exposure_minor": exp.amount_minor, "currency": exp.currency, "updated_at": now}
            for cid, exp, _ in drafts], returning=(cases.c.id, cases.c.customer_id))
        ids = {int(r.customer_id): int(r.id) for r in rows}
        insert_unnest(self.conn, case_orders, [
            {"case_id": ids[cid], "order_id": oid, "incident_id": incident_id}
            for cid, _, order_ids in drafts for oid in order_ids])
        return ids

    def set_status_where(self, incident_id: int, *, current: set[CaseStatus], new: CaseStatus,
                         now: datetime) -> list[int]:
        """Move every case of the incident in ``current`` to ``new``; returns their ids, in
        order (the audit entries and jobs that follow are written in it, the same each time).
        (A case's ``first_notified_at`` is set when its apology is sent: ``OutboxRepository.
        record_outcome``.)"""
        values: dict[str, Any] = {"status": new.value, "updated_at": now}
        rows = self.conn.execute(update(cases).where(
            cases.c.incident_id == incident_id,
            cases.c.status.in_([s.value for s in current])).values(**values)
            .returning(cases.c.id)).scalars().all()
        return sorted(int(r) for r in rows)

    def add_orders(self, case_id: int, incident_id: int, order_ids: list[int],
                   exposure: Money, now: datetime) -> None:
        if order_ids:
            self.conn.execute(insert(case_orders), [
                {"case_id": case_id, "order_id": oid, "incident_id": incident_id}
                for oid in order_ids])
        self.conn.execute(update(cases).where(cases.c.id == case_id).values(
            exposure_minor=exposure.amount_minor, updated_at=now))

    def scoped_order_ids(self, incident_id: int) -> set[int]:
        return set(self.conn.execute(select(case_orders.c.order_id).where(
            case_orders.c.incident_id == incident_id)).scalars())

    def open_cases_of_customer(self, customer_id: int) -> list[tuple[int, int]]:
        """The customer's cases in incidents not closed, as ``(incident_id, case_id)``, in that
        order (the order a step locks them in: ``desk_cases.lock_case``)."""
        rows = self.conn.execute(
            select(cases.c.incident_id, cases.c.id)
            .join(incidents, incidents.c.id == cases.c.incident_id)
            .where(cases.c.customer_id == customer_id, incidents.c.status != "closed")
            .order_by(cases.c.incident_id, cases.c.id))
        return [(int(r.incident_id), int(r.id)) for r in rows]

    def case_for_customer(self, incident_id: int, customer_id: int) -> int | None:
        return self.conn.execute(select(cases.c.id).where(
            cases.c.incident_id == incident_id, cases.c.customer_id == customer_id)
        ).scalar_one_or_none()

    def _orders_of(self, case_ids: list[int], prices: _Prices, *,
                   whole_incident: int | None = None) -> dict[int, list[OrderRecord]]:
        """Case id -> its orders, oldest first. ``whole_incident``: ``case_ids`` are every case
        of that incident, so its orders are read by the incident (no list of ids is sent)."""
        out: dict[int, list[OrderRecord]] = {cid: [] for cid in case_ids}
        which = (case_orders.c.incident_id == whole_incident if whole_incident is not None
                 else among(case_orders.c.case_id, case_ids))
        q = (select(case_orders.c.case_id, orders.c.id, orders.c.customer_id,
                    orders.c.listing_id, orders.c.quantity, orders.c.unit_price_minor,
                    orders.c.currency, orders.c.placed_at, orders.c.status)
             .join(orders, orders.c.id == case_orders.c.order_id)
             .where(which).order_by(orders.c.placed_at, orders.c.id))
        for case_id, *order, minor, currency, placed_at, status in self.conn.execute(q).all():
            # read by the incident, an order may belong to a case scoped after the cases were
            # read (two statements, each its own snapshot): it is not one of these cases
            found = out.get(case_id)
            if found is not None:
                found.append(OrderRecord(*order, prices(minor, currency), placed_at, status))
        return out

    def _rows(self, rows: list[Any], *, whole_incident: int | None = None) -> list[CaseRow]:
        """Case rows as the desk reads them, their orders read in one query (``_orders_of``).
        A large incident's cases repeat a few prices: each amount is one Money here."""
        prices = _Prices()
        by_case = (self._orders_of([r.id for r in rows], prices, whole_incident=whole_incident)
                   if rows else {})
        return [CaseRow(Case(r.id, r.incident_id, r.customer_id, tuple(by_case[r.id]),
                             prices(r.exposure_minor, r.currency), CaseStatus(r.status),
                             _consent(r), told=r.first_notified_at is not None),
                        r.first_notified_at, r.compensation_entry_id, _difference_paid(r),
                        r.call_at)
                for r in rows]

    def compensated_by(self, entry_id: int) -> int | None:
        """The case whose compensation ``entry_id`` is, if it is one."""
        found = self.conn.execute(select(cases.c.id).where(
            cases.c.compensation_entry_id == entry_id)).scalar_one_or_none()
        return None if found is None else int(found)

    def get(self, case_id: int, *, for_update: bool = False) -> CaseRow | None:
        q = select(cases).where(cases.c.id == case_id)
        row = self.conn.execute(q.with_for_update() if for_update else q).one_or_none()
        return self._rows([row])[0] if row is not None else None

    def by_ids(self, case_ids: list[int]) -> list[CaseRow]:
        """The cases of ``case_ids`` that exist, by id, read in one query (orders in another)."""
        if not case_ids:
            return []
        return self._rows(list(self.conn.execute(
            select(cases).where(among(cases.c.id, case_ids)).order_by(cases.c.id))))

    def incident_id_of(self, case_id: int) -> int | None:
        """The incident of case ``case_id`` (one column: no orders read), or None."""
        found = self.conn.execute(select(cases.c.incident_id).where(
            cases.c.id == case_id)).scalar_one_or_none()
        return None if found is None else int(found)

    def owing_a_difference(self, incident_id: int) -> list[CaseRow]:
        """The incident's cases that took the discount and whose difference is not recorded
        as paid (:func:`owes_a_difference`)."""
        return self._rows(list(self.conn.execute(
            select(cases).where(cases.c.incident_id == incident_id, owes_a_difference())
            .order_by(cases.c.id))))

    def for_incident(self, incident_id: int, *, statuses: set[CaseStatus] | None = None,
                     for_update: bool = False, limit: int | None = None,
                     offset: int = 0) -> list[CaseRow]:
        q = select(cases).where(cases.c.incident_id == incident_id).order_by(cases.c.id)
        if statuses:
            q = q.where(cases.c.status.in_([s.value for s in statuses]))
        if limit is not None:
            q = q.limit(limit).offset(offset)
        if for_update:
            q = q.with_for_update(skip_locked=False)
        whole = statuses is None and limit is None and offset == 0
        return self._rows(self.conn.execute(q).all(), whole_incident=incident_id if whole else None)

    def save(self, case: Case, now: datetime, *,
             compensation_entry_id: int | None = None) -> None:
        consent = case.consent
        values: dict[str, Any] = {"status": case.status.value, "updated_at": now}
        if consent is not None:
            values.update(choice=consent.choice.value, choice_channel=consent.channel.value,
                          choice_at=consent.recorded_at, choice_evidence=consent.evidence,
                          choice_taken_by=consent.taken_by, choice_said_at=consent.said_at)
            if consent.choice is not CustomerOption.TALK_TO_PERSON:
                # a final answer: no call is owed for the time the customer had picked
                values["call_at"] = None
        if compensation_entry_id is not None:
            values["compensation_entry_id"] = compensation_entry_id
        self.conn.execute(update(cases).where(cases.c.id == case.case_id).values(**values))

    def units_kept_by_price(self, incident_id: int) -> list[tuple[Money, int]]:
        """The units of the incident's orders still kept (not cancelled), by unit price as it
        stands now: ``(unit price, units)`` pairs, counted by the database — what
        ``case_figures.exposure_kept`` adds up over every case, without reading them."""
        rows = self.conn.execute(
            select(orders.c.unit_price_minor, orders.c.currency, func.sum(orders.c.quantity))
            .join(case_orders, case_orders.c.order_id == orders.c.id)
            .where(case_orders.c.incident_id == incident_id,
                   orders.c.status != OrderStatus.CANCELLED.value)
            .group_by(orders.c.unit_price_minor, orders.c.currency)
            .order_by(orders.c.currency, orders.c.unit_price_minor)).all()
        return [(Money(int(price), currency), int(units)) for price, currency, units in rows]

    def status_counts(self, incident_id: int) -> Counter[str]:
        rows = self.conn.execute(select(cases.c.status, func.count()).where(
            cases.c.incident_id == incident_id).group_by(cases.c.status)).all()
        return Counter({r[0]: int(r[1]) for r in rows})

    def choice_counts(self, incident_id: int) -> Counter[str]:
        rows = self.conn.execute(select(cases.c.choice, func.count()).where(
            cases.c.incident_id == incident_id, cases.c.choice.is_not(None))
            .group_by(cases.c.choice)).all()
        return Counter({r[0]: int(r[1]) for r in rows})

    # contact attempts
    def add_attempt(self, *, case_id: int, channel: str, at: datetime, outcome: str,
                    agent: str | None, note: str | None, within_hours: bool,
                    callback_at: datetime | None = None,
                    centre_open: bool | None = None) -> int:
        return int(self.conn.execute(insert(contact_attempts).values(
            case_id=case_id, channel=channel, attempted_at=at, outcome=outcome, agent=agent,
            note=note, within_contact_hours=within_hours, callback_at=callback_at,
            centre_open=centre_open)
            .returning(contact_attempts.c.id)).scalar_one())

    def told_count(self, incident_id: int) -> int:
        """How many of the incident's customers were told (``first_notified_at`` set)."""
        return int(self.conn.execute(select(func.count()).select_from(cases).where(
            cases.c.incident_id == incident_id,
            cases.c.first_notified_at.is_not(None))).scalar_one())

    def never_told(self, case_ids: list[int]) -> list[CaseRow]:
        """Those of ``case_ids`` whose customer was never told (``first_notified_at`` NULL),
        by id."""
        if not case_ids:
            return []
        return self._rows(list(self.conn.execute(
            select(cases).where(among(cases.c.id, case_ids),
                                cases.c.first_notified_at.is_(None))
            .order_by(cases.c.id))))

    def mark_told(self, case_id: int, at: datetime) -> None:
        """The customer has been told (an agent reached them by phone, or they answered, before
        the deadline): ``first_notified_at`` is set unless an earlier moment already set it
        (the apology sent)."""
        self.conn.execute(update(cases).where(cases.c.id == case_id).values(
            first_notified_at=func.coalesce(cases.c.first_notified_at, at)))

    def record_difference_paid(self, case_id: int, paid: DifferencePaid) -> None:
        """The discount choice's difference was paid (``domain.difference``)."""
        self.conn.execute(update(cases).where(cases.c.id == case_id).values(
            difference_paid_at=paid.at, difference_paid_by=paid.by,
            difference_paid_note=paid.note, updated_at=paid.at))

    def set_call_at(self, case_id: int, call_at: datetime | None, now: datetime, *,
                    reckoned_from: datetime | None = None) -> None:
        """Store (or, with None, clear) the time the customer picked for their call;
        ``reckoned_from``: the moment the case's calls are reckoned from anew
        (``call_time_set_at``: the customer picked or cleared a time on their page — a
        call-back time named on an earlier call no longer counts, ``call_list_sql.call_time``
        — or the picked time, once the call it asked for was made: calls tried before it do not
        count towards the call owed, ``call_list_sql.counts_from``)."""
        values: dict[str, Any] = {"call_at": call_at, "updated_at": now}
        if reckoned_from is not None:
            values["call_time_set_at"] = reckoned_from
        self.conn.execute(update(cases).where(cases.c.id == case_id).values(**values))

    def clear_call_at(self, *, case_ids: list[int] | None = None,
                      incident_id: int | None = None) -> None:
        """Forget the times customers picked (the desk gave up on their call, or the incident
        closed): of ``case_ids``, or of every case of ``incident_id``. ``updated_at`` is left:
        the case itself did not change."""
        q = update(cases).where(cases.c.call_at.is_not(None))
        if case_ids is not None:
            q = q.where(among(cases.c.id, case_ids))
        if incident_id is not None:
            q = q.where(cases.c.incident_id == incident_id)
        self.conn.execute(q.values(call_at=None))

    def attempts(self, case_id: int) -> list[Any]:
        return list(self.conn.execute(select(contact_attempts).where(
            contact_attempts.c.case_id == case_id).order_by(contact_attempts.c.attempted_at)))

    # notices
    def add_notice(self, *, incident_id: int, lang: str, title: str, body: str,
                   published_by: str, now: datetime) -> NoticeRow:
        version = self.conn.execute(select(func.coalesce(func.max(notices.c.version), 0)).where(
            notices.c.incident_id == incident_id, notices.c.lang == lang)).scalar_one() + 1
        row = self.conn.execute(insert(notices).values(
            incident_id=incident_id, version=version, lang=lang, title=title, body=body,
            published_by=published_by, published_at=now).returning(notices)).one()
        return NoticeRow(**row._mapping)

    def notices(self, incident_id: int | None = None) -> list[NoticeRow]:
        q = select(notices).order_by(notices.c.incident_id.desc(), notices.c.lang,
                                     notices.c.version.desc())
        if incident_id is not None:
            q = q.where(notices.c.incident_id == incident_id)
        return [NoticeRow(**r._mapping) for r in self.conn.execute(q)]

    def notice_languages_required(self, incident_id: int) -> list[str]:
        """The languages the incident's public notice must be in: Korean (the board's own), and
        each language its customers read."""
        read = set(self.conn.execute(
            select(customers.c.locale).distinct()
            .join(cases, cases.c.customer_id == customers.c.id)
            .where(cases.c.incident_id == incident_id)).scalars())
        return notice_languages(read)

    def notice_languages_missing(self, incident_id: int) -> list[str]:
        """The languages the incident's public notice must be in and is not yet."""
        return notice_languages_missing(self.first_notice_by_language(incident_id),
                                        self.notice_languages_required(incident_id))

    def first_notice_by_language(self, incident_id: int) -> dict[str, datetime]:
        """Language -> when the incident's first notice in it was published."""
        return {lang: at for lang, at in self.conn.execute(
            select(notices.c.lang, func.min(notices.c.published_at))
            .where(notices.c.incident_id == incident_id).group_by(notices.c.lang))}

    def first_notice_at(self, incident_id: int) -> datetime | None:
        """When the incident's first notice, in any language, was published (the notice SLA is
        measured at ``sla.required_notice_at``, in every language it must be in)."""
        return self.conn.execute(select(func.min(notices.c.published_at)).where(
            notices.c.incident_id == incident_id)).scalar_one()
