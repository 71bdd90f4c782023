"""The discount choice's difference: recording it as paid, and which cases still owe one.

sagwa takes no payment (``domain.difference``): the customer pays the difference to the
customer centre, and an agent or the operator records it here with the payment's reference,
once — the same record sent again (a double click, a retried request) says it was already
recorded and changes nothing. A case that owes no difference is refused (409,
``no_difference_owed``) with what it is instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.difference import DifferencePaid, difference_of, payment_note
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import CaseStatus
from sagwa.domain.money import Money
from sagwa.errors import Conflict
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

PAID_ACTION = "case.difference_paid"


@dataclass(frozen=True)
class DifferenceRecorded:
    case_id: int
    difference: Money
    paid: DifferencePaid
    #: False when it had been recorded before (this record changed nothing).
    changed: bool

    def as_dict(self) -> dict[str, object]:
        return {"case_id": self.case_id, "difference": self.difference.as_dict(),
                "paid_at": self.paid.at, "recorded_by": self.paid.by,
                "note": self.paid.note, "changed": self.changed}


def record_difference_paid(uow: SqlAlchemyUnitOfWork, *, case_id: int, actor: str,
                           note: str | None) -> DifferenceRecorded:
    """Record that case ``case_id``'s customer paid the difference the discount choice left
    them to pay, with ``note`` (the payment's reference; required). Allowed on a closed
    incident too: a payment can come after the desk is done."""
    with uow:
        row = require(uow.cases.get(case_id, for_update=True), "case", case_id)
        difference = differences_of(uow, [row])[case_id]
        if difference.amount_minor <= 0:
            raise Conflict(f"case #{case_id} owes no difference: {_why_none(row)}",
                           reason="no_difference_owed", case_id=str(case_id))
        if row.difference_paid is not None:  # whatever the note says this time
            return DifferenceRecorded(case_id, difference, row.difference_paid, changed=False)
        text = payment_note(note)
        now = uow.now()
        paid = DifferencePaid(now, actor, text)
        uow.cases.record_difference_paid(case_id, paid)
        uow.audit.append(AuditEvent(actor, PAID_ACTION, "case", str(case_id),
                                    before={"difference_paid": False},
                                    after={"difference_paid": True,
                                           "difference": difference.as_dict(), "note": text}),
                         now)
        uow.commit()
        return DifferenceRecorded(case_id, difference, paid, changed=True)


def differences_of(uow: SqlAlchemyUnitOfWork, rows: list[CaseRow]) -> dict[int, Money]:
    """Inside an open unit of work: case id -> the difference its discount choice left to pay
    (zero for the rest), paid or not."""
    figures = figures_of_cases(uow, rows)
    return {int(r.case.case_id): difference_of(r.case, figures[int(r.case.case_id)])
            for r in rows}


def unpaid_differences(uow: SqlAlchemyUnitOfWork, incident_id: int) -> int:
    """Inside an open unit of work: how many of the incident's customers owe a difference not
    yet recorded as paid."""
    rows = uow.cases.owing_a_difference(incident_id)
    return sum(1 for d in differences_of(uow, rows).values() if d.amount_minor > 0)


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
