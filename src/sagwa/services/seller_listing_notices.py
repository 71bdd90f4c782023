"""The seller is told, by email, when something they did not do happens to a listing's sale or
price: the order tripwire paused it (at that moment: orders stop until an operator looks, and
the resume button stays disabled until then — a seller paused at 23:35 on a Saturday heard
nothing until an operator acted), a reviewer approved or rejected a held price change
(the seller otherwise learns it only by reopening their page), and staff changed (or asked to
change) a listing's price through the API.

In Korean, then English, to the seller's contact address (a seller without one has only their
page), like the incident emails (``seller_notices``): queued in the same transaction as the
step (``seller_listing`` in the outbox), sent at once, once per pause and once per decided
change. Checked as a ``seller_notice`` (no threat, no blame, a way to ask); the texts sagwa
quotes (the tripwire's evidence, the reviewer's reason, titles, the seller's name) are read as
stand-ins, as the pages show them as they are, so that only the templates' own wording is
checked (``tests/unit/services/test_seller_listing_notice_wording.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.catalog import Seller
from sagwa.domain.contact_hours import next_opening
from sagwa.domain.listings import Listing
from sagwa.domain.money import format_money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard.tripwire_words import trip_summary
from sagwa.services import desk_messages as dm
from sagwa.services.desk_notify import LinkMaker, page_link
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.listing_names import listing_names
from sagwa.services.outbox import OutgoingMessage, enqueue_messages
from sagwa.services.seller_notices import seller_when
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

LISTING_PURPOSE = "seller_listing"
PAUSED, APPROVED, REJECTED = "paused", "price_approved", "price_rejected"
BY_STAFF = "price_changed_by_staff"
LANGS = ("ko", "en")
_SELLER_STAND_IN = {"ko": "판매자", "en": "seller"}
_QUOTED_STAND_IN = {"ko": "(인용)", "en": "(quoted)"}
#: Signed as the customers' subjects are (``desk_messages.TAG``, the name sagwa sends mail under):
#: "[사과]" alone read as "[Apology]" (a copy edit).
_SUBJECTS = {
    PAUSED: (f"{dm.TAG['ko']} 상품 {{n}}번의 판매를 자동으로 멈췄습니다: 가격을 확인해 주세요",
             f"{dm.TAG['en']} Sales of listing {{n}} are paused automatically: please check its price"),
    APPROVED: (f"{dm.TAG['ko']} 상품 {{n}}번의 가격 변경이 승인되어 반영되었습니다",
               f"{dm.TAG['en']} The price change of listing {{n}} was approved and is live"),
    REJECTED: (f"{dm.TAG['ko']} 상품 {{n}}번의 가격 변경이 반려되었습니다",
               f"{dm.TAG['en']} The price change of listing {{n}} was not approved"),
    BY_STAFF: (f"{dm.TAG['ko']} 운영팀이 상품 {{n}}번의 가격을 바꿨습니다",
               f"{dm.TAG['en']} Our operations team changed the price of listing {{n}}"),
}


def queue_pause_notice(uow: SqlAlchemyUnitOfWork, *, listing: Listing, now: datetime,
                       evidence: Mapping[str, object], incident_id: int | None,
                       policy: DeskPolicy, links: LinkMaker | None = None) -> int:
    """Queue the email telling ``listing``'s seller that the tripwire paused it at ``now``:
    the listing and its price, the tripwire's evidence in words, that orders are stopped, that
    an operator will declare an incident or dismiss it as a false alarm (draft ``incident_id``)
    and when they are likely to look (``policy``'s contact hours: the next opening), and what
    the seller can do now. Inside the caller's unit of work; once per pause (keyed by its
    time). How many were queued: 0 for a seller without a contact address."""
    seller = uow.catalog.seller(int(listing.seller_id))
    if seller is None or not seller.contact_email:
        return 0
    opening = next_opening(policy.schedule, now)

    def values(lang: str) -> dict[str, object]:
        reason = evidence.get(f"reason_{lang}")
        what_en, what_ko = trip_summary(evidence.get("tripped_by"),
                                        orders=evidence.get("observed"))
        return {"what": what_ko if lang == "ko" else what_en,
                "price": format_money(listing.price, lang=lang),
                "paused_at": seller_when(now, lang),
                "reason": reason if isinstance(reason, str) else "",
                "look_now": opening <= now,
                "look_at": seller_when(opening, lang),
                "hours": policy.contact.hours_ko if lang == "ko" else policy.contact.hours_en}

    message = _email(uow, seller, listing, PAUSED, links, values,
                     key=f"listing:{listing.id}:seller:{seller.id}:paused:{now.isoformat()}",
                     quoted=("reason",), incident_id=incident_id)
    return enqueue_messages(uow, [message])


def queue_decision_notice(uow: SqlAlchemyUnitOfWork, *, change: PriceChangeRecord,
                          listing: Listing, links: LinkMaker | None = None) -> int:
    """Queue the email telling ``listing``'s seller that a reviewer decided ``change`` (just
    approved — the price now live — or rejected, with the reviewer's reason); inside the
    caller's unit of work; once per change. How many were queued (0 without an address)."""
    seller = uow.catalog.seller(int(listing.seller_id))
    if seller is None or not seller.contact_email:
        return 0
    stage = APPROVED if change.status is PriceChangeStatus.APPROVED else REJECTED
    # a change staff proposed was written to the seller then (queue_staff_change_notice): it is
    # not "the change you requested"
    by_staff = uow.outbox.has_key(_staff_key(change, seller))

    def values(lang: str) -> dict[str, object]:
        return {"old_price": format_money(change.old_price, lang=lang),
                "new_price": format_money(change.new_price, lang=lang),
                "live_price": format_money(listing.price, lang=lang),
                "proposed_at": seller_when(change.proposed_at, lang),
                "decided_at": seller_when(change.decided_at or uow.now(), lang),
                "reason": change.decision_reason or "", "by_staff": by_staff}

    message = _email(uow, seller, listing, stage, links, values,
                     key=f"price_change:{change.id}:seller:{seller.id}:{stage}",
                     quoted=("reason",))
    return enqueue_messages(uow, [message])


