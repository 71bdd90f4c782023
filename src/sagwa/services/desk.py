"""The incident desk's lifecycle: declare (pausing the listings at once), scope, plan, close.

Each function is one use case in one transaction, with its steps on the audit log.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import NoReturn

from sagwa.adapters.db.incident_repo import IncidentRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan, make_plan
from sagwa.domain.incident_scope import build_cases
from sagwa.domain.incidents import (
    CaseStatus,
    Incident,
    IncidentStatus,
    IncidentTrigger,
    Responsibility,
    declare_incident,
    open_draft,
)
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger, advance
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money, check_price, format_money
from sagwa.domain.plan_version import check_plan_unchanged, plan_record
from sagwa.domain.price_history import prices_between
from sagwa.errors import Conflict, InvalidInput
from sagwa.priceguard import PriceRules, load_rules
from sagwa.services.desk_book_price import check_plan_book_price
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.incident_correct_price import check_correct_price
from sagwa.services.lookups import require
from sagwa.services.outbox import enqueue_messages
from sagwa.services.seller_notices import DECLARED, closing_notices, seller_notices
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def _incident_json(inc: Incident) -> dict[str, object]:
    return {"status": inc.status.value, "listings": sorted(int(i) for i in inc.listing_ids),
            "wrong_price": inc.wrong_price.as_dict(),
            "correct_price": inc.correct_price.as_dict() if inc.correct_price else None,
            "window_start": inc.window_start.isoformat(),
            "window_end": inc.window_end.isoformat() if inc.window_end else None,
            "responsible": inc.responsible.value if inc.responsible else None, "cause": inc.cause}


def pause_for_incident(uow: SqlAlchemyUnitOfWork, listing: Listing, incident_id: int,
                       actor: str, now: datetime) -> None:
    """Pause a listing because of an incident (no-op if it is already off sale: paused, held
    for review, ended or a draft)."""
    if listing.status in (ListingStatus.PAUSED, ListingStatus.HELD, ListingStatus.ENDED,
                          ListingStatus.DRAFT):
        return
    paused = replace(listing, status=advance(listing.status, ListingTrigger.PAUSE))
    uow.market.save_listing(paused, now)
    uow.audit.append(AuditEvent(actor, "listing.paused", "listing", str(listing.id),
                                before={"status": listing.status.value},
                                after={"status": paused.status.value, "incident_id": incident_id}),
                     now)


def open_draft_incident(uow: SqlAlchemyUnitOfWork, *, listing: Listing, window_start: datetime,
                        cause: str, evidence: dict[str, object], actor: str) -> int:
    """A draft incident (e.g. from the tripwire), inside the caller's transaction.

    An open draft of the listing is reused (its window is still open, so it takes these orders
    too); an incident already declared is not: its window ended when it was declared, so a new
    wrong price later gets its own draft."""
    standing = uow.incidents.standing_for_listing(listing.id)
    for row in standing:
        if row.incident.status is IncidentStatus.DRAFT:
            return int(row.incident.incident_id)
    # the new window starts after every earlier incident's: their orders have their answer
    ended = [r.incident.window_end for r in standing if r.incident.window_end is not None]
    now = uow.now()
    if ended and window_start <= max(ended):
        window_start = min(max(ended) + timedelta(microseconds=1), now)
    draft = open_draft(incident_id=uow.incidents.next_id(), listing_ids={listing.id},
                       wrong_price=listing.price, window_start=window_start, now=now, cause=cause,
                       opened_by=actor)
    incident_id = uow.incidents.add(draft, evidence=evidence)
    uow.audit.append(AuditEvent(actor, "incident.drafted", "incident", str(incident_id),
                                after={**_incident_json(draft), "evidence": evidence}), now)
    return incident_id


def declare(uow: SqlAlchemyUnitOfWork, *, listing_ids: list[int], wrong_price: Money,
            correct_price: Money, window_start: datetime, cause: str,
            responsible: Responsibility | str, actor: str, window_end: datetime | None = None,
            incident_id: int | None = None, idempotency_key: str | None = None,
            links: LinkMaker | None = None, correct_price_confirmed: bool = False) -> IncidentRow:
    """Declare an incident (new, or from a draft) and pause every listing in it at once.

    From a draft, the declaration's wrong price and window start replace the draft's, and its
    listings are added to the draft's (the tripwire's listing stays in). A listing already in
    another open incident is refused: one order must never get two answers; so is one that
    never had the wrong price in the window (nothing is paused then), and a correct price more
    than twice what the listings sold at before and their list prices (a zero too many:
    ``incident_correct_price``) — unless ``correct_price_confirmed``: the operator checked it
    (a pack's price over a unit's list price, a listing that only ever sold on launch or promotion
    prices), which the audit log records. Each seller of the listings is emailed (``seller_notices``; their page's link made with ``links``).
    """
    _check_incident_price(wrong_price, "wrong_price")
    _check_incident_price(correct_price, "correct_price")
    with uow:
        payload = {"listing_ids": sorted(set(listing_ids)), "wrong_price": wrong_price.as_dict(),
                   "correct_price": correct_price.as_dict(), "cause": cause,
                   "window_start": window_start.isoformat(), "draft_id": incident_id,
                   "window_end": window_end.isoformat() if window_end else None,
                   "responsible": str(getattr(responsible, "value", responsible))}
        if correct_price_confirmed:  # only then: a retry of an earlier request stays the same
            payload["correct_price_confirmed"] = True
        prior = prior_result(uow, "incident", idempotency_key, payload)
        if prior:
            return require(uow.incidents.get(prior["id"]), "incident", prior["id"])
        now = uow.now()
        if not listing_ids:
            raise InvalidInput("an incident needs at least one listing", field="listing_ids",
                               reason="no_listings")
        if incident_id is None:  # its id is taken once every check passed: no gaps in ids
            draft = open_draft(incident_id=UNNUMBERED, listing_ids=set(listing_ids),
                               wrong_price=wrong_price, window_start=window_start, now=now,
                               cause=cause, opened_by=actor, correct_price=correct_price)
        else:
            draft = require(uow.incidents.get(incident_id, for_update=True), "incident",
                            incident_id).incident
            draft = replace(draft, wrong_price=wrong_price, window_start=window_start,
                            listing_ids=draft.listing_ids | frozenset(listing_ids))
        listings = [require(uow.market.listing(lid, for_update=True), "listing", lid)
                    for lid in sorted(int(i) for i in draft.listing_ids)]
        declared = declare_incident(draft, now=now, responsible=responsible,
                                    correct_price=correct_price, window_end=window_end, cause=cause)
        _check_window_after_listings(uow, listings, window_start)
        _check_listings_free(uow, listings, wrong_price, declared.incident)
        _check_listings_had_wrong_price(uow, listings, declared.incident)
        if not correct_price_confirmed:
            check_correct_price(uow, listings, declared.incident)
        incident = declared.incident
        if incident_id is None:
            iid = uow.incidents.next_id()
            incident = replace(incident, incident_id=iid)
            uow.incidents.add(replace(draft, incident_id=iid))
        else:
            iid = int(incident.incident_id)
            stored = require(uow.incidents.get(iid), "incident", iid).incident
            uow.incidents.add_listings(iid, draft.listing_ids - stored.listing_ids)
        uow.incidents.save(incident, declared_by=actor)
        for listing in listings:
            pause_for_incident(uow, listing, iid, actor, now)
        sellers_told = enqueue_messages(uow, seller_notices(uow, incident=incident,
                                                            stage=DECLARED, links=links))
        uow.audit.append(AuditEvent(actor, "incident.declared", "incident", str(iid),
                                    after={**_incident_json(incident),
                                           "sellers_told": sellers_told,
                                           **({"correct_price_confirmed": True}
                                              if correct_price_confirmed else {})}), now)
        row = require(uow.incidents.get(iid), "incident", iid)
        remember(uow, "incident", idempotency_key, {"id": iid})
        uow.commit()
        return row


#: The id of an incident being declared while its checks run (no stored incident has it).
UNNUMBERED = 0


def _check_window_after_listings(uow: SqlAlchemyUnitOfWork, listings: list[Listing],
                                 window_start: datetime) -> None:
    """The wrong price cannot have been on sale before any of the incident's listings existed:
    a window that starts earlier is a typo (1900 for 2026) that would scope years of orders and
    report absurd times, so it is refused, naming the first listing and when it was created.
    (One incident may span listings created at different times — a second seller copying the
    wrong price an hour later — so only the earliest counts, found in one query for all.)"""
    first = uow.market.first_created([listing.id for listing in listings])
    if first is None:
        return
    first_at, first_id = first
    # to the minute: the page's time field has no seconds, and a listing created at 15:00:35
    # may take an order at 15:00:50 that a window from 15:00 must cover
    if window_start < first_at.replace(second=0, microsecond=0):
        when = first_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput(
            f"the window starts {window_start.astimezone(SEOUL):%Y-%m-%d %H:%M}, before "
            f"listing {first_id} existed (created {when} Asia/Seoul); start it when the "
            "wrong price went on sale",
            field="window_start", reason="window_before_listing", listing_id=first_id,
            created_at=when)


def _check_incident_price(price: Money, field: str) -> None:
    try:
        check_price(price)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), field=field, reason=exc.details.get("reason")) from None


def _check_listings_free(uow: SqlAlchemyUnitOfWork, listings: list[Listing], wrong_price: Money,
                         incident: Incident) -> None:
    """Every listing is priced in the incident's currency, and no other incident that answers
    for the listing's orders (open, or closed after being declared) has a window overlapping this
    one's: its orders would get two answers. An earlier incident whose window has ended (one
    still waiting for calls, say) does not stand in the way of a later wrong price."""
    start, end = incident.window_start, incident.window_end
    assert end is not None  # a declared incident's window has ended
    for listing in listings:
        if listing.price.currency != wrong_price.currency:
            raise InvalidInput(
                f"listing {listing.id} is priced in {listing.price.currency}, but the wrong "
                f"price is in {wrong_price.currency}",
                field="wrong_price", reason="currency_mismatch", listing_id=listing.id)
        for row in uow.incidents.standing_for_listing(listing.id,
                                                      excluding=int(incident.incident_id)):
            other = row.incident
            if not _overlap(other, start, end):
                continue
            how = (f"declare draft {other.incident_id} for listing {listing.id} instead (it "
                   "takes these orders, at its own wrong price) and leave the listing out of "
                   "this one; dismiss a draft only if it was a false alarm (dismissing vouches "
                   "for the listing's price)"
                   if other.window_end is None else
                   # Korea time, as an option or a form without a zone reads it (a tester
                   # copied the UTC time it said: a window nine hours early)
                   f"start this window after {other.window_end.astimezone(SEOUL).isoformat()} "
                   "(Korea time)")
            raise Conflict(
                f"listing {listing.id} is already in incident {other.incident_id}, whose window "
                f"overlaps this one; {how}, so that no order gets two answers",
                reason="window_overlaps_incident", listing_id=listing.id,
                incident_id=int(other.incident_id),
                incident_window_end=(other.window_end.astimezone(SEOUL).isoformat()
                                     if other.window_end else None))


def _check_listings_had_wrong_price(uow: SqlAlchemyUnitOfWork, listings: list[Listing],
                                    incident: Incident) -> None:
    """Every listing had the wrong price at some moment of the window: a price it went live at
    (its price changes applied or approved), or one an order was placed at. A listing that never
    had it is a typo (a listing id or a price) that would pause a listing selling at its right
    price and ask its customers to choose; every such listing is named, with the prices it did
    have in the window, before anything is written."""
    start, end, wrong = incident.window_start, incident.window_end, incident.wrong_price
    assert end is not None  # a declared incident's window has ended
    moves = uow.market.price_moves([listing.id for listing in listings])
    seen = {listing.id: prices_between(listing.price.amount_minor, moves[listing.id], start, end)
            for listing in listings}
    missing = [lid for lid, prices in seen.items() if wrong.amount_minor not in prices]
    if missing:  # the price history says no; an order at that price says otherwise
        ordered = uow.market.listings_with_orders_at(missing, wrong, start=start, end=end)
        missing = [lid for lid in missing if lid not in ordered]
    if missing:
        raise _never_listed(missing, seen, wrong, start, end)


def _never_listed(missing: list[int], seen: dict[int, list[int]], wrong: Money,
                  start: datetime, end: datetime) -> InvalidInput:
    def prices(lid: int, lang: str) -> str:
        return " → ".join(format_money(Money(p, wrong.currency), lang=lang) for p in seen[lid])

    ids = ", ".join(str(lid) for lid in missing)
    window = {"window_from": f"{start.astimezone(SEOUL):%Y-%m-%d %H:%M}",
              "window_to": f"{end.astimezone(SEOUL):%Y-%m-%d %H:%M}"}
    had = "; ".join(f"listing {lid} was at {prices(lid, 'en')}" for lid in missing)
    return InvalidInput(
        f"{'listing' if len(missing) == 1 else 'listings'} {ids} never had the wrong price "
        f"{format_money(wrong)} from {window['window_from']} to {window['window_to']} "
        f"(Asia/Seoul): {had}; declare only listings that were at the wrong price (check the "
        "listing ids, the wrong price and the window start); nothing was paused",
        field="wrong_price", reason="wrong_price_never_listed", listing_id=missing[0],
        listing_ids=missing, listings=ids, prices_seen={str(lid): seen[lid] for lid in missing},
        wrong_ko=format_money(wrong, lang="ko"), wrong_en=format_money(wrong),
        seen_ko=", ".join(f"{lid}번 {prices(lid, 'ko')}" for lid in missing),
        seen_en="; ".join(f"listing {lid}: {prices(lid, 'en')}" for lid in missing), **window)


def _overlap(inc: Incident, start: datetime, end: datetime) -> bool:
    """Whether ``inc``'s window (open-ended while a draft) meets ``start``–``end``."""
    return inc.window_start <= end and (inc.window_end is None or start <= inc.window_end)


