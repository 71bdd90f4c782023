"""What a customer's case page offers for picking the time of the call they are owed
(``domain.call_times``): the times grouped by day, in the page's language, and the time they
picked, if any. Offered only while the case is on the call list with a number to call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sagwa.domain.call_times import call_slots
from sagwa.services.desk_messages import day_words, format_when, hour_words
from sagwa.services.desk_policy import DeskPolicy


@dataclass(frozen=True)
class CallTimeOffer:
    """The form's choices: ``days`` — (day, [(value, time of day)]) with ISO values in Korea
    time; ``picked`` — the customer's time (None: as soon as we can); ``due`` — that time has
    come (the call is being made, the form may still change it)."""

    days: list[tuple[str, list[tuple[str, str]]]]
    picked: datetime | None
    picked_words: str | None
    due: bool

    @property
    def selected(self) -> str:
        """The value the select starts on: the picked time, still ahead, else "as soon"."""
        return self.picked.isoformat() if self.picked is not None and not self.due else ""


def call_time_offer(policy: DeskPolicy, now: datetime, picked: datetime | None,
                    lang: str) -> CallTimeOffer:
    """The offer for a case on the call list (the caller decides that) at ``now``: the
    schedule's slots (``call_times.call_slots``), and a picked time still ahead kept among
    them even when it is not one of today's offered times (sooner than the lead now)."""
    slots = call_slots(policy.schedule, now)
    # the database answers in UTC; the options' values are in the centre's zone, and the
    # select finds the picked one by its value
    picked = picked.astimezone(policy.schedule.zone) if picked is not None else None
    due = picked is not None and picked <= now
    if picked is not None and not due and picked not in slots:
        slots = sorted([*slots, picked])
    days: list[tuple[str, list[tuple[str, str]]]] = []
    for slot in slots:
        day = day_words(slot, lang)  # in the centre's zone, as the values are
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append((slot.isoformat(), hour_words(slot, lang)))
    return CallTimeOffer(days, picked, format_when(picked, lang) if picked else None, due)
