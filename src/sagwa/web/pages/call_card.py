"""A case as an agent works it on the call queue and the case page (``cs/_call_card.html``):
the card's facts and what it may offer — the script's options, the choice form, the call-back
time's marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sagwa.adapters.db.call_list_reads import CallRecord, QueuedCase
from sagwa.domain.call_attempts import CALL_CHANNEL, REACHED, callback_after_deadline
from sagwa.domain.call_times import call_time_missed
from sagwa.domain.cancel_instead import ReplacedDiscount
from sagwa.domain.consent import asked_for_a_person
from sagwa.domain.contact_hours import is_open, next_opening
from sagwa.domain.incident_plan import CustomerOption, accepts_choice_at
from sagwa.domain.note_follow_ups import NoteFollowUp, notes_newest_first
from sagwa.errors import InvalidInput
from sagwa.services.desk_cause import APPROVED
from sagwa.services.desk_policy import DeskPolicy
from sagwa.web.pages.call_words import overdue_words
from sagwa.web.pages.case_facts import CaseFacts
from sagwa.web.pages.customer_case_words import DEFAULTED, OPEN
from sagwa.web.pages.labels import actor_text, label
from sagwa.web.pages.settled_script import settled_script

#: An option the script does not read out: the customer is already talking to a person.
NOT_ON_THE_PHONE = CustomerOption.TALK_TO_PERSON.value
#: The approval of a held price (``desk_cause.APPROVED``) said aloud: the same fact the written
#: messages state (the price was held and a person approved it), without "automatic check", the
#: desk's own name for its guard, which means nothing to a customer — and never the softer "we did
#: not catch it", which the written cause rules out.
APPROVED_SPOKEN = {"ko": "저희 시스템은 이 가격을 확인이 필요한 가격으로 보류했지만, 저희 직원이 확인 과정에서 승인했습니다.",
                   "en": "Our system stopped this price for a check, but a member of our staff "
                         "approved it."}


def spoken_cause(cause: str, lang: str) -> str:
    """How the wrong price came about (``CaseFacts.cause``) as the script reads it aloud: the
    same facts, with a reviewer's approval of a held price said plainly."""
    written = APPROVED.get(lang)
    return cause.replace(written, APPROVED_SPOKEN[lang]) if written else cause


