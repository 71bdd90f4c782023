"""The order-velocity tripwire, run in the same transaction as each order.

In the first hours after a listing's price moved, orders are compared with the listing's normal
rate (the weeks before the change). A surge pauses the listing at once, on the audit log with the
evidence, and a draft incident is opened for an operator to declare or dismiss; the order that
tripped it stands, the next ones are refused until someone looks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger, advance
from sagwa.priceguard.tripwire import VelocityAssessment, VelocityRules, assess_order_velocity
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
    created = uow.market.listing_created_at(listing.id) or changed_at
    base_start = max(changed_at - BASELINE, created)
    base_hours = (changed_at - base_start).total_seconds() / 3600
    base_count = uow.market.order_count(listing.id, start=base_start, end=changed_at)
    baseline = base_count / base_hours if base_hours >= 24 else 0.0
    if base_hours < 24:
        # Too little history to know the normal rate: assume the busiest plausible one seen in
        # the data so far, so that a young listing's ordinary day does not trip.
        baseline = max(rules.min_rate_per_hour, base_count / max(base_hours, 1.0))
    assessment = assess_order_velocity(order_times=uow.market.order_times(listing.id, since=changed_at),
                                       changed_at=changed_at, now=now,
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