def queue_staff_change_notice(uow: SqlAlchemyUnitOfWork, *, change: PriceChangeRecord,
                              listing: Listing, links: LinkMaker | None = None) -> int:
    """Queue the email telling ``listing``'s seller that staff (an operator, through the API)
    proposed ``change`` on their listing: live now, or waiting for a price review with the
    price as it was — the old and new price, a declared promotion, and to reply to ask why.
    A seller walk found a price an admin changed showed up on their page with no word to
    them. Inside the caller's unit of work; once per change. How many were queued (0 without
    an address)."""
    seller = uow.catalog.seller(int(listing.seller_id))
    if seller is None or not seller.contact_email:
        return 0
    promotion = change.promotion_pct

    def values(lang: str) -> dict[str, object]:
        return {"old_price": format_money(change.old_price, lang=lang),
                "new_price": format_money(change.new_price, lang=lang),
                "changed_at": seller_when(change.proposed_at, lang),
                "live": change.status is PriceChangeStatus.APPLIED,
                "promotion": f"{promotion:g}" if promotion is not None else ""}

    message = _email(uow, seller, listing, BY_STAFF, links, values,
                     key=_staff_key(change, seller), quoted=())
    return enqueue_messages(uow, [message])


def _staff_key(change: PriceChangeRecord, seller: Seller) -> str:
    """The key of the email telling ``seller`` that staff proposed ``change``."""
    return f"price_change:{change.id}:seller:{seller.id}:{BY_STAFF}"


def _email(uow: SqlAlchemyUnitOfWork, seller: Seller, listing: Listing, stage: str,
           links: LinkMaker | None, values: Callable[[str], dict[str, object]], *, key: str, quoted: tuple[str, ...],
           incident_id: int | None = None) -> OutgoingMessage:
    """``stage``'s email about ``listing`` to ``seller``: its template in Korean, then English,
    filled with ``values(lang)`` and the seller's name, the listing's title and the link to its
    page. Each language is checked with the seller's name, the title and the ``quoted`` values
    read as stand-ins: a refusal (:class:`~sagwa.errors.MessageRefused`) is the template's."""
    name = listing_names(uow, [listing.id]).get(listing.id)
    page = f"/seller/listings/{listing.id}"
    link = page_link(links, page)
    bodies = []
    for lang in LANGS:
        title = f"{name.title_in(lang)} (#{listing.id})" if name else f"#{listing.id}"
        filled = {"listing": title, "link": link, "listing_id": listing.id, **values(lang)}
        subject = _SUBJECTS[stage][LANGS.index(lang)].format(n=listing.id)
        stand_ins = {**{str(filled[k]): _QUOTED_STAND_IN[lang] for k in quoted if filled[k]},
                     title: f"#{listing.id}"}
        read = dm.render(f"seller_{stage}_email", lang, seller_name=_SELLER_STAND_IN[lang],
                         **filled)
        dm.checked(f"{subject}\n\n{read}", kind="seller_notice", lang=lang, stand_ins=stand_ins)
        bodies.append(dm.render(f"seller_{stage}_email", lang, seller_name=seller.name, **filled))
    subjects = [subject.format(n=listing.id) for subject in _SUBJECTS[stage]]
    return OutgoingMessage(
        idempotency_key=key, purpose=LISTING_PURPOSE, channel="email",
        recipient=str(seller.contact_email), locale="ko", subject=" / ".join(subjects),
        body="\n\n— English —\n\n".join(bodies), not_before=uow.now(), incident_id=incident_id)
