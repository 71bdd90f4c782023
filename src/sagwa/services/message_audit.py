"""Messages on the audit log: each delivery that ends (``message.sent``, ``message.failed``) is
an audit record, written in the transaction that records it in the outbox — what went (its
purpose, a digest of its subject and body), on which channel, to whom (masked), when.

The outbox says the same, but the outbox is a working table; the audit log is hash-chained and
keyed, so a sent time moved afterwards (``UPDATE outbox SET sent_at = …``) disagrees with the
message's audit record, which :mod:`sagwa.services.case_messages` and the incident report show.
"""

from __future__ import annotations

import hashlib

from sagwa.adapters.db.outbox_repo import RecordedOutcome
from sagwa.domain.audit import AuditEvent
from sagwa.domain.masking import mask_contacts_in, mask_email, mask_phone

ACTOR = "system:delivery"
MESSAGE_SENT = "message.sent"
MESSAGE_FAILED = "message.failed"
MESSAGE_ACTIONS = (MESSAGE_SENT, MESSAGE_FAILED)
ENTITY = "message"


def mask_recipient(channel: str, recipient: str) -> str:
    """``010-****-6373`` for a number, ``mi****@example.com`` for an address."""
    masked = mask_phone(recipient) if channel == "sms" else mask_email(recipient)
    return masked or ""


def content_digest(subject: str, body: str) -> str:
    """SHA-256 of the subject, a blank line and the body, as sent: shows later that the text in
    the outbox is the text that went."""
    return hashlib.sha256(f"{subject}\n\n{body}".encode()).hexdigest()


def delivery_event(message: RecordedOutcome) -> AuditEvent | None:
    """The audit record of a delivery that ended (sent, or failed for good); None otherwise."""
    action = {"sent": MESSAGE_SENT, "failed": MESSAGE_FAILED}.get(message.status)
    if action is None:
        return None
    after = {"outbox_id": message.id, "case_id": message.case_id,
             "incident_id": message.incident_id, "purpose": message.purpose,
             "channel": message.channel,
             "recipient": mask_recipient(message.channel, message.recipient),
             "queued_at": message.created_at.isoformat(),
             "sent_at": None if message.sent_at is None else message.sent_at.isoformat(),
             "attempts": message.attempts,
             "content_sha256": content_digest(message.subject, message.body)}
    if action == MESSAGE_FAILED:
        # an SMTP refusal names the address it refused: masked like ``recipient``
        after["error"] = mask_contacts_in(message.last_error)
    return AuditEvent(ACTOR, action, ENTITY, str(message.id), after=after)