def scope(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str) -> dict[str, int]:
    """Turn every order at the wrong price in the window into a case (one per customer)."""
    with uow:
        now = uow.now()
        row = require(uow.incidents.get(incident_id, for_update=True), "incident", incident_id)
        inc = row.incident
        scoped = replace(inc, status=_next(inc, IncidentTrigger.SCOPE))
        end = inc.window_end or now
        orders = uow.incidents.orders_in_window(frozenset(int(i) for i in inc.listing_ids),
                                                inc.window_start, end)
        known = uow.cases.scoped_order_ids(incident_id)
        drafts = build_cases([o for o in orders if int(o.order_id) not in known], inc)
        new, grown = [], 0
        for d in drafts:
            order_ids = [int(o.order_id) for o in d.orders]
            case_id = uow.cases.case_for_customer(incident_id, int(d.customer_id)) if known else None
            if case_id is None:
                new.append((int(d.customer_id), d.exposure, order_ids))
            else:
                current = require(uow.cases.get(case_id), "case", case_id).case
                uow.cases.add_orders(case_id, incident_id, order_ids, current.exposure + d.exposure, now)
                grown += 1
        uow.cases.add_many(incident_id=incident_id, drafts=new, now=now)
        uow.incidents.save(scoped)
        exposure = sum((d.exposure.amount_minor for d in drafts), 0)
        # the exposure as Money too (every amount in the API is {amount_minor, currency});
        # exposure_minor stays for the tools that read it
        summary = {"new_cases": len(new), "cases_with_new_orders": grown,
                   "orders": sum(len(d.orders) for d in drafts), "exposure_minor": exposure,
                   "exposure": Money(exposure, inc.wrong_price.currency).as_dict()}
        uow.audit.append(AuditEvent(actor, "incident.scoped", "incident", str(incident_id),
                                    before={"status": inc.status.value},
                                    after={"status": scoped.status.value, **summary}), now)
        uow.commit()
        return summary


