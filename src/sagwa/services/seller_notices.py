"""The seller is told, by email, when a pricing incident names their listings — so that they do
not do what the 2008 seller did (phone the buyers to ask them to cancel, then cancel every
order by a one-line text): when it is declared (the listing is paused; do not cancel or
contact the customers; their seller page will say what to do with each order), when the
customers are told (how many of theirs, from when, the options, the deadline, the default, who
pays the compensation), when it is closed (what happened to each of their orders, the items
to send, the compensation points charged to them), when a customer pays the difference the
discount choice left (the orders they held for it can be sent now, closed incident or not),
when a customer of a closed incident cancels instead of paying it (do not send them), and, while
the customers answer, which orders became ones to send (each listed once: ``READY``, queued by
``seller_ready_notices``).
In Korean, then English (a seller has no
language of its own in sagwa), to the seller's contact address; a seller without one has only
their page. Queued in the same transaction as the step (``seller_incident`` in the outbox),
sent at once: the seller's business, not a customer's evening; each once per incident and
step. Checked like every message sagwa sends, as a ``seller_notice``: no threat and no blame
(of the customers, of the seller, or disclaiming the platform's part), a way to ask; no apology
or options are owed to a seller. The emails about a listing rather than an incident (the order
tripwire's pause, a reviewer's decision on a held price change) are ``seller_listing_notices``'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sagwa.domain.catalog import Seller
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import Case, Incident, OrderRecord
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import format_money
from sagwa.domain.orders import OrderStatus
from sagwa.domain.seller_orders import OrderInstruction, reason_words
from sagwa.services import desk_messages as dm
from sagwa.services.desk_money import incident_money
from sagwa.services.desk_notify import LinkMaker, page_link
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import incident_price_word
from sagwa.services.listing_names import ListingName, listing_names
from sagwa.services.outbox import OutgoingMessage
from sagwa.services.seller_incidents import SellerIncident, SellerOrder, seller_view
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SELLER_PURPOSE = "seller_incident"
DECLARED, NOTIFIED, CLOSED = "declared", "notified", "closed"
DIFFERENCE_PAID = "difference_paid"
CANCELLED_INSTEAD = "cancelled_instead"
#: Orders that became ones to send (a customer kept theirs, the deadline's keep default): listed
#: once each, every 30 minutes while the incident notifies (``seller_ready_notices``)
READY = "ready"
#: The most orders a :data:`READY` email lists one by one (the rest: "and N more on your page")
READY_LINES = 50
LANGS = ("ko", "en")
#: The seller's name in the copy of an email the message check reads (:func:`check_wording`).
_SELLER_STAND_IN = {"ko": "판매자", "en": "seller"}
#: Signed as the customers' subjects are (``desk_messages.TAG``, the name sagwa sends mail under):
#: "[사과]" alone read as "[Apology]" (a copy edit).
_SUBJECTS = {
    DECLARED: (f"{dm.TAG['ko']} 가격 오류 사고 {{n}}번: 주문을 취소하거나 고객께 취소를 요청하지 마세요",
               (f"{dm.TAG['en']} Pricing incident {{n}}: please do not cancel orders or ask "
                "customers to cancel")),
    NOTIFIED: (f"{dm.TAG['ko']} 가격 오류 사고 {{n}}번: 고객께 사과와 안내를 보냅니다",
               f"{dm.TAG['en']} Pricing incident {{n}}: your customers are being asked"),
    CLOSED: (f"{dm.TAG['ko']} 가격 오류 사고 {{n}}번을 마무리했습니다: 주문별 처리",
             f"{dm.TAG['en']} Pricing incident {{n}} is closed: what happened to each order"),
    DIFFERENCE_PAID: (f"{dm.TAG['ko']} 가격 오류 사고 {{n}}번: 차액이 결제된 주문을 보내 주세요",
                      f"{dm.TAG['en']} Pricing incident {{n}}: the difference is paid, please send"),
    CANCELLED_INSTEAD: (f"{dm.TAG['ko']} 가격 오류 사고 {{n}}번: 차액 대신 취소된 주문을 보내지 마세요",
                        f"{dm.TAG['en']} Pricing incident {{n}}: cancelled instead of paying, do not send"),
    READY: (f"{dm.TAG['ko']} 가격 오류 사고 {{n}}번: 이제 보내셔도 되는 주문 {{count}}건",
            f"{dm.TAG['en']} Pricing incident {{n}}: orders you can send now ({{count}})"),
}
#: How the closing email counts the seller's orders, per ``seller_orders.OrderInstruction``
#: (Korean, English; ``{n}`` orders).
_INSTRUCTION_WORDS = {
    OrderInstruction.SEND: ("보내실 주문 {n}건", "{n} to send"),
    OrderInstruction.SENT: ("이미 보낸 주문 {n}건", "{n} already sent"),
    OrderInstruction.DO_NOT_SEND: ("고객의 선택으로 취소된 주문 {n}건(환불 진행, 보내지 마세요)",
                                   ("{n} cancelled by the customer's choice (refund under way; "
                                   "do not send)")),
    OrderInstruction.HOLD_DIFFERENCE: ("차액 결제를 기다리는 주문 {n}건(보류)",
                                       "{n} held until the customer pays the difference"),
    OrderInstruction.HOLD_UNREACHABLE: ("고객과 연락이 닿지 않아 보류한 주문 {n}건(운영팀과 상의해 주세요)",
                                        ("{n} held: the customer could not be reached (agree "
                                        "with the operations team what to do)")),
    OrderInstruction.HOLD_CALL: ("상담원 통화를 기다리는 주문 {n}건(보류)",
                                 "{n} held until our staff talk to the customer"),
    OrderInstruction.HOLD_CHOICE: ("고객의 선택을 기다리는 주문 {n}건(보류)",
                                   "{n} held until the customer chooses"),
    OrderInstruction.HOLD_NOT_ASKED: ("고객께 여쭙기 전인 주문 {n}건(보류)",
                                      "{n} held: the customer was not asked yet"),
}


@dataclass(frozen=True)
class CustomersTold:
    """What the :data:`NOTIFIED` email says about the customers: the cases told (each seller
    counts those with an order on its listings) and when their messages go out (the contact
    centre's next opening: not necessarily now)."""

    cases: Sequence[Case]
    send_at: datetime


def seller_when(moment: datetime, lang: str) -> str:
    """A moment as every seller email writes it: ``12월 8일(화) 오후 6시(한국 시간)`` / ``Tuesday,
    December 8 at 6 pm (Korea time)`` — the customers' messages' day and hour
    (``desk_messages.day_words`` / ``hour_words``), with the zone said the same way in both
    languages (a copy edit found three formats in one incident's seller texts)."""
    local = moment.astimezone(SEOUL)
    day, hour = dm.day_words(local, lang), dm.hour_words(local, lang)
    return f"{day} {hour}(한국 시간)" if lang == "ko" else f"{day} at {hour} (Korea time)"


def seller_notices(uow: SqlAlchemyUnitOfWork, *, incident: Incident, stage: str,
                   links: LinkMaker | None, plan: IncidentPlan | None = None,
                   told: CustomersTold | None = None) -> list[OutgoingMessage]:
    """The email to each seller of ``incident``'s listings with a contact address, for
    ``stage``: :data:`DECLARED`, or :data:`NOTIFIED` with the ``plan`` and the customers
    ``told`` (a seller none of whose listings has a customer among them is not written to);
    inside the caller's unit of work. Without ``links`` the email names only the page's path,
    which no mail client opens: the app, the worker and the CLI pass theirs (the CLI's from
    ``SAGWA_PUBLIC_BASE_URL`` or ``SAGWA_HOST``:``SAGWA_PORT``, as for the customers)."""
    names = listing_names(uow, incident.listing_ids)
    messages = []
    for seller_id, listing_ids in listings_by_seller(uow, incident).items():
        seller = uow.catalog.seller(seller_id)
        customers = _customers_on(told, listing_ids)
        if seller is None or not seller.contact_email or (stage == NOTIFIED and not customers):
            continue
        messages.append(_email(uow, incident, seller, stage, links, names, partial(
            _stage_values, incident, stage, plan, told, names, listing_ids, customers,
            price_word=incident_price_word(uow, incident, listing_ids) if stage == NOTIFIED
            else dm.REGULAR_PRICE_WORD)))
    return messages


def _email(uow: SqlAlchemyUnitOfWork, incident: Incident, seller: Seller, stage: str,
           links: LinkMaker | None, names: Mapping[int, ListingName],
           values: Callable[[str], dict[str, object]], key_suffix: str = "",
           subject_values: Mapping[str, object] | None = None) -> OutgoingMessage:
    """``stage``'s email to ``seller``: its template in Korean, then English, each filled with
    ``values(lang)`` and the parts every seller email has (their name, the incident, the link
    to its page — its path without ``links``); keyed once per incident, seller and stage (and
    ``key_suffix``: once per case for a stage that happens per case). Each language's subject
    and body pass the message check (:func:`check_wording`; ``names``: the listings it may
    name) or nothing is queued."""
    iid = int(incident.incident_id)
    page = f"/seller/incidents/{iid}"
    link = page_link(links, page)
    subjects = [subject.format(n=iid, **(subject_values or {})) for subject in _SUBJECTS[stage]]

    def body(lang: str, seller_name: str) -> str:
        return dm.render(f"seller_{stage}_email", lang, seller_name=seller_name, incident_id=iid,
                         link=link, **values(lang))

    for subject, lang in zip(subjects, LANGS, strict=True):
        check_wording(f"{subject}\n\n{body(lang, _SELLER_STAND_IN[lang])}", lang=lang,
                      names=names)
    return OutgoingMessage(
        idempotency_key=f"incident:{iid}:seller:{seller.id}:{stage}{key_suffix}",
        purpose=SELLER_PURPOSE, channel="email", recipient=str(seller.contact_email),
        locale="ko", subject=" / ".join(subjects),
        body="\n\n— English —\n\n".join(body(lang, seller.name) for lang in LANGS),
        not_before=uow.now(), incident_id=iid)


def check_wording(text: str, *, lang: str, names: Mapping[int, ListingName]) -> None:
    """Refuse a seller email in ``lang`` whose wording fails the message check as a
    ``seller_notice`` (a threat, blame of the customers or of the seller; no way to ask):
    :class:`~sagwa.errors.MessageRefused` with the findings, and the caller's step with it.

    The check judges sagwa's wording, not the catalogue's: each listing of ``names`` written
    as the emails write it (``Title (#7)``) is checked as its number, and the caller puts a
    stand-in for the seller's name. A book called "The Lawyer" or "소송의 기술" reads as a
    threat to the check, and must not stop its incident from being declared (its listing
    paused) or its seller from being told."""
    dm.checked(text, kind="seller_notice", lang=lang,
               stand_ins={_title(names, listing_id, lang): f"#{listing_id}" for listing_id in names})


def listings_by_seller(uow: SqlAlchemyUnitOfWork, incident: Incident) -> dict[int, list[int]]:
    by_seller: dict[int, list[int]] = {}
    for listing_id in sorted(int(i) for i in incident.listing_ids):
        listing = uow.market.listing(listing_id)
        if listing is not None:
            by_seller.setdefault(int(listing.seller_id), []).append(listing_id)
    return dict(sorted(by_seller.items()))


def _customers_on(told: CustomersTold | None, listing_ids: list[int]) -> int:
    """How many of the customers told ordered on these listings."""
    if told is None:
        return 0
    mine = set(listing_ids)
    return sum(1 for case in told.cases if any(int(o.listing_id) in mine for o in case.orders))


def _stage_values(incident: Incident, stage: str, plan: IncidentPlan | None,
                  told: CustomersTold | None, names: Mapping[int, ListingName],
                  listing_ids: list[int], customers: int, lang: str, *,
                  price_word: str = dm.REGULAR_PRICE_WORD) -> dict[str, object]:
    """What :data:`DECLARED` and :data:`NOTIFIED` say to the seller of ``listing_ids``;
    ``price_word``: what the Korean calls the correct price (:func:`_price_word`)."""
    titles = [_title(names, i, lang) for i in listing_ids]
    return {"listings": titles, "customers": customers,
            **_step_values(incident, stage, plan, told, lang, price_word)}


def _step_values(incident: Incident, stage: str, plan: IncidentPlan | None,
                 told: CustomersTold | None, lang: str,
                 price_word: str = dm.REGULAR_PRICE_WORD) -> dict[str, object]:
    if stage == DECLARED:
        return {"wrong_price": format_money(incident.wrong_price, lang=lang),
                "correct_price": format_money(incident.correct_price, lang=lang)
                if incident.correct_price else "—",
                "window_start": seller_when(incident.window_start, lang)}
    assert plan is not None and told is not None  # the customers were told under a plan
    return {"send_at": seller_when(told.send_at, lang),
            "deadline": seller_when(plan.deadline, lang),
            "offered": [_option_words(plan, o, lang, price_word) for o in dm.OPTION_ORDER
                        if plan.offers(o)],
            "default": _default_words(plan, lang), "seller_share": plan.seller_share_pct,
            "platform_share": plan.platform_share_pct,
            "compensation": dm.points_words(dm.cancel_points(plan), lang)
            if plan.cancel_compensation and dm.cancel_points(plan)  # none for 0 points
            and plan.offers(CustomerOption.CANCEL_WITH_COMPENSATION)
            else None}


def _option_words(plan: IncidentPlan, option: CustomerOption, lang: str,
                  price_word: str = dm.REGULAR_PRICE_WORD) -> str:
    """An option as the seller needs it: with its amount, percent or unit cap (the discount's
    name says its percent: "정가에서 10% 할인된 가격으로 구매", ``price_word`` as its customers
    read it)."""
    ko = lang == "ko"
    # without points (0): a full refund only
    name = dm.choice_label(option, lang, plan, price_word=price_word)
    if option is CustomerOption.KEEP and plan.keep_max_units is not None:
        return f"{name}(1인당 {plan.keep_max_units}개까지)" if ko \
            else f"{name} (up to {plan.keep_max_units} per customer)"
    if (option is CustomerOption.CANCEL_WITH_COMPENSATION and plan.cancel_compensation
            and dm.cancel_points(plan)):
        points = dm.points_words(dm.cancel_points(plan), lang)
        return f"주문 취소(전액 환불과 보상 {points})" if ko \
            else f"cancel the order (full refund and {points} of compensation)"
    return name


def _default_words(plan: IncidentPlan, lang: str) -> str:
    """The plan's default as the seller needs it: what happens to the order."""
    ko = lang == "ko"
    if plan.default is DefaultAction.FOLLOW_UP_CALL:
        return "상담원이 고객께 연락해 여쭙니다(그때까지 주문은 그대로)" if ko \
            else "our staff contact the customer to ask (the order stays as it is until then)"
    if plan.keep_max_units is not None:
        return (f"주문 유지(1인당 {plan.keep_max_units}개까지; 넘게 주문한 고객께는 상담원이 연락해 여쭙니다)"
                if ko else f"the order is kept (up to {plan.keep_max_units} per customer; "
                "our staff contact customers who ordered more)")
    return "주문 유지" if ko else "the order is kept"


def closing_notices(uow: SqlAlchemyUnitOfWork, *, incident: Incident, links: LinkMaker | None,
                    policy: DeskPolicy) -> list[OutgoingMessage]:
    """The email to each seller with orders in ``incident``, just closed, and a contact address:
    what happened to each of their orders (counted per instruction, as their page shows them:
    ``seller_incidents.seller_view``), the items to send and the compensation points charged
    to them; inside the caller's unit of work."""
    iid = int(incident.incident_id)
    messages = []
    sellers = [s for s in (uow.catalog.seller(i) for i in listings_by_seller(uow, incident))
               if s is not None and s.contact_email]
    if not sellers:
        return []
    # read once for every seller (a large incident has tens of thousands of cases)
    every_case = uow.cases.for_incident(iid)
    money = incident_money(uow, iid, incident.wrong_price.currency)
    emailed = uow.orders_told.told_times(iid)
    for seller in sellers:
        view = seller_view(uow, seller_id=int(seller.id), incident_id=iid, policy=policy,
                           every_case=every_case, money=money, emailed=emailed)
        if view.orders:
            names = {n.listing_id: n for n in view.listings}
            messages.append(_email(uow, incident, seller, CLOSED, links, names,
                                   partial(_closing_values, view)))
    return messages


def _closing_values(view: SellerIncident, lang: str) -> dict[str, object]:
    return {"units_to_send": view.units_to_send,
            "listings": [f"{n.title_in(lang)} (#{n.listing_id})" for n in view.listings],
            "orders": [_INSTRUCTION_WORDS[OrderInstruction(code)][0 if lang == "ko" else 1]
                       .format(n=n) for code, n in view.counts.items()],
            "charged": _points(view.charged_points, lang),
            "charged_points": view.charged_points}  # its rounding is said when there is any


def difference_paid_notices(uow: SqlAlchemyUnitOfWork, *, incident: Incident, case: Case,
                            links: LinkMaker | None) -> list[OutgoingMessage]:
    """The email to each seller (with a contact address) of ``case``'s orders still standing,
    once its difference was recorded as paid: those orders, held until now, are to be sent.
    Their page says so too; without this email they would have to keep looking (a walkthrough
    found nobody told them, least of all after the incident closed). Inside the caller's unit
    of work, which queues them; once per case and seller. The orders are recorded as told
    (``seller_orders_told``): the emails of orders to send (:data:`READY`) do not list them
    again."""
    messages = []
    for seller_id, orders, message in _about_held_orders(uow, incident, case, links,
                                                         DIFFERENCE_PAID):
        uow.orders_told.record(incident_id=int(incident.incident_id), seller_id=seller_id,
                               order_ids=[int(o.order_id) for o in orders], at=uow.now(),
                               message_key=message.idempotency_key)
        messages.append(message)
    return messages


def cancelled_instead_notices(uow: SqlAlchemyUnitOfWork, *, incident: Incident, case: Case,
                              links: LinkMaker | None,
                              charged: Mapping[int, int] | None = None) -> list[OutgoingMessage]:
    """The email to each seller (with a contact address) of ``case``'s orders, held for the
    difference of a closed incident, once the customer cancelled instead of paying it
    (``desk_cancel_instead``; ``case`` with the orders it cancels): do not send them. The
    closing email had told the seller to hold them; it also says the compensation points
    this charges them (``charged``: seller id -> points), which their closing email could not.
    Once per case and seller."""
    return [message for _, _, message in _about_held_orders(
        uow, incident, case, links, CANCELLED_INSTEAD, charged or {})]


def _about_held_orders(uow: SqlAlchemyUnitOfWork, incident: Incident, case: Case,
                       links: LinkMaker | None, stage: str,
                       charged: Mapping[int, int] | None = None,
                       ) -> list[tuple[int, list[OrderRecord], OutgoingMessage]]:
    """``stage``'s email to each seller with a contact address of ``case``'s orders standing:
    (the seller's id, those orders, the email)."""
    names = listing_names(uow, incident.listing_ids)
    messages = []
    for seller_id, listing_ids in listings_by_seller(uow, incident).items():
        theirs = set(listing_ids)
        mine = [o for o in case.orders if int(o.listing_id) in theirs
                and o.status != OrderStatus.CANCELLED.value]
        seller = uow.catalog.seller(seller_id)
        if not mine or seller is None or not seller.contact_email:
            continue
        points = (charged or {}).get(seller_id, 0)
        word = incident_price_word(uow, incident, {int(o.listing_id) for o in mine})
        messages.append((seller_id, mine, _email(
            uow, incident, seller, stage, links, names,
            partial(_order_values, mine, names, points, price_word=word),
            key_suffix=f":case:{case.case_id}")))
    return messages


def ready_key_prefix(incident_id: int, seller_id: int) -> str:
    """The outbox key of the :data:`READY` emails to a seller about an incident, less their
    number: ``incident:7:seller:3:ready:``."""
    return f"incident:{incident_id}:seller:{seller_id}:{READY}:"


def ready_notice(uow: SqlAlchemyUnitOfWork, *, incident: Incident, seller: Seller,
                 orders: Sequence[SellerOrder], names: Mapping[int, ListingName],
                 links: LinkMaker | None, number: int) -> OutgoingMessage:
    """The :data:`READY` email to ``seller`` (with a contact address): ``orders`` of theirs in
    ``incident`` have become ones to send (``seller_orders``: nothing can change them any
    more), each with why; the ``number``-th such email of the incident to them (its key:
    :func:`ready_key_prefix` and the number)."""
    return _email(uow, incident, seller, READY, links, names,
                  partial(_ready_values, orders, names), key_suffix=f":{number}",
                  subject_values={"count": f"{len(orders):,}"})


def _ready_values(orders: Sequence[SellerOrder], names: Mapping[int, ListingName],
                  lang: str) -> dict[str, object]:
    lines = [_ready_line(o, names, lang) for o in orders[:READY_LINES]]
    count, more = len(orders), max(0, len(orders) - READY_LINES)
    units = sum(o.quantity for o in orders)
    return {"orders": lines, "count": count, "count_text": f"{count:,}", "more": more,
            "more_text": f"{more:,}", "units": units, "units_text": f"{units:,}"}


def _ready_line(o: SellerOrder, names: Mapping[int, ListingName], lang: str) -> str:
    """One order to send, with why; a quantity the desk cut (a keep capped per customer) says
    what was ordered and that the rest was cancelled and refunded, as the seller's page does
    (their own order system still shows the quantity ordered)."""
    ko, title = lang == "ko", _title(names, o.listing_id, lang)
    cut = o.placed_quantity - o.quantity if o.placed_quantity else 0
    parts = [reason_words(o.reason, lang)] if o.reason else []
    if cut:
        parts.append(f"주문한 {o.placed_quantity}개 중 {cut}개는 취소·환불" if ko
                     else f"{o.placed_quantity} ordered; {cut} cancelled and refunded")
    line = (f"주문 {o.order_id}번: {title} {o.quantity}개" if ko
            else f"order {o.order_id}: {title}, {o.quantity} item{'' if o.quantity == 1 else 's'}")
    return line + (f" ({'; '.join(parts)})" if parts else "")


def _title(names: Mapping[int, ListingName], listing_id: int, lang: str) -> str:
    """A listing as the seller's emails name it: ``Apple iPod nano (#7)``, or ``#7``."""
    name = names.get(listing_id)
    return f"{name.title_in(lang)} (#{listing_id})" if name else f"#{listing_id}"


def _order_values(orders: Sequence[OrderRecord], names: Mapping[int, ListingName],
                  charged: int, lang: str, *,
                  price_word: str = dm.REGULAR_PRICE_WORD) -> dict[str, object]:
    if lang == "ko":
        lines = [f"주문 {o.order_id}번: {_title(names, int(o.listing_id), lang)} {o.quantity}개"
                 for o in orders]
    else:
        lines = [f"order {o.order_id}: {_title(names, int(o.listing_id), lang)}, {o.quantity} "
                 f"item{'' if o.quantity == 1 else 's'}" for o in orders]
    return {"orders": lines, "units": sum(o.quantity for o in orders),
            "charged": _points(charged, lang) if charged else "",
            # what the customer chose, as they were told it (:func:`_price_word`)
            "correct_price_word": price_word}


def _points(points: int, lang: str) -> str:
    return dm.points_words(points, lang)
