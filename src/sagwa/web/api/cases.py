"""A customer's case over HTTP: read it, record the customer's choice, the difference paid,
cancelling instead of paying it (the choice and the cancelling instead are the only ways an
order in a case is cancelled, both with the customer's consent), a contact attempt. Each read
or change of a case is an access record naming it (``web.access``): a change's is written in
the change's own transaction — one that cannot be written refuses the change (503
``access_record_unwritten``) — and a call that changed nothing (a retry with the same
Idempotency-Key, the same request again) is recorded as a ``view``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field

from sagwa.domain.consent import CUSTOMER
from sagwa.errors import Forbidden
from sagwa.services import desk_cases, desk_follow_ups
from sagwa.services.accounts import Account, Role
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import APOLOGIES
from sagwa.services.lookups import require
from sagwa.web.api.incidents import CasePublic, cases_public, policy_of
from sagwa.web.deps import (
    STAFF,
    AgentCaller,
    ApiAccess,
    OptionalIdempotencyKey,
    Uow,
    api_actor,
    case_links,
    recorded_name,
)
from sagwa.web.schemas import Body, Timestamp

router = APIRouter(prefix="/api", tags=["incident desk"])


class ChoiceCreate(Body):
    choice: str = Field(examples=["cancel_with_compensation"])
    channel: str = Field(examples=["web", "email", "sms", "phone"])
    evidence: str = Field(min_length=1, max_length=4000,
                          description="The customer's own words, or the button they clicked.")
    taken_by: str | None = Field(
        default=None, max_length=100,
        description='Who took the choice: left out, the calling agent (recorded from the API '
                    'token); "customer" when an admin (platform) token relays the customer\'s '
                    'own choice made on another channel.')
    said_at: Timestamp | None = Field(
        default=None, examples=["2026-12-10T17:52:00+09:00"],
        description="For a reply by `email` or `sms`: when it reached us (with its zone). A "
                    "reply that came by the answer deadline counts though recorded after it, "
                    "until the close of the contact centre's next open day after the deadline "
                    "(then 409 `reply_recorded_too_late`: the default stands and the seller "
                    "may have sent the order; `said_at_not_a_reply` for another channel, "
                    "`said_at_future` after now).")


class CaseDetail(CasePublic):
    """One case, with (appended) whether its apology went out: ``status`` ``notified`` is set
    when the apology is queued, and it may wait for contact hours. ``apology_sent``: a copy
    of it (or of a later apology: the reminder, or the one sent after the deadline) went out
    on some channel; ``apology_due``: when the apology still waiting is due to go (null once
    one went, or when none waits)."""

    apology_sent: bool
    apology_due: Timestamp | None


class ChoicePublic(CasePublic):
    """The case after a choice was sent, and (appended) whether this request recorded it:
    false when the case already had this choice (or a request to talk to a person came after
    a final one) — nothing of this request was recorded on the case, which shows the choice
    as it was first recorded (its words are kept on the audit log); then, as
    :class:`CaseDetail`, whether its apology went out."""

    recorded: bool
    apology_sent: bool
    apology_due: Timestamp | None


class CancelInsteadCreate(Body):
    channel: str = Field(examples=["phone", "email", "sms", "web"])
    evidence: str = Field(min_length=1, max_length=4000,
                          description="The customer's own words asking to cancel instead of "
                                      "paying the difference.")
    taken_by: str | None = Field(
        default=None, max_length=100,
        description='Who took the request: left out, the calling agent (recorded from the API '
                    'token); "customer" when an admin (platform) token relays the customer\'s '
                    'own request made on another channel.')


class DifferencePaidCreate(Body):
    # no length limits here: the domain's (``payment_note``) answer with their reasons
    note: str = Field(default="", examples=["bank transfer, receipt 2008-0613-0042"],
                      description="How the difference was paid: a receipt number, a "
                                  "transfer's reference, or who took the payment.")


class AttemptCreate(Body):
    channel: str = Field(default="phone")
    outcome: str = Field(examples=["reached", "no_answer"])
    agent: str | None = Field(
        default=None, max_length=100,
        description="Recorded from the API token; if given, it must name the caller.")
    note: str | None = Field(default=None, max_length=4000)
    callback_at: Timestamp | None = Field(
        default=None, examples=["2026-12-07T10:00:00+09:00"],
        description="With outcome callback_requested only: the time the customer asked to be "
                    "called back at (ISO 8601 with an offset; after now, at most 14 days "
                    "ahead). The call list puts the case first from then on, and after the "
                    "others until then.")
    follow_up: bool = Field(
        default=False,
        description="The note asks the team to act: the case is on the contact centre's "
                    "follow-up list (GET /api/follow-ups) until someone records what was done. "
                    "Needs a note saying what is to be done.")
    follow_up_at: Timestamp | None = Field(
        default=None, examples=["2026-12-07T10:00:00+09:00"],
        description="When the follow-up is due (implies follow_up; after now, at most 14 days "
                    "ahead). Without it: the call-back time, if one is given, else at once.")


class FollowUpResolve(Body):
    outcome: str = Field(min_length=1, max_length=4000,
                         description="What was done, and how the customer was told.")


@router.get("/cases/{case_id}", response_model=CaseDetail, dependencies=[STAFF])
def get_case(case_id: int, uow: Uow, access: ApiAccess) -> CaseDetail:
    """The case. ``status`` is the case's own (``notified``: the apology was queued);
    ``apology_sent`` and ``apology_due`` (appended) say whether it went out."""
    detail = case_detail(case_id, uow)
    access.viewed()
    return detail


def case_detail(case_id: int, uow: Uow) -> CaseDetail:
    with uow() as u:
        public = cases_public(u, [require(u.cases.get(case_id), "case", case_id)])[0]
        return CaseDetail(**public.model_dump(), apology_sent=u.outbox.was_sent(
            case_id, *APOLOGIES), apology_due=u.outbox.apologies_due([case_id]).get(case_id))


def _taken_by(caller: Account, claimed: str | None) -> str:
    """Who took a customer's consent: the calling agent (as the audit log names them), or
    ``customer`` when the platform's admin token relays the customer's own answer."""
    if claimed != CUSTOMER:
        return recorded_name(caller, claimed, "taken_by")
    if caller.role is not Role.ADMIN:
        raise Forbidden(
            "an agent records the consent they took (leave taken_by out); only "
            "the platform's admin token relays a customer's own choice",
            reason="customer_choice_needs_admin",
        )
    return CUSTOMER


@router.post("/cases/{case_id}/choice", response_model=ChoicePublic)
def choose(case_id: int, body: ChoiceCreate, request: Request, uow: Uow,
           caller: AgentCaller, access: ApiAccess) -> ChoicePublic:
    """Record the customer's choice (with `cancel-instead`, the only ways an order in a case
    can be cancelled: both need the customer's consent). `recorded`: false when the case
    already had this choice — nothing was recorded, the case is as it was; a different choice
    after a final one is refused (409 `choice_already_recorded`). The customer's words
    (`evidence`) written down by staff need at least 4 letters or digits
    (`evidence_too_short`)."""
    taken_by = _taken_by(caller, body.taken_by)
    result = desk_cases.record_choice(access.changing(uow()), case_id=case_id,
                                      choice=body.choice, channel=body.channel,
                                      evidence=body.evidence, taken_by=taken_by,
                                      policy=policy_of(request), links=case_links(request),
                                      said_at=body.said_at)
    detail = case_detail(case_id, uow).model_dump()
    access.answered(changed=result.changed)
    told = {key: detail.pop(key) for key in ("apology_sent", "apology_due")}
    return ChoicePublic(**detail, recorded=result.changed, **told)


@router.post("/cases/{case_id}/difference-paid")
def difference_paid(case_id: int, body: DifferencePaidCreate, request: Request, uow: Uow,
                    caller: AgentCaller, access: ApiAccess) -> dict[str, Any]:
    """Record that the customer paid the difference their discount choice left to pay (sagwa
    takes no payment: it was paid to the customer centre). Once per case: the same record sent
    again answers ``changed: false`` with the first record. 409 ``no_difference_owed`` for a
    case that owes none. Recording it sends the customer a receipt, and each seller of their
    orders an email that those can be sent now (``sellers_told``)."""
    done = record_difference_paid(access.changing(uow()), case_id=case_id,
                                  actor=api_actor(caller), note=body.note,
                                  policy=policy_of(request), links=case_links(request))
    access.answered(changed=done.changed)
    return done.as_dict()


@router.post("/cases/{case_id}/cancel-instead")
def cancel_instead(case_id: int, body: CancelInsteadCreate, request: Request, uow: Uow,
                   caller: AgentCaller, access: ApiAccess) -> dict[str, Any]:
    """The customer who chose to buy at the discounted correct price, and has not paid the
    difference, cancels with compensation instead — with their consent (`channel`, their words
    as `evidence`). Their orders are cancelled, what they paid is refunded (`refund`), the
    plan's compensation is booked (`compensation_points`), the reminder of the difference is
    withdrawn, they are confirmed (`confirmation`: the channel) and, on a closed incident, the
    sellers are told not to send (`sellers_told`). Once: the same request again answers
    `changed: false`. 409 `not_a_discount_choice` for a case settled otherwise or not yet,
    409 `difference_already_paid` once the payment was recorded."""
    done = cancel_instead_of_paying(access.changing(uow()), case_id=case_id,
                                    channel=body.channel, evidence=body.evidence,
                                    taken_by=_taken_by(caller, body.taken_by),
                                    policy=policy_of(request), links=case_links(request))
    access.answered(changed=done.changed)
    return done.as_dict()


@router.post("/cases/{case_id}/contact-attempts", status_code=201)
def attempt(case_id: int, body: AttemptCreate, request: Request, uow: Uow,
            caller: AgentCaller, key: OptionalIdempotencyKey, access: ApiAccess) -> dict[str, Any]:
    """Log a contact attempt. The answer says what it did to a call owed: ``made_call``,
    ``gave_up`` (marked "could not be reached"; ``message_queued``: the customer is told;
    ``no_phone``: at once, as the customer has no phone number to call back),
    ``counted``: whether this attempt counted towards ``max_attempts`` (towards "could not be
    reached"): only a phone call from the deadline on that did not reach the customer does, and
    only spaced out — ``counts_from`` says when the next one will count if this one came too
    soon after the last attempt that counted (``[calls] min_spacing_minutes``); before the
    deadline nothing counts — and ``attempts_counted`` of ``max_attempts`` (null when no call
    is owed; ``at_new_number``: they count from a new number given after the deadline, not
    from the deadline). ``callback_at`` (with ``callback_requested``): the time the customer asked
    to be called back at; the answer repeats it and says whether the contact centre is open
    then (``callback_in_hours``: the time is kept either way) and whether it is after the
    answer deadline of a case still waiting for the choice (``callback_after_deadline``).
    ``before_call_time`` (appended): the time the customer picked on their page, when this
    phone call came before it (not counted; null otherwise). ``follow_up`` (and
    ``follow_up_at``): the note asks the team to act; the answer appends ``follow_up_id`` and
    ``follow_up_at`` (null without one).
    422 ``invalid_input`` with ``details.reason`` ``callback_time_without_request``,
    ``callback_time_not_phone``, ``callback_time_past`` or ``callback_time_too_far`` (and
    ``follow_up_needs_note``, ``follow_up_time_past``, ``follow_up_time_too_far``). An ``Idempotency-Key``
    (optional) makes a retry answer the first result without logging the attempt twice."""
    policy = policy_of(request)
    logged = desk_cases.log_call_attempt(access.changing(uow()), case_id=case_id,
                                         channel=body.channel,
                                         outcome=body.outcome,
                                         agent=recorded_name(caller, body.agent, "agent"),
                                         note=body.note, policy=policy, idempotency_key=key,
                                         links=case_links(request), callback_at=body.callback_at,
                                         follow_up=body.follow_up,
                                         follow_up_at=body.follow_up_at)
    access.answered()
    return {"id": logged.attempt_id, "made_call": logged.made_call, "gave_up": logged.gave_up,
            "message_queued": logged.message_queued, "counted": logged.counted,
            "counts_from": logged.counts_from, "attempts_counted": logged.attempts_counted,
            "max_attempts": policy.max_call_attempts,
            "min_spacing_minutes": int(policy.min_call_spacing.total_seconds() // 60),
            "no_phone": logged.no_phone, "at_new_number": logged.at_new_number,
            "callback_at": logged.callback_at, "callback_in_hours": logged.callback_in_hours,
            "callback_after_deadline": logged.callback_after_deadline,
            "before_call_time": logged.before_call_time,
            "follow_up_id": logged.follow_up_id, "follow_up_at": logged.follow_up_at}


@router.post("/cases/{case_id}/follow-ups/{follow_up_id}/resolve")
def resolve_follow_up(case_id: int, follow_up_id: int, body: FollowUpResolve, uow: Uow,
                      caller: AgentCaller, access: ApiAccess) -> dict[str, Any]:
    """Record what was done about a note's follow-up (``follow_up_id`` from the contact
    attempt's answer, or ``GET /api/follow-ups``): it leaves the follow-up list. Once: sent
    again, it answers ``changed: false`` with the first outcome. 404 ``follow_up_not_found``
    for a follow-up of another case."""
    done = desk_follow_ups.resolve_follow_up(access.changing(uow()), case_id=case_id,
                                             follow_up_id=follow_up_id,
                                             actor=api_actor(caller), outcome=body.outcome)
    access.answered(changed=done.changed)
    return done.as_dict()


@router.get("/follow-ups", dependencies=[STAFF])
def follow_ups(uow: Uow, access: ApiAccess) -> dict[str, Any]:
    """The call notes marked "follow-up needed" that nobody has resolved yet, due first (the
    longest due at the top), then those waiting for their time (``due``: false); at most 200,
    ``open`` says how many there are in all."""
    listed = desk_follow_ups.read_follow_up_list(uow(), limit=200)
    access.viewed(cases=[i.follow_up.case_id for i in listed.items])
    return {"open": listed.open_count, "items": [{
        "id": i.follow_up.follow_up_id, "case_id": i.follow_up.case_id,
        "incident_id": i.incident_id, "attempt_id": i.follow_up.attempt_id,
        "note": i.follow_up.note, "asked_by": i.follow_up.asked_by,
        "asked_at": i.follow_up.asked_at, "due_at": i.follow_up.due_at,
        "due": i.follow_up.due(listed.now)} for i in listed.items]}