def plan(uow: SqlAlchemyUnitOfWork, *, incident_id: int, options: list[CustomerOption | str],
         deadline: datetime, default: DefaultAction | str, seller_share_pct: int,
         platform_share_pct: int, actor: str, policy: DeskPolicy,
         cancel_compensation: Money | None = None, discount_pct: int | None = None,
         keep_max_units: int | None = None, accept_late_choices: bool = False,
         opened_against: str | None = None,
         price_rules: PriceRules | None = None) -> IncidentPlan:
    """Choose what customers are offered, by when, the default and who pays (before notifying).
    ``opened_against``: the ``plan_version`` a page's form showed; another plan saved since is
    refused (``plan_version.check_plan_unchanged``). ``price_rules``: the price guard's rules
    as configured (``SAGWA_GUARD_RULES``; None: the packaged ones), whose book floor the plan's
    prices must keep (``desk_book_price``; ``BookPriceLawRefused``)."""
    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id, for_update=True), "incident", incident_id).incident
        planned = replace(inc, status=_next(inc, IncidentTrigger.PLAN))
        decided = make_plan(
            incident=inc, options=options, deadline=deadline, default=default,
            seller_share_pct=seller_share_pct, platform_share_pct=platform_share_pct, now=now,
            schedule=policy.schedule, cancel_compensation=cancel_compensation,
            discount_pct=discount_pct, keep_max_units=keep_max_units,
            accept_late_choices=accept_late_choices, min_contact_time=policy.min_answer_time,
            max_deadline_ahead=policy.max_deadline_ahead)
        check_plan_book_price(uow, inc, decided, price_rules or load_rules())
        earlier = (uow.incidents.plan(incident_id, inc.correct_price)
                   if inc.correct_price is not None else None)
        if earlier is not None and plan_record(earlier) == plan_record(decided) \
                and inc.status is IncidentStatus.PLANNED:
            return earlier  # the same plan sent again: nothing to save or log
        check_plan_unchanged(earlier, opened_against, incident_id=incident_id)
        _check_terms_kept(uow, incident_id, earlier, decided)
        uow.incidents.save_plan(decided, decided_by=actor)
        uow.incidents.save(planned)
        # a revised plan keeps the one it replaced on the log (``before``)
        uow.audit.append(AuditEvent(actor, "incident.planned", "incident", str(incident_id),
                                    before=plan_record(earlier) if earlier else None,
                                    after=plan_record(decided)), now)
        uow.commit()
        return decided


