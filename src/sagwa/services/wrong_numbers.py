"""Texts withheld from a number an agent marked wrong (``domain.wrong_numbers``).

The number is the customer's, not the case's: a mark on any of their cases counts for all of
them (their other open case, their case in a later incident), compared with the number the
text is about to go to — so a number changed since is written to again.

:func:`withhold_texts` runs when the attempt is logged (``desk_cases``): the customer's text
messages still waiting go nowhere. :func:`without_wrong_numbers` drops, from messages about to
be queued, the texts to a number marked wrong on one of their customer's cases;
:func:`texts_withheld_to` says the same of one message at send time (``delivery``). Both read
which customers have a wrong-number attempt in one query, and then the marks (the attempts'
``number_key``) of those customers only, in one audit read. A mark is made under the current
secret (:func:`number_secret`) and matched under it and the retired ones (:func:`number_secrets`,
``SAGWA_PREVIOUS_SECRET_KEYS``): rotating the secret forgets no mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.read_repo import ReadRepository
from sagwa.domain.wrong_numbers import (
    NUMBER_KEY,
    TEXT_CHANNEL,
    WRONG_NUMBER,
    number_key_secret,
    withheld,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The audit action of a contact attempt (its details keep ``number_key`` for a wrong number).
ATTEMPT_ACTION = "case.contact_attempted"
#: Why a waiting text message was withdrawn (the outbox row's ``last_error``).
WITHHELD_WHY = "withdrawn: an agent found the customer's phone number to be a wrong number"


class MarkReaders(Protocol):
    """What the marks are read through: a unit of work, or delivery's own session."""

    reads: ReadRepository
    audit: AuditRepository


def number_secret(uow: MarkReaders) -> bytes:
    """The key new marks' ``number_key`` is made with: derived, for this purpose only, from the
    audit log's current key (itself derived from ``SAGWA_SECRET_KEY``)."""
    return number_key_secret(uow.audit.key.key)


def number_secrets(uow: MarkReaders) -> tuple[bytes, ...]:
    """Every key a mark may have been made with: :func:`number_secret`'s first, then those of
    the audit log's retired keys (the secrets rotated out into
    ``SAGWA_PREVIOUS_SECRET_KEYS``), so that a number marked before a rotation still counts."""
    return tuple(number_key_secret(key.key) for key in uow.audit.keys.every)


class Marks:
    """The numbers marked wrong of the customers asked about (``number_key`` sets)."""

    def __init__(self, owner_of: dict[int, int], by_customer: dict[int, set[str]]) -> None:
        self._owner_of, self._by_customer = owner_of, by_customer

    def of(self, *, case_id: int | None, customer_id: int | None) -> set[str]:
        owner = customer_id if customer_id is not None else (
            None if case_id is None else self._owner_of.get(int(case_id)))
        return self._by_customer.get(int(owner), set()) if owner is not None else set()


def marked_numbers(uow: MarkReaders, case_ids: Sequence[int],
                   customer_ids: Sequence[int] = ()) -> Marks:
    """The numbers marked wrong on any case of the customers of ``case_ids`` (and of
    ``customer_ids``): one query for who has a wrong-number attempt, then one audit read of
    just those customers' marked cases."""
    owner_of, cases_of = uow.reads.wrong_number_cases(sorted(set(case_ids)),
                                                      sorted(set(customer_ids)))
    if not cases_of:
        return Marks({}, {})
    marked = sorted({c for ids in cases_of.values() for c in ids})
    records = uow.audit.of_entities("case", [str(c) for c in marked], ATTEMPT_ACTION)
    keys_of_case = {int(case_id): {str(r.event.after[NUMBER_KEY]) for r in rows
                                   if r.event.after and r.event.after.get(NUMBER_KEY)
                                   and r.event.after.get("outcome") == WRONG_NUMBER}
                    for case_id, rows in records.items()}
    by_customer = {customer: set().union(*(keys_of_case.get(c, set()) for c in ids))
                   for customer, ids in cases_of.items()}
    return Marks(owner_of, by_customer)


class Addressed(Protocol):
    """A message's address: what deciding to withhold it reads (an ``OutgoingMessage``, or
    an apology counted before it is written: ``apology_preview``)."""

    @property
    def channel(self) -> str: ...
    @property
    def recipient(self) -> str: ...
    @property
    def case_id(self) -> int | None: ...
    @property
    def customer_id(self) -> int | None: ...


M = TypeVar("M", bound=Addressed)


def without_wrong_numbers(uow: MarkReaders, messages: Sequence[M]) -> list[M]:
    """``messages`` less the texts to a number marked wrong on one of their customer's
    cases. Reads nothing for a batch with no text of a customer."""
    texts = [m for m in messages if m.channel == TEXT_CHANNEL
             and (m.case_id is not None or m.customer_id is not None)]
    if not texts:
        return list(messages)
    marks = marked_numbers(uow, [int(m.case_id) for m in texts if m.case_id is not None],
                           [int(m.customer_id) for m in texts if m.customer_id is not None])
    secrets = number_secrets(uow)
    return [m for m in messages
            if not withheld(m.channel, m.recipient,
                            marks.of(case_id=m.case_id, customer_id=m.customer_id), secrets)]


def texts_withheld_to(uow: MarkReaders, *, case_id: int | None, channel: str,
                      recipient: str, customer_id: int | None = None) -> bool:
    """Whether one message (of ``case_id`` or to ``customer_id``, on ``channel`` to
    ``recipient``) is a text to a number marked wrong on one of its customer's cases: to
    withhold at send time."""
    if (case_id is None and customer_id is None) or channel != TEXT_CHANNEL:
        return False
    marks = marked_numbers(uow, [] if case_id is None else [case_id],
                           [] if customer_id is None else [customer_id])
    return withheld(channel, recipient, marks.of(case_id=case_id, customer_id=customer_id),
                    number_secrets(uow))


def withhold_texts(uow: SqlAlchemyUnitOfWork, customer_id: int) -> int:
    """Withdraw the customer's text messages still waiting (all go to the number on file, the
    one just found wrong): how many."""
    return len(uow.outbox.withdraw_pending_to(customer_id, channel=TEXT_CHANNEL,
                                              why=WITHHELD_WHY))
