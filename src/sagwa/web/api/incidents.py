"""The incident desk over HTTP: declare, scope, plan, notify, cases, choices, notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, StrictInt

from sagwa.adapters.db.incident_repo import CaseRow, NoticeRow
from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.cancel_instead import ReplacedDiscount
from sagwa.domain.case_figures import CaseFigures
from sagwa.domain.difference import DifferencePaid, difference_of
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.services import desk, desk_cases, notices
from sagwa.services.desk_cancel_instead import replaced_discounts
from sagwa.services.desk_difference import (
    difference_reminders,
    reminder_after_payment,
)
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_notify import notify
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_status import incident_status
from sagwa.services.lookups import require
from sagwa.web.deps import (
    ADMIN,
    INCIDENT_READERS,
    STAFF,
    Actor,
    ApiAccess,
    IdempotencyKey,
    OptionalIdempotencyKey,
    PublicCaller,
    Uow,
    case_links,
    is_staff,
)
from sagwa.web.schemas import Body, MoneyIO, Timestamp

router = APIRouter(prefix="/api", tags=["incident desk"])


class IncidentCreate(Body):
    listing_ids: list[StrictInt] = Field(min_length=1)
    wrong_price: MoneyIO
    correct_price: MoneyIO
    window_start: Timestamp
    window_end: Timestamp | None = None
    cause: str = Field(min_length=1, max_length=2000)
    responsible: str = Field(examples=["seller", "platform", "both"])
    draft_id: StrictInt | None = Field(default=None, description="Declare this draft incident.")
    correct_price_confirmed: bool = Field(default=False, description=(
        "The correct price was checked although it is more than twice every price the listings "
        "sold at before and their list prices, or less than half the lowest price they sold at "
        "(else 422 `correct_price_implausible`); the audit log records it."))


class PlanCreate(Body):
    options: list[str] = Field(min_length=1, examples=[["keep", "cancel_with_compensation",
                                                        "talk_to_person"]])
    deadline: Timestamp
    default: str = Field(default="keep", examples=["keep", "follow_up_call"], description=(
        "What happens to a customer who does not answer: `keep` (only when `keep` is among the "
        "options: else 422, problem `default_not_offered`) or `follow_up_call`."))
    seller_share_pct: StrictInt
    platform_share_pct: StrictInt
    cancel_compensation_points: StrictInt | None = None
    discount_pct: StrictInt | None = Field(default=None, description=(
        "Percent off the correct price, 1 to 99 (0: 422, problem `zero_discount`)."))
    keep_max_units: StrictInt | None = None
    accept_late_choices: bool = False


class CloseRequest(Body):
    reason: str = Field(min_length=1, max_length=500)


class NoticeCreate(Body):
    lang: str = Field(default="ko", pattern="^(ko|en)$")
    title: str = Field(min_length=1, description=(
        f"At most {notices.TITLE_MAX_CHARS} characters (refused by the notice service with "
        "reason notice_title_too_long, as on the page and in the CLI)."))
    body: str = Field(min_length=1, max_length=20000)
    opened_against: StrictInt | None = Field(default=None, ge=0, description=(
        "The latest version in `lang` you saw (0: none published yet). If a newer one was "
        "published since, nothing is published: 409 `conflict`, reason `notice_changed`, "
        "with that `version` and its `published_at`. Omitted: not checked."))


class CaseOrderPublic(BaseModel):
    order_id: int
    units_ordered: int
    units_kept: int
    units_refunded: int
    unit_price_paid: MoneyIO
    refunded: MoneyIO


class DifferenceReminderPublic(BaseModel):
    """The reminder of a difference still unpaid, its latest copy, as the agent's case page
    tells of it: ``status`` as the outbox has it (pending = queued, sending, sent, failed,
    withdrawn), ``due_at`` when it goes (UTC); once the difference is recorded as paid,
    ``after_payment`` says ``withdrawn`` (the payment came first), ``sent_before`` or
    ``sent_after`` (it went as the payment was recorded), else null."""

    status: str
    channel: str
    due_at: datetime
    sent_at: datetime | None
    after_payment: str | None


class CancelledInsteadPublic(BaseModel):
    """A case whose customer cancelled instead of paying the difference (``choice`` is then
    the cancellation): ``at`` when (UTC), ``replaced_choice`` the choice it replaced (the
    discount) and ``replaced_choice_at`` when that was made (null when unknown),
    ``difference`` what it had left to pay, unpaid."""

    at: datetime
    replaced_choice: str
    replaced_choice_at: datetime | None
    difference: MoneyIO


class CasePublic(BaseModel):
    """A case. ``units`` and ``exposure`` are as the customer ordered (exposure = Σ (correct −
    paid) × units ordered, measured at scoping); once a choice took effect ``units_kept`` are
    still on order and ``units_refunded`` were refunded (``refunded``, at the price paid), and
    ``exposure_kept`` is the part of the exposure still honoured; ``orders`` says which."""

    id: int
    incident_id: int
    customer_id: int
    status: str
    exposure: MoneyIO
    order_ids: list[int]
    units: int
    choice: str | None
    choice_channel: str | None
    first_notified_at: datetime | None
    compensation_entry_id: int | None
    units_kept: int
    units_refunded: int
    paid: MoneyIO
    refunded: MoneyIO
    exposure_kept: MoneyIO
    orders: list[CaseOrderPublic]
    #: What the discount choice left to pay on top of ``paid`` (zero for any other outcome),
    #: and when staff recorded it as paid, who did and the payment's reference.
    difference: MoneyIO
    difference_paid_at: datetime | None
    difference_paid_by: str | None
    difference_paid_note: str | None
    #: The reminder of the difference (appended); null when the choice left nothing to pay or
    #: none was queued (the policy sends none, the customer has no address or phone).
    difference_reminder: DifferenceReminderPublic | None = None
    #: Appended: the customer first chose the discount, then cancelled instead of paying the
    #: difference; null for any other case.
    cancelled_instead: CancelledInsteadPublic | None = None
    #: Appended: the time the customer picked on their page for the call the desk owes them
    #: (UTC; the call queue holds the case back until then); null for none, or once the call
    #: it asked for was logged.
    call_at: datetime | None = None


class NoticePublic(BaseModel):
    id: int
    incident_id: int
    version: int
    lang: str
    title: str
    body: str
    published_by: str | None
    """The staff account that published it: to staff only (an API token or sign-in of any
    role but seller's); null for anyone else, as the list is public (a customer walk read an
    operator's account and OS login here)."""
    published_at: datetime


def case_public(row: CaseRow, figures: CaseFigures, reminder: LatestMessage | None = None,
                instead: ReplacedDiscount | None = None) -> CasePublic:
    c, f, paid = row.case, figures, row.difference_paid
    return CasePublic(id=int(c.case_id), incident_id=int(c.incident_id),
                      customer_id=int(c.customer_id), status=c.status.value,
                      exposure=MoneyIO.of(f.exposure), order_ids=[int(i) for i in c.order_ids],
                      units=f.units_ordered, choice=c.consent.choice.value if c.consent else None,
                      choice_channel=c.consent.channel.value if c.consent else None,
                      first_notified_at=row.first_notified_at,
                      compensation_entry_id=row.compensation_entry_id,
                      units_kept=f.units_kept, units_refunded=f.units_refunded,
                      paid=MoneyIO.of(f.paid), refunded=MoneyIO.of(f.refunded),
                      exposure_kept=MoneyIO.of(f.exposure_kept),
                      orders=[CaseOrderPublic(order_id=o.order_id, units_ordered=o.units_ordered,
                                              units_kept=o.units_kept,
                                              units_refunded=o.units_refunded,
                                              unit_price_paid=MoneyIO.of(o.unit_price_paid),
                                              refunded=MoneyIO.of(o.refunded))
                              for o in f.orders],
                      difference=MoneyIO.of(difference_of(c, f)),
                      difference_paid_at=paid.at if paid else None,
                      difference_paid_by=paid.by if paid else None,
                      difference_paid_note=paid.note if paid else None,
                      difference_reminder=_reminder_public(reminder, paid),
                      cancelled_instead=_instead_public(instead), call_at=row.call_at)


def _instead_public(instead: ReplacedDiscount | None) -> CancelledInsteadPublic | None:
    if instead is None:
        return None
    return CancelledInsteadPublic(at=instead.cancelled_at,
                                  replaced_choice=instead.replaced_choice.value,
                                  replaced_choice_at=instead.discount_chosen_at,
                                  difference=MoneyIO.of(instead.difference))


def _reminder_public(reminder: LatestMessage | None,
                     paid: DifferencePaid | None) -> DifferenceReminderPublic | None:
    if reminder is None:
        return None
    return DifferenceReminderPublic(status=reminder.status, channel=reminder.channel,
                                    due_at=reminder.not_before, sent_at=reminder.sent_at,
                                    after_payment=reminder_after_payment(reminder, paid))


def cases_public(uow: Any, rows: list[CaseRow]) -> list[CasePublic]:
    """Inside an open unit of work: the rows as :class:`CasePublic`, figures, the reminders
    of their differences and the discounts cancelled instead of paid (as the agent's case page
    reads them) read at once."""
    figures = figures_of_cases(uow, rows)
    ids = [int(r.case.case_id) for r in rows]
    reminders = difference_reminders(uow, {i: difference_of(r.case, figures[i])
                                           for i, r in zip(ids, rows, strict=True)})
    instead = replaced_discounts(uow, ids)
    return [case_public(r, figures[i], reminders.get(i), instead.get(i))
            for i, r in zip(ids, rows, strict=True)]


def notice_public(n: NoticeRow, *, to_staff: bool = True) -> NoticePublic:
    shown = n.__dict__ if to_staff else {**n.__dict__, "published_by": None}
    return NoticePublic(**shown)


def policy_of(request: Request) -> DeskPolicy:
    policy: DeskPolicy = request.app.state.desk_policy
    return policy


def _status(request: Request, uow: Uow, incident_id: int) -> dict[str, Any]:
    return incident_status(uow(), incident_id=incident_id, policy=policy_of(request)).as_dict()


@router.post("/incidents", status_code=201, dependencies=[ADMIN])
def declare(body: IncidentCreate, request: Request, uow: Uow, actor: Actor,
            key: IdempotencyKey) -> dict[str, Any]:
    """Declare an incident on listings that showed a wrong price; they are paused at once."""
    row = desk.declare(uow(), listing_ids=body.listing_ids,
                       wrong_price=body.wrong_price.to_money(),
                       correct_price=body.correct_price.to_money(),
                       window_start=body.window_start, window_end=body.window_end,
                       cause=body.cause, responsible=body.responsible, actor=actor,
                       incident_id=body.draft_id, idempotency_key=key,
                       links=case_links(request),
                       correct_price_confirmed=body.correct_price_confirmed)
    return _status(request, uow, int(row.incident.incident_id))


@router.get("/incidents", dependencies=[INCIDENT_READERS])
def list_incidents(uow: Uow, limit: int = Query(50, ge=1, le=200),
                   offset: int = Query(0, ge=0)) -> list[dict[str, Any]]:
    """Incidents, newest first. Reviewers, agents and finance (who pays the refunds of
    ``GET /api/refunds``, each with its ``incident_id``) read them, and an admin."""
    with uow() as u:
        return [{"id": r.incident.incident_id, "status": r.incident.status.value,
                 "cause": r.incident.cause, "opened_at": r.incident.opened_at,
                 "declared_at": r.incident.declared_at,
                 "listings": sorted(int(i) for i in r.incident.listing_ids)}
                for r in u.incidents.list(limit=limit, offset=offset)]


@router.get("/incidents/{incident_id}", dependencies=[INCIDENT_READERS])
def get_incident(incident_id: int, request: Request, uow: Uow) -> dict[str, Any]:
    """Where the incident stands: its facts, case counts, choices, messages, and the money
    booked (compensation per payer, refunds); no customer's name or contact details.
    Reviewers, agents and finance read it, and an admin; everything that changes it is the
    admin's."""
    return _status(request, uow, incident_id)


@router.post("/incidents/{incident_id}/scope", dependencies=[ADMIN])
def scope(incident_id: int, uow: Uow, actor: Actor, access: ApiAccess) -> dict[str, Any]:
    return desk.scope(access.changing(uow(), incidents=[incident_id]), incident_id=incident_id,
                      actor=actor)


@router.post("/incidents/{incident_id}/plan", dependencies=[ADMIN])
def plan(incident_id: int, body: PlanCreate, request: Request, uow: Uow,
         actor: Actor) -> dict[str, Any]:
    comp = body.cancel_compensation_points
    desk.plan(uow(), incident_id=incident_id, options=body.options, deadline=body.deadline,
              default=body.default, seller_share_pct=body.seller_share_pct,
              platform_share_pct=body.platform_share_pct, actor=actor, policy=policy_of(request),
              cancel_compensation=Money(comp, "KRW") if comp is not None else None,
              discount_pct=body.discount_pct, keep_max_units=body.keep_max_units,
              accept_late_choices=body.accept_late_choices,
              price_rules=request.app.state.price_rules)
    return _status(request, uow, incident_id)


@router.post("/incidents/{incident_id}/notify", dependencies=[ADMIN])
def notify_customers(incident_id: int, request: Request, uow: Uow, actor: Actor,
                     access: ApiAccess) -> dict[str, Any]:
    """Queue the apology to every affected customer (scheduled inside contact hours)."""
    summary = notify(access.changing(uow(), incidents=[incident_id]), incident_id=incident_id,
                     actor=actor, policy=policy_of(request), links=case_links(request))
    return {"incident_id": incident_id, "cases": summary.cases, "messages": summary.messages,
            "send_at": summary.send_at}


@router.post("/incidents/{incident_id}/escalate", dependencies=[ADMIN])
def escalate(incident_id: int, uow: Uow, actor: Actor, access: ApiAccess) -> dict[str, int]:
    return {"escalated": desk_cases.escalate_unanswered(
        access.changing(uow(), incidents=[incident_id]), incident_id=incident_id, actor=actor)}


@router.post("/incidents/{incident_id}/deadline", dependencies=[ADMIN])
def deadline(incident_id: int, request: Request, uow: Uow, actor: Actor,
             access: ApiAccess) -> dict[str, int]:
    return {"defaulted": desk_cases.apply_deadline(access.changing(uow(), incidents=[incident_id]),
                                                   incident_id=incident_id, actor=actor,
                                                   policy=policy_of(request),
                                                   links=case_links(request))}


@router.post("/incidents/{incident_id}/close", dependencies=[ADMIN])
def close(incident_id: int, request: Request, uow: Uow, actor: Actor, access: ApiAccess,
          body: CloseRequest | None = None,
          reason: str | None = Query(None, min_length=1, max_length=500,
                                     description="Older clients: prefer the JSON body."),
          ) -> dict[str, Any]:
    """Close the incident: `{"reason": "..."}` says why (every case answered, …)."""
    why = body.reason if body is not None else reason
    if not why:
        raise InvalidInput("closing an incident needs a reason", field="reason",
                           reason="close_needs_reason")
    desk.close(access.changing(uow(), incidents=[incident_id]), incident_id=incident_id,
               actor=actor, reason=why, policy=policy_of(request), links=case_links(request))
    return _status(request, uow, incident_id)


@router.get("/incidents/{incident_id}/cases", response_model=list[CasePublic],
            dependencies=[STAFF])
def cases(incident_id: int, uow: Uow, access: ApiAccess, limit: int = Query(100, ge=1, le=1000),
          offset: int = Query(0, ge=0)) -> list[CasePublic]:
    with uow() as u:
        require(u.incidents.get(incident_id), "incident", incident_id)
        shown = cases_public(u, u.cases.for_incident(incident_id, limit=limit, offset=offset))
    access.viewed(cases=[c.id for c in shown])
    return shown


@router.get("/incidents/{incident_id}/notices/draft", dependencies=[ADMIN])
def notice_draft(incident_id: int, request: Request, uow: Uow,
                 lang: str = Query("ko", pattern="^(ko|en)$")) -> dict[str, str]:
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang=lang,
                                       policy=policy_of(request))
    return {"lang": lang, "title": title, "body": body}