def _check_terms_kept(uow: SqlAlchemyUnitOfWork, incident_id: int,
                      earlier: IncidentPlan | None, decided: IncidentPlan) -> None:
    """The terms of a plan a customer has already chosen under are fixed: a customer who phoned
    in before the apologies went out was offered them, their order was settled by them and their
    points booked; a revision would make their case say other terms than the ones they were
    given (a review found their page showing the new points, or refusing to open once their
    choice was dropped from the options). Only the deadline may move later, every other term
    as it was — the way out when the apologies cannot go out in time for it (notify refuses a
    deadline too close; a second review found the incident stuck in ``planned`` otherwise).
    Anything else is refused with 409 ``plan_has_choices``."""
    chosen = sum(uow.cases.choice_counts(incident_id).values())
    if not chosen or earlier is None:
        return
    who = "1 customer has" if chosen == 1 else f"{chosen} customers have"
    if _terms(earlier) == _terms(decided):
        if decided.deadline >= earlier.deadline:
            return
        when = earlier.deadline.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
        raise Conflict(f"{who} already answered under incident {incident_id}'s plan (chosen, or "
                       f"asked for a person): its deadline can only move later than {when} "
                       "(Korea time)", reason="deadline_only_later", field="deadline",
                       incident_id=incident_id, deadline=earlier.deadline.isoformat())
    raise Conflict(f"{who} already answered under incident {incident_id}'s plan (chosen, or "
                   "asked for a person); its terms were given to them and cannot change now "
                   "(only its deadline may move later, every other term as it is)",
                   reason="plan_has_choices", incident_id=incident_id, chosen=chosen)


