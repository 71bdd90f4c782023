"""The contact centre's case lookup: cases found by number, phone (whole, or its last four
digits), email (whole or its start) or name (or an email's start) — open incidents' first, then
closed ones' — each with what tells it apart from the customer's others. Where one read finds
two kinds of match, the weaker kind comes after every case of the stronger (an email's start
after the exact email, an email's start after the names). Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Text, case, exists, func, or_, select

from sagwa.adapters.db.call_list_sql import owed_a_call
from sagwa.adapters.db.case_repo import owes_a_difference
from sagwa.adapters.db.tables import (
    case_orders,
    cases,
    customers,
    domestic_phone_digits,
    incident_plans,
    incidents,
    phone_last4,
)
from sagwa.domain.incidents import IncidentStatus


@dataclass(frozen=True)
class FoundCase:
    """One case an agent's lookup found, with what tells it apart from the customer's others:
    whose it is, which incident and whether it is closed, how far it got, the choice if any
    (None until the customer answers), the answer deadline (None before the incident has a
    plan) and whether the case is on the call list now (:func:`owed_a_call`)."""

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
    #: The case took the discount and its difference is not recorded as paid (whether the
    #: discount left any to pay is the service's to say: ``case_lookup.find_cases``).
    took_discount_unpaid: bool = False

    @property
    def closed(self) -> bool:
        """The case's incident is closed: it takes no choice any more."""
        return self.incident_status == IncidentStatus.CLOSED.value


class CaseLookupReads:
    """The reads of the agents' case lookup (a part of ``ReadRepository``)."""

    conn: Connection

    def cases_by_number(self, case_id: int) -> list[FoundCase]:
        """The case with this number (its incident open or closed)."""
        return _found_cases(self.conn, cases.c.id == case_id, limit=1)

    def cases_by_order(self, order_id: int) -> list[FoundCase]:
        """The case order ``order_id`` is in (its incident open or closed; an order is in at
        most one case of an incident, and in the cases of several incidents only if each
        covered it)."""
        in_case = exists().where(case_orders.c.case_id == cases.c.id,
                                 case_orders.c.order_id == order_id)
        return _found_cases(self.conn, in_case, limit=10)

    def cases_by_phone(self, digits: str, *, limit: int) -> list[FoundCase]:
        """The cases of customers whose phone, reduced to domestic digits
        (``tables.domestic_phone_digits``, the expression ``ix_customers_phone_digits``
        indexes), is ``digits`` (already reduced the same way)."""
        return _found_cases(self.conn, domestic_phone_digits(customers.c.phone) == digits,
                            limit=limit)

    def cases_by_phone_tail(self, last4: str, *, limit: int) -> list[FoundCase]:
        """The cases of customers whose phone's domestic digits end with ``last4`` (four
        digits), compared as ``tables.phone_last4`` — the expression ``ix_customers_phone_last4``
        indexes — so a lookup reads the few customers with that ending, not every number."""
        return _found_cases(self.conn, phone_last4(customers.c.phone) == last4, limit=limit)

    def cases_by_email(self, email: str, *, limit: int) -> list[FoundCase]:
        """The cases of customers whose email (any letter case) is ``email`` or starts with
        it: the exact email's first, then the others'. ``%`` and ``_`` are plain characters."""
        lowered, wanted = func.lower(customers.c.email), email.lower()
        return _found_cases(self.conn, lowered.startswith(wanted, autoescape=True),
                            limit=limit, ahead=case((lowered == wanted, 0), else_=1))

    def cases_by_name(self, name: str, *, limit: int, email_start: bool = False,
                      ignore_spaces: bool = False) -> list[FoundCase]:
        """The cases of customers whose name (any letter case) is ``name``, starts
        with it, or has a word that does ("Kim" finds "Alex Kim"); exact names first. With
        ``ignore_spaces`` (a Korean name: ``case_lookup.CaseQuery.ignores_spaces``), names are
        also compared with the spaces of both taken out ("윤 곤열" finds "윤곤열", and the other
        way round). With ``email_start``, also those whose email starts with ``name`` (an agent
        reads out the start of an email), after every name's. ``%`` and ``_`` in ``name`` are
        plain characters. No index serves a name (a word's start is looked for anywhere in
        it): the customers are read through."""
        lowered, wanted = func.lower(customers.c.name), name.lower()
        named = or_(lowered.startswith(wanted, autoescape=True),
                    lowered.contains(" " + wanted, autoescape=True))
        exact = lowered == wanted
        if ignore_spaces:
            packed, wanted_packed = _without_spaces(lowered), "".join(wanted.split())
            named = or_(named, packed.startswith(wanted_packed, autoescape=True))
            exact = or_(exact, packed == wanted_packed)
        exact_first = case((exact, 0), else_=1)
        if not email_start:
            return _found_cases(self.conn, named, limit=limit, first=exact_first)
        by_email = func.lower(customers.c.email).startswith(wanted, autoescape=True)
        return _found_cases(self.conn, or_(named, by_email), limit=limit,
                            ahead=case((named, 0), else_=1), first=exact_first)


def _without_spaces(text: ColumnElement[str]) -> ColumnElement[str]:
    """``text`` without its spaces: any white space, the no-break and the ideographic space
    (the two a name pasted from elsewhere may hold), whatever the database's locale says
    ``[:space:]`` is."""
    return func.regexp_replace(text, "[[:space:]\u00a0\u3000]", "", "g", type_=Text)


def _found_cases(conn: Connection, where: ColumnElement[bool], *, limit: int,
                 first: ColumnElement[Any] | None = None,
                 ahead: ColumnElement[Any] | None = None) -> list[FoundCase]:
    """Cases matching ``where`` (over ``cases`` and ``customers``), at most ``limit``: by
    ``ahead`` (if given: the kind of match, the stronger first), then in the order of
    :func:`_open_first`, ``first`` (if given) breaking ties within each part."""
    inc = incidents.alias("inc")  # `incidents` itself stays free for owed_a_call's subquery
    part, by_deadline = _open_first(inc.c.status == IncidentStatus.CLOSED.value)
    q = (select(cases.c.id, cases.c.incident_id, customers.c.name, customers.c.phone,
                customers.c.email, customers.c.locale, cases.c.status, cases.c.choice,
                incident_plans.c.deadline, inc.c.status.label("incident_status"),
                owed_a_call().label("on_call_list"),
                owes_a_difference().label("took_discount_unpaid"))
         .join(customers, customers.c.id == cases.c.customer_id)
         .join(inc, inc.c.id == cases.c.incident_id)
         .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
         .where(where)
         .order_by(*([] if ahead is None else [ahead]), part,
                   *([] if first is None else [first]), *by_deadline, cases.c.id)
         .limit(limit))
    return [FoundCase(r.id, r.incident_id, r.name, r.phone, r.email, r.locale, r.status,
                      r.choice, r.deadline, r.incident_status, bool(r.on_call_list),
                      bool(r.took_discount_unpaid))
            for r in conn.execute(q)]


def _open_first(closed: ColumnElement[bool]) -> tuple[ColumnElement[Any], list[Any]]:
    """The lookup's order, as (part, then within a part): open incidents' cases first, nearest
    deadline first (as the call list goes); then closed incidents' cases still owing the
    discount's difference (a payment, or a cancellation instead, is still recorded on them);
    then the other closed ones — a closed incident's, the latest deadline first (the customer
    rings about a recent one)."""
    deadline = incident_plans.c.deadline
    part = case((~closed, 0), (owes_a_difference(), 1), else_=2)
    return part, [case((~closed, deadline)).asc().nulls_last(),
                  case((closed, deadline)).desc().nulls_last()]
