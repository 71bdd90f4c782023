"""Read-only views that join what the other repositories keep apart, for the pages, the
incident status and the incident report.

The other repositories each own one aggregate (catalog, market, cases, outbox, audit log). The
screens and the report need joined or aggregated views across them — listings with product
titles, escalated cases with customers and plan deadlines, outbox counts next to the audit
log — so those queries live here, in the one layer that touches tables. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    ScalarSelect,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    or_,
    select,
    text,
)

from sagwa.adapters.db.tables import (
    audit_log,
    case_orders,
    cases,
    contact_attempts,
    customers,
    domestic_phone_digits,
    incident_plans,
    incidents,
    ledger_postings,
    listings,
    orders,
    outbox,
    price_changes,
    products,
    sellers,
)
from sagwa.domain.audit import LISTING_PAUSE_ACTIONS, LISTING_RETURN_ACTIONS
from sagwa.domain.call_attempts import (
    CALL_CHANNEL,
    CALLBACK_REQUESTED,
    DEFAULT_MIN_SPACING,
    REACHED,
    UNREACHABLE_ACTION,
    OwedCall,
    owed_call,
)
from sagwa.domain.ledger import AccountKind
from sagwa.domain.money import Money

#: The audit actions of the desk's changes to an order (``desk_cases._apply_effect``).
DESK_ORDER_ACTIONS = ("order.cancel_and_refund", "order.reduce_and_refund", "order.reprice")


@dataclass(frozen=True)
class ListingLine:
    """One row of a seller's listings page: the listing, its product title and held changes."""

    id: int
    product_id: int
    title: str
    title_en: str | None
    price: Money
    status: str
    held: int


@dataclass(frozen=True)
class QueuedCase:
    """One case on the contact centre's call queue, with whom to call and by when;
    ``attempts_counted`` are the phone calls since the deadline that count towards a call owed,
    spaced out (``sagwa.domain.call_attempts.counted_attempts``), ``phone_calls`` all of the
    case's phone calls
    (an email or a text message is no call), and ``last_outcome`` how the latest call the card
    is about ended (:func:`_calls_on_card`)."""

    case_id: int
    incident_id: int
    customer_id: int
    customer_name: str
    phone: str | None
    locale: str
    status: str
    choice: str | None
    exposure: Money
    deadline: datetime | None
    attempts_counted: int = 0
    phone_calls: int = 0
    last_outcome: str | None = None


@dataclass(frozen=True)
class CallRecord:
    """The phone calls to one case as its pages show them: all calls, those since the deadline
    (counted towards a call owed), how the latest on its card ended (:func:`_calls_on_card`),
    whether one of those reached the customer, whether the desk gave up (marked "could not be
    reached": :func:`_given_up`) and whether the case is on the call list now."""

    case_id: int
    phone_calls: int
    attempts_counted: int
    last_outcome: str | None
    reached: bool
    unreachable: bool
    on_call_list: bool


class ReadRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # pages

    def seller_listings(self, seller_id: int, *, limit: int = 500) -> list[ListingLine]:
        """The seller's listings by product title, each with its number of held price changes."""
        held = (select(price_changes.c.listing_id, func.count().label("n"))
                .where(price_changes.c.status == "held").group_by(price_changes.c.listing_id)
                .subquery())
        q = (select(listings, products.c.title, products.c.title_en, held.c.n)
             .join(products, products.c.id == listings.c.product_id)
             .outerjoin(held, held.c.listing_id == listings.c.id)
             .where(listings.c.seller_id == seller_id).order_by(products.c.title).limit(limit))
        return [ListingLine(r.id, r.product_id, r.title, r.title_en,
                            Money(r.price_minor, r.currency), r.status, int(r.n or 0))
                for r in self.conn.execute(q)]

    def call_queue(self, *, limit: int = 100,
                   min_spacing: timedelta = DEFAULT_MIN_SPACING) -> list[QueuedCase]:
        """Cases waiting for a call (:func:`_owed_a_call`), by deadline (cases without a plan
        last), then case id; their attempts counted spaced ``min_spacing`` apart."""
        q = (select(cases, customers.c.name, customers.c.phone, customers.c.locale,
                    incident_plans.c.deadline, _count(_since_deadline()).label("counted"),
                    _count(_phone_calls()).label("calls"),
                    _last_outcome(_calls_on_card()).label("last_outcome"))
             .join(customers, customers.c.id == cases.c.customer_id)
             .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(_owed_a_call())
             .order_by(incident_plans.c.deadline.asc().nulls_last(), cases.c.id).limit(limit))
        return self._spaced([
            QueuedCase(r.id, r.incident_id, r.customer_id, r.name, r.phone, r.locale, r.status,
                       r.choice, Money(r.exposure_minor, r.currency), r.deadline, int(r.counted),
                       int(r.calls), r.last_outcome)
            for r in self.conn.execute(q)], min_spacing)

    def calls_owed(self, incident_id: int) -> int:
        """How many of the incident's customers are still owed a call (:func:`_owed_a_call`)."""
        return int(self.conn.execute(
            select(func.count()).select_from(cases)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
            .where(cases.c.incident_id == incident_id, _owed_a_call())).scalar_one())

    def owed_call(self, case_id: int, *,
                  min_spacing: timedelta = DEFAULT_MIN_SPACING) -> OwedCall | None:
        """The case's call still owed, if it is on the call list (:func:`_owed_a_call`): the
        attempts since the deadline that count, spaced ``min_spacing`` apart
        (``call_attempts.owed_call``), and the latest one's outcome."""
        listed = self.conn.execute(
            select(cases.c.id).select_from(cases)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
            .where(cases.c.id == case_id, _owed_a_call())).one_or_none()
        if listed is None:
            return None
        return owed_call(case_id, self.calls_since_deadline([case_id]).get(case_id, []),
                         min_spacing)

    def calls_since_deadline(self, case_ids: list[int]) -> dict[int, list[tuple[datetime, str]]]:
        """Case id -> its phone calls from its plan's deadline on (the ones a call owed counts),
        ``(attempted_at, outcome)`` in the order logged."""
        out: dict[int, list[tuple[datetime, str]]] = {}
        if not case_ids:
            return out
        q = (select(contact_attempts.c.case_id, contact_attempts.c.attempted_at,
                    contact_attempts.c.outcome)
             .join(cases, cases.c.id == contact_attempts.c.case_id)
             .join(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(cases.c.id.in_(case_ids), _since_deadline())
             .order_by(contact_attempts.c.id))
        for row in self.conn.execute(q):
            out.setdefault(int(row.case_id), []).append((row.attempted_at, row.outcome))
        return out

    def _spaced(self, queued: list[QueuedCase], min_spacing: timedelta) -> list[QueuedCase]:
        """``queued`` with ``attempts_counted`` as the desk counts them: spaced out."""
        calls = self.calls_since_deadline([q.case_id for q in queued])
        return [replace(q, attempts_counted=owed_call(q.case_id, calls.get(q.case_id, []),
                                                      min_spacing).attempts)
                for q in queued]

    def attempts_by_case(self, case_ids: list[int]) -> dict[int, list[Any]]:
        """Contact attempts of many cases at once (``contact_attempts`` rows), oldest first."""
        out: dict[int, list[Any]] = {}
        if not case_ids:
            return out
        q = (select(contact_attempts).where(contact_attempts.c.case_id.in_(case_ids))
             .order_by(contact_attempts.c.attempted_at, contact_attempts.c.id))
        for row in self.conn.execute(q):
            out.setdefault(int(row.case_id), []).append(row)
        return out

    def call_records(self, case_ids: list[int], *,
                     min_spacing: timedelta = DEFAULT_MIN_SPACING) -> dict[int, CallRecord]:
        """How the desk's phone calls to these cases went (:class:`CallRecord`), for the pages
        that show a case: the same rules as the call list (:func:`_owed_a_call`; attempts
        counted spaced ``min_spacing`` apart)."""
        if not case_ids:
            return {}
        reached = exists().where(_calls_on_card(), contact_attempts.c.outcome == REACHED)
        q = (select(cases.c.id, _count(_phone_calls()).label("calls"),
                    _count(_since_deadline()).label("counted"),
                    _last_outcome(_calls_on_card()).label("last_outcome"),
                    reached.label("reached"), _given_up().label("unreachable"),
                    _owed_a_call().label("on_call_list"))
             .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(cases.c.id.in_(case_ids)))
        since = self.calls_since_deadline(case_ids)
        return {int(r.id): CallRecord(int(r.id), int(r.calls),
                                      owed_call(r.id, since.get(int(r.id), []), min_spacing).attempts,
                                      r.last_outcome, bool(r.reached), bool(r.unreachable),
                                      bool(r.on_call_list))
                for r in self.conn.execute(q)}

    def guard_reasons_ko(self, listing_ids: list[int]) -> dict[str, str]:
        """The price guard's reasons on these listings' changes: English (as the audit log keeps
        them) -> the Korean stored with the same change."""
        if not listing_ids:
            return {}
        q = (select(price_changes.c.guard_reason_en, price_changes.c.guard_reason_ko)
             .where(price_changes.c.listing_id.in_(listing_ids),
                    price_changes.c.guard_reason_en.is_not(None),
                    price_changes.c.guard_reason_ko.is_not(None)).distinct())
        return {r.guard_reason_en: r.guard_reason_ko for r in self.conn.execute(q)}

    # incident status

    def message_counts_by_status(self, incident_id: int) -> dict[str, int]:
        """How many of the incident's outbox messages are in each status (pending, sending, sent, failed, withdrawn)."""
        rows = self.conn.execute(select(outbox.c.status, func.count()).where(
            outbox.c.incident_id == incident_id).group_by(outbox.c.status)).all()
        return {str(status): int(n) for status, n in rows}

    def first_resolution_sent_at(self, incident_id: int) -> datetime | None:
        """When the incident's first resolution message (the apology) was sent, if any was."""
        return self.conn.execute(select(func.min(outbox.c.sent_at)).where(
            outbox.c.incident_id == incident_id, outbox.c.purpose == "resolution")).scalar_one()

    def listing_sale_changes(self, listing_ids: Iterable[int]) -> list[Any]:
        """Every time these listings were taken off sale or put back on it (audit rows with
        ``entity_type, entity_id, action, occurred_at``), in log order; which pause contained an
        incident is ``sagwa.domain.audit.first_listing_pause``'s to decide."""
        ids = [str(i) for i in sorted(listing_ids)]
        return list(self.conn.execute(
            select(audit_log.c.entity_type, audit_log.c.entity_id, audit_log.c.action,
                   audit_log.c.occurred_at).where(
                audit_log.c.entity_type == "listing", audit_log.c.entity_id.in_(ids),
                audit_log.c.action.in_(LISTING_PAUSE_ACTIONS + LISTING_RETURN_ACTIONS))
            .order_by(audit_log.c.seq)).all())

    def database_identity(self) -> str:
        """Which database this is (name, server address and port), for caches kept in a process
        that may talk to more than one."""
        return str(self.conn.execute(text(
            "SELECT current_database() || '@' || coalesce(host(inet_server_addr()), 'socket')"
            " || ':' || coalesce(inet_server_port()::text, '')")).scalar_one())

    def listing_sale_history(self, listing_ids: Iterable[int]) -> list[Any]:
        """:meth:`listing_sale_changes` with ``from_draft`` (whether the listing was still a draft
        before the change: a draft the guard held when it was published was never on sale) and
        ``launch_comparison`` (what a publish or release measured for the order tripwire)."""
        return list(self.conn.execute(
            select(*_SALE_HISTORY).where(_sale_changes_of([str(i) for i in sorted(listing_ids)]))
            .order_by(audit_log.c.seq)).all())

    # incident report

    def case_choices(self, incident_id: int) -> list[Any]:
        """The incident's cases as ``(id, customer_id, choice)`` rows; ``choice`` is None until
        the customer answers."""
        return list(self.conn.execute(select(cases.c.id, cases.c.customer_id, cases.c.choice)
                                      .where(cases.c.incident_id == incident_id)).all())

    def incident_audit_trail(self, incident_id: int, *, listing_ids: Iterable[int],
                             case_ids: Iterable[int], listings_since: datetime) -> list[Any]:
        """``audit_log`` rows about the incident, its listings (at or after ``listings_since``)
        and its cases, in log order (``seq``).

        With neither listings nor cases there is nothing to report: no rows, not even the
        incident's own."""
        listing_keys = [str(i) for i in sorted(listing_ids)]
        case_keys = [str(i) for i in case_ids]
        if not (case_keys or listing_keys):
            return []
        about = or_(
            and_(audit_log.c.entity_type == "incident", audit_log.c.entity_id == str(incident_id)),
            and_(audit_log.c.entity_type == "listing", audit_log.c.entity_id.in_(listing_keys),
                 audit_log.c.occurred_at >= listings_since),
            and_(audit_log.c.entity_type == "case", audit_log.c.entity_id.in_(case_keys)))
        return list(self.conn.execute(select(audit_log).where(about)
                                      .order_by(audit_log.c.seq)).all())

    def resolution_sent_times(self, incident_id: int) -> list[Any]:
        """``(customer_id, sent_at)`` rows of the incident's resolution messages that were sent."""
        return list(self.conn.execute(select(outbox.c.customer_id, outbox.c.sent_at).where(
            outbox.c.incident_id == incident_id, outbox.c.purpose == "resolution",
            outbox.c.status == "sent")).all())

    def compensation_postings(self, incident_id: int) -> list[Any]:
        """The ledger legs of the incident's case compensations, summed per kind of account
        and, for sellers' charge-backs, per seller: ``(account_kind, seller_id, seller_name,
        currency, amount_minor, entries)`` rows (``seller_id``/``seller_name`` None but for a
        seller's leg), sellers by id. A compensation entry is never reversed
        (``points.reverse_entry`` refuses it), so the sums are final."""
        is_seller = ledger_postings.c.account_kind == AccountKind.SELLER_CHARGEBACK.value
        seller_id = case((is_seller, ledger_postings.c.owner_id), else_=None).label("seller_id")
        q = (select(ledger_postings.c.account_kind, seller_id,
                    sellers.c.name.label("seller_name"), ledger_postings.c.currency,
                    func.sum(ledger_postings.c.amount_minor).label("amount_minor"),
                    func.count(func.distinct(ledger_postings.c.entry_id)).label("entries"))
             .join(cases, cases.c.compensation_entry_id == ledger_postings.c.entry_id)
             .outerjoin(sellers, and_(is_seller, sellers.c.id == ledger_postings.c.owner_id))
             .where(cases.c.incident_id == incident_id)
             .group_by(ledger_postings.c.account_kind, seller_id, sellers.c.name,
                       ledger_postings.c.currency)
             .order_by(ledger_postings.c.account_kind, seller_id))
        return list(self.conn.execute(q).all())

    def refunds(self, incident_id: int) -> list[Any]:
        """The refunds the desk applied on the incident's cases (its ``order.cancel_and_refund``
        and ``order.reduce_and_refund`` audit records, which keep the units and the amount):
        ``(currency, units, amount_minor, orders)`` rows, one per currency."""
        amount = audit_log.c.after["amount"]
        applied = (select(amount["currency"].astext.label("currency"),
                          cast(audit_log.c.after["quantity"].astext, BigInteger).label("units"),
                          cast(amount["amount_minor"].astext, BigInteger).label("amount_minor"),
                          audit_log.c.entity_id)
                   .join(cases, cast(cases.c.id, Text) == audit_log.c.after["case_id"].astext)
                   .where(cases.c.incident_id == incident_id, audit_log.c.entity_type == "order",
                          audit_log.c.action.in_(DESK_ORDER_ACTIONS[:2])).subquery())
        q = (select(applied.c.currency, func.sum(applied.c.units).label("units"),
                    func.sum(applied.c.amount_minor).label("amount_minor"),
                    func.count(func.distinct(applied.c.entity_id)).label("orders"))
             .group_by(applied.c.currency).order_by(applied.c.currency))
        return list(self.conn.execute(q).all())

    def orders_as_placed(self, case_ids: Iterable[int]) -> dict[int, dict[int, tuple[int, int]]]:
        """Case id -> order id -> ``(quantity, unit_price_minor)`` of each of its orders the desk
        changed, as they were before the first change (the ``before`` of the first
        ``order.<effect>`` audit record written by ``desk_cases`` with that case's id). An
        order the desk never changed is missing: it stands as placed."""
        keys = [str(i) for i in case_ids]
        out: dict[int, dict[int, tuple[int, int]]] = {}
        if not keys:
            return out
        q = (select(audit_log.c.entity_id, audit_log.c.before,
                    audit_log.c.after["case_id"].astext.label("case_id"))
             .where(audit_log.c.entity_type == "order", audit_log.c.action.in_(DESK_ORDER_ACTIONS),
                    audit_log.c.after["case_id"].astext.in_(keys))
             .order_by(audit_log.c.seq))
        for row in self.conn.execute(q):
            placed = out.setdefault(int(row.case_id), {})
            before = row.before or {}
            price = (before.get("unit_price") or {}).get("amount_minor")
            if int(row.entity_id) not in placed and price is not None:
                placed[int(row.entity_id)] = (int(before["quantity"]), int(price))
        return out

    # the contact centre's case lookup

    def case_on_desk(self, case_id: int, *,
                     min_spacing: timedelta = DEFAULT_MIN_SPACING) -> QueuedCase | None:
        """One case with :meth:`call_queue`'s columns, whether or not it is on the call list:
        the card an agent works from after finding the case with the lookup."""
        row = self.conn.execute(
            select(cases, customers.c.name, customers.c.phone, customers.c.locale,
                   incident_plans.c.deadline, _count(_since_deadline()).label("counted"),
                   _count(_phone_calls()).label("calls"),
                   _last_outcome(_calls_on_card()).label("last_outcome"))
            .join(customers, customers.c.id == cases.c.customer_id)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
            .where(cases.c.id == case_id)).one_or_none()
        if row is None:
            return None
        return self._spaced([QueuedCase(row.id, row.incident_id, row.customer_id, row.name,
                                        row.phone, row.locale, row.status, row.choice,
                                        Money(row.exposure_minor, row.currency), row.deadline,
                                        int(row.counted), int(row.calls), row.last_outcome)],
                            min_spacing)[0]

    def open_cases_by_number(self, case_id: int) -> list[FoundCase]:
        """The case with this number, if its incident is still open."""
        return _found_cases(self.conn, cases.c.id == case_id, limit=1)

    def open_cases_by_phone(self, digits: str, *, limit: int) -> list[FoundCase]:
        """Open incidents' cases of customers whose phone, reduced to domestic digits
        (``tables.domestic_phone_digits``, the expression ``ix_customers_phone_digits``
        indexes), is ``digits`` (already reduced the same way)."""
        return _found_cases(self.conn, domestic_phone_digits(customers.c.phone) == digits,
                            limit=limit)

    def open_cases_by_email(self, email: str, *, limit: int) -> list[FoundCase]:
        """Open incidents' cases of the customer with this email (any letter case)."""
        return _found_cases(self.conn, func.lower(customers.c.email) == email.lower(),
                            limit=limit)

    def open_cases_by_name(self, name: str, *, limit: int) -> list[FoundCase]:
        """Open incidents' cases of customers whose name (any letter case) is ``name``, starts
        with it, or has a word that does ("Kim" finds "Alex Kim"); exact names first. ``%``
        and ``_`` in ``name`` are plain characters."""
        lowered, wanted = func.lower(customers.c.name), name.lower()
        where = or_(lowered.startswith(wanted, autoescape=True),
                    lowered.contains(" " + wanted, autoescape=True))
        return _found_cases(self.conn, where, limit=limit,
                            first=case((lowered == wanted, 0), else_=1))


def _owed_a_call() -> ColumnElement[bool]:
    """A case on the call list, in an incident not closed: escalated (unanswered near the
    deadline, or the customer asked to talk to a person), or defaulted while a call is still
    owed — the case's default is a follow-up call (the plan's default, or a capped keep for a
    customer holding more units than the cap: ``incident_plan.default_outcome``), or the customer
    had asked for a person — until an attempt since the deadline reached the customer or the
    desk gave up after the policy's attempts (:func:`_given_up`). The one rule for the call
    list, the count that holds back closing, and the attempt that may give up. (``cases``
    joined to ``incident_plans``.)"""
    reached = exists().where(_since_deadline(), contact_attempts.c.outcome == REACHED)
    units = (select(func.coalesce(func.sum(orders.c.quantity), 0))
             .select_from(case_orders.join(orders, orders.c.id == case_orders.c.order_id))
             .where(case_orders.c.case_id == cases.c.id).scalar_subquery())
    follow_up = or_(incident_plans.c.default_action == "follow_up_call",
                    and_(incident_plans.c.default_action == "keep",
                         incident_plans.c.keep_max_units.is_not(None),
                         units > incident_plans.c.keep_max_units))
    still_open = exists().where(incidents.c.id == cases.c.incident_id,
                                incidents.c.status != "closed")
    return and_(still_open, or_(
        cases.c.status == "escalated",
        and_(cases.c.status == "defaulted",
             or_(cases.c.choice == "talk_to_person", follow_up),
             ~reached, ~_given_up())))


def _given_up() -> ColumnElement[bool]:
    """The desk gave up on the case's call: it is marked "could not be reached"
    (``case.unreachable``, written where ``sagwa.domain.call_attempts.gives_up`` says so) and
    the customer has not asked to be called back since (a ``callback_requested`` phone call
    after the mark puts them back on the list; the next attempt that does not reach them
    decides again, and may write a new mark). "After" is by the order calls were logged: the
    mark keeps the id of the call that used up the attempts (``last_attempt_id``; a mark
    without one is compared by time), since a clock may read the same or earlier for both."""
    mark = and_(audit_log.c.entity_type == "case",
                audit_log.c.entity_id == cast(cases.c.id, Text),
                audit_log.c.action == UNREACHABLE_ACTION)
    marked_after = audit_log.c.after["last_attempt_id"].astext
    later = case(
        (marked_after.is_(None), contact_attempts.c.attempted_at > audit_log.c.occurred_at),
        else_=contact_attempts.c.id > cast(marked_after, BigInteger))
    called_back_since = (exists().where(_since_deadline(),
                                        contact_attempts.c.outcome == CALLBACK_REQUESTED, later)
                         .correlate_except(contact_attempts))  # the outer case and the mark
    return exists().where(mark, ~called_back_since)


def _phone_calls() -> ColumnElement[bool]:
    """The case's phone calls (``CALL_CHANNEL``): an email or a text message is no call."""
    return and_(contact_attempts.c.case_id == cases.c.id,
                contact_attempts.c.channel == CALL_CHANNEL)


def _since_deadline() -> ColumnElement[bool]:
    """The case's phone calls from its plan's deadline on: those a call owed counts (an email
    or a text message neither makes the call nor uses up its attempts)."""
    return and_(_phone_calls(), contact_attempts.c.attempted_at >= incident_plans.c.deadline)


def _calls_on_card() -> ColumnElement[bool]:
    """The phone calls a call-list card's last outcome is taken from: for a defaulted case
    those since the deadline (the ones :func:`_owed_a_call` counts), for an escalated one
    (still before the deadline) all of them."""
    return and_(_phone_calls(), or_(cases.c.status != "defaulted",
                                    contact_attempts.c.attempted_at >= incident_plans.c.deadline))


def _count(calls: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).select_from(contact_attempts).where(calls).scalar_subquery()


def _last_outcome(calls: ColumnElement[bool]) -> ScalarSelect[str]:
    """How the latest of ``calls`` ended (NULL when there is none): the last one logged, as
    :func:`_given_up` orders them (two agents' clocks may disagree)."""
    return (select(contact_attempts.c.outcome).where(calls)
            .order_by(contact_attempts.c.id.desc()).limit(1).scalar_subquery())


# the columns of :meth:`ReadRepository.listing_sale_history`
_SALE_HISTORY = (audit_log.c.entity_id, audit_log.c.action, audit_log.c.occurred_at,
                 func.coalesce(audit_log.c.before["status"].astext == "draft", False)
                 .label("from_draft"),
                 audit_log.c.after["launch_comparison"].label("launch_comparison"))


def _sale_changes_of(entity_ids: list[str]) -> ColumnElement[bool]:
    """Audit rows taking these listings off sale or putting them back on it."""
    return and_(audit_log.c.entity_type == "listing", audit_log.c.entity_id.in_(entity_ids),
                audit_log.c.action.in_(LISTING_PAUSE_ACTIONS + LISTING_RETURN_ACTIONS))


@dataclass(frozen=True)
class FoundCase:
    """One case an agent's lookup found, with what tells it apart from the customer's others:
    whose it is, which incident, how far it got, the choice if any (None until the customer
    answers), the answer deadline (None before the incident has a plan) and whether the case
    is on the call list now (:func:`_owed_a_call`)."""

    case_id: int
    incident_id: int
    customer_name: str
    phone: str | None
    email: str | None
    locale: str
    status: str
    choice: str | None
    deadline: datetime | None
    incident_status: str
    on_call_list: bool


def _found_cases(conn: Connection, where: ColumnElement[bool], *, limit: int,
                 first: ColumnElement[Any] | None = None) -> list[FoundCase]:
    """Cases of incidents not closed matching ``where`` (over ``cases`` and ``customers``):
    ``first`` (if given) leads the order, then the nearest deadline, then the case id."""
    inc = incidents.alias("inc")  # `incidents` itself stays free for _owed_a_call's subquery
    order = [] if first is None else [first]
    q = (select(cases.c.id, cases.c.incident_id, customers.c.name, customers.c.phone,
                customers.c.email, customers.c.locale, cases.c.status, cases.c.choice,
                incident_plans.c.deadline, inc.c.status.label("incident_status"),
                _owed_a_call().label("on_call_list"))
         .join(customers, customers.c.id == cases.c.customer_id)
         .join(inc, inc.c.id == cases.c.incident_id)
         .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
         .where(inc.c.status != "closed", where)
         .order_by(*order, incident_plans.c.deadline.asc().nulls_last(), cases.c.id)
         .limit(limit))
    return [FoundCase(r.id, r.incident_id, r.name, r.phone, r.email, r.locale, r.status,
                      r.choice, r.deadline, r.incident_status, bool(r.on_call_list))
            for r in conn.execute(q)]