@dataclass(frozen=True)
class CallCard:
    """One case as an agent works it (``cs/_call_card.html``); ``on_list``: the case is on the
    call list (always, on the list itself); ``state``: whether a choice can still be recorded,
    or why not (``customer.answer_state``, the rule the customer's page and the desk follow) —
    a card that cannot take one offers no script asking for it and no choice form, but says
    what was chosen and what the agent can still do; ``calls``: how the calls went (reached,
    or marked could not be reached), where the page looked it up; ``instead``: the discount
    the customer replaced by cancelling instead of paying, read on the case page (a case on
    the call list has none: it is not settled); ``follow_ups``: the notes that asked the team
    to act, shown with the notes (:attr:`notes`), the latest first."""

    queued: QueuedCase
    case: CaseFacts
    attempts: list[Any]
    on_list: bool = True
    state: str = OPEN
    calls: CallRecord | None = None
    instead: ReplacedDiscount | None = None
    #: When the card was read (whether a call-back time is still ahead).
    now: datetime | None = None
    #: When the case's apology is due to go, while it has not gone out yet (held for contact
    #: hours, or overdue: ``OutboxRepository.apologies_due``); None once sent, or without one.
    apology_due: datetime | None = None
    #: The case's notes marked "follow-up needed", open or resolved (``desk_follow_ups``).
    follow_ups: tuple[NoteFollowUp, ...] = ()
    #: Until when a reply by email or text that reached us by the deadline may still be
    #: recorded (``IncidentPlan.replies_recorded_by``); None where the card is not on the
    #: case page (the call list records calls, not replies).
    replies_until: datetime | None = None

    @property
    def notes(self) -> list[Any]:
        """Every earlier call note on the case, the latest first: what the next agent reads
        before calling (``note_follow_ups.notes_newest_first``)."""
        return notes_newest_first(self.attempts)

    def follow_up_of(self, attempt_id: int) -> NoteFollowUp | None:
        """The follow-up the note of ``attempt_id`` asked for, if it asked for one."""
        return next((f for f in self.follow_ups if f.attempt_id == attempt_id), None)

    @property
    def open_follow_ups(self) -> list[NoteFollowUp]:
        return [f for f in self.follow_ups if f.open]

    @property
    def takes_choice(self) -> bool:
        return self.state == OPEN

    @property
    def takes_reply(self) -> bool:
        """Whether a choice the customer sent by email or text may be recorded here: while the
        card takes a choice, and after the deadline's default (too late for a call) until the
        day staff have to record a reply that reached us by the deadline
        (:attr:`replies_until`)."""
        if self.replies_until is None or self.now is None:
            return False
        return self.takes_choice or (self.state == DEFAULTED and self.now <= self.replies_until)

    @property
    def reply_window_applies(self) -> bool:
        """Whether a reply that came in time must be recorded by :attr:`replies_until` (not
        when the case's answers count after the deadline anyway: a plan taking late answers, a
        call owed as its default, a customer never told)."""
        if self.replies_until is None:
            return False
        return not accepts_choice_at(self.case.plan, self.replies_until + timedelta(seconds=1),
                                     self.case.row.case)

    def reply_options(self, lang: str) -> list[tuple[str, str]]:
        """The options a reply may carry: every option offered (a reply may ask for a call)."""
        return list(self.case.options(lang))

    @property
    def before_deadline(self) -> bool:
        """The answer deadline is still ahead (the script then tells the customer by when)."""
        return self.now is None or self.now < self.case.plan.deadline

    @property
    def callback_waits(self) -> bool:
        """The customer asked to be called back at a time still ahead: nobody calls before."""
        return self.now is not None and self.queued.callback_waits(self.now)

    def callback_outside_hours(self, policy: DeskPolicy) -> bool:
        """The customer asked to be called back when the contact centre is closed
        (``contact_hours.is_open``): kept, but someone must be there to call."""
        at = self.queued.callback_at
        return at is not None and not is_open(policy.schedule, at)

    def centre_closed(self, policy: DeskPolicy) -> bool:
        """The contact centre is closed as the card is read (``contact_hours.is_open``): nobody
        should phone a customer now; a call the customer makes in is still logged."""
        return self.now is not None and not is_open(policy.schedule, self.now)

    def next_opening(self, policy: DeskPolicy) -> datetime | None:
        """When the contact centre next opens (None if it does not within the search)."""
        if self.now is None:
            return None
        try:
            return next_opening(policy.schedule, self.now)
        except InvalidInput:
            return None

    def overdue(self, policy: DeskPolicy, lang: str) -> str | None:
        """"약속 시간 N시간 지남" once the time the customer picked or named is well past with
        no call made (``call_times.call_time_missed``: the same rule that makes their page
        apologise); None before that."""
        at = self.queued.callback_at
        if self.now is None or not call_time_missed(policy.schedule, at, self.now):
            return None
        assert at is not None
        return overdue_words(self.now - at, lang)

    @property
    def callback_after_deadline(self) -> bool:
        """The call-back time is after the answer deadline of a case that can still choose:
        by then the default has applied — unless the customer asked to talk to a person, whose
        answer is taken on the call whenever it comes (``consent.asked_for_a_person``)."""
        return callback_after_deadline(self.queued.callback_at, self.queued.deadline,
                                       still_choosing=self.takes_choice, case=self.case.row.case)

    @staticmethod
    def attempt_by(actor: str, lang: str) -> str:
        """Who logged a contact, as the history names them: the contact API takes only
        agents, so its ``api:choi`` is "상담원 choi", as a call logged on the page is."""
        role, _, name = actor.partition(":")
        return actor_text(f"agent:{name}" if role == "api" and name else actor, lang)

    def cause(self, lang: str) -> str:
        """The cause as the script reads it (:func:`spoken_cause`)."""
        return spoken_cause(self.case.cause(lang), lang)

    def chosen(self, lang: str) -> str:
        """The recorded choice's label in ``lang``, named for the plan (``—`` without one)."""
        consent = self.case.row.case.consent
        return label("choice", consent.choice if consent else None, lang, self.case.plan,
                     price_word=self.case.price_word)

    def no_choice_script(self, policy: DeskPolicy | None = None) -> str:
        """What to tell the customer when the card takes no choice, in their language: what
        was done and what is left (``settled_script``, with ``policy``'s payment
        instruction and refund timing)."""
        lang = self.case.customer.locale
        return settled_script(self.case, self.state, self.instead, lang,
                              how_to_pay=policy.how_to_pay_in(lang) if policy else None,
                              refund_timing=policy.refund_timing_in(lang) if policy else None)

    def script_options(self) -> list[tuple[str, str]]:
        """The options the script reads to the customer, in the customer's language — without
        "talk to a person, we will call you": they are on the phone with one."""
        return [(value, line) for value, line in self.case.options(self.case.customer.locale)
                if value != NOT_ON_THE_PHONE]

    def choice_options(self, lang: str) -> list[tuple[str, str]]:
        """The options the agent may record, in the page's language (the same ones)."""
        return [(value, line) for value, line in self.case.options(lang)
                if value != NOT_ON_THE_PHONE]

    @property
    def reached_undecided(self) -> Any | None:
        """The latest phone call that reached the customer (a ``contact_attempts`` row: when,
        by whom), while the card still takes their choice: they were talked to but did not
        choose, and the choice is still to be recorded. Only a call since they asked to talk to
        a person, if they did (one before it is not the call they asked for). None otherwise."""
        if not self.takes_choice:
            return None
        case = self.case.row.case
        asked_at = case.consent.recorded_at if asked_for_a_person(case) and case.consent \
            else None
        return next((a for a in reversed(self.attempts)
                     if a.channel == CALL_CHANNEL and a.outcome == REACHED
                     and (asked_at is None or a.attempted_at >= asked_at)), None)

    @property
    def last_outcome(self) -> str | None:
        """How the latest phone call the card is about ended, if any: since the deadline for a
        defaulted case (as the call-owed rule counts), any for an escalated one
        (``QueuedCase.last_outcome``). Emails and text messages are not calls."""
        return self.queued.last_outcome
