"""A customer's personal data, as retention reads it, erasure removes it and the customer's
own copy shows it (``sagwa.domain.retention``; ``services/customer_erasure.py``,
``services/customer_copy.py``).

What is personal: the customer's name, email and phone; the words staff typed about them (the
choice's evidence, call notes, follow-up outcomes, the difference's payment note, a refund's
payment reference — in their working tables, and beside the audit log in ``audit_words``);
and every message sagwa wrote to them (recipient, subject, body, the
provider's error). Erasure blanks those and keeps the rest — ids, times, amounts, choices,
statuses — so the ledger still balances, the incident's figures still add up and the audit
log's chain still verifies (its records hold no contact detail unmasked, and, since the audit
record keeps a digest rather than the words, no note either)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, and_, func, literal, or_, select, update

from sagwa.adapters.db.case_repo import owes_a_difference
from sagwa.adapters.db.difference_reads import may_owe
from sagwa.adapters.db.tables import (
    audit_log,
    audit_words,
    cases,
    contact_attempts,
    customers,
    erasure_requests,
    incident_plans,
    incidents,
    ledger_entries,
    ledger_postings,
    listings,
    note_follow_ups,
    orders,
    outbox,
    products,
    refunds,
    sellers,
)
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.ledger import AccountKind
from sagwa.domain.note_follow_ups import FOLLOW_UP_RESOLVED
from sagwa.domain.retention import ERASED_TEXT, CustomerRecords

#: Keys of an audit record's ``after`` that held a person's words about a customer before the
#: log kept a digest of them instead (records written then cannot be changed; they are counted).
OLD_TEXT_KEYS = ("note", "evidence", "reference", "memo")
#: The journal entries whose memo a person typed (migration 0028 lets erasure mark them).
TYPED_MEMO_KINDS = ("points_credit", "points_debit", "reversal")  # and a resolved follow-up's "outcome"


def _records(row: Any) -> CustomerRecords:
    return CustomerRecords(row.last_order_at, row.last_payment_at, row.last_case_closed_at,
                           int(row.open_cases or 0), int(row.refunds_owed or 0),
                           int(row.differences_owed or 0), int(row.follow_ups_open or 0),
                           int(row.points_balance or 0))


class PersonalDataRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def customer(self, customer_id: int, *, lock: bool = False) -> Any | None:
        """The customer's row (id, name, email, phone, erased_at, erased_reason), locked for
        erasing."""
        query = select(customers.c.id, customers.c.name, customers.c.email, customers.c.phone,
                       customers.c.erased_at,
                       customers.c.erased_reason).where(customers.c.id == customer_id)
        return self._conn.execute(query.with_for_update() if lock else query).first()

    def erased(self, customer_id: int) -> Any | None:
        """The customer's id and ``erased_at`` (None: no such customer), the row held ``FOR KEY
        SHARE`` until the transaction ends: an erasure (``FOR UPDATE``) waits for it, or it for
        the erasure and then reads it erased — no order or contact lands on a customer erased
        meanwhile."""
        return self._conn.execute(select(customers.c.id, customers.c.erased_at)
                                  .where(customers.c.id == customer_id)
                                  .with_for_update(key_share=True, read=True)).first()

    def records(self, customer_ids: list[int] | None = None) -> dict[int, CustomerRecords]:
        """What keeps each customer's data (``domain.retention``), for ``customer_ids`` or
        every customer not erased yet; one pass per kind of record, grouped."""
        who = customers.c.erased_at.is_(None)
        if customer_ids is not None:
            who = and_(who, customers.c.id.in_(customer_ids))
        # a contract's record runs from its last change (a cancellation, a repricing)
        last_order = (select(orders.c.customer_id,
                             func.max(func.greatest(orders.c.placed_at, orders.c.updated_at))
                             .label("at"))
                      .group_by(orders.c.customer_id).subquery())
        paid_refund = (select(refunds.c.customer_id,
                              func.max(refunds.c.paid_at).label("paid"),
                              func.count().filter(refunds.c.paid_at.is_(None)).label("owed"))
                       .group_by(refunds.c.customer_id).subquery())
        case_facts = (
            select(cases.c.customer_id,
                   func.max(cases.c.difference_paid_at).label("difference_paid"),
                   func.max(incidents.c.closed_at).label("closed"),
                   func.count().filter(incidents.c.status != IncidentStatus.CLOSED.value)
                   .label("open"),
                   # as the follow-up list counts them: the discount above the wrong price
                   func.count().filter(owes_a_difference(), may_owe()).label("owed"))
            .join(incidents, incidents.c.id == cases.c.incident_id)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
            .group_by(cases.c.customer_id).subquery())
        follow_ups = (select(cases.c.customer_id, func.count().label("open"))
                      .join(note_follow_ups, note_follow_ups.c.case_id == cases.c.id)
                      .where(note_follow_ups.c.resolved_at.is_(None))
                      .group_by(cases.c.customer_id).subquery())
        points = (select(ledger_postings.c.owner_id,
                         func.max(ledger_entries.c.created_at).label("at"),
                         func.sum(ledger_postings.c.amount_minor).label("balance"))
                  .join(ledger_entries, ledger_entries.c.id == ledger_postings.c.entry_id)
                  .where(ledger_postings.c.account_kind == AccountKind.CUSTOMER_POINTS.value)
                  .group_by(ledger_postings.c.owner_id).subquery())
        query = (
            select(customers.c.id,
                   last_order.c.at.label("last_order_at"),
                   func.greatest(paid_refund.c.paid, case_facts.c.difference_paid,
                                 points.c.at).label("last_payment_at"),
                   case_facts.c.closed.label("last_case_closed_at"),
                   case_facts.c.open.label("open_cases"),
                   paid_refund.c.owed.label("refunds_owed"),
                   case_facts.c.owed.label("differences_owed"),
                   follow_ups.c.open.label("follow_ups_open"),
                   points.c.balance.label("points_balance"))
            .select_from(customers)
            .outerjoin(last_order, last_order.c.customer_id == customers.c.id)
            .outerjoin(paid_refund, paid_refund.c.customer_id == customers.c.id)
            .outerjoin(case_facts, case_facts.c.customer_id == customers.c.id)
            .outerjoin(points, points.c.owner_id == customers.c.id)
            .outerjoin(follow_ups, follow_ups.c.customer_id == customers.c.id)
            .where(who).order_by(customers.c.id))
        return {int(row.id): _records(row) for row in self._conn.execute(query)}

    def erase(self, customer_id: int, *, reason: str, now: datetime) -> dict[str, int]:
        """Blank the customer's personal data (see the module's note); how many of each kind
        of record were blanked, and how many audit records still hold words about them."""
        case_ids = select(cases.c.id).where(cases.c.customer_id == customer_id)
        counts: dict[str, int] = {}
        self._conn.execute(update(customers).where(customers.c.id == customer_id).values(
            name="", email=None, phone=None, erased_at=now, erased_reason=reason))
        counts["choice_evidence"] = self._blank(
            cases, cases.c.choice_evidence, cases.c.customer_id == customer_id, ERASED_TEXT)
        counts["difference_notes"] = self._blank(
            cases, cases.c.difference_paid_note, cases.c.customer_id == customer_id,
            ERASED_TEXT)
        counts["call_notes"] = self._blank(
            contact_attempts, contact_attempts.c.note, contact_attempts.c.case_id.in_(case_ids),
            None)
        counts["follow_up_outcomes"] = self._blank(
            note_follow_ups, note_follow_ups.c.outcome, note_follow_ups.c.case_id.in_(case_ids),
            ERASED_TEXT)
        counts["refund_references"] = self._blank(
            refunds, refunds.c.paid_reference, refunds.c.customer_id == customer_id,
            ERASED_TEXT)
        mine = or_(outbox.c.customer_id == customer_id, outbox.c.case_id.in_(case_ids))
        counts["messages"] = self._conn.execute(
            update(outbox).where(mine, outbox.c.erased_at.is_(None))
            .values(recipient="", subject="", body="", last_error=None, erased_at=now)).rowcount
        counts["ledger_memos"] = self._blank(
            ledger_entries, ledger_entries.c.memo,
            and_(ledger_entries.c.kind.in_(TYPED_MEMO_KINDS),
                 ledger_entries.c.id.in_(self._points_entries(customer_id))), ERASED_TEXT)
        counts["recorded_words"] = int(self._conn.execute(
            update(audit_words).where(audit_words.c.seq.in_(self._about(customer_id)),
                                      audit_words.c.erased_at.is_(None))
            .values(words="", erased_at=now)).rowcount)
        counts["audit_records_with_text"] = self.audit_records_with_text(customer_id)
        counts["audit_records_with_contact"] = self.audit_records_with_contact(customer_id)
        return counts

    def _about(self, customer_id: int) -> Any:
        """The seqs of the audit records about the customer or one of their cases."""
        case_ids = select(func.cast(cases.c.id, Text)).where(cases.c.customer_id == customer_id)
        # the customer's points entries, reversed (``ledger.reversed`` names the entry)
        entry_ids = select(func.cast(ledger_postings.c.entry_id, Text)).where(
            ledger_postings.c.account_kind == AccountKind.CUSTOMER_POINTS.value,
            ledger_postings.c.owner_id == customer_id)
        return select(audit_log.c.seq).where(or_(
            and_(audit_log.c.entity_type == "customer",
                 audit_log.c.entity_id == str(customer_id)),
            and_(audit_log.c.entity_type == "case", audit_log.c.entity_id.in_(case_ids)),
            and_(audit_log.c.entity_type == "ledger_entry",
                 audit_log.c.entity_id.in_(entry_ids))))

    def _blank(self, table: Any, column: Any, where: Any, blank: str | None) -> int:
        """Set ``column`` to ``blank`` where it holds something."""
        held = and_(where, column.is_not(None), column != literal(""),
                    column != literal(ERASED_TEXT))
        return int(self._conn.execute(
            update(table).where(held).values({column.key: blank})).rowcount)

    def _points_entries(self, customer_id: int) -> Any:
        """The journal entries that post to the customer's points account."""
        return select(ledger_postings.c.entry_id).where(
            ledger_postings.c.account_kind == AccountKind.CUSTOMER_POINTS.value,
            ledger_postings.c.owner_id == customer_id)

    def audit_records_with_text(self, customer_id: int) -> int:
        """Audit records about the customer or their cases that hold a person's words as
        written (before the log kept digests): they cannot be changed without breaking the
        chain, so erasure can only say how many remain."""
        about = audit_log.c.seq.in_(self._about(customer_id))
        words = [audit_log.c.after[k].astext != "" for k in OLD_TEXT_KEYS]
        words.append(and_(audit_log.c.action == FOLLOW_UP_RESOLVED,
                          audit_log.c.after["outcome"].astext != ""))
        holds_text = or_(*words)
        return int(self._conn.execute(
            select(func.count()).select_from(audit_log).where(about, holds_text)).scalar_one())

    def audit_records_with_contact(self, customer_id: int) -> int:
        """Audit records that keep the customer's email or number masked (``mi****@example.com``,
        ``010-****-6373``: a contact correction's before and after, a message's recipient) —
        enough to tell one from another, never the whole. The chain keeps them, so erasure can
        only say how many remain."""
        messages = select(func.cast(outbox.c.id, Text)).where(outbox.c.customer_id == customer_id)
        about = or_(audit_log.c.seq.in_(self._about(customer_id)),
                    and_(audit_log.c.entity_type == "message",
                         audit_log.c.entity_id.in_(messages)))
        masked = or_(*(part[key].astext != "" for part, key in (
            (audit_log.c.before, "email"), (audit_log.c.before, "phone"),
            (audit_log.c.after["masked"], "email"), (audit_log.c.after["masked"], "phone"),
            (audit_log.c.after, "recipient"))))
        return int(self._conn.execute(
            select(func.count()).select_from(audit_log).where(about, masked)).scalar_one())

    def copy_for(self, customer_id: int) -> dict[str, list[dict[str, Any]]]:
        """Everything held about the customer, by kind, oldest first: their profile, orders
        (with what was bought, from which seller), cases, the contacts staff recorded, messages
        written to them, refunds, points and their erasure requests. Staff accounts' names are
        left out: they are the staff's data, not the customer's."""
        mine = select(cases.c.id).where(cases.c.customer_id == customer_id)

        def rows(query: Any) -> list[dict[str, Any]]:
            return [dict(r._mapping) for r in self._conn.execute(query)]

        c = customers.c
        return {
            "customer": rows(select(c.id, c.name, c.email, c.phone, c.locale, c.created_at,
                                    c.erased_at).where(c.id == customer_id)),
            # what was bought and from whom, as the customer knew it (not only a listing's id)
            "orders": rows(select(orders.c.id, orders.c.listing_id, orders.c.quantity,
                                  orders.c.unit_price_minor, orders.c.currency, orders.c.status,
                                  orders.c.placed_at, products.c.title.label("product"),
                                  products.c.title_en.label("product_en"),
                                  sellers.c.name.label("seller"))
                           .join(listings, listings.c.id == orders.c.listing_id)
                           .join(products, products.c.id == listings.c.product_id)
                           .join(sellers, sellers.c.id == listings.c.seller_id)
                           .where(orders.c.customer_id == customer_id).order_by(orders.c.id)),
            "cases": rows(select(cases.c.id, cases.c.incident_id, cases.c.status,
                                 cases.c.choice, cases.c.choice_channel, cases.c.choice_at,
                                 cases.c.choice_evidence, cases.c.difference_paid_at,
                                 cases.c.difference_paid_note, cases.c.call_at)
                          .where(cases.c.customer_id == customer_id).order_by(cases.c.id)),
            "contacts": rows(select(contact_attempts.c.case_id, contact_attempts.c.channel,
                                    contact_attempts.c.attempted_at, contact_attempts.c.outcome,
                                    contact_attempts.c.note, contact_attempts.c.callback_at)
                             .where(contact_attempts.c.case_id.in_(mine))
                             .order_by(contact_attempts.c.id)),
            "messages": rows(select(outbox.c.case_id, outbox.c.channel, outbox.c.purpose,
                                    outbox.c.recipient, outbox.c.subject, outbox.c.body,
                                    outbox.c.status, outbox.c.created_at, outbox.c.sent_at,
                                    outbox.c.erased_at)
                             .where(or_(outbox.c.customer_id == customer_id,
                                        outbox.c.case_id.in_(mine)))
                             .order_by(outbox.c.id)),
            "refunds": rows(select(refunds.c.id, refunds.c.case_id, refunds.c.order_id,
                                   refunds.c.amount_minor, refunds.c.currency,
                                   refunds.c.cancelled_at, refunds.c.due_by, refunds.c.paid_at)
                            .where(refunds.c.customer_id == customer_id)
                            .order_by(refunds.c.id)),
            "recorded_words": rows(
                select(audit_log.c.seq, audit_log.c.action, audit_log.c.occurred_at,
                       audit_words.c.field, audit_words.c.words, audit_words.c.erased_at)
                .join(audit_log, audit_log.c.seq == audit_words.c.seq)
                .where(audit_words.c.seq.in_(self._about(customer_id)))
                .order_by(audit_words.c.seq, audit_words.c.field)),
            "points": rows(select(ledger_entries.c.id.label("entry_id"), ledger_entries.c.kind,
                                  ledger_postings.c.amount_minor, ledger_postings.c.currency,
                                  ledger_entries.c.created_at)
                           .join(ledger_entries,
                                 ledger_entries.c.id == ledger_postings.c.entry_id)
                           .where(ledger_postings.c.account_kind
                                  == AccountKind.CUSTOMER_POINTS.value,
                                  ledger_postings.c.owner_id == customer_id)
                           .order_by(ledger_entries.c.id)),
            # their request to be erased, waiting for the law or carried out (not who took it)
            "erasure_requests": rows(select(erasure_requests.c.requested_at,
                                            erasure_requests.c.holds,
                                            erasure_requests.c.erase_from,
                                            erasure_requests.c.done_at)
                                     .where(erasure_requests.c.customer_id == customer_id)
                                     .order_by(erasure_requests.c.id)),
        }
