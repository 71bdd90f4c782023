"""The replay's figures, computed from what is in the database after a run — never written in.

Two moments the timings are measured from (``--format json`` keeps both):

* ``minutes_to_public_notice``, ``minutes_to_first_apology``: from when the platform acted on
  the error (:func:`platform_knew_at`: the declaration; in 2008, which never declared, its first
  mass message — the 18:30 cancellation text);
* ``minutes_from_wrong_price_to_public_notice``, ``minutes_from_wrong_price_to_first_apology``:
  from the wrong price going live (``wrong_price_live_at``) — the same moment in every scenario,
  so these are the ones to compare (the table shows them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, select

from sagwa.adapters.db.tables import (
    audit_log,
    case_orders,
    cases,
    incident_plans,
    incidents,
    ledger_entries,
    ledger_postings,
    notices,
    orders,
    outbox,
    price_changes,
)
from sagwa.domain.contact_hours import ContactSchedule, may_contact
from sagwa.domain.moments import SEOUL
from sagwa.domain.sla import minutes_between
from sagwa.messagecheck import check_message

#: Every message a customer is sent (the desk's and 2008's), all of them checked for the figures.
#: The message-check kind a purpose is checked as when it was sent (every other one: the
#: resolution kind); a receipt, the reminder of an unpaid difference, the note that a refund
#: was paid or the one acknowledging a request for a call offers no options to choose from
#: and sets no deadline to miss.
CHECKED_AS = {"difference_received": "follow_up", "difference_reminder": "follow_up",
              "refund_paid": "follow_up", "call_requested": "follow_up"}
CUSTOMER_PURPOSES = ("resolution", "reminder", "confirmation", "defaulted", "unreachable",
                     "never_told", "difference_received", "difference_reminder", "refund_paid",
                     "call_requested",
                     "legacy_cancellation", "legacy_call_note")


#: What the seller said on the phone in 2008 (``legacy_2008.seller_calls``): checked like every
#: message, but the seller's words, not the platform's acting on the error.
SELLER_PURPOSES = ("legacy_call_note",)
#: The audit action of a case that took the plan's default at the deadline.
DEFAULTED = "case.defaulted"


def platform_knew_at(conn: Connection) -> datetime | None:
    """When the platform acted on the error: the declaration, or (2008) its first mass message
    (the cancellation text; the seller's calls half an hour before were the seller's)."""
    declared = conn.execute(select(func.min(incidents.c.declared_at))).scalar_one()
    if declared is not None:
        return declared
    return conn.execute(select(func.min(outbox.c.created_at))
                        .where(outbox.c.purpose.not_in(SELLER_PURPOSES))).scalar_one()


def wrong_price_live_at(conn: Connection, listing_id: int, wrong_price_minor: int) -> datetime | None:
    """When the wrong price went live: applied at once, or approved by a reviewer (None: never)."""
    live = func.coalesce(price_changes.c.decided_at, price_changes.c.proposed_at)
    return conn.execute(select(func.min(live)).where(
        price_changes.c.listing_id == listing_id,
        price_changes.c.new_price_minor == wrong_price_minor,
        price_changes.c.status.in_(("applied", "approved")))).scalar_one()


def scenario_figures(conn: Connection, *, listing_id: int, wrong_price_minor: int,
                     schedule: ContactSchedule) -> dict[str, Any]:
    """Every figure of one scenario: the first nine keys as they always were, then those added
    since (appended: tools read them by name)."""
    wrong = and_(orders.c.listing_id == listing_id, orders.c.unit_price_minor == wrong_price_minor)
    at_wrong = conn.execute(select(orders.c.id, orders.c.customer_id, orders.c.status,
                                   orders.c.quantity).where(wrong)).all()
    consented = set(conn.execute(
        select(case_orders.c.order_id).join(cases, cases.c.id == case_orders.c.case_id)
        .where(cases.c.choice.is_not(None))).scalars())
    sent = conn.execute(select(outbox).where(outbox.c.status == "sent",
                                             outbox.c.purpose.in_(CUSTOMER_PURPOSES))).all()
    checked = _message_figures(conn, sent)
    knew = platform_knew_at(conn)
    live = wrong_price_live_at(conn, listing_id, wrong_price_minor)
    notice_at = conn.execute(select(func.min(notices.c.published_at))).scalar_one()
    in_hours = {m.customer_id for m in sent
                if m.purpose in ("resolution", "legacy_cancellation") and m.customer_id is not None
                and may_contact(schedule, m.sent_at)}
    return {
        "orders_at_wrong_price": len(at_wrong),
        "customers_affected": len({o.customer_id for o in at_wrong}),
        "cancelled_without_consent": sum(1 for o in at_wrong
                                         if o.status == "cancelled" and o.id not in consented),
        "minutes_to_public_notice": minutes_between(notice_at, knew),
        "minutes_to_first_apology": minutes_between(checked.first_apology, knew),
        "customers_notified_in_contact_hours": len(in_hours),
        "messages_failing_check": checked.customer_failing + checked.notices_failing,
        "threats_sent": checked.threats,
        "compensation_points": _compensation_points(conn),
        "units_at_wrong_price": sum(o.quantity for o in at_wrong),
        "wrong_price_live_at": _seoul(live),
        "public_notice_at": _seoul(notice_at),
        "minutes_from_wrong_price_to_public_notice": minutes_between(notice_at, live),
        "minutes_from_wrong_price_to_first_apology": minutes_between(checked.first_apology, live),
        "customer_messages_failing_check": checked.customer_failing,
        "notices_failing_check": checked.notices_failing,
        **_choice_figures(conn),
        "compensation_points_per_cancellation": conn.execute(
            select(func.max(incident_plans.c.cancel_compensation_minor))).scalar_one(),
    }


@dataclass(frozen=True)
class _Checked:
    """What the message check found: customer messages and public notices failing it (each
    counted once), threats in either, and when the first message with an apology was sent."""

    customer_failing: int
    notices_failing: int
    threats: int
    first_apology: datetime | None


def _message_figures(conn: Connection, sent: Sequence[Row[Any]]) -> _Checked:
    customer_failing = notices_failing = threats = 0
    first_apology: datetime | None = None
    for msg in sent:
        kind = CHECKED_AS.get(msg.purpose, "resolution")
        codes = {f.code for f in check_message(msg.body, kind=kind, lang=msg.locale).findings
                 if f.severity == "error"}
        customer_failing += bool(codes)
        threats += "threat" in codes
        if "missing-apology" not in codes and (first_apology is None or msg.sent_at < first_apology):
            first_apology = msg.sent_at
    for notice in conn.execute(select(notices)).all():
        result = check_message(f"{notice.title}\n\n{notice.body}", kind="notice", lang=notice.lang)
        notices_failing += not result.ok
        threats += any(f.code == "threat" for f in result.findings)
    return _Checked(customer_failing, notices_failing, threats, first_apology)


def _compensation_points(conn: Connection) -> int:
    return int(conn.execute(
        select(func.coalesce(func.sum(ledger_postings.c.amount_minor), 0))
        .join(ledger_entries, ledger_entries.c.id == ledger_postings.c.entry_id)
        .where(ledger_entries.c.kind == "incident_compensation",
               ledger_postings.c.account_kind == "customer_points")).scalar_one())


#: How an affected customer answered (the key in the figures), by their first recorded choice.
FIRST_ANSWERS = {"keep": "customers_kept",
                 "cancel_with_compensation": "customers_cancelled_with_compensation",
                 "talk_to_person": "customers_asked_for_a_person",
                 DEFAULTED: "customers_defaulted"}


def _choice_figures(conn: Connection) -> dict[str, int]:
    """How many customers answered each way, by the first answer on their case's audit log: a
    customer who asked for a person counts there, whatever they then chose on the phone; one
    who never answered took the default at the deadline. (2008 asked nobody: all zero.)"""
    rows = conn.execute(
        select(audit_log.c.entity_id, audit_log.c.action, audit_log.c.after)
        .where(audit_log.c.entity_type == "case",
               audit_log.c.action.in_(("case.choice_recorded", DEFAULTED)))
        .order_by(audit_log.c.seq)).all()
    first: dict[str, str] = {}
    for row in rows:
        answer = (row.after or {}).get("choice") if row.action != DEFAULTED else DEFAULTED
        first.setdefault(row.entity_id, str(answer))
    answers = list(first.values())
    return {key: answers.count(answer) for answer, key in FIRST_ANSWERS.items()}


def _seoul(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(SEOUL).isoformat(timespec="seconds")


def price_change_figures(conn: Connection, listing_id: int,
                         new_price_minor: int) -> dict[str, Any]:
    """What became of the wrong price: the guard's verdict and reason (None without a guard),
    the change's status (applied, held, approved ...) and who decided it, and why."""
    row = conn.execute(select(price_changes).where(
        price_changes.c.listing_id == listing_id,
        price_changes.c.new_price_minor == new_price_minor).order_by(price_changes.c.id)
        .limit(1)).first()
    if row is None:
        return dict.fromkeys(("price_change_verdict", "price_change_reason",
                              "price_change_status", "price_change_decided_by",
                              "price_change_decision_reason"))
    return {"price_change_verdict": row.guard_verdict, "price_change_reason": row.guard_reason_en,
            "price_change_status": row.status, "price_change_decided_by": row.decided_by,
            "price_change_decision_reason": row.decision_reason}