@router.post("/incidents/{incident_id}/notices", status_code=201, response_model=NoticePublic,
             dependencies=[ADMIN])
def publish(incident_id: int, body: NoticeCreate, uow: Uow, actor: Actor,
            key: OptionalIdempotencyKey) -> NoticePublic:
    """Publish a new version of the public notice (refused with findings if the check fails).
    The latest version's very text again answers that version; an ``Idempotency-Key``
    (optional) makes a retry answer the version the first request made, even after a revision.
    With `opened_against` (the latest version in `lang` you saw, 0 for none), a version
    published since — by someone else — is not replaced unseen: 409 `notice_changed`, with
    the `version` now latest; read it, then publish again."""
    return notice_public(notices.publish_notice(uow(), incident_id=incident_id, lang=body.lang,
                                                title=body.title, body=body.body, actor=actor,
                                                idempotency_key=key,
                                                opened_against=body.opened_against))


@router.get("/notices", response_model=list[NoticePublic])
def all_notices(uow: Uow, caller: PublicCaller,
                incident_id: int | None = None) -> list[NoticePublic]:
    """The published notices (public). ``published_by`` is null unless a staff account asks
    (an API token or sign-in of any role but seller's)."""
    staff = is_staff(caller)
    with uow() as u:
        return [notice_public(n, to_staff=staff) for n in u.cases.notices(incident_id)]
