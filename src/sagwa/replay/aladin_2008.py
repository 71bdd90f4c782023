"""``sagwa replay aladin-2008``: the June 2008 iPod nano incident, as it happened and with sagwa.

Each run starts from a fresh database and goes through sagwa's real services; the figures are
computed from the database afterwards (``figures.py``). Time is a replay clock that every unit of
work reads, so a day of events takes seconds. The customers order at 2008's pace, about 75 an
hour from the moment the wrong price is live, or faster so as to fit the afternoon
(``market_2008.rush_hours``): a few customers make a short rush, not a thin one.

* ``as_happened`` — no guard, no tripwire, no desk: the wrong price stays live all afternoon,
  the seller phones buyers, the platform cancels everything after office hours with a one-line
  text, and a notice blaming the seller appears two days later (``legacy_2008.py``).
* ``with_guard`` — the same seller action meets the price guard: held, no order at 19,900 KRW.
* ``with_desk`` — a reviewer approves the held change by mistake: the tripwire pauses the listing
  and opens a draft incident, the operator declares, scopes and plans it, posts a notice, the
  apology goes out in contact hours, customers choose, the rest take the default at the deadline.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sagwa.config import Settings
from sagwa.domain.contact_hours import next_contact_time
from sagwa.domain.incidents import Responsibility
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.errors import ListingNotOrderable
from sagwa.priceguard import load_rules
from sagwa.replay import legacy_2008
from sagwa.replay.deliver import deliver_due
from sagwa.replay.figures import price_change_figures, scenario_figures
from sagwa.replay.market_2008 import (
    LIST_PRICE,
    PRICE_CHANGED_AT,
    SEOUL,
    WRONG_PRICE,
    Market,
    build_market,
    order_surge,
    rush_hours,
)
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services import desk, desk_cases, listings, notices, orders, price_review
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy

SCENARIO = "aladin-2008"
SELLER = "seller:haneul-digital"


def run(settings: Settings, *, customers: int = 300, seed: int = 2008) -> dict[str, Any]:
    policy = load_desk_policy(settings.desk_policy)
    result: dict[str, Any] = {"scenario": SCENARIO}
    with replay_server(settings) as server:
        for name, scenario in (("as_happened", _as_happened), ("with_guard", _with_guard),
                               ("with_desk", _with_desk)):
            with fresh_database(server) as db:
                market = build_market(db.session_factory, customers=customers, seed=seed)
                extra = scenario(market, policy, settings, random.Random(seed))
                with db.engine.connect() as conn:
                    figures = scenario_figures(conn, listing_id=market.listing_id,
                                               wrong_price_minor=WRONG_PRICE.amount_minor,
                                               schedule=policy.schedule)
                    price = price_change_figures(conn, market.listing_id,
                                                 WRONG_PRICE.amount_minor)
                result[name] = in_key_order({**figures, **price, **extra}, name)
    return result


#: The keys each scenario's figures had before others were added, in their order: tools read
#: the JSON, so the keys it had come first, as they were, and new ones only after them.
_FIRST_KEYS = ("orders_at_wrong_price", "customers_affected", "cancelled_without_consent",
               "minutes_to_public_notice", "minutes_to_first_apology",
               "customers_notified_in_contact_hours", "messages_failing_check", "threats_sent",
               "compensation_points")
_FIRST_EXTRA = {"with_guard": ("price_change_verdict", "price_change_reason"),
                "with_desk": ("orders_refused_after_pause", "incident_id")}


def in_key_order(figures: dict[str, Any], scenario: str) -> dict[str, Any]:
    """``figures`` with the keys the scenario had first, in their order, then the others."""
    first = (*_FIRST_KEYS, *_FIRST_EXTRA.get(scenario, ()))
    return {**{key: figures[key] for key in first if key in figures}, **figures}


def _propose_wrong_price(market: Market, *, guarded: bool) -> Any:
    market.clock.now = PRICE_CHANGED_AT
    gate = price_review.guard_gate(load_rules()) if guarded else listings.apply_every_change
    return listings.propose_price_change(market.uow(), listing_id=market.listing_id,
                                         new_price=WRONG_PRICE, proposed_by=SELLER,
                                         promotion=Promotion(90), gate=gate)


def _shop(market: Market, rng: random.Random, *, tripwire: bool) -> int:
    """Customers order through the real order service, at 2008's pace (``rush_hours``);
    returns how many were refused."""
    refused = 0
    for moment, customer_id, quantity in order_surge(rng, market.clock.now, market.customer_ids,
                                                     rush_hours(len(market.customer_ids))):
        market.clock.now = moment
        try:
            orders.place_order(market.uow(), customer_id=customer_id,
                               listing_id=market.listing_id, quantity=quantity, actor="customer",
                               velocity=orders.DEFAULT_VELOCITY if tripwire else None)
        except ListingNotOrderable:
            refused += 1
    return refused


def _as_happened(market: Market, policy: DeskPolicy, settings: Settings,
                 rng: random.Random) -> dict[str, Any]:
    _propose_wrong_price(market, guarded=False)
    _shop(market, rng, tripwire=False)  # no tripwire in 2008: nobody was refused
    with market.session_factory() as session, session.begin():
        conn = session.connection()
        callees = market.customer_ids[:5]
        legacy_2008.seller_calls(conn, customer_ids=callees,
                                 at=PRICE_CHANGED_AT.replace(hour=18, minute=0))
        legacy_2008.cancel_everything(conn, listing_id=market.listing_id,
                                      wrong_price_minor=WRONG_PRICE.amount_minor,
                                      at=PRICE_CHANGED_AT.replace(hour=18, minute=30))
        legacy_2008.late_notice(conn, listing_id=market.listing_id,
                                wrong_price_minor=WRONG_PRICE.amount_minor,
                                window_start=PRICE_CHANGED_AT,
                                at=PRICE_CHANGED_AT.replace(hour=18, minute=30) + timedelta(days=2))
    return {"orders_refused_after_pause": None}  # no tripwire to pause anything


def _with_guard(market: Market, policy: DeskPolicy, settings: Settings,
                rng: random.Random) -> dict[str, Any]:
    _propose_wrong_price(market, guarded=True)
    return {"orders_refused_after_pause": _shop(market, rng, tripwire=True)}


def _with_desk(market: Market, policy: DeskPolicy, settings: Settings,
               rng: random.Random) -> dict[str, Any]:
    change = _propose_wrong_price(market, guarded=True)
    market.clock.now = PRICE_CHANGED_AT + timedelta(minutes=5)
    price_review.approve_price_change(market.uow(), change_id=change.id,
                                      reviewer="reviewer:by-mistake",
                                      reason="looked like a real 90% event")
    refused = _shop(market, rng, tripwire=True)
    incident_id = _tripwire_incident(market)
    market.clock.now = _tripped_at(market) + timedelta(minutes=15)
    desk.declare(market.uow(), listing_ids=[market.listing_id], wrong_price=WRONG_PRICE,
                 correct_price=LIST_PRICE, window_start=PRICE_CHANGED_AT,
                 cause="90% event entered as the price (199,000 KRW became 19,900 KRW)",
                 responsible=Responsibility.BOTH, actor="operator:lee", incident_id=incident_id)
    desk.scope(market.uow(), incident_id=incident_id, actor="operator:lee")
    deadline = datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)
    desk.plan(market.uow(), incident_id=incident_id,
              options=["keep", "cancel_with_compensation", "talk_to_person"], deadline=deadline,
              default="keep", seller_share_pct=50, platform_share_pct=50, actor="operator:lee",
              policy=policy, cancel_compensation=Money(10_000, "KRW"))
    _publish_notice(market, incident_id, policy)
    summary = notify(market.uow(), incident_id=incident_id, actor="operator:lee", policy=policy,
                     links=LinkMaker(settings.secret_key, settings.public_base_url))
    market.clock.now = max(market.clock.now, summary.send_at)
    deliver_due(market, settings)
    _customers_answer(market, incident_id, policy, rng)
    deliver_due(market, settings)
    market.clock.now = deadline + timedelta(minutes=1)
    desk_cases.apply_deadline(market.uow(), incident_id=incident_id, actor="system:deadline",
                              policy=policy,
                              links=LinkMaker(settings.secret_key, settings.public_base_url))
    deliver_due(market, settings)
    return {"orders_refused_after_pause": refused, "incident_id": incident_id}


def _tripwire_incident(market: Market) -> int:
    with market.uow() as u:
        found = u.incidents.open_for_listing(market.listing_id)
    if found is None:
        raise RuntimeError("the tripwire did not open a draft incident")
    return int(found)


def _tripped_at(market: Market) -> datetime:
    with market.uow() as u:
        trail = u.audit.for_entity("listing", str(market.listing_id))
    return next(r.occurred_at for r in trail if r.event.action == "listing.paused_by_tripwire")


def _publish_notice(market: Market, incident_id: int, policy: DeskPolicy) -> None:
    market.clock.now += timedelta(minutes=20)
    for lang in ("ko", "en"):
        title, body = notices.draft_notice(market.uow(), incident_id=incident_id, lang=lang,
                                           policy=policy)
        notices.publish_notice(market.uow(), incident_id=incident_id, lang=lang, title=title,
                               body=body, actor="operator:lee")


def _customers_answer(market: Market, incident_id: int, policy: DeskPolicy,
                      rng: random.Random) -> None:
    """Over the next day most choose on the web, some ask for a call (taken in contact hours
    the next working morning), a few never answer and get the default at the deadline."""
    with market.uow() as u:
        case_ids = [int(r.case.case_id) for r in u.cases.for_incident(incident_id)]
    start = market.clock.now
    moments = sorted(start + timedelta(minutes=rng.randint(5, 20 * 60)) for _ in case_ids)
    callers = []
    for case_id, moment in zip(case_ids, moments):
        market.clock.now = moment
        roll = rng.random()
        if roll < 0.55:
            choice, words = "cancel_with_compensation", "clicked: 주문 취소(환불+보상)"
        elif roll < 0.85:
            choice, words = "keep", "clicked: 주문 유지"
        elif roll < 0.92:
            choice, words = "talk_to_person", "clicked: 상담원과 통화"
            callers.append(case_id)
        else:
            continue
        desk_cases.record_choice(market.uow(), case_id=case_id, choice=choice, channel="web",
                                 evidence=words, taken_by="customer", policy=policy)
    market.clock.now = next_contact_time(policy.schedule, market.clock.now)
    for case_id in callers:
        market.clock.now += timedelta(minutes=6)
        desk_cases.log_contact_attempt(market.uow(), case_id=case_id, channel="phone",
                                       outcome="reached", agent="agent:choi", policy=policy,
                                       note="apologised first, explained the options")
        desk_cases.record_choice(market.uow(), case_id=case_id, choice="keep", channel="phone",
                                 evidence="네, 그냥 받을게요. (yes, I'll keep it)",
                                 taken_by="agent:choi", policy=policy)
