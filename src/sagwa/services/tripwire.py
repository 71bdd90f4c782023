"""The order-velocity tripwire, run in the same transaction as each order.

In the first hours after a listing's price moved, orders are compared with the listing's normal
rate (the weeks before the change). A surge pauses the listing at once, on the audit log with the
evidence, and a draft incident is opened for an operator to declare or dismiss; the order that
tripped it stands, the next ones are refused until someone looks.

Both windows follow the listing's sale history on the audit log (publish/resume/release put it
on sale; pause/hold/end and the desk's and the tripwire's pauses take it off): the normal rate is
measured over the hours it was on sale in the weeks before the change (a month as a draft is not
a month without buyers), and orders are counted from the later of the change and its last return
to sale. An operator who dismisses the tripwire's draft and resumes the listing has judged the
surge before the pause; only orders after the resume can trip it again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sagwa.domain.audit import LISTING_RETURN_ACTIONS, AuditEvent
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger, advance
from sagwa.priceguard.tripwire import (
    SaleChange,
    VelocityAssessment,
    VelocityRules,
    assess_order_velocity,
    baseline_rate,
    count_from,
    hours_on_sale,
)
from sagwa.services.desk import open_draft_incident
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

WATCH_FOR = timedelta(hours=24)
BASELINE = timedelta(days=28)
ACTOR = "system:tripwire"


def watch_order_velocity(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
                         rules: VelocityRules) -> VelocityAssessment | None:
    """Assess the listing's orders since its last price move; pause it if they surge."""
    changed_at = uow.market.last_price_move_at(listing.id)
    if changed_at is None or now - changed_at > WATCH_FOR or listing.status is not ListingStatus.LIVE:
        return None
    changes = _sale_changes(uow, listing.id)
    since = count_from(changes, changed_at=changed_at, now=now)
    base_start = changed_at - BASELINE
    baseline = baseline_rate(
        orders=uow.market.order_count(listing.id, start=base_start, end=changed_at),
        hours=hours_on_sale(changes, start=base_start, end=changed_at), rules=rules)
    assessment = assess_order_velocity(order_times=uow.market.order_times(listing.id, since=since),
                                       changed_at=changed_at, counted_from=since, now=now,
                                       baseline_per_hour=baseline, rules=rules)
    if assessment.tripped:
        _pause(uow, listing, now, assessment)
        open_draft_incident(uow, listing=listing, window_start=changed_at,
                            cause=assessment.reason_en, actor=ACTOR, evidence={
                                "observed": assessment.observed,
                                "expected_x1000": round(assessment.expected * 1000),
                                "reason_en": assessment.reason_en,
                                "reason_ko": assessment.reason_ko})
    return assessment


def _sale_changes(uow: SqlAlchemyUnitOfWork, listing_id: int) -> list[SaleChange]:
    """The listing's ``(when, on_sale)`` history from the audit log, in log order. A listing
    whose first recorded change is not a return to sale (no publish in the log: it went live
    before the log kept its status, and may have been paused since) is taken to have been on
    sale from its creation until then, as the tripwire always assumed."""
    changes = [(row.occurred_at, row.action in LISTING_RETURN_ACTIONS)
               for row in uow.reads.listing_sale_changes([listing_id])]
    created = uow.market.listing_created_at(listing_id)
    if created is not None and (not changes or not changes[0][1]):
        changes.insert(0, (created, True))
    return changes


def _pause(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
           assessment: VelocityAssessment) -> None:
    paused = replace(listing, status=advance(listing.status, ListingTrigger.PAUSE))
    uow.market.save_listing(paused, now)
    uow.audit.append(AuditEvent(ACTOR, "listing.paused_by_tripwire", "listing", str(listing.id),
                                before={"status": listing.status.value},
                                after={"status": paused.status.value,
                                       "observed": assessment.observed,
                                       "expected_x1000": round(assessment.expected * 1000),
                                       "reason_en": assessment.reason_en,
                                       "reason_ko": assessment.reason_ko}), now)
