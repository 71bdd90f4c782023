"""Where the apology of a notified case stands, as the operator's incident page shows it in its
progress bars and in each case's row — the same state in both. The status "notified" is set
when the apology is queued, not when it reaches anyone: the case (``told``: its apology went,
or an agent reached the customer) and the outbox (when its copies still waiting are due) say
the rest."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sagwa.adapters.db.outbox_repo import ApologyTally
from sagwa.domain.incidents import Case

#: The bars "notified" is split into, by where each case's apology stands (:func:`apology_state`).
APOLOGY_STATES = ("notified", "apology_sending", "apology_queued", "not_told")


def tallied_apology_counts(tally: ApologyTally) -> tuple[Counter[str], datetime | None]:
    """How many notified cases are in each :func:`apology_state`, and when the first of those
    waiting for their time is due, from the database's tally of the notified cases
    (``OutboxRepository.notified_apology_tally``: no case read; a test compares it with the
    states read case by case)."""
    counts = Counter({"notified": tally.told, "not_told": tally.none_waiting,
                      "apology_queued": tally.due_later, "apology_sending": tally.due_now})
    return +counts, tally.first_later  # states no case is in are left out, as there


def apology_state(case: Case, due: datetime | None, now: datetime) -> str:
    """Where the apology of a notified case stands, from the case and the outbox (``due``: when
    its copies still waiting are due, none of them sent: ``OutboxRepository.apologies_due``):
    ``notified`` — told (its apology went, or an agent reached the customer); ``apology_queued``
    — waiting for a time still ahead (held for contact hours); ``apology_sending`` — its time
    has come and it has not gone yet (a worker is sending it, or trying again); ``not_told`` —
    nothing on its way and never told (its copies failed or were withdrawn)."""
    if case.told:
        return "notified"
    if due is None:
        return "not_told"
    return "apology_queued" if due > now else "apology_sending"
