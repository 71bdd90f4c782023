"""The difference a customer owes after choosing to buy at the discounted correct price.

The choice reprices their orders (``consent.effects_of_choice``: never below what they paid)
and takes no payment — sagwa has no payment step. The customer pays the difference outside
sagwa (the customer centre arranges it) and the items are sent once it is paid; staff record
that it was, with the payment's reference. Until then the case owes it: the incident's status
and report count such cases, the agent's case page offers to record the payment, and the
customer's page says whether it was received.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sagwa.domain.case_figures import CaseFigures
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import Case, CaseStatus
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus
from sagwa.domain.reasons import reason_signs
from sagwa.errors import InvalidInput

#: The fewest signs of a payment reference (:func:`note_signs`): "현금" (cash), "이체" (transfer)
#: and "ATM" say how it was paid; "ok" and "!!!!" say nothing anyone could check a payment of
#: hundreds of thousands of won against.
MIN_NOTE_SIGNS = 3
#: The audit action of a difference recorded as paid (its ``after["difference"]``: the amount).
PAID_ACTION = "case.difference_paid"
#: The longest payment reference kept (a bank transfer's memo, a receipt number, a sentence).
MAX_NOTE = 500


@dataclass(frozen=True)
class DifferencePaid:
    """Staff's record that the difference was paid: when, by whom, and the payment's reference."""

    at: datetime
    by: str
    note: str


def difference_of(case: Case, figures: CaseFigures) -> Money:
    """What the discount choice left ``case``'s customer to pay on top of what they paid: their
    orders still standing, at their unit price now, less what was paid and not refunded
    (``figures.paid`` as placed, less ``figures.refunded``).
    Zero for a case settled any other way, or not (yet) settled by the discount — and when the
    discounted price was no more than the price paid (nothing was repriced upwards)."""
    zero = Money(0, figures.paid.currency)
    if (case.status is not CaseStatus.RESOLVED or case.consent is None
            or case.consent.choice is not CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT):
        return zero
    now = sum((o.unit_price.times(o.quantity) for o in case.orders
               if o.status != OrderStatus.CANCELLED.value), zero)
    kept_paid = figures.paid - figures.refunded  # what was paid and not given back
    return max(now - kept_paid, zero, key=lambda m: m.amount_minor)


def note_signs(text: str) -> int:
    """How much a payment note says: its letters and digits (``reasons.reason_signs``: spaces
    and punctuation count for nothing), a Hangul syllable counting twice — a consonant and a
    vowel at least, so "현금" says as much as "cash" — and a bare jamo not at all ("ㅇㅋ",
    "ㅋㅋㅋ" are chat, not a reference)."""
    composed = unicodedata.normalize("NFC", text)
    syllables = sum(1 for ch in composed if "\uac00" <= ch <= "\ud7a3")  # 가 … 힣
    jamo = sum(1 for ch in composed if "\u3131" <= ch <= "\u318e" or "\u1100" <= ch <= "\u11ff")
    return reason_signs(composed) + syllables - jamo


#: Notes that only say it was paid — nothing to check the payment against (a walkthrough
#: recorded 453,600 KRW as paid with the note "paid"), compared without case, spaces and
#: punctuation.
SAYS_ONLY_PAID = frozenset({
    "paid", "done", "okay", "yes", "received", "paidinfull", "allpaid", "confirmed",
    "완료", "결제", "결제함", "결제됨", "결제완료", "입금", "입금함", "입금됨", "입금완료", "확인",
    "확인함", "확인완료", "받음", "받았음", "네네", "납부", "납부완료"})


def payment_note(typed: str | None) -> str:
    """The payment reference staff give when recording the difference as paid: required (the
    record is what the customer centre can check it against), saying at least
    :data:`MIN_NOTE_SIGNS` (:func:`note_signs`: 3 letters or digits, or 2 Hangul syllables;
    spaces and punctuation do not count), at most ``MAX_NOTE`` characters."""
    note = (typed or "").strip()
    if not note:
        raise InvalidInput("say how the difference was paid: a receipt number, a transfer's "
                           "reference, or who took the payment", field="note",
                           reason="payment_note_required")
    bare = "".join(ch for ch in note.lower() if ch.isalnum())
    if note_signs(note) < MIN_NOTE_SIGNS or bare in SAYS_ONLY_PAID:  # "ok", "paid", "완료"
        raise InvalidInput(f"the payment note {note!r} says too little: write at least "
                           f"{MIN_NOTE_SIGNS} letters or digits (or 2 Hangul syllables), such "
                           "as a receipt number or how it was paid",
                           field="note", reason="payment_note_too_short",
                           minimum=MIN_NOTE_SIGNS)
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the payment note is at most {MAX_NOTE} characters, got {len(note)}",
                           field="note", reason="payment_note_too_long")
    return note
