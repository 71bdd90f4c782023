"""The order-velocity tripwire, run in the same transaction as each order.

A listing is watched for three days on sale after its price was cut (a rise starts no watch),
and for three days on sale after it first went on sale (published, or released by a reviewer
after the guard held it): a wrong first price has no price move on record. A price changed while
the listing was paused is watched when it is back on sale; small moves and rises during a watch
continue it (``sagwa.priceguard.tripwire_watch``), so a seller nudging the price cannot restart
the count. While watched, its orders and their units are compared with its normal rate (the
weeks before, by hour of the day), several times that during a declared promotion (at least
``promotion_min_per_hour`` for one that needed no reviewer); the last hour is also
judged on its own, so that a rush starting on the second or third day does not drown in the
quiet hours before it. A surge pauses the listing at once, on the audit log with the
evidence (the counts, what they were compared with, the price changes that started the watch
and the orders counted), and a draft incident is opened for an operator to declare or dismiss;
the order that tripped it stands, the next ones are refused until someone looks.

Both windows follow the listing's sale history on the audit log (publish/resume/release put it
on sale; pause/hold/end and the desk's and the tripwire's pauses take it off): the normal rate is
measured over the hours it was on sale in the weeks before the change (a month as a draft is not
a month without buyers), and orders are counted from the later of the change and its last return
to sale; the listing's own rate so far counts its orders and hours on sale up to there.

An operator who dismisses the tripwire's draft as a false alarm vouches for the listing at its
draft's wrong price, if it is still at it (``listing.vouched`` on the audit log): the tripwire
does not pause it again at that price, nor after a seller's nudge of it (within 5%) or a raise;
a bigger cut starts a new watch, judged afresh, and a drift below the cleared price in small
steps is counted from the move that left it — never the orders placed while the operator's word
held (``tripwire_watch.count_after_clearance``). A watch lasts three days on sale at most
anyway. And a listing priced no more than 5% under its own price before the watch, or under
the higher of its references (the product's list price less its category's routine discount,
and the other sellers' median, sellers at its very price left out), is not paused on a surge
at all: the tripwire is for wrong (low) prices the guard missed, and a rush at or near the
going price is demand or competition (``sagwa.priceguard.tripwire_price``). Far below them — half
or less — a few very large orders are enough to pause it.

A listing with less than a day on sale of its own (every new listing) is compared with at least
an assumed launch rate and with the busiest of the same product's other listings, so that a
launch selling like the other sellers do is left alone (``sagwa.priceguard.tripwire.
normal_rate``). The other sellers' rate is measured once, when the listing goes on sale
(:func:`launch_comparison`, called by the publish and the release, before their audit entry, and
kept on it as ``launch_comparison``): an order reads it back with the listing's sale history
and never scans other listings' orders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sagwa.domain.audit import LISTING_RETURN_ACTIONS, AuditEvent
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger, advance
from sagwa.domain.price_history import PriceMove
from sagwa.errors import MessageRefused
from sagwa.priceguard.tripwire import (
    CountMoved,
    NormalRate,
    OrderCounts,
    VelocityAssessment,
    VelocityRules,
    assess_order_velocity,
    busiest_other_seller,
    count_start,
    normal_rate,
    own_habits,
)
from sagwa.priceguard.tripwire_price import PriceContext
from sagwa.priceguard.tripwire_usual import hours_by_hour_of_day
from sagwa.priceguard.tripwire_watch import (
    SaleChange,
    Watch,
    count_after_clearance,
    hours_on_sale,
    lowest_held,
    watch_start,
)
from sagwa.services.desk import open_draft_incident
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.seller_listing_notices import queue_pause_notice
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: How long a listing is watched after a price move or its first sale, in hours on sale.
WATCH_FOR = timedelta(hours=72)
#: A listing's first day on sale: a comparison kept at its publication serves a watch that
#: starts this soon after it (a price change on the first day).
FIRST_DAY = timedelta(hours=24)
BASELINE = timedelta(days=28)
ACTOR = "system:tripwire"


def watch_order_velocity(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
                         rules: VelocityRules, *, policy: DeskPolicy | None = None,
                         links: LinkMaker | None = None) -> VelocityAssessment | None:
    """Assess the listing's orders since its last price cut or its first sale, whichever is
    later (if within three days on sale; small moves and rises continue a running watch); pause
    it if they surge, and email its seller at once (``policy``: the configured desk policy,
    whose contact hours say when an operator will look, else the built-in one; ``links``: for
    the link to their page). None when it is not watched: not live, no watch running, priced
    where a rush is demand rather than a mistake (:func:`_price_context`) or cleared at this
    price by an operator (:func:`_count_start`)."""
    if listing.status is not ListingStatus.LIVE:
        return None
    rows = uow.reads.listing_sale_history([listing.id])
    changes = _sale_changes(uow, listing.id, rows)
    first_on_sale = next((at for at, on_sale in changes if on_sale), None)
    moves = uow.market.last_price_moves(listing.id, limit=MOVES_READ)
    watch = watch_start(moves=[(m.at, m.old_minor, m.new_minor) for m in moves],
                        first_on_sale_at=first_on_sale, sale_changes=changes, now=now,
                        watch_for=WATCH_FOR)
    if watch is None:
        return None
    paused_at = [row.occurred_at for row in rows if row.action == "listing.paused_by_tripwire"]
    price = _price_context(uow, listing, moves, watch, changes, rules, paused_at=paused_at)
    start = (_count_start(uow, listing, moves, watch, changes, now)
             if price.like_a_mistake() else None)
    if start is None:
        return None
    since, moved = start
    normal = _normal_rate(uow, listing, changes, counted_from=since,
                          busiest=_other_sellers_rate(uow, listing, rows, since, rules),
                          rules=rules)
    pct, until, reviewed = _promotion_during(moves, watch, since=since, now=now)
    normal = replace(normal, promotion_pct=pct, promotion_until=until,
                     promotion_reviewed=reviewed)
    recent_since = now - timedelta(hours=rules.recent_hours)
    counts = uow.market.order_counts(listing.id, since=since, now=now,
                                     recent_since=recent_since if recent_since > since else None,
                                     typical=not normal.units_known)

    def assess(counted: OrderCounts) -> VelocityAssessment:
        return assess_order_velocity(counts=counted, changed_at=watch.start, counted_from=since,
                                     now=now, baseline_per_hour=normal, rules=rules,
                                     anchor=watch.anchor, price=price, count_moved=moved)

    assessment = assess(counts)
    if assessment.tripped:  # said again with its customers, counted only for a pause
        assessment = assess(replace(counts, customers=uow.market.order_customers(
            listing.id, since=since, now=now)))
        incident_id = _trip(uow, listing, now, assessment, moves, watch, since)
        _tell_seller(uow, listing, now, assessment, incident_id, policy=policy, links=links)
    return assessment


def _trip(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
          assessment: VelocityAssessment, moves: Sequence[PriceMove], watch: Watch,
          since: datetime) -> int:
    """Pause the listing with the evidence and open (or reuse) its draft incident (its id)."""
    order_ids = uow.market.order_ids_since(listing.id, since=since, limit=ORDER_IDS_KEPT)
    evidence = {**_evidence(assessment), **_watch_evidence(listing, moves, watch, order_ids)}
    _pause(uow, listing, now, evidence)
    return open_draft_incident(uow, listing=listing, window_start=watch.start,
                               cause=draft_cause(assessment), actor=ACTOR, evidence=evidence)


def _tell_seller(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
                 assessment: VelocityAssessment, incident_id: int, *, policy: DeskPolicy | None,
                 links: LinkMaker | None) -> None:
    """Email the seller of the listing just paused (``seller_listing_notices``). The pause
    stands whatever the email's fate: a wording the message check refuses (a template's fault,
    which its tests catch) sends nothing rather than let the next orders in."""
    try:
        queue_pause_notice(uow, listing=listing, now=now, evidence=_evidence(assessment),
                           incident_id=incident_id,
                           policy=policy if policy is not None else load_desk_policy(),
                           links=links)
    except MessageRefused:
        return


#: The latest price moves read on each order: enough for any run of small moves in a watch.
MOVES_READ = 200
#: Order ids kept on the evidence (the count says how many there were).
ORDER_IDS_KEPT = 200


def _promotion_during(moves: Sequence[PriceMove], watch: Watch, *, since: datetime,
                      now: datetime) -> tuple[float | None, datetime | None, bool]:
    """``(percent off, end, reviewed)`` of the promotion declared by the move that began the
    watch, if it had begun by ``now`` and ran during the count (from ``since``; ``reviewed``: a
    reviewer approved it after the guard held it); ``(None, None, False)`` otherwise (a first
    sale, a move without one, one over before the count). Small moves after it keep it (a
    10-won nudge does not end a promotion), and declare none of their own: a wrong cut followed
    by a nudge "declaring" 1% gets no allowance."""
    if watch.began_with is None:
        return None, None, False
    move = moves[watch.began_with]
    if move.promotion_pct is None:
        return None, None, False
    begun = move.promotion_starts_at is None or move.promotion_starts_at <= now
    ends = move.promotion_ends_at
    if not begun or (ends is not None and ends <= since):
        return None, None, False
    return move.promotion_pct, ends, move.reviewed


def _watch_evidence(listing: Listing, moves: Sequence[PriceMove], watch: Watch,
                    order_ids: Sequence[int]) -> dict[str, object]:
    """What started the watch and which orders it counted: the price change that began it and
    the one that set the price now (ids), the price before the first of them (what the declare
    form offers as the correct price: only when above the price now, the wrong one, as the desk
    requires; nothing for a first price) and the orders' ids (the caller reads the first
    :data:`ORDER_IDS_KEPT`)."""
    found: dict[str, object] = {"order_ids": list(order_ids)}
    if watch.began_with is not None:
        began = moves[watch.began_with]
        found["price_change_id"] = began.change_id
        if began.old_minor > listing.price.amount_minor:
            found["price_before"] = {"amount_minor": began.old_minor,
                                     "currency": listing.price.currency}
    if watch.last_move is not None and watch.last_move != watch.began_with:
        found["latest_price_change_id"] = moves[watch.last_move].change_id
    return found


def _price_context(uow: SqlAlchemyUnitOfWork, listing: Listing, moves: Sequence[PriceMove],
                   watch: Watch, changes: Sequence[SaleChange], rules: VelocityRules, *,
                   paused_at: Sequence[datetime] = ()) -> PriceContext:
    """Where the listing is priced (``tripwire_price.PriceContext``): its price now, the move
    that began the watch (or its first sale, at the price it went on sale at), the lowest price
    it held on sale in the day before (``tripwire_watch.lowest_held``; not a price the tripwire
    paused it at, ``paused_at``, unless an operator vouched for it since), the product's list
    price and its category's routine discount, and the other sellers' live prices."""
    product = uow.catalog.product(listing.product_id)
    currency = listing.price.currency
    list_price = product.list_price if product is not None else None
    others = uow.market.other_seller_prices(listing.product_id, excluding_listing=listing.id,
                                            currency=currency)
    began = moves[watch.began_with] if watch.began_with is not None else None
    cleared = ([int(row.price["amount_minor"])
                for row in uow.reads.listing_vouches(listing.id, since=min(paused_at))
                if isinstance(row.price, dict) and row.price.get("currency") == currency]
               if paused_at and began is not None else [])
    usual = (lowest_held([(m.at, m.old_minor, m.new_minor) for m in moves], changes,
                         start=watch.start, price_before=began.old_minor, paused_at=paused_at,
                         cleared=cleared)
             if began is not None else None)
    later = [m for m in moves if m.at > watch.start]
    first_price = later[0].old_minor if later else listing.price.amount_minor
    return PriceContext(
        price=listing.price.amount_minor, currency=currency, since=watch.start,
        before=began.old_minor if began is not None else None,
        to=began.new_minor if began is not None else first_price,
        usual=usual,
        list_price=(list_price.amount_minor if list_price is not None
                    and list_price.currency == currency else None),
        list_discount=rules.list_discount(product.category if product is not None else None),
        others=tuple(others))


def _count_start(uow: SqlAlchemyUnitOfWork, listing: Listing, moves: Sequence[PriceMove],
                 watch: Watch, changes: Sequence[SaleChange],
                 now: datetime) -> tuple[datetime, CountMoved] | None:
    """Where the count starts, and why when after the watch's start: the watch's start, or the
    listing's last return to sale after it (``resumed``), or after the operator's clearance (a
    tripwire draft of it dismissed as a false alarm: ``desk.close`` logs ``listing.vouched``
    with the price) once the price has left it (``left_clearance``); None while the clearance
    holds (``tripwire_watch.count_after_clearance``)."""
    currency = listing.price.currency
    cleared = [(row.occurred_at, int(row.price["amount_minor"]))
               for row in uow.reads.listing_vouches(listing.id, since=watch.start)
               if isinstance(row.price, dict) and row.price.get("currency") == currency]
    start = count_after_clearance(cleared, [(m.at, m.old_minor, m.new_minor) for m in moves],
                                  price=listing.price.amount_minor, start=watch.start)
    if start is None:
        return None
    return count_start(changes, watch_start=watch.start, after_clearance=start, now=now)


def _normal_rate(uow: SqlAlchemyUnitOfWork, listing: Listing, changes: list[SaleChange], *,
                 counted_from: datetime, busiest: tuple[float, int] | None,
                 rules: VelocityRules) -> NormalRate:
    """The listing's own rate over the weeks before the count starts (``counted_from``: the
    watch's start, or the listing's last return to sale after it) — its orders and hours on
    sale so far, those of a surge already judged included; with too short a history of its
    own, at least the launch rate and the other sellers' ``busiest`` (``normal_rate``)."""
    base_start = counted_from - BASELINE
    hours = hours_by_hour_of_day(changes, start=base_start, end=counted_from)
    by_hour, units, squared = _once(
        _HABITS, (uow.reads.database_identity(), listing.id, counted_from),
        lambda: uow.market.order_habits(listing.id, start=base_start, end=counted_from))
    normal = normal_rate(orders=sum(by_hour), hours=sum(hours), rules=rules, busiest=busiest)
    return own_habits(normal, orders_by_hour=by_hour, hours_by_hour=hours, units=units,
                      units_squared=squared)


