"""Whether the desk would take a choice given on the phone, checked before the agent is asked
to confirm it (``contact_centre.phone_choice``, ``cs/confirm_choice.html``): so a refusal
comes at the form, beside what was typed, and never after the read-back to the customer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sagwa.domain.consent import ConsentRecord
from sagwa.domain.consent import record_choice as record_on_case
from sagwa.errors import Conflict, IllegalTransition, InvalidInput, LateChoiceRefused, SagwaError
from sagwa.web.pages.call_card import CallCard
from sagwa.web.pages.customer_case_words import CLOSED, DEFAULTED


def phone_choice_refusal(card: CallCard, *, choice: str, words: str, actor: str,
                         now: datetime) -> SagwaError | None:
    """Why the desk would refuse ``choice`` with ``words`` on ``card`` now, or None: the
    card's state (``customer.answer_state``), an option it does not offer, then the domain's
    own check (``consent.record_choice``: the customer's words), tried on the case as read."""
    if not card.takes_choice:
        return _no_more_choice(card)
    row = card.case.row.case
    return _trial(card, choice, card.choice_options("ko"), lambda: ConsentRecord(
        row.case_id, row.customer_id, choice, "phone", now, words, actor))


def _trial(card: CallCard, choice: str, offered: list[tuple[str, str]],
           consent: Callable[[], ConsentRecord], *,
           replies_until: datetime | None = None) -> SagwaError | None:
    """``choice`` not ``offered``, else the domain's refusal of ``consent()`` on the case as
    read (``consent.record_choice``, tried, nothing written), else None."""
    if choice not in dict(offered):
        return InvalidInput(f"{choice!r} is not offered on case {card.queued.case_id}",
                            field="choice", reason="option_not_offered")
    try:
        record_on_case(card.case.row.case, consent(), card.case.plan,
                       replies_until=replies_until)
    except SagwaError as exc:
        return exc
    return None


def _no_more_choice(card: CallCard) -> SagwaError:
    """The refusal the desk gives a choice on a case that takes none (``card.state``)."""
    case_id = card.queued.case_id
    if card.state == CLOSED:
        return Conflict(f"the incident of case {case_id} is closed", reason="incident_closed")
    if card.state == DEFAULTED:
        return LateChoiceRefused(f"case {case_id} is past its deadline",
                                 reason="choice_after_deadline")
    return IllegalTransition(f"case {case_id} has a choice recorded",
                             reason="choice_already_recorded")


def reply_choice_refusal(card: CallCard, *, choice: str, words: str, actor: str, now: datetime,
                         channel: str, said_at: datetime) -> SagwaError | None:
    """Why the desk would refuse ``choice`` sent by the customer's reply (``channel``: email or
    sms, reached us at ``said_at``) recorded now, or None: a choice already recorded or the
    incident closed, an option not offered, then the domain's own check with the reply's time
    and the day replies must be recorded by (``consent.record_choice``: a reply after the
    deadline, or one recorded after ``CallCard.replies_until``)."""
    if not card.takes_reply and card.state != DEFAULTED:  # chosen, or the incident closed
        return _no_more_choice(card)
    # defaulted: the domain says whether the reply came too late or is recorded too late
    row = card.case.row.case
    return _trial(card, choice, card.reply_options("ko"), lambda: ConsentRecord(
        row.case_id, row.customer_id, choice, channel, now, words, actor, said_at=said_at),
        replies_until=card.replies_until)