def _terms(p: IncidentPlan) -> dict[str, object]:
    """A plan's terms a customer chooses under: all of it but the deadline and who decided it."""
    return {k: v for k, v in plan_record(p).items() if k != "deadline"}


def _next(inc: Incident, trigger: IncidentTrigger) -> IncidentStatus:
    from sagwa.domain.incidents import advance_incident

    return advance_incident(inc.status, trigger)


def _check_notice_in_every_language(uow: SqlAlchemyUnitOfWork, incident_id: int) -> None:
    """The public notice is in Korean and in each language the incident's customers read, before
    it closes (a walkthrough closed an incident of Korean customers with an English notice only;
    the Korean board said it was "so far published only in English")."""
    missing = uow.cases.notice_languages_missing(incident_id)
    if missing:
        names = " and ".join({"ko": "Korean", "en": "English"}.get(m, m) for m in missing)
        raise Conflict(
            f"incident {incident_id}'s public notice is not published in {names} yet: it must "
            "be in Korean and in each language its customers read; publish it before closing",
            reason="notice_language_missing", incident_id=incident_id, languages=missing)


def _vouch_for_listings(uow: SqlAlchemyUnitOfWork, inc: Incident, *, actor: str, reason: str,
                        now: datetime) -> None:
    """A draft dismissed as a false alarm vouches for its listings at the price the draft was
    about (its wrong price), and only those still at that price: the order tripwire does not
    pause them again at it (``services.tripwire``). A listing whose price moved meanwhile (a
    seller's change while it was paused) gets no vouch: nobody judged that price."""
    for listing_id in sorted(int(i) for i in inc.listing_ids):
        listing = uow.market.listing(listing_id)
        if listing is not None and listing.price == inc.wrong_price:
            uow.audit.append(AuditEvent(actor, "listing.vouched", "listing", str(listing_id),
                                        after={"price": listing.price.as_dict(),
                                               "incident_id": int(inc.incident_id),
                                               "reason": reason}), now)