def launch_comparison(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
                      rules: VelocityRules | None = None) -> dict[str, int]:
    """What a listing going on sale for the first time will be compared with on its first day:
    the busiest of the product's other listings with a day on sale in the four weeks before
    ``now`` (``{"sellers": n, "per_hour_x1000": …}``; ``{"sellers": 0}`` when none has). Run
    once, by the publish or the release, before its audit entry (which keeps the result)."""
    others = _other_listings_history(uow, listing, start=now - BASELINE, end=now)
    busiest = busiest_other_seller(others, rules=rules or VelocityRules())
    if busiest is None:
        return {"sellers": 0}
    rate, sellers = busiest
    return {"sellers": sellers, "per_hour_x1000": round(rate * 1000)}


def _other_sellers_rate(uow: SqlAlchemyUnitOfWork, listing: Listing, rows: Sequence[Any],
                        started: datetime, rules: VelocityRules) -> tuple[float, int] | None:
    """The busiest other seller's rate ``(per hour, sellers)`` when the count started at
    ``started`` (the watch's start, or the listing's return to sale after it), or None when no
    other listing had a day on sale: the one kept by the listing's publish or release when that
    entry started the count (or came less than a day before it: a price change on the first
    day), else measured for this count once per process (a listing published before the
    measure was kept, a listing back on sale days after its publication, or a listing with a
    short history whose price moves weeks later)."""
    kept = _kept_comparison(rows, started)
    if kept is None:
        kept = _once(_MEASURED, (uow.reads.database_identity(), listing.id, started),
                     lambda: launch_comparison(uow, listing, started, rules))
    sellers = int(kept.get("sellers", 0))
    return (int(kept["per_hour_x1000"]) / 1000, sellers) if sellers else None


