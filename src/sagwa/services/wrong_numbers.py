"""Texts withheld from a number an agent marked wrong on a case (``domain.wrong_numbers``).

:func:`withhold_texts` runs when the attempt is logged (``desk_cases``): the customer's text
messages still waiting go nowhere. :func:`without_wrong_numbers` drops, from messages about to
be queued, the texts of a case to a number marked wrong on it; :func:`texts_withheld_to` says
the same of one message at send time. Both read the marks from the attempts' audit details
(``number_key``), so a number changed since is written to again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sagwa.domain.wrong_numbers import NUMBER_KEY, TEXT_CHANNEL, WRONG_NUMBER, withheld
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from sagwa.services.outbox import OutgoingMessage

#: The audit action of a contact attempt (its details keep ``number_key`` for a wrong number).
ATTEMPT_ACTION = "case.contact_attempted"
#: Why a waiting text message was withdrawn (the outbox row's ``last_error``).
WITHHELD_WHY = "withdrawn: an agent found the customer's phone number to be a wrong number"


def marked_numbers(uow: SqlAlchemyUnitOfWork, case_ids: Sequence[int]) -> dict[int, set[str]]:
    """The numbers marked wrong on each of ``case_ids`` that has any (``number_key``s): one
    read of the attempts, and the audit details only of cases with a wrong-number attempt."""
    attempts = uow.reads.attempts_by_case(sorted(set(case_ids)))
    out: dict[int, set[str]] = {}
    for case_id, rows in attempts.items():
        if not any(a.outcome == WRONG_NUMBER for a in rows):
            continue
        keys = {str(r.event.after[NUMBER_KEY]) for r in uow.audit.for_entity("case", str(case_id))
                if r.event.action == ATTEMPT_ACTION and r.event.after
                and r.event.after.get("outcome") == WRONG_NUMBER and r.event.after.get(NUMBER_KEY)}
        if keys:
            out[case_id] = keys
    return out


def without_wrong_numbers(uow: SqlAlchemyUnitOfWork,
                          messages: Sequence[OutgoingMessage]) -> list[OutgoingMessage]:
    """``messages`` less the texts of a case to a number marked wrong on it."""
    texts = [m.case_id for m in messages if m.channel == TEXT_CHANNEL and m.case_id is not None]
    marked = marked_numbers(uow, [int(i) for i in texts]) if texts else {}
    return [m for m in messages
            if m.case_id is None or not withheld(m.channel, m.recipient,
                                                 marked.get(int(m.case_id), set()))]


def texts_withheld_to(uow: SqlAlchemyUnitOfWork, *, case_id: int | None, channel: str,
                      recipient: str) -> bool:
    """Whether one message (of ``case_id``, on ``channel`` to ``recipient``) is a text to a
    number marked wrong on its case: to withhold at send time."""
    if case_id is None or channel != TEXT_CHANNEL:
        return False
    return withheld(channel, recipient, marked_numbers(uow, [case_id]).get(case_id, set()))


def withhold_texts(uow: SqlAlchemyUnitOfWork, customer_id: int) -> int:
    """Withdraw the customer's text messages still waiting (all go to the number on file, the
    one just found wrong): how many."""
    return len(uow.outbox.withdraw_pending_to(customer_id, channel=TEXT_CHANNEL,
                                              why=WITHHELD_WHY))