def _refuse_open_cases(statuses: list[CaseStatus]) -> NoReturn:
    """Closing refused for cases still open (``unanswered_cases``), counted as the incident
    page's bars count them: customers yet to answer (``waiting_for_answer``) and those on the
    call list waiting for an agent (``waiting_for_agent``) — a customer who asked to talk to a
    person did answer, so with only those left it is not "not answered yet"."""
    calls = sum(1 for s in statuses if s is CaseStatus.ESCALATED)
    waiting = len(statuses) - calls
    on_list = (f"{calls} customer{'s are' if calls != 1 else ' is'} on the call list, waiting "
               "for an agent")
    message = (f"{waiting} case{'s have' if waiting != 1 else ' has'} not been answered or "
               "defaulted yet" + (f", and {on_list}" if calls else "") if waiting else
               f"{on_list}: it closes once an agent records their choice on the phone, they "
               "choose themselves, or the deadline passes and the plan's default applies")
    raise Conflict(message, reason="unanswered_cases", waiting_for_answer=waiting,
                   waiting_for_agent=calls)


def close(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str, reason: str,
          policy: DeskPolicy | None = None, links: LinkMaker | None = None) -> IncidentRow:
    """Close an incident: every case answered or defaulted, every call owed made (a customer
    who asked for a person, or whose default is a follow-up call, has a call recorded after the
    deadline), and a public notice published (an incident scoped with nobody affected closes
    without one); or dismiss a draft false alarm. Closing writes to each seller with orders in
    it what happened to each (``seller_notices.closing_notices``; ``policy``: the configured
    desk policy, else the built-in one). An incident closed already is returned as it is, as a
    choice given again is: a retried close (a lost answer, a double click) changes nothing,
    writes nothing and tells nobody again."""
    from sagwa.domain.incidents import UNANSWERED

    with uow:
        now = uow.now()
        row = require(uow.incidents.get(incident_id, for_update=True), "incident", incident_id)
        inc = row.incident
        if inc.status is IncidentStatus.CLOSED:
            return row
        trigger = IncidentTrigger.DISMISS if inc.status is IncidentStatus.DRAFT else IncidentTrigger.CLOSE
        new_status = _next(inc, trigger)  # a status that cannot close says so before the rest
        open_cases = [c for c in uow.cases.for_incident(incident_id, statuses=set(UNANSWERED))]
        if open_cases and trigger is IncidentTrigger.CLOSE:
            _refuse_open_cases([c.case.status for c in open_cases])
        owed = uow.reads.calls_owed(incident_id) if trigger is IncidentTrigger.CLOSE else 0
        if owed:
            raise Conflict(
                (f"{owed} customers are" if owed != 1 else "1 customer is") +
                " still owed a call (they asked for a person, or the "
                "plan's default is a follow-up call): no call since the deadline has reached "
                "them and their call attempts are not used up; call them first",
                reason="calls_owed",
            )
        if (trigger is IncidentTrigger.CLOSE and inc.status is not IncidentStatus.SCOPED
                and uow.cases.first_notice_at(incident_id) is None):
            raise Conflict(
                f"incident {incident_id} has no public notice yet: customers were told, the "
                "public was not; publish the notice (within its SLA) before closing",
                reason="notice_not_published", incident_id=incident_id)
        if trigger is IncidentTrigger.CLOSE and inc.status is not IncidentStatus.SCOPED:
            _check_notice_in_every_language(uow, incident_id)
        closed = replace(inc, status=new_status)
        uow.incidents.save(closed, closed_at=now)
        uow.cases.clear_call_at(incident_id=incident_id)  # no call waits for a time any more
        uow.audit.append(AuditEvent(actor, f"incident.{trigger.value}", "incident",
                                    str(incident_id), before={"status": inc.status.value},
                                    after={"status": closed.status.value, "reason": reason}), now)
        if trigger is IncidentTrigger.DISMISS:
            _vouch_for_listings(uow, closed, actor=actor, reason=reason, now=now)
        else:
            enqueue_messages(uow, closing_notices(
                uow, incident=closed, links=links,
                policy=policy if policy is not None else load_desk_policy()))
        row = require(uow.incidents.get(incident_id), "incident", incident_id)
        uow.commit()
        return row
