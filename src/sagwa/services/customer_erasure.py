"""Erasing a customer's personal data: on the customer's request (개인정보 보호법 제36조) or once
no law keeps it any more (제21조), never while one does (``sagwa.domain.retention``).

One customer per transaction: the customer's row is locked, what keeps the data is read again
under the lock, the data is blanked (``adapters/db/personal_data_repo.py``) and one audit record says
who erased it, why and how much — counts only, never what was erased.

A customer's request refused because a law or an open matter keeps the data is recorded
(``erasure_requests``, ``domain.erasure_requests``): the refusal says so, with the answer staff
must send the customer within 10 days, and :func:`erase_due` carries the request out as soon
as every hold lifts (the worker's daily job runs it for pending requests even with the general
sweep off); erasure closes the request."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sagwa.domain.access_records import ACCESS_NOT_RECORDED, AccessRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.erasure_requests import (
    ErasureRequest,
    answer_by,
    answer_overdue,
    answer_words,
    asked_at_of,
    day_of,
    done_words,
    erase_from,
    mark_words,
    when_words,
)
from sagwa.domain.moments import SEOUL
from sagwa.domain.retention import CustomerRecords, Hold, erasable_from, holding_now
from sagwa.errors import Conflict, DatabaseUnavailable, InvalidInput
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ERASED_ACTION = "customer.erased"
#: A customer's request recorded, to be carried out once the law lets the data go.
REQUESTED_ACTION = "customer.erasure_requested"
#: A pending request found to have come earlier than recorded (``--asked-on``): its day moved.
REQUEST_DATED_ACTION = "customer.erasure_request_dated"


class ErasureReason(StrEnum):
    REQUEST = "request"      # the customer asked (제36조)
    RETENTION = "retention"  # every period that kept it has ended (제21조)


#: Counts added after the JSON's keys were set: they come after them (appended, not inserted).
LATER_COUNTS = ("audit_records_with_contact",)


@dataclass(frozen=True)
class Erased:
    """What erasing one customer did (or, ``dry_run``, would do)."""

    customer_id: int
    reason: ErasureReason
    erased_at: datetime | None
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    #: The customer's recorded request this erasure carried out (None: none was pending).
    request_id: int | None = None
    #: The letter telling the customer their request was carried out (``ko``, ``en``), the
    #: day to send it by and whether that day has passed; None for an erasure nobody asked for.
    answer: dict[str, str] | None = None
    answer_by: date | None = None
    answer_overdue: bool = False
    #: Where to send the letter (``email``, ``phone``), as they were before the erasure: for
    #: the command that erased to show staff, once — never logged or audited.
    send_to: dict[str, str | None] | None = None

    def as_dict(self) -> dict[str, object]:
        return {"customer_id": self.customer_id, "reason": self.reason.value,
                # Korea time, as the request's ``requested_at`` (the same moment either way)
                "erased_at": self.erased_at.astimezone(SEOUL).isoformat() if self.erased_at
                else None,
                "dry_run": self.dry_run,
                **{k: v for k, v in self.counts.items() if k not in LATER_COUNTS},
                "request_id": self.request_id, "answer": self.answer,
                "answer_by": self.answer_by.isoformat() if self.answer_by else None,
                "answer_overdue": self.answer_overdue,
                **{k: self.counts[k] for k in LATER_COUNTS if k in self.counts},
                "send_to": self.send_to}


@dataclass(frozen=True)
class PendingRequest:
    """A recorded request as the plan sees it: from when it may be carried out (None: an open
    matter keeps the data) and whether that is now."""

    customer_id: int
    requested_at: datetime
    erase_from: datetime | None
    due: bool

    def as_dict(self) -> dict[str, object]:
        return {"customer_id": self.customer_id,
                "requested_at": self.requested_at.astimezone(SEOUL).isoformat(),
                "erase_from": day_of(self.erase_from).isoformat() if self.erase_from else None,
                "due": self.due,
                # the last day the refusal had to be told by (시행령 제43조), for the officer
                # to check it was: sagwa prints the letter, it does not send it
                "answer_by": answer_by(self.requested_at).isoformat()}


@dataclass(frozen=True)
class ErasureMarks:
    """The customers whose request waits (kept apart), by customer and by case: from when
    each may be erased (None: an open matter keeps it)."""

    by_customer: dict[int, datetime | None] = field(default_factory=dict)
    by_case: dict[int, datetime | None] = field(default_factory=dict)

    def words(self, *, customer: int | None = None,
              case: int | None = None) -> tuple[str, str] | None:
        """The mark for the customer (or the case's customer), Korean and English; None: no
        request waits."""
        for key, found in ((customer, self.by_customer), (case, self.by_case)):
            if key is not None and key in found:
                return mark_words(found[key])
        return None


@dataclass(frozen=True)
class RetentionPlan:
    """Who may be erased at ``as_of`` (``due``) and who is still kept, and until when."""

    as_of: datetime
    due: list[int]
    kept_until: dict[int, datetime]    # customer id -> from when it may be erased
    kept_open: list[int]               # a case still open or a refund still owed
    requests: list[PendingRequest] = field(default_factory=list)  # customers who asked

    @property
    def requested_due(self) -> list[int]:
        return [r.customer_id for r in self.requests if r.due]

    def as_dict(self) -> dict[str, object]:
        nxt = min(self.kept_until.values(), default=None)
        return {"as_of": self.as_of.astimezone(SEOUL).isoformat(), "due": len(self.due),
                "due_ids": self.due,
                "kept": len(self.kept_until) + len(self.kept_open),
                "kept_open": len(self.kept_open),
                "next_due_at": nxt.astimezone(SEOUL).isoformat() if nxt else None,
                "requests_pending": len(self.requests),
                "requests_due_ids": self.requested_due,
                "requests": [r.as_dict() for r in self.requests]}


def refuse_while_kept(customer_id: int, kept: list[Hold] | tuple[Hold, ...], *,
                      request: ErasureRequest | None = None, again: bool = False,
                      officer: tuple[str, str] | None = None, overdue: bool = False) -> None:
    """:class:`Conflict` (``retention_hold``) naming every law or open matter that keeps the
    data, and until when; with the customer's ``request`` recorded, that it will be carried
    out and when, and the answer staff send the customer (``answer``, by ``answer_by``;
    ``overdue``: that day has passed, so it says to send it today)."""
    if not kept:
        return
    ko = "; ".join(h.describe("ko") for h in kept)
    en = "; ".join(h.describe("en") for h in kept)
    said_ko = f"고객 {customer_id}의 개인정보는 아직 파기할 수 없습니다: {ko}"
    said_en = f"customer {customer_id}'s personal data must still be kept: {en}"
    more: dict[str, object] = {}
    if request is not None:
        start = erase_from(kept)
        when_ko, when_en = when_words(start)
        said_ko += f". 삭제 요청을 기록했습니다: {when_ko} 파기합니다"
        said_en += f". The request is recorded and will be carried out {when_en}"
        if overdue:
            late = answer_by(request.requested_at).isoformat()
            said_ko += f". 고객에게 답할 기한({late})이 지났습니다: 아래 답변을 오늘 보내 주세요"
            said_en += (f". The answer to the customer was due by {late}: send the answer "
                        "below today")
        more = {"request_id": request.request_id, "recorded_again": again,
                "requested_at": request.requested_at.astimezone(SEOUL).isoformat(),
                "erase_from": day_of(start).isoformat() if start else None,  # None: left out
                "open_matter": start is None,
                # the ten days count from the customer's request, however often it is asked
                # again (a letter printed again keeps its date)
                "answer_by": answer_by(request.requested_at).isoformat(),
                "answer": answer_words(kept, asked_at=request.requested_at, officer=officer),
                "answer_overdue": overdue}
    raise Conflict(f"{said_ko} — {said_en}", reason="retention_hold", customer_id=customer_id,
                   kept=[{"kept": h.kept.value, "until": h.until.isoformat() if h.until else None}
                         for h in kept], **more)


#: What to do instead, after "erased": nothing may be recorded for them any more (an order, a
#: contact, a choice, points) — the marketplace registers the person again as a new customer.
REGISTER_AGAIN = ("그분을 새 고객으로 다시 등록해 주십시오",
                  "register the person again as a new customer")
#: For a copy of their data (제35조): none is left to copy.
NOTHING_TO_COPY = (("성함과 연락처 등 개인정보는 파기되어 사본으로 드릴 수 없습니다. 주문·결제의 "
                    "번호, 금액, 일시와 변경 이력(연락처는 일부를 가린 형태)만 남아 있습니다"),
                   ("their name, contact details and the rest were erased: there is nothing of "
                    "them to copy; only the numbers, amounts and dates of their orders and "
                    "payments stay, and the change log (contact details partly masked)"))


def refuse_erased(erased_at: datetime | None, customer_id: int, *,
                  then: tuple[str, str] | None = REGISTER_AGAIN) -> None:
    """:class:`Conflict` (``customer_erased``) for a customer whose data was erased, saying
    ``then`` (Korean, English): what to do instead, or what is left."""
    if erased_at is not None:
        when = erased_at.astimezone(SEOUL)
        ko, en = then if then else ("", "")
        raise Conflict(f"고객 {customer_id}의 개인정보는 이미 파기되었습니다 "
                       f"({when:%Y-%m-%d %H:%M} 한국 시간){'. ' + ko if ko else ''} — "
                       f"customer {customer_id}'s personal data was erased on "
                       f"{when:%Y-%m-%d}{': ' + en if en else ''}",
                       reason="customer_erased", customer_id=customer_id)


def require_not_erased(uow: SqlAlchemyUnitOfWork, customer_id: int, *,
                       then: tuple[str, str] | None = REGISTER_AGAIN) -> None:
    """Inside an open unit of work: :class:`NotFound` for no such customer, :func:`refuse_erased`
    for an erased one; the row held ``FOR KEY SHARE`` (``PersonalDataRepository.erased``), so an
    erasure cannot slip in before the transaction ends."""
    found = require(uow.personal_data.erased(customer_id), "customer", customer_id)
    refuse_erased(found.erased_at, customer_id, then=then)


def erase_customer(uow: SqlAlchemyUnitOfWork, *, customer_id: int, reason: ErasureReason | str,
                   actor: str, dry_run: bool = False,
                   officer: tuple[str, str] | None = None, asked_on: date | None = None,
                   record: AccessRecord | None = None) -> Erased:
    """Erase ``customer_id``'s personal data, or refuse (``retention_hold``) while a law or an
    open matter keeps it, whatever the reason; an erased customer is refused
    (``customer_erased``). A customer's request so refused is recorded, and the refusal carries
    the answer to send them, naming the privacy officer ``officer`` (name, contact) if given.
    ``asked_on``: the day (Korea time) the customer asked, when before today — the ten days to
    answer count from it (``asked_at_of``); only for a customer's request
    (``asked_on_needs_request``). ``record``: an access record written by the erasure's commit
    only (a refusal, a request recorded or brought up to date, writes none)."""
    why = _reason(reason)
    if asked_on is not None and why is not ErasureReason.REQUEST:
        raise InvalidInput("--asked-on은 고객이 요청한 삭제(--reason request)에만 씁니다. --asked-on "
                           "is the day a customer asked: it goes with --reason request only",
                           field="asked_on", reason="asked_on_needs_request")
    with uow:
        repo = uow.personal_data
        row = require(repo.customer(customer_id, lock=not dry_run), "customer", customer_id)
        refuse_erased(row.erased_at, customer_id, then=None)  # erased already: nothing to do
        now = uow.now()
        asked = asked_at_of(asked_on, now)
        records = repo.records([customer_id]).get(customer_id, CustomerRecords())
        kept = list(holding_now(records, now))
        if kept and why is ErasureReason.REQUEST and not dry_run:
            _refuse_and_record(uow, customer_id, kept, actor=actor, now=now, asked=asked,
                               officer=officer)
        refuse_while_kept(customer_id, kept)
        if dry_run:
            return Erased(customer_id, why, None, {}, dry_run=True)
        counts = repo.erase(customer_id, reason=why.value, now=now)
        # the request this carried out, if one waited (its letter counts from its asking)
        waiting = uow.erasure_requests.close(customer_id, at=now)
        request_id = waiting.request_id if waiting else None
        closed: dict[str, object] = {} if request_id is None else {"request_id": request_id}
        if asked != now:
            closed["asked_on"] = day_of(asked).isoformat()
        uow.audit.append(AuditEvent(actor, ERASED_ACTION, "customer", str(customer_id),
                                    after={"reason": why.value, **counts, **closed}), now)
        if record is not None:
            uow.record_with_commit(record)
        uow.commit()
    told = _told(why, waiting, asked, now, officer, counts)
    if told:  # where to send it: read before the erasure blanked it (the command shows it)
        told["send_to"] = {"email": row.email, "phone": row.phone}
    return Erased(customer_id, why, now, counts, request_id=request_id, **told)


def _told(why: ErasureReason, waiting: ErasureRequest | None, asked: datetime, now: datetime,
          officer: tuple[str, str] | None, counts: dict[str, int]) -> dict[str, Any]:
    """What to tell a customer whose request an erasure carried out (시행령 제43조: the result
    too is told): a request made now, within ten days of asking (overdue once they passed);
    one that waited for the law (its refusal answered then), today. Nothing for a retention
    erasure nobody asked for."""
    if waiting is None and why is not ErasureReason.REQUEST:
        return {}
    first = min(waiting.requested_at, asked) if waiting else asked
    return {"answer": done_words(asked_at=first, erased_at=now, officer=officer,
                                 masked_contacts=counts.get("audit_records_with_contact", 0) > 0,
                                 old_notes=counts.get("audit_records_with_text", 0) > 0),
            "answer_by": day_of(now) if waiting else answer_by(first),
            "answer_overdue": waiting is None and answer_overdue(first, now)}


def _refuse_and_record(uow: SqlAlchemyUnitOfWork, customer_id: int, kept: list[Hold], *,
                       actor: str, now: datetime, asked: datetime,
                       officer: tuple[str, str] | None) -> None:
    """Record the customer's request, asked at ``asked`` (or find the one pending, its holds
    brought up to date, asked at the earlier of the two: audited when that moves its day),
    commit, and refuse: the request is carried out once every hold lifts."""
    request, before = uow.erasure_requests.record(customer_id, at=asked, by=actor, kept=kept,
                                                  erase_from=erase_from(kept))
    asked_on = {"asked_on": day_of(asked).isoformat()} if asked != now else {}
    moved = before is not None and request.requested_at != before.requested_at
    if before is None:
        uow.audit.append(AuditEvent(
            actor, REQUESTED_ACTION, "customer", str(customer_id),
            after={"request_id": request.request_id, "kept": [h.kept.value for h in kept],
                   **asked_on}), now)
    elif moved:
        uow.audit.append(AuditEvent(
            actor, REQUEST_DATED_ACTION, "customer", str(customer_id),
            before={"requested_at": before.requested_at.isoformat()},
            after={"request_id": request.request_id,
                   "requested_at": request.requested_at.isoformat(), **asked_on}), now)
    uow.commit()
    # asked again, the answer to the first asking was due then (sent or not, sagwa can't say);
    # a request found to be older than recorded is answered as from then
    refuse_while_kept(customer_id, kept, request=request, again=before is not None,
                      officer=officer,
                      overdue=(before is None or moved)
                      and answer_overdue(request.requested_at, now))


def retention_plan(uow: SqlAlchemyUnitOfWork, *, as_of: datetime | None = None) -> RetentionPlan:
    """Every customer not erased yet, as retention sees them at ``as_of`` (default: now)."""
    with uow:
        at = as_of or uow.now()
        records = uow.personal_data.records()
        asked = uow.erasure_requests.pending()
    due, kept_until, kept_open = [], {}, []
    for customer_id, held in records.items():
        start = erasable_from(held)
        if start is None:
            kept_open.append(customer_id)
        elif start <= at:
            due.append(customer_id)
        else:
            kept_until[customer_id] = start
    requests = []
    for r in asked:
        start = erasable_from(records.get(r.customer_id, CustomerRecords()))
        requests.append(PendingRequest(r.customer_id, r.requested_at, start,
                                       start is not None and start <= at))
    return RetentionPlan(at, due, kept_until, kept_open, requests)


def erasure_marks(uow: SqlAlchemyUnitOfWork) -> ErasureMarks:
    """The customers whose request waits, for the staff pages' mark (kept apart: use the data
    only for what the law keeps it for)."""
    with uow:
        by_customer, by_case = uow.erasure_requests.marks()
    return ErasureMarks(by_customer, by_case)


def erase_due(uow_factory: Callable[[], SqlAlchemyUnitOfWork], *, actor: str,
              due: list[int] | None = None, requested: Collection[int] | None = None,
              progress: Callable[[int], None] | None = None,
              record: Callable[[int], AccessRecord] | None = None,
              officer: tuple[str, str] | None = None,
              on_erased: Callable[[Erased], None] | None = None) -> list[Erased]:
    """Erase every customer whose periods have all ended (``due``: as a plan found them; by
    default found now), one transaction each: a customer who ordered again since, or was
    erased meanwhile, is checked again under its lock and skipped. The customers who asked
    (``requested``: by default every pending request) are tried too, due or not, as asked
    (``request``): one still kept has its request's holds brought up to date. ``record``: the
    access record of a customer's change, written by the commit that makes it (the erasure,
    or the request brought up to date) — both or neither. ``officer``: the privacy officer the
    letters to the customers whose request was carried out name (``Erased.answer``);
    ``on_erased``: called with each erasure once it is committed (a run stopped later must
    not lose the letters of those already erased: their requests are closed)."""
    if due is None or requested is None:
        plan = retention_plan(uow_factory())
        due = plan.due if due is None else due
        requested = [r.customer_id for r in plan.requests] if requested is None else requested
    asked = set(requested)
    done = []
    for customer_id in (*requested, *(c for c in due if c not in asked)):
        why = ErasureReason.REQUEST if customer_id in asked else ErasureReason.RETENTION
        try:
            done.append(erase_customer(uow_factory(), customer_id=customer_id, reason=why,
                                       actor=actor, officer=officer,
                                       record=record(customer_id) if record else None))
            if on_erased is not None:
                on_erased(done[-1])
        except Conflict as exc:
            if exc.details.get("reason") not in ("retention_hold", "customer_erased"):
                raise
        except DatabaseUnavailable as exc:
            if exc.details.get("reason") == ACCESS_NOT_RECORDED:
                raise _stopped_unrecorded(customer_id, done) from None
            raise
        if progress is not None:
            progress(1)
    return done


def _stopped_unrecorded(customer_id: int, done: list[Erased]) -> DatabaseUnavailable:
    """A run stopped at ``customer_id``, whose access record could not be written (so they were
    not erased), after erasing ``done`` (each with its record): ``access_record_unwritten``,
    naming both — not "nothing was changed"."""
    ids = [d.customer_id for d in done]
    listed = ", ".join(str(i) for i in ids) or "-"
    return DatabaseUnavailable(
        f"접근 기록을 남길 수 없어 고객 {customer_id}부터 파기를 멈췄습니다(고객 {customer_id}은(는) "
        f"파기하지 않음). 그 전에 고객 {len(ids)}명을 파기했습니다: {listed}. 잠시 뒤 다시 실행하면 "
        f"남은 고객을 이어서 파기합니다. The access record could not be written, so erasing "
        f"stopped at customer {customer_id} (not erased); {len(ids)} customer"
        f"{'' if len(ids) == 1 else 's'} erased before it: {listed}. Run it again later to "
        "erase the rest.", reason=ACCESS_NOT_RECORDED, stopped_at=customer_id,
        erased_ids=ids)



def _reason(reason: ErasureReason | str) -> ErasureReason:
    try:
        return ErasureReason(reason)
    except ValueError:
        raise InvalidInput(f"erasure reason must be request or retention, not {reason!r}",
                           field="reason", reason="erasure_reason_unknown") from None
