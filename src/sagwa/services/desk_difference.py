"""The discount choice's difference: recording it as paid, and which cases still owe one.

sagwa takes no payment (``domain.difference``): the customer pays the difference to the
customer centre, and an agent or the operator records it here with the payment's reference,
once — the same record sent again (a double click, a retried request) says it was already
recorded and changes nothing (``note_recorded`` False when it came with another note: the
first note stands). A case that owes no difference is refused (409,
``no_difference_owed``) with what it is instead. Recording it sends the customer a receipt
(:func:`receipt_messages`: the difference was received, their items are being sent), by email,
or by text without an address, checked as a ``follow_up`` like every message.

A difference still unpaid some days after the choice (``[difference] reminder_after_days`` in
the desk policy) is recalled to the customer once (:func:`reminder_messages`, queued with the
choice by :func:`queue_reminder` and due then); recording the payment first withdraws it.
What became of it (:func:`difference_reminders`, :func:`reminder_after_payment`) is read for
the agent's case page and the case API alike. :func:`differences_owed` counts what an
incident's customers still owe, for ``sagwa incident status`` and ``list``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.audit import AuditEvent
from sagwa.domain.cancel_instead import CANCELLED_INSTEAD_ACTION
from sagwa.domain.contact_hours import next_contact_time
from sagwa.domain.difference import PAID_ACTION as DIFFERENCE_PAID_ACTION
from sagwa.domain.difference import DifferencePaid, difference_of, payment_note
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import CaseStatus, Incident
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money, format_money
from sagwa.domain.orders import OrderStatus
from sagwa.errors import Conflict, MessageRefused
from sagwa.services import desk_messages as dm
from sagwa.services.desk_cases import lock_case
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.desk_wordings import case_facts, with_names
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import render_checked
from sagwa.services.outbox import OutgoingMessage, enqueue_messages
from sagwa.services.recorded_texts import audit_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

PAID_ACTION = DIFFERENCE_PAID_ACTION
#: The outbox purpose of the customer's receipt for the difference.
RECEIPT_PURPOSE = "difference_received"
#: The outbox purpose of the reminder of a difference still unpaid (``queue_reminder``).
REMINDER_PURPOSE = "difference_reminder"
#: How long the customer's page link in the reminder stays valid after the reminder is due.
REMINDER_LINK_LIFETIME = timedelta(days=14)
#: Why a reminder still waiting is withdrawn.
PAID_FIRST = "the difference was recorded as paid before its reminder went out"


@dataclass(frozen=True)
class DifferenceRecorded:
    case_id: int
    difference: Money
    paid: DifferencePaid
    #: False when it had been recorded before (this record changed nothing).
    changed: bool
    #: The channel of the receipt this record queued for the customer ("email" or "sms"); None
    #: when it queued none (recorded before, or the customer has neither address nor phone).
    receipt: str | None = None
    #: How many sellers were written to that the orders they held can be sent now.
    sellers_told: int = 0
    #: False when the note given this time is not the one on record (``paid.note``): it was
    #: recorded before with another note, which stands; the new one was not kept.
    note_recorded: bool = True

    def as_dict(self) -> dict[str, object]:
        return {"case_id": self.case_id, "difference": self.difference.as_dict(),
                "paid_at": self.paid.at, "recorded_by": self.paid.by,
                "note": self.paid.note, "changed": self.changed, "receipt": self.receipt,
                "sellers_told": self.sellers_told, "note_recorded": self.note_recorded}


def record_difference_paid(uow: SqlAlchemyUnitOfWork, *, case_id: int, actor: str,
                           note: str | None, policy: DeskPolicy | None = None,
                           links: LinkMaker | None = None) -> DifferenceRecorded:
    """Record that case ``case_id``'s customer paid the difference the discount choice left
    them to pay, with ``note`` (the payment's reference; required), queue their receipt, and
    write to the sellers of their orders that those can be sent now
    (``seller_notices.difference_paid_notices``; their page linked with ``links``, else named
    by its path). Allowed on a closed incident too: a payment can come after the desk is
    done."""
    from sagwa.services.seller_notices import difference_paid_notices  # it reads our views

    policy = policy if policy is not None else load_desk_policy()
    with uow:
        row = lock_case(uow, case_id)  # the incident first: the receipt is written too
        difference = differences_of(uow, [row])[case_id]
        if difference.amount_minor <= 0:
            _refuse_after_cancelling_instead(uow, row)
            raise Conflict(f"case #{case_id} owes no difference: {_why_none(row)}",
                           reason="no_difference_owed", case_id=case_id)
        if row.difference_paid is not None:  # the first record stands, whatever the note
            on_record = row.difference_paid
            return DifferenceRecorded(case_id, difference, on_record, changed=False,
                                      note_recorded=(note or "").strip() == on_record.note)
        text = payment_note(note)
        now = uow.now()
        paid = DifferencePaid(now, actor, text)
        uow.cases.record_difference_paid(case_id, paid)
        uow.outbox.withdraw_pending([case_id], purposes=(REMINDER_PURPOSE,), why=PAID_FIRST)
        incident_id = int(row.case.incident_id)  # read once: the receipt and the sellers' email
        incident = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        receipts = receipt_messages(uow, row, difference, paid, policy, incident=incident)
        sellers = difference_paid_notices(uow, incident=incident, case=row.case, links=links)
        uow.audit.append(AuditEvent(actor, PAID_ACTION, "case", str(case_id),
                                    before={"difference_paid": False},
                                    after={"difference_paid": True,
                                           "difference": difference.as_dict(),
                                           **audit_text(uow, "note", text),
                                           "sellers_told": len(sellers)}),
                         now)
        enqueue_messages(uow, [*receipts, *sellers])
        uow.commit()
        return DifferenceRecorded(case_id, difference, paid, changed=True,
                                  receipt=receipts[0].channel if receipts else None,
                                  sellers_told=len(sellers))


def receipt_messages(uow: SqlAlchemyUnitOfWork, row: CaseRow, difference: Money,
                     paid: DifferencePaid, policy: DeskPolicy, *,
                     incident: Incident | None = None) -> list[OutgoingMessage]:
    """The customer's receipt for the difference: received on ``paid.at``, their items are
    being sent. An email, or a text to a customer with a phone and no address; none without
    either (the customer's page says it too). Sent at once — the customer is waiting for it,
    as for the confirmation of their choice. The payment note is staff's reference and is not
    quoted. ``incident``: the case's, when the caller has read it (else it is read here)."""
    return about_the_difference(
        uow, row, difference, policy, purpose=RECEIPT_PURPOSE, send_at=uow.now(),
        incident=incident,
        subjects=(f"{dm.TAG['ko']} 차액을 받았습니다", f"{dm.TAG['en']} We received the difference"),
        when=lambda lang: {"received": dm.format_when(paid.at, lang)})


def reminder_messages(uow: SqlAlchemyUnitOfWork, row: CaseRow, difference: Money,
                      policy: DeskPolicy, *, send_at: datetime,
                      links: LinkMaker | None = None) -> list[OutgoingMessage]:
    """The one reminder of a difference still unpaid (``difference``), due at ``send_at``: how
    to pay it (through the customer centre), that the items go once it is paid, that the
    order is not cancelled without the customer's consent if they do not, and — where the plan
    offered the cancellation — that they may cancel instead, with what that gives them
    (``desk_cancel_instead``). Email, or text
    without an address (as the receipt); held outside contact hours at delivery, and withdrawn
    when the payment is recorded first."""
    assert row.case.consent is not None, "a reminder of the difference follows the choice"
    chosen = row.case.consent.recorded_at
    instead = _cancel_instead_terms(uow, row)
    # the customer's page, where they may cancel instead themselves: valid for as long after
    # the reminder as the apology's link was after it went
    link = (links.for_case(int(row.case.case_id), int(row.case.customer_id),
                           send_at + REMINDER_LINK_LIFETIME)
            if links is not None and instead is not None else "")

    def remind(say_how: bool) -> list[OutgoingMessage]:
        return about_the_difference(
            uow, row, difference, policy, purpose=REMINDER_PURPOSE, send_at=send_at,
            subjects=(f"{dm.TAG['ko']} 차액이 아직 결제되지 않았습니다",
                      f"{dm.TAG['en']} The difference is not paid yet"),
            when=lambda lang: {"chosen": dm.format_when(chosen, lang),
                               "instead": instead is not None,
                               "paid": format_money(instead[0], lang=lang) if instead else "",
                               "points": f"{instead[1]:,}" if instead else "", "link": link,
                               "how_to_pay": (policy.how_to_pay_in(lang) or "") if say_how
                               else ""})

    try:  # the email says how to pay in the policy's words, as the confirmation does
        return remind(True)
    except MessageRefused:
        if policy.how_to_pay is None:
            raise
        # the policy's instruction failed the message check: remind all the same, saying to
        # ask us how to pay
        return remind(False)


def _cancel_instead_terms(uow: SqlAlchemyUnitOfWork, row: CaseRow) -> tuple[Money, int] | None:
    """What cancelling instead of paying would give the customer of ``row``
    (``desk_cancel_instead``): what they paid, refunded in full, and the plan's compensation
    points; None when the plan offered no cancellation (then it cannot replace the discount)."""
    from sagwa.services.desk_cases import current_plan

    plan = current_plan(uow, int(row.case.incident_id))
    if not plan.offers(CustomerOption.CANCEL_WITH_COMPENSATION):
        return None
    figures = figures_of_cases(uow, [row])[int(row.case.case_id)]
    points = plan.cancel_compensation.amount_minor if plan.cancel_compensation else 0
    return figures.paid - figures.refunded, points


def queue_reminder(uow: SqlAlchemyUnitOfWork, case_id: int, policy: DeskPolicy,
                   links: LinkMaker | None = None) -> int:
    """Inside the unit of work that recorded case ``case_id``'s discount choice: queue the
    reminder of its difference for ``policy.difference_reminder_after`` later (or the contact
    centre's next opening after that), if the choice left one to pay and the policy sends
    reminders; with ``links``, it links to the customer's page (where they may cancel instead).
    How many were queued (0 or 1)."""
    if policy.difference_reminder_after is None:
        return 0
    row = require(uow.cases.get(case_id), "case", case_id)  # as the choice repriced it
    difference = differences_of(uow, [row])[case_id]
    if difference.amount_minor <= 0:
        return 0
    # due at a moment the contact centre is open (delivery would hold it until then anyway),
    # so the agent's page and the outbox say when it really goes
    due = next_contact_time(policy.schedule, uow.now() + policy.difference_reminder_after)
    return enqueue_messages(uow, reminder_messages(uow, row, difference, policy, send_at=due,
                                                   links=links))


def about_the_difference(uow: SqlAlchemyUnitOfWork, row: CaseRow, difference: Money,
                          policy: DeskPolicy, *, purpose: str, send_at: datetime,
                          subjects: tuple[str, str], when: Callable[[str], dict[str, str]],
                          incident: Incident | None = None) -> list[OutgoingMessage]:
    """A message of ``purpose`` about the difference (template ``<purpose>_<channel>``), by
    email, or by text to a customer with a phone and no address; none without either.
    ``when(lang)``: the template's own dates, formatted; ``incident``: the case's, if read."""
    case = row.case
    inc = incident if incident is not None else require(
        uow.incidents.get(int(case.incident_id)), "incident", case.incident_id).incident
    person = require(uow.catalog.customer(int(case.customer_id)), "customer", case.customer_id)
    channel, recipient = person.written_to
    if not recipient:
        return []
    lang, facts = person.locale, case_facts(uow, inc, case)
    values = {"difference": format_money(difference, lang=lang), **when(lang),
              "units": sum(o.quantity for o in case.orders
                           if o.status != OrderStatus.CANCELLED.value),
              # what the apology called the correct price: 정상가, or a book's 정가/판매가
              "correct_price_word": dm.correct_price_word(facts),
              **dm.contact_values(policy.contact, lang)}
    body = render_checked(f"{purpose}_{channel}", lang, kind="follow_up", facts=facts,
                          customer_name=person.name, values=with_names(values, lang))
    subject = "" if channel == "sms" else subjects[0] if lang == "ko" else subjects[1]
    return [OutgoingMessage(
        idempotency_key=f"incident:{case.incident_id}:case:{case.case_id}:{purpose}",
        purpose=purpose, channel=channel, recipient=recipient, locale=lang,
        subject=subject, body=body, not_before=send_at, incident_id=int(case.incident_id),
        case_id=int(case.case_id), customer_id=int(case.customer_id))]


def differences_of(uow: SqlAlchemyUnitOfWork, rows: list[CaseRow]) -> dict[int, Money]:
    """Inside an open unit of work: case id -> the difference its discount choice left to pay
    (zero for the rest), paid or not."""
    figures = figures_of_cases(uow, rows)
    return {int(r.case.case_id): difference_of(r.case, figures[int(r.case.case_id)])
            for r in rows}


@dataclass(frozen=True)
class DifferencesOwed:
    """What an incident's customers still owe for the discount: how many owe a difference not
    yet recorded as paid (their cases count as resolved, their items are held), and the sum."""

    cases: int
    total: Money
    #: The ids of those cases.
    case_ids: frozenset[int] = frozenset()


def differences_owed(uow: SqlAlchemyUnitOfWork, incident_id: int,
                     currency: str) -> DifferencesOwed:
    """Inside an open unit of work: the differences the incident's customers still owe (the
    total in ``currency``, the incident's, zero when none is owed)."""
    rows = uow.cases.owing_a_difference(incident_id)
    owed = {case_id: d for case_id, d in differences_of(uow, rows).items() if d.amount_minor > 0}
    return DifferencesOwed(len(owed), sum(owed.values(), Money(0, currency)), frozenset(owed))


def unpaid_differences(uow: SqlAlchemyUnitOfWork, incident_id: int) -> int:
    """Inside an open unit of work: how many of the incident's customers owe a difference not
    yet recorded as paid."""
    return len(owing(uow, uow.cases.owing_a_difference(incident_id)))


def owing(uow: SqlAlchemyUnitOfWork, rows: list[CaseRow]) -> set[int]:
    """Inside an open unit of work: the ids of ``rows`` whose discount left a difference above
    zero (rows recorded as paid are the caller's to leave out)."""
    return {cid for cid, d in differences_of(uow, rows).items() if d.amount_minor > 0}


def difference_reminders(uow: SqlAlchemyUnitOfWork,
                         differences: Mapping[int, Money]) -> dict[int, LatestMessage]:
    """Inside an open unit of work: case id -> the latest copy of the reminder of its
    difference (``differences``: case id -> what its choice left to pay, paid or not), read in
    one query; a case left nothing to pay, or with no reminder queued (the policy sends none,
    the customer has no address or phone), is left out."""
    owed = [case_id for case_id, d in differences.items() if d.amount_minor > 0]
    return uow.outbox.latest_of_each(owed, REMINDER_PURPOSE) if owed else {}


def reminder_after_payment(reminder: LatestMessage | None,
                           paid: DifferencePaid | None) -> str | None:
    """Once the difference is recorded as paid, what became of its reminder: "withdrawn" (the
    payment came first), "sent_before" (it went before the payment was recorded),
    "sent_after" (a worker was sending it as the payment was recorded); None otherwise."""
    if reminder is None or paid is None:
        return None
    if reminder.status == "withdrawn" and reminder.why == PAID_FIRST:
        return "withdrawn"
    if reminder.status == "sent" and reminder.sent_at is not None:
        return "sent_before" if reminder.sent_at < paid.at else "sent_after"
    return None


def _refuse_after_cancelling_instead(uow: SqlAlchemyUnitOfWork, row: CaseRow) -> None:
    """A payment recorded after the customer cancelled instead of paying (``desk_cancel_instead``)
    is money taken for an order that no longer exists: refused with its own reason
    (``cancelled_instead``), so that the agent knows to give it back."""
    case_id = int(row.case.case_id)
    when = [r.occurred_at for r in uow.audit.for_entity("case", str(case_id))
            if r.event.action == CANCELLED_INSTEAD_ACTION]
    if when:
        raise Conflict(
            f"case #{case_id}: the customer cancelled instead of paying the difference on "
            f"{when[-1].astimezone(SEOUL):%Y-%m-%d %H:%M} (Korea time); their order is cancelled "
            "and refunded, so a payment taken since must be given back", case_id=case_id,
            reason="cancelled_instead")


def _why_none(row: CaseRow) -> str:
    case = row.case
    if case.consent is None:
        return "the customer has not chosen yet"
    if case.consent.choice is not CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
        return (f"the customer chose {case.consent.choice.value}, not to buy at the discounted "
                "correct price")
    if case.status is not CaseStatus.RESOLVED:
        return "the discount choice has not taken effect yet"
    return "the discounted price was not above the price they paid"
