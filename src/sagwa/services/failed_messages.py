"""Send again the messages that failed for good (``sagwa messages retry-failed``).

After an outage longer than the retry window (``SAGWA_DELIVERY_RETRY_HOURS``) the messages it
caught are ``failed``. Re-queueing one makes the same outbox row ``pending`` again — same
idempotency key, so a provider that got it after all drops the repeat — with its attempts back
to 0 and a new delivery job, all in one transaction with an audit entry per message.

Sending again must still be right, so these stay failed (``skipped`` says why):

* ``answered``: a message the customer did not ask for (``UNPROMPTED``) whose case has its
  answer (chosen, resolved) — the answer withdraws such messages while they wait;
* ``past_deadline``: one that asks the customer to choose (``ASKS_TO_ACT``) after its incident
  plan's deadline — delivery would withdraw it;
* ``copy_sent``: another message of the same case, purpose and channel went out;
* ``recipient_changed``: the customer's address (or number) for its channel is no longer the
  one it was for — changed or removed since (sending a case link to an address the customer
  disowned would hand their case to a stranger);
* ``case_moved_on``: a message the customer did not ask for whose case was answered, called,
  given a call time or paid since it was queued (``outbox_repo.MOVED_ON_ACTIONS``; what
  withdraws such messages while they wait), or a reminder of a difference since paid or
  cancelled instead;
* ``wrong_number``: a text to a number an agent marked wrong on one of the customer's cases
  (``wrong_numbers``; delivery would withdraw it).

Contact hours still apply: one held outside them (``HELD_OUTSIDE_HOURS``) is due at the contact
centre's next opening, and delivery checks the hours again when it sends.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sagwa.adapters.db.outbox_repo import FailedMessage
from sagwa.domain.audit import AuditEvent
from sagwa.domain.catalog import domestic_digits
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.masking import mask_contacts_in
from sagwa.domain.wrong_numbers import TEXT_CHANNEL
from sagwa.services.delivery import contact_opening
from sagwa.services.lookups import require
from sagwa.services.outbox import ASKS_TO_ACT, DELIVER_TASK, MESSAGE_QUEUE, UNPROMPTED
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.services.wrong_numbers import texts_withheld_to

REQUEUED_ACTION = "message.requeued"
#: The reminder of a difference still unpaid (``desk_difference``).
DIFFERENCE_REMINDER = "difference_reminder"
_ANSWERED = frozenset({"chosen", "resolved"})


@dataclass
class RetryReport:
    """What ``retry_failed`` did (or, with ``dry_run``, would do)."""

    dry_run: bool
    requeued: list[dict[str, Any]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "requeued": len(self.requeued),
                "skipped": sum(self.skipped.values()), "skipped_by_reason": dict(self.skipped),
                "messages": self.requeued}


def why_not_resend(message: FailedMessage, now: datetime) -> str | None:
    """Why sending ``message`` again would be wrong, or None."""
    if message.purpose in UNPROMPTED and message.case_status in _ANSWERED:
        return "answered"
    if (message.purpose in ASKS_TO_ACT and message.deadline is not None
            and message.deadline <= now):
        return "past_deadline"
    if message.copy_sent:
        return "copy_sent"
    if not _same_address(message.channel, message.recipient, message.recipient_now):
        return "recipient_changed"
    if message.purpose in UNPROMPTED and message.moved_on:
        return "case_moved_on"
    if message.purpose == DIFFERENCE_REMINDER and {
            "case.difference_paid", "case.cancelled_instead"} & set(message.moved_on):
        return "case_moved_on"
    return None


def _same_address(channel: str, queued_for: str, now: str | None) -> bool:
    """Whether the address a message was queued for is still the customer's for its channel
    (numbers compared by their digits, emails without case)."""
    if now is None:
        return False
    if channel == "sms":
        return domestic_digits(queued_for) == domestic_digits(now)
    return queued_for.strip().lower() == now.strip().lower()


def retry_failed(uow: SqlAlchemyUnitOfWork, *, actor: str, contact_hours: ContactSchedule,
                 incident_id: int | None = None, queued_since: datetime | None = None,
                 dry_run: bool = False, texts_not_sent: bool = False) -> RetryReport:
    """Re-queue the failed messages (of one incident; queued since ``queued_since``) that may
    still be sent; audited, one transaction. ``texts_not_sent``: no SMS provider is configured
    (``SAGWA_SMS_LOG_ONLY``), so a text would only fail again: texts are skipped
    (``texts_not_sent``)."""
    report = RetryReport(dry_run=dry_run)
    with uow:
        if incident_id is not None:  # as every --incident: an unknown one is said, not 0
            require(uow.incidents.get(incident_id), "incident", incident_id)
        now = uow.now()
        for message in uow.outbox.failed_messages(incident_id=incident_id,
                                                  queued_since=queued_since):
            why = why_not_resend(message, now)
            if why is None and texts_not_sent and message.channel == TEXT_CHANNEL:
                why = "texts_not_sent"
            if why is None and texts_withheld_to(
                    uow, case_id=message.case_id, customer_id=message.customer_id,
                    channel=message.channel, recipient=message.recipient):
                why = "wrong_number"
            if why is not None:
                report.skipped[why] += 1
                continue
            due = contact_opening(contact_hours, message.purpose, now) or now
            if not dry_run and not uow.outbox.requeue_failed(
                    message.message_id, not_before=due, queue=MESSAGE_QUEUE, task=DELIVER_TASK):
                continue  # re-queued meanwhile by someone else
            report.requeued.append({"id": message.message_id, "purpose": message.purpose,
                                    "channel": message.channel,
                                    "incident_id": message.incident_id,
                                    "not_before": due.isoformat()})
            if not dry_run:
                uow.audit.append(AuditEvent(
                    actor, REQUEUED_ACTION, "message", str(message.message_id),
                    before={"status": "failed", "attempts": message.attempts,
                            # an address a provider's error names, masked (as message.failed)
                            "last_error": mask_contacts_in(message.last_error)},
                    after={"status": "pending", "not_before": due.isoformat()}), now)
        if not dry_run:
            uow.commit()
    return report