#: By (database, listing, start of the count), what is measured over the weeks before the count
#: started: the window ended then (orders are placed at the time they are placed), so it does
#: not change while the count lasts, and an order of a busy listing does not add up a month of
#: its orders again. The other sellers' rate measured at order time, and the listing's habits.
_Key = tuple[str, int, datetime]
_MEASURED: dict[_Key, dict[str, int]] = {}
_HABITS: dict[_Key, tuple[list[int], int, int]] = {}
_KEPT_AT_MOST = 4096
T = TypeVar("T")


def _once(cache: dict[_Key, T], key: _Key, measure: Callable[[], T]) -> T:
    """``cache[key]``, measured the first time (the oldest entry dropped beyond
    :data:`_KEPT_AT_MOST`)."""
    if key not in cache:
        if len(cache) >= _KEPT_AT_MOST:
            cache.pop(next(iter(cache)))
        cache[key] = measure()
    return cache[key]


def _kept_comparison(rows: Sequence[Any], started: datetime) -> dict[str, int] | None:
    """The comparison kept on the listing's latest publish or release (see
    :func:`launch_comparison`), if that entry is at most a day before ``started``."""
    for row in reversed(rows):
        kept = row.launch_comparison
        if row.action in LISTING_RETURN_ACTIONS and isinstance(kept, dict) and "sellers" in kept:
            return kept if started - row.occurred_at <= FIRST_DAY else None
    return None


