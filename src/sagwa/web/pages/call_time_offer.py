"""What a customer's case page offers for picking the time of the call they are owed
(``domain.call_times``): the times grouped by day, in the page's language, and the time the
call waits for — picked on the page, or named on a call to us — which the select starts on, so
that saving the form unchanged keeps it. Offered only while the case is on the call list with a
number to call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sagwa.domain.call_times import call_slots, call_time_missed
from sagwa.services.desk_messages import day_words, format_when, hour_words
from sagwa.services.desk_policy import DeskPolicy

#: Said after an offered time the customer told an agent on a call.
NAMED_MARK = {"ko": " (통화 중에 말씀하신 시간)", "en": " (the time you told us on the phone)"}
#: Said after an offered time later than the answer deadline (while it is still ahead).
AFTER_DEADLINE_MARK = {"ko": " (답변 기한 뒤)", "en": " (after the answer deadline)"}


@dataclass(frozen=True)
class CallTimeOffer:
    """The form's choices: ``days`` — (day, [(value, time of day)]) with ISO values in Korea
    time; ``picked`` — the customer's time (None: as soon as we can); ``due`` — that time has
    come (the call is being made, the form may still change it); ``named`` — with nothing
    picked, a time still ahead the customer named on a call; ``deadline_words`` — the answer
    deadline, when the time the call waits for is after it and it is still ahead; ``missed`` —
    the picked time is well past with no call made (``call_times.call_time_missed``): the page
    apologises and asks for a new time."""

    days: list[tuple[str, list[tuple[str, str]]]]
    picked: datetime | None
    picked_words: str | None
    due: bool
    named: datetime | None = None
    deadline_words: str | None = None
    missed: bool = False

    @property
    def selected(self) -> str:
        """The value the select starts on: the picked time, still ahead, else one named on a
        call, else "as soon"."""
        if self.picked is not None and not self.due:
            return self.picked.isoformat()
        return self.named.isoformat() if self.named is not None else ""


def call_time_offer(policy: DeskPolicy, now: datetime, picked: datetime | None,
                    lang: str, *, named: datetime | None = None,
                    deadline: datetime | None = None) -> CallTimeOffer:
    """The offer for a case on the call list (the caller decides that) at ``now``: the
    schedule's slots (``call_times.call_slots``), and the time the call waits for kept among
    them when it is not one of them — a picked time still ahead (sooner than the lead now),
    or, with none picked, one ``named`` on a call (any hour the customer said: saving it
    unchanged changes nothing, ``services.customer_call_time``). ``deadline``: the answer
    deadline of a customer still choosing, whose times after it are marked."""
    zone = policy.schedule.zone
    slots = call_slots(policy.schedule, now)
    # the database answers in UTC; the options' values are in the centre's zone, and the
    # select finds the picked one by its value
    picked = picked.astimezone(zone) if picked is not None else None
    due = picked is not None and picked <= now
    named = named.astimezone(zone) if named is not None and picked is None and named > now \
        else None
    waits_for = named if named is not None else picked if not due else None
    if waits_for is not None and waits_for not in slots:
        slots = sorted([*slots, waits_for])
    late = deadline if deadline is not None and deadline > now else None
    days: list[tuple[str, list[tuple[str, str]]]] = []
    for slot in slots:
        day = day_words(slot, lang)  # in the centre's zone, as the values are
        if not days or days[-1][0] != day:
            days.append((day, []))
        mark = "ko" if lang == "ko" else "en"
        words = hour_words(slot, lang) + (NAMED_MARK[mark] if slot == named else "") + (
            AFTER_DEADLINE_MARK[mark] if late is not None and slot > late else "")
        days[-1][1].append((slot.isoformat(), words))
    after = late is not None and waits_for is not None and waits_for > late
    return CallTimeOffer(days, picked, format_when(picked, lang) if picked else None, due,
                         named, format_when(late, lang) if after and late else None,
                         missed=due and call_time_missed(policy.schedule, picked, now))
