"""The seller is told, by email, when a pricing incident names their listings — so that they do
not do what the 2008 seller did (phone the buyers to ask them to cancel, then cancel every
order by a one-line text): once when it is declared (the listing is paused; do not cancel or
contact the customers; their seller page will say what to do with each order) and once when
the customers are told (how many, the options, the deadline, the default, who pays the
compensation). In Korean, then English (a seller has no language of its own in sagwa), to the
seller's contact address; a seller without one reads it on their page. Queued in the same
transaction as the step (``seller_incident`` in the outbox), sent at once: the seller's
business, not a customer's evening; each once per incident and step.
"""

from __future__ import annotations

from sagwa.domain.incident_plan import DefaultAction, IncidentPlan
from sagwa.domain.incidents import Incident
from sagwa.domain.money import format_money
from sagwa.services import desk_messages as dm
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.listing_names import listing_names
from sagwa.services.outbox import OutgoingMessage
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SELLER_PURPOSE = "seller_incident"
DECLARED, NOTIFIED = "declared", "notified"
_SUBJECTS = {
    DECLARED: ("[사과] 가격 오류 사고 {n}번: 주문을 취소하거나 고객께 취소를 요청하지 마세요",
               "[sagwa] Pricing incident {n}: please do not cancel orders or ask customers to"),
    NOTIFIED: ("[사과] 가격 오류 사고 {n}번: 고객께 안내를 보냈습니다",
               "[sagwa] Pricing incident {n}: the customers are being asked"),
}


def seller_notices(uow: SqlAlchemyUnitOfWork, *, incident: Incident, stage: str,
                   links: LinkMaker | None, plan: IncidentPlan | None = None,
                   customers: int = 0) -> list[OutgoingMessage]:
    """The email to each seller of ``incident``'s listings with a contact address, for
    ``stage`` (:data:`DECLARED`, or :data:`NOTIFIED` with the ``plan`` and the number of
    ``customers`` told); inside the caller's unit of work."""
    iid = int(incident.incident_id)
    names = listing_names(uow, incident.listing_ids)
    by_seller: dict[int, list[int]] = {}
    for listing_id in sorted(int(i) for i in incident.listing_ids):
        listing = uow.market.listing(listing_id)
        if listing is not None:
            by_seller.setdefault(int(listing.seller_id), []).append(listing_id)
    page = f"/seller/incidents/{iid}"
    link = f"{links.base_url.rstrip('/')}{page}" if links is not None else page
    messages = []
    for seller_id, listing_ids in sorted(by_seller.items()):
        seller = uow.catalog.seller(seller_id)
        if seller is None or not seller.contact_email:
            continue
        bodies, subjects = [], []
        for lang in ("ko", "en"):
            titles = [f"{names[i].title_in(lang)} (#{i})" if i in names else f"#{i}"
                      for i in listing_ids]
            values = {"seller_name": seller.name, "incident_id": iid, "listings": titles,
                      "link": link, **_stage_values(incident, stage, plan, customers, lang)}
            bodies.append(dm.render(f"seller_{stage}_email", lang, **values))
            subjects.append(_SUBJECTS[stage][0 if lang == "ko" else 1].format(n=iid))
        messages.append(OutgoingMessage(
            idempotency_key=f"incident:{iid}:seller:{seller_id}:{stage}",
            purpose=SELLER_PURPOSE, channel="email", recipient=seller.contact_email,
            locale="ko", subject=subjects[0], body="\n\n— English —\n\n".join(bodies),
            not_before=uow.now(), incident_id=iid))
    return messages


def _stage_values(incident: Incident, stage: str, plan: IncidentPlan | None, customers: int,
                  lang: str) -> dict[str, object]:
    if stage == DECLARED:
        return {"wrong_price": format_money(incident.wrong_price, lang=lang),
                "correct_price": format_money(incident.correct_price, lang=lang)
                if incident.correct_price else "—",
                "window_start": dm.format_when(incident.window_start, lang)}
    assert plan is not None  # the customers were told under a plan
    return {"customers": customers, "deadline": dm.format_when(plan.deadline, lang),
            "offered": [dm.choice_label(o, lang) for o in dm.OPTION_ORDER if plan.offers(o)],
            "default": _default_words(plan, lang), "seller_share": plan.seller_share_pct,
            "platform_share": plan.platform_share_pct}


def _default_words(plan: IncidentPlan, lang: str) -> str:
    """The plan's default as the seller needs it: what happens to the order."""
    ko = lang == "ko"
    if plan.default is DefaultAction.FOLLOW_UP_CALL:
        return "상담원이 고객께 전화로 여쭙니다(그때까지 주문은 그대로)" if ko \
            else "our staff call the customer to ask (the order stays as it is until then)"
    if plan.keep_max_units is not None:
        return (f"주문 유지(1인당 {plan.keep_max_units}개까지; 넘게 주문한 고객께는 상담원이 전화로 여쭙니다)"
                if ko else f"the order is kept (up to {plan.keep_max_units} per customer; "
                "customers who ordered more are called by our staff)")
    return "주문 유지" if ko else "the order is kept"