def _other_listings_history(uow: SqlAlchemyUnitOfWork, listing: Listing, *, start: datetime,
                            end: datetime) -> list[tuple[int, float]]:
    """``(orders, hours on sale)`` in ``[start, end)`` for each other listing of the product."""
    rows = uow.market.other_listings_order_counts(listing.product_id,
                                                  excluding_listing=listing.id,
                                                  start=start, end=end)
    if not rows:
        return []
    logged: dict[str, list[Any]] = defaultdict(list)
    for row in uow.reads.listing_sale_history([r.listing_id for r in rows]):
        logged[row.entity_id].append(row)
    return [(int(r.orders), hours_on_sale(_from_log(logged[str(r.listing_id)], r.created_at),
                                          start=start, end=end)) for r in rows]


def _sale_changes(uow: SqlAlchemyUnitOfWork, listing_id: int,
                  rows: Sequence[Any]) -> list[SaleChange]:
    """The listing's ``(when, on_sale)`` history from its ``listing_sale_history`` rows (read on
    every order: a handful of rows by the log's ``(entity_type, entity_id)`` index), and the
    listing's creation time only when the log does not start with its publication."""
    if _logged_from_the_start(rows):
        return _from_log(rows, None)
    return _from_log(rows, uow.market.listing_created_at(listing_id))


