"""The replay's figures, computed from what is in the database after a run — never written in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from sagwa.adapters.db.tables import (
    case_orders,
    cases,
    incidents,
    ledger_entries,
    ledger_postings,
    notices,
    orders,
    outbox,
    price_changes,
)
from sagwa.domain.contact_hours import ContactSchedule, may_contact
from sagwa.domain.sla import minutes_between
from sagwa.messagecheck import check_message

#: Every message a customer is sent (the desk's and 2008's), all of them checked for the figures.
#: The message-check kind a purpose is checked as when it was sent (every other one: the
#: resolution kind); a receipt, or the reminder of an unpaid difference, offers no options and
#: sets no deadline to miss.
CHECKED_AS = {"difference_received": "follow_up", "difference_reminder": "follow_up"}
CUSTOMER_PURPOSES = ("resolution", "reminder", "confirmation", "defaulted", "unreachable",
                     "never_told", "difference_received", "difference_reminder",
                     "legacy_cancellation", "legacy_call_note")


def platform_knew_at(conn: Connection) -> datetime | None:
    """When the platform acted on the error: the declaration, or (2008) the first mass message."""
    declared = conn.execute(select(func.min(incidents.c.declared_at))).scalar_one()
    if declared is not None:
        return declared
    return conn.execute(select(func.min(outbox.c.created_at))).scalar_one()


def scenario_figures(conn: Connection, *, listing_id: int, wrong_price_minor: int,
                     schedule: ContactSchedule) -> dict[str, Any]:
    wrong = and_(orders.c.listing_id == listing_id, orders.c.unit_price_minor == wrong_price_minor)
    at_wrong = conn.execute(select(orders.c.id, orders.c.customer_id, orders.c.status)
                            .where(wrong)).all()
    consented = set(conn.execute(
        select(case_orders.c.order_id).join(cases, cases.c.id == case_orders.c.case_id)
        .where(cases.c.choice.is_not(None))).scalars())
    sent = conn.execute(select(outbox).where(outbox.c.status == "sent",
                                             outbox.c.purpose.in_(CUSTOMER_PURPOSES))).all()
    knew = platform_knew_at(conn)
    failing = threats = 0
    first_apology: datetime | None = None
    for msg in sent:
        kind = CHECKED_AS.get(msg.purpose, "resolution")
        codes = {f.code for f in check_message(msg.body, kind=kind, lang=msg.locale).findings
                 if f.severity == "error"}
        failing += bool(codes)
        threats += "threat" in codes
        if "missing-apology" not in codes and (first_apology is None or msg.sent_at < first_apology):
            first_apology = msg.sent_at
    for notice in conn.execute(select(notices)).all():
        result = check_message(f"{notice.title}\n\n{notice.body}", kind="notice", lang=notice.lang)
        failing += not result.ok
        threats += any(f.code == "threat" for f in result.findings)
    in_hours = {m.customer_id for m in sent
                if m.purpose in ("resolution", "legacy_cancellation") and m.customer_id is not None
                and may_contact(schedule, m.sent_at)}
    points = conn.execute(
        select(func.coalesce(func.sum(ledger_postings.c.amount_minor), 0))
        .join(ledger_entries, ledger_entries.c.id == ledger_postings.c.entry_id)
        .where(ledger_entries.c.kind == "incident_compensation",
               ledger_postings.c.account_kind == "customer_points")).scalar_one()
    return {
        "orders_at_wrong_price": len(at_wrong),
        "customers_affected": len({o.customer_id for o in at_wrong}),
        "cancelled_without_consent": sum(1 for o in at_wrong
                                         if o.status == "cancelled" and o.id not in consented),
        "minutes_to_public_notice": minutes_between(
            conn.execute(select(func.min(notices.c.published_at))).scalar_one(), knew),
        "minutes_to_first_apology": minutes_between(first_apology, knew),
        "customers_notified_in_contact_hours": len(in_hours),
        "messages_failing_check": failing,
        "threats_sent": threats,
        "compensation_points": int(points),
    }


def guard_verdict(conn: Connection, listing_id: int, new_price_minor: int) -> str | None:
    return conn.execute(select(price_changes.c.guard_verdict).where(
        price_changes.c.listing_id == listing_id,
        price_changes.c.new_price_minor == new_price_minor).order_by(price_changes.c.id)
        .limit(1)).scalar_one_or_none()
