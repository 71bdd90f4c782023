"""The seller's pages about pricing incidents on their listings: the list, and one incident with
each of their orders and what to do with it — send, hold or do not send (``seller_incidents``),
with the terms that concern them (their share of the compensation, the points charged so far).
Another seller's incident is the same 404 as a missing one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from sagwa.domain.incidents import Responsibility
from sagwa.domain.seller_orders import OrderInstruction, instruction_words, reason_words
from sagwa.services import desk_messages as dm
from sagwa.services.accounts import Account
from sagwa.services.desk_wordings import incident_price_word
from sagwa.services.seller_incidents import SellerIncident, seller_incident, seller_incident_ids
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import SellerAccount, csrf_protect

router = APIRouter(prefix="/seller/incidents", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)


def incidents_context(uow: SqlAlchemyUnitOfWork, account: Account) -> dict[str, Any]:
    """Every incident naming one of the seller's listings, newest first (a draft dismissed as
    a false alarm is left out: it was never an incident)."""
    assert account.seller_id is not None
    with uow:
        named = seller_incident_ids(uow, account.seller_id)
        rows = [(uow.incidents.get(i), listings) for i, listings in named.items()]
    return {"incidents": [(r.incident, listings) for r, listings in rows if r is not None]}


#: Who the operator held responsible, said to the seller (Korean, English).
RESPONSIBLE_WORDS = {
    Responsibility.SELLER: ("책임: 판매자(나)", "Responsible: the seller (you)"),
    Responsibility.PLATFORM: ("책임: 플랫폼", "Responsible: the platform"),
    Responsibility.BOTH: ("책임: 판매자와 플랫폼 공동", "Responsible: the seller and the platform together"),
}


def responsible_words(responsible: Responsibility) -> tuple[str, str]:
    return RESPONSIBLE_WORDS[responsible]


@router.get("", response_class=HTMLResponse)
def my_incidents(request: Request, account: SellerAccount, uow: Uow) -> Response:
    return render(request, "seller/incidents.html", incidents_context(uow(), account))


def price_word(uow: SqlAlchemyUnitOfWork, view: SellerIncident) -> str:
    """What the page calls the correct price a customer's discount was off (an order held for
    its difference, or sent once it was paid), as the customers were told it
    (``desk_messages.correct_price_word``): 정상가, but a book's 정가 or 판매가. Read only where
    the page says it."""
    said = (OrderInstruction.HOLD_DIFFERENCE.value in view.counts
            or any(o.reason == "discount_paid" for o in view.orders))
    if not said:
        return dm.REGULAR_PRICE_WORD
    with uow:
        return incident_price_word(uow, view.incident, [n.listing_id for n in view.listings])


#: Orders a page lists (a large incident has tens of thousands: the counts say the rest).
PAGE_ROWS = 50  # a phone shows each order as a card: 200 made a page 37,000 px tall


@router.get("/{incident_id}", response_class=HTMLResponse)
def incident_page(incident_id: int, request: Request, account: SellerAccount, uow: Uow,
                  show: Annotated[str, Query(max_length=100)] = "",
                  page: Annotated[str, Query(max_length=12)] = "1") -> Response:
    """``show``: only the orders with that instruction (``send``, ``hold_choice`` …; anything
    else is every order); ``page``: which :data:`PAGE_ROWS` of them, oldest first (not a page
    number, or past the last: the first or the last page)."""
    assert account.seller_id is not None
    lang = lang_of(request)
    view = seller_incident(uow(), seller_id=account.seller_id, incident_id=incident_id,
                           policy=request.app.state.desk_policy, apology_in=lang)
    wanted = show if show in {i.value for i in OrderInstruction} else ""
    listed = [o for o in view.orders if not wanted or o.instruction.value == wanted]
    pages = max(1, -(-len(listed) // PAGE_ROWS))
    asked = int(page) if page.strip().isdigit() else 1  # anything else: the first page
    page_no = min(max(asked, 1), pages)
    word = price_word(uow(), view)
    return render(request, "seller/incident.html", {
        "view": view, "words": lambda i: instruction_words(i, lang),
        # "정상가에서 할인된 가격으로 사고 …" said of a book: its 정가 or 판매가 (:func:`price_word`)
        "why": lambda r: reason_words(r, lang).replace(dm.REGULAR_PRICE_WORD, word),
        "responsible_words": responsible_words, "price_word": word,
        "rows": listed[(page_no - 1) * PAGE_ROWS: page_no * PAGE_ROWS], "listed": len(listed),
        "show": wanted, "page": page_no, "pages": pages, "per_page": PAGE_ROWS})
