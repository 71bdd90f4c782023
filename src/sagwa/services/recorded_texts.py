"""The texts staff type about a customer, as the audit log keeps them (``domain.audit_text``): a
keyed digest, never the text. The text stays in its working table where it has one, and beside
the log in ``audit_words`` under the record's seq (for the words only the log named: a contact
correction's note, a repeated or replaced choice's words), both erased with the customer.

:func:`audit_text` gives a writer the fields to record for a text, under this process's current
key. :func:`text_matches` checks one text against a record, with the key the record names (a
retired one too: ``SAGWA_PREVIOUS_SECRET_KEYS``). :func:`check_case_texts` checks each record of
a case that names a text against the working table that keeps it. It is not part of ``sagwa
audit verify``, which checks that the log was not changed: a working table may change as it
should (a later choice replaces the earlier one's words, erasure empties a note), and a
difference there is no tampering with the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sagwa.domain.audit import AuditRecord
from sagwa.domain.audit_text import TextVerdict, check_text, recorded_text, text_key, text_keys
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The audit actions that name a text someone typed, and the text's name in ``after``.
TEXT_FIELDS = {
    "case.choice_recorded": "evidence", "case.choice_repeated": "evidence",
    "case.cancelled_instead": "evidence", "case.contact_attempted": "note",
    "case.follow_up_asked": "note", "case.follow_up_resolved": "outcome",
    "case.difference_paid": "note", "case.refund_paid": "reference",
    "customer.contact_changed": "note",
}
#: The actions whose text is the case's consent words (the latest of them is on the case).
_CONSENT_ACTIONS = ("case.choice_recorded", "case.cancelled_instead")


def audit_text(uow: SqlAlchemyUnitOfWork, name: str, text: str | None) -> dict[str, Any]:
    """Inside an open unit of work: what a record keeps of ``text`` under ``name``; the words
    themselves go to ``audit_words`` with the record when it is appended (erasable there)."""
    fields = recorded_text(name, text, text_key(uow.audit.key))
    if text:
        uow.audit.keep_words(fields[f"{name}_hmac"], text)
    return fields


def text_matches(uow: SqlAlchemyUnitOfWork, text: str | None, recorded: dict[str, Any] | None,
                 name: str) -> TextVerdict:
    """Inside an open unit of work: whether ``text`` is the one ``recorded`` (a record's
    ``after``) keeps under ``name``."""
    return check_text(text, recorded, name, text_keys(uow.audit.keys))


@dataclass(frozen=True)
class CheckedText:
    """One record's text checked against its working table."""

    seq: int
    action: str
    field: str
    verdict: TextVerdict


def check_case_texts(uow: SqlAlchemyUnitOfWork, *, case_id: int) -> list[CheckedText]:
    """Each record of case ``case_id`` that names a text, oldest first, checked against the
    text its working table keeps now (``NOT_KEPT`` where none keeps it: a repeat's words, the
    words of a choice replaced since)."""
    with uow:
        records = [r for r in uow.audit.for_entity("case", str(case_id))
                   if r.event.action in TEXT_FIELDS]
        working = _WorkingTexts(uow, case_id, records)
        keys = text_keys(uow.audit.keys)
        out = []
        for r in records:
            name = TEXT_FIELDS[r.event.action]
            kept, text = working.text_of(r)
            verdict = check_text(text, r.event.after, name, keys) if kept else TextVerdict.NOT_KEPT
            out.append(CheckedText(r.seq, r.event.action, name, verdict))
        return out


class _WorkingTexts:
    """Where each of a case's records keeps its text: (kept somewhere, the text)."""

    def __init__(self, uow: SqlAlchemyUnitOfWork, case_id: int,
                 records: Sequence[AuditRecord]) -> None:
        self._uow, self._row = uow, uow.cases.get(case_id)
        self._attempts = uow.cases.attempts(case_id)
        consents = [r.seq for r in records if r.event.action in _CONSENT_ACTIONS]
        self._latest_consent = consents[-1] if consents else None
        self._by_action: dict[str, Callable[[AuditRecord], tuple[bool, str | None]]] = {
            "case.choice_recorded": self._consent, "case.cancelled_instead": self._consent,
            "case.contact_attempted": self._attempt_note, "case.follow_up_asked": self._asked,
            "case.follow_up_resolved": self._resolved, "case.difference_paid": self._paid,
            "case.refund_paid": self._reference}

    def text_of(self, record: AuditRecord) -> tuple[bool, str | None]:
        read = self._by_action.get(record.event.action)
        return (False, None) if read is None else read(record)

    def _consent(self, record: AuditRecord) -> tuple[bool, str | None]:
        consent = None if self._row is None else self._row.case.consent
        if consent is None or record.seq != self._latest_consent:
            return False, None
        return True, consent.evidence

    def _attempt_note(self, record: AuditRecord) -> tuple[bool, str | None]:
        after = record.event.after or {}
        # a record written before it named its attempt: the attempt logged with it
        found = [a for a in self._attempts if a.id == after.get("attempt_id") or (
            "attempt_id" not in after and a.attempted_at == record.occurred_at
            and a.agent == record.event.actor)]
        return (True, found[0].note) if found else (False, None)

    def _asked(self, record: AuditRecord) -> tuple[bool, str | None]:
        attempt_id = (record.event.after or {}).get("attempt_id")
        found = [a for a in self._attempts if a.id == attempt_id]
        return (True, (found[0].note or "").strip()) if found else (False, None)

    def _resolved(self, record: AuditRecord) -> tuple[bool, str | None]:
        follow_up_id = (record.event.after or {}).get("follow_up_id")
        found = None if follow_up_id is None else self._uow.follow_ups.get(int(follow_up_id))
        return (False, None) if found is None else (True, found.outcome)

    def _paid(self, record: AuditRecord) -> tuple[bool, str | None]:
        paid = None if self._row is None else self._row.difference_paid
        return (False, None) if paid is None else (True, paid.note)

    def _reference(self, record: AuditRecord) -> tuple[bool, str | None]:
        refund_id = (record.event.after or {}).get("refund_id")
        found = None if refund_id is None else self._uow.refunds.get(int(refund_id))
        return (False, None) if found is None else (True, found.paid_reference)