def _logged_from_the_start(rows: Sequence[Any]) -> bool:
    """Whether the log has the listing's whole sale history: it starts with its publication (or
    its release, or its hold as a draft when it was published)."""
    return bool(rows) and (rows[0].action in LISTING_RETURN_ACTIONS or bool(rows[0].from_draft))


def _from_log(rows: Sequence[Any], created: datetime | None) -> list[SaleChange]:
    """``(when, on_sale)`` from a listing's ``listing_sale_history`` rows. A listing whose log
    does not start with its publication (it went live before the log kept its status, and may
    have been paused since) is taken to have been on sale from its ``created`` time until its
    first recorded change, as the tripwire always assumed."""
    changes = [(row.occurred_at, row.action in LISTING_RETURN_ACTIONS) for row in rows]
    if created is None or _logged_from_the_start(rows):
        return changes
    return [(created, True), *changes]


_CAUSE_JOIN = " · "


def draft_cause(assessment: VelocityAssessment) -> str:
    """The draft incident's cause, Korean first then English (one text field, kept as the
    record; the operator writes the real cause when declaring). Pages show it through
    :func:`cause_in`, in their own language."""
    return f"{assessment.reason_ko}{_CAUSE_JOIN}{assessment.reason_en}"


def cause_in(lang: str, cause: str, evidence: Mapping[str, Any] | None) -> str:
    """An incident's cause as a page in ``lang`` shows it: the tripwire's two-language draft
    cause, while nobody has rewritten it, in that language only (its evidence keeps both
    sentences); any other cause as it was written."""
    found = evidence or {}
    ko, en = found.get("reason_ko"), found.get("reason_en")
    if isinstance(ko, str) and isinstance(en, str) and cause == f"{ko}{_CAUSE_JOIN}{en}":
        return ko if lang == "ko" else en
    return cause


def _evidence(assessment: VelocityAssessment) -> dict[str, object]:
    """What the pause and the draft incident record: the count (orders and units, and how long
    it ran), what it was compared with (the listing's own rate, or the product's other
    sellers'; a declared promotion), and the reasons."""
    normal = assessment.normal or NormalRate(assessment.expected_per_hour)
    others = {"other_sellers": normal.sellers,
              "other_sellers_per_hour_x1000": round(normal.sellers_per_hour * 1000)
              } if normal.basis == "other_sellers" else {}
    promotion = ({"promotion_pct": normal.promotion_pct}
                 if normal.promotion_pct is not None else {})
    return {"observed": assessment.observed,
            "units": assessment.units,
            "expected_x1000": round(assessment.expected * 1000),
            "expected_units_x1000": round(assessment.expected_units * 1000),
            "watching": assessment.anchor,
            "compared_with": normal.basis,
            "expected_per_hour_x1000": round(assessment.expected_per_hour * 1000),
            **others,
            **promotion,
            "reason_en": assessment.reason_en,
            "reason_ko": assessment.reason_ko,
            # how long the count ran (its start to the order that tripped it), which the
            # reasons say in words ("in 40 seconds", "in under a second")
            "counted_ms": round(assessment.hours * 3_600_000),
            # how many customers placed the orders counted, and what tripped it (appended)
            **({"customers": assessment.customers} if assessment.customers is not None else {}),
            **({"tripped_by": list(assessment.tripped_by)} if assessment.tripped_by else {})}


def _pause(uow: SqlAlchemyUnitOfWork, listing: Listing, now: datetime,
           evidence: Mapping[str, object]) -> None:
    paused = replace(listing, status=advance(listing.status, ListingTrigger.PAUSE))
    uow.market.save_listing(paused, now)
    uow.audit.append(AuditEvent(ACTOR, "listing.paused_by_tripwire", "listing", str(listing.id),
                                before={"status": listing.status.value},
                                after={"status": paused.status.value, **evidence}), now)
