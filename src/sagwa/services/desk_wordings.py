"""The wordings of an incident's customer messages, built and checked before anything is queued.

Every text is rendered from the templates in ``message_templates/`` and must pass the message
check. Per-customer values (name, units, amount paid, link) are data sagwa fills in itself, so
the check runs once per distinct wording — the template rendered for the plan, language and
channel and for the listings a customer ordered from (each customer is told about the products
and sellers of their own orders: :func:`case_facts`), for a customer within the plan's keep cap
and one above it (:func:`wording_samples`), with stand-ins for the names of the products, the
sellers and the customer (:mod:`sagwa.services.name_stand_ins`: a book called "소송의 기술" is
no threat) — and a failing wording refuses the whole batch
(:func:`checked_wordings`) before anything is queued. The apology, its reminder and the note
after the default are worded here; :mod:`sagwa.services.desk_notify` queues them.

Who the wording says entered the wrong price follows whose account did, on those listings
(``IncidentFacts.entered_by``: :func:`sagwa.services.price_entry.who_entered`): the seller,
"our staff", or no one when the record cannot tell or the listings disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sagwa.domain.incident_plan import DefaultAction, IncidentPlan, default_outcome
from sagwa.domain.incidents import Case, CaseStatus, Incident, OrderRecord
from sagwa.domain.money import Money, format_money
from sagwa.domain.price_moves import is_big_move
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard.explain import law_of
from sagwa.services import desk_messages as dm
from sagwa.services.desk_outcome_wording import defaulted_values
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import CUSTOMER, Values, stand_in_facts
from sagwa.services.price_entry import change_that_set, who_entered
from sagwa.services.short_names import sms_width
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: How much of a product name the SMS carries (cut on a word, with "…": ``dm.shorten_name``),
#: in characters as first set; kept for callers that still count so.
SMS_PRODUCT_CHARS = 30
#: The same budget as a text message counts it (``short_names.sms_width``: a Hangul syllable 2,
#: an ASCII character 1), for Korean and English alike: 30 Hangul syllables, or 60 Latin letters
#: — counting characters cut "Apple iPod nano 3rd generation 4GB" to "Apple iPod nano…" while
#: the Korean name went out whole.
SMS_PRODUCT_WIDTH = 2 * SMS_PRODUCT_CHARS
REMINDER_PREFIX = {"ko": "[다시 안내] ", "en": "[Reminder] "}
DEFAULTED_SUBJECT = {"ko": dm.subject("답변 기한이 지나 이렇게 처리해 드립니다", "ko"),
                     "en": dm.subject("We are sorry: what happens now that the deadline has passed",
                                      "en")}


def incident_facts(uow: SqlAlchemyUnitOfWork, inc: Incident,
                   listing_ids: Iterable[int] | None = None) -> dm.IncidentFacts:
    """The facts for ``listing_ids`` (default: all the incident's listings), naming each of
    their products and sellers; a customer's messages use :func:`case_facts` instead."""
    ids = _listings_of(inc, listing_ids)
    return _facts(uow, inc, ids, [_listing_names(uow, i) for i in ids])


def incident_price_word(uow: SqlAlchemyUnitOfWork, inc: Incident,
                        listing_ids: Iterable[int] | None = None) -> str:
    """What the Korean wording about ``listing_ids`` (default: all the incident's listings)
    calls the correct price, as their customers' messages do (``dm.correct_price_word``):
    정상가, but a book's 정가 or 판매가 — reading only the products' list prices. 정상가 while
    the incident has no correct price (nothing names it yet)."""
    if inc.correct_price is None:
        return dm.REGULAR_PRICE_WORD
    ids = _listings_of(inc, listing_ids)
    return dm.price_word(inc.correct_price, _fixed_list_price(uow, inc, ids))


def _facts(uow: SqlAlchemyUnitOfWork, inc: Incident, ids: tuple[int, ...],
           names: list[dm.ListingNames]) -> dm.IncidentFacts:
    """The facts of listings ``ids`` (named by ``names``), with whose account entered the
    wrong price on them — what the cause sentence may say about who erred."""
    assert inc.correct_price is not None
    return replace(dm.facts_for_listings(inc, inc.correct_price, names),
                   entered_by=who_entered(uow, inc, ids),
                   approved_by_reviewer=how_approved(uow, inc, ids) is not None,
                   fixed_list_price=_fixed_list_price(uow, inc, ids))


def _fixed_list_price(uow: SqlAlchemyUnitOfWork, inc: Incident,
                      ids: tuple[int, ...]) -> Money | None:
    """The one list price (정가) of the products of ``ids`` that a fixed-price law covers (the
    price guard's ``LIST_PRICE_LAWS``: books), in the incident's currency; None when none is
    covered, or they differ (the messages then say "정상가")."""
    found = set()
    for listing_id in ids:
        listing = require(uow.market.listing(listing_id), "listing", listing_id)
        product = require(uow.catalog.product(listing.product_id), "product", listing.product_id)
        if law_of("below_list_price_floor", product.category) is None:
            continue
        price = product.list_price
        found.add(price if price is not None and price.currency == inc.currency else None)
    return found.pop() if len(found) == 1 else None


def how_approved(uow: SqlAlchemyUnitOfWork, inc: Incident,
                 listing_ids: Iterable[int]) -> str | None:
    """How a reviewer let the wrong price go live on one of ``listing_ids`` after the guard held
    it, or None if none did: ``first_price`` — released a listing held at publication at that
    first price; ``big_move_down`` / ``big_move_up`` — approved a change that cut the price to
    half or less / raised it to double or more (the rule that asked for a written reason);
    ``approved`` — approved a change no such rule covered."""
    end = inc.window_end or uow.now()
    found: str | None = None
    for listing_id in sorted(int(i) for i in listing_ids):
        setter = change_that_set(uow.market.price_changes_for(listing_id), inc.wrong_price, end)
        if setter is None:  # the listing had the price from the start: released at it?
            release = uow.audit.latest_for_entity("listing", str(listing_id), "listing.release")
            if (release is not None and release.occurred_at <= end
                    and (release.event.after or {}).get("price") == inc.wrong_price.as_dict()):
                found = found or "first_price"
        elif setter.status is PriceChangeStatus.APPROVED:
            old, new = setter.old_price.amount_minor, setter.new_price.amount_minor
            if is_big_move(old, new):
                return "big_move_down" if new < old else "big_move_up"
            found = found or "approved"
    return found


def case_facts(uow: SqlAlchemyUnitOfWork, inc: Incident, case: Case) -> dm.IncidentFacts:
    """The facts one customer is told: the products and sellers of that customer's own orders
    (the first listing's seller first), not those of the incident's other listings."""
    return incident_facts(uow, inc, _case_listings(case))


def _case_listings(case: Case) -> set[int] | None:
    return {int(o.listing_id) for o in case.orders} or None


def _listings_of(inc: Incident, listing_ids: Iterable[int] | None) -> tuple[int, ...]:
    return tuple(sorted({int(i) for i in (inc.listing_ids if listing_ids is None else listing_ids)}))


def _listing_names(uow: SqlAlchemyUnitOfWork, listing_id: int) -> dm.ListingNames:
    listing = require(uow.market.listing(listing_id), "listing", listing_id)
    product = require(uow.catalog.product(listing.product_id), "product", listing.product_id)
    seller = require(uow.catalog.seller(listing.seller_id), "seller", listing.seller_id)
    return dm.ListingNames(product.title, product.title_en or product.title, seller.name)


def shared_values(facts: dm.IncidentFacts, plan: IncidentPlan, policy: DeskPolicy,
                  lang: str) -> dict[str, object]:
    """What every customer's message about this incident says, in one language."""
    return {"wrong_date": dm.format_date(facts.incident.window_start, lang),
            # a customer's own order days replace it (customer_values' ``placed``)
            "ordered_when": dm.ordered_when([facts.incident.window_start], lang),
            "cause_ko": dm.cause(facts, "ko"), "cause_en": dm.cause(facts, "en"),
            "deadline": dm.format_when(plan.deadline, lang), **product_values(facts, lang),
            **dm.contact_values(policy.contact, lang),
            # what the Korean wording calls the correct price: 정상가, or a book's 정가/판매가
            "correct_price_word": dm.correct_price_word(facts)}


def product_values(facts: dm.IncidentFacts, lang: str) -> dict[str, str]:
    """The products ``facts`` name, in ``lang``: in full, and cut for a text message."""
    product = facts.product_ko if lang == "ko" else facts.product_en
    return {"product": product, "product_short": dm.shorten_name(product, SMS_PRODUCT_WIDTH,
                                                            width=sms_width)}


def with_names(values: Mapping[str, object], lang: str) -> Values:
    """``values`` with the customer's name, the products named and how the wrong price came
    about (``cause_ko`` or ``cause_en``: a confirmation that is the customer's first word of
    the incident says it), for ``name_stand_ins.render_checked`` (which gives the real names
    or their stand-ins)."""
    return lambda facts, name: {"customer_name": name, **product_values(facts, lang),
                                f"cause_{lang}": dm.cause(facts, lang), **values}


def customer_values(shared: dict[str, object], plan: IncidentPlan, lang: str, name: str,
                    units: int, paid: Money, link: str,
                    over: dm.OverCap | None = None, *,
                    can_call: bool = True,
                    placed: Sequence[datetime] = ()) -> dict[str, object]:
    """One customer's values: ``over`` (``dm.over_cap``) for a customer above the keep cap,
    whose keep option and unanswered default read differently; without ``can_call`` (no phone
    number on file) the option to talk to a person asks them to call us; ``placed``: when their
    orders were placed (the apology names those days; without, the day the price went wrong)."""
    ordered = {"ordered_when": dm.ordered_when(placed, lang)} if placed else {}
    return {**shared, **ordered, "customer_name": name, "units": units,
            "paid": format_money(paid, lang=lang),
            "options": dm.option_lines(plan, paid, lang, over, can_call=can_call, units=units,
                                       refund_timing=str(shared.get("refund_timing") or ""),
                                       price_word=_price_word(shared)),
            "options_phrase": dm.options_phrase(plan, lang, over, price_word=_price_word(shared)),
            "default_ko": dm.default_sentence(plan, "ko", over, can_call=can_call),
            "default_en": dm.default_sentence(plan, "en", over, can_call=can_call),
            # the text message's: a customer without an email learns the default from it
            "default_short": dm.default_short(plan, lang, over),
            "link": link}


def _price_word(shared: Mapping[str, object]) -> str:
    return str(shared.get("correct_price_word") or dm.REGULAR_PRICE_WORD)


def resolution_texts(values: dict[str, object], lang: str,
                     reminder: bool = False) -> dict[str, tuple[str, str]]:
    """Subject and body per channel. A ``reminder`` (to a customer who has not answered) says so
    after the apology and restates the deadline; its subject starts with ``[다시 안내]``."""
    subject = dm.subject("주문하신 상품의 가격 오류에 대해 사과드립니다" if lang == "ko"
                         else "We are sorry: your order was placed at a wrong price", lang)
    if reminder:
        subject = REMINDER_PREFIX[lang] + subject
    values = {**values, "reminder": reminder}
    return {"email": (subject, dm.render("resolution_email", lang, **values)),
            "sms": ("", dm.render("resolution_sms", lang, **values))}


def _check_wording(facts: dm.IncidentFacts, plan: IncidentPlan, policy: DeskPolicy) -> int:
    """Run the message check on every wording of :func:`wording_samples`, for stand-ins of
    the products and sellers (``name_stand_ins``: their names are not judged); how many."""
    samples = wording_samples(stand_in_facts(facts), plan, policy)
    for lang, body in samples:
        dm.checked(body, kind="resolution", lang=lang)
    return len(samples)


def wording_samples(facts: dm.IncidentFacts, plan: IncidentPlan,
                    policy: DeskPolicy) -> list[tuple[str, str]]:
    """(language, text) of each wording a customer of ``facts`` can be sent, with sample
    customer values: the apology and its reminder, for a customer within the keep cap and (when
    the plan has one) above it, and the message sent when the default is applied — so neither
    the reminder job nor the deadline job can fail on its wording later."""
    unit, samples = facts.incident.wrong_price, []
    for lang in ("ko", "en"):
        shared = shared_values(facts, plan, policy, lang)
        name = CUSTOMER[lang]
        for case in _sample_cases(facts.incident, plan):
            paid = unit.times(case.units)
            values = customer_values(shared, plan, lang, name, case.units, paid,
                             "https://example.invalid/c/sample", dm.over_cap(case, plan))
            texts = [*resolution_texts(values, lang).values(),
                     *resolution_texts(values, lang, reminder=True).values()]
            # to a customer with no phone number (by email only): no call promised
            no_phone = customer_values(shared, plan, lang, name, case.units, paid,
                                       "https://example.invalid/c/sample",
                                       dm.over_cap(case, plan), can_call=False)
            texts += [resolution_texts(no_phone, lang, reminder)["email"]
                      for reminder in (False, True)]
            for still_open in {False, plan.accept_late_choices}:
                texts += defaulted_texts(shared, case, plan, paid, lang, name,
                                          still_open).values()
            samples += [(lang, body) for _subject, body in texts]
            samples += [(lang, body) for body in never_told_texts(
                shared, replace(case, told=False), plan, lang, name,
                "https://example.invalid/c/sample").values()]
    return samples


def never_told_texts(shared: dict[str, object], case: Case, plan: IncidentPlan, lang: str,
                     name: str, link: str) -> dict[str, str]:
    """Channel -> body of the message at the deadline to a customer never told
    (``desk_unreachable.never_told_messages``); its wording is checked with the others when the
    incident is notified (:func:`wording_samples`), so the deadline job cannot fail on it."""
    values = after_deadline_values(shared, case, plan, lang, name, link)
    return {channel: dm.render(f"never_told_{channel}", lang, **values)
            for channel in ("email", "sms")}


def after_deadline_values(shared: dict[str, object], case: Case, plan: IncidentPlan, lang: str,
                          name: str, link: str, **extra: object) -> dict[str, object]:
    """The values of a message after the deadline to a customer owed a call (never told; could
    not reach you): the incident's shared ones, the order's (:func:`order_values`), the name,
    the case link (empty: none) and the message's own ``extra``."""
    return {**shared, **order_values(case, plan, case.exposure.currency, lang,
                                     price_word=_price_word(shared)),
            "customer_name": name, **extra, "link": link}


def order_values(case: Case, plan: IncidentPlan, currency: str, lang: str, *,
                 price_word: str = dm.REGULAR_PRICE_WORD) -> dict[str, object]:
    """For the messages after the deadline to a customer owed a call (``desk_unreachable``):
    the order (units, paid), what happens to it now (the default the case took) and the
    options offered, which the customer can still choose — the discount off the correct price
    named by ``price_word``, as the apology named it (``dm.correct_price_word``)."""
    ko = lang == "ko"
    paid = case.paid(currency)
    if default_outcome(case, plan) is DefaultAction.KEEP:
        outcome = ("주문하신 상품은 결제하신 가격 그대로 보내 드립니다." if ko
                   else "We will send your order at the price you paid.")
        short = "주문은 결제하신 가격 그대로 유지됩니다." if ko else "Your order stays at the price you paid."
    else:
        outcome = ("고객님과 통화하기 전까지 주문은 바뀌지 않고 그대로 유지됩니다." if ko
                   else "Your order stays as it is: nothing changes until we have talked to you.")
        short = "주문은 그대로 유지됩니다." if ko else "Your order stays as it is."
    return {"units": case.units, "paid": format_money(paid, lang=lang), "outcome": outcome,
            "outcome_short": short,
            "offered": [dm.choice_label(o, lang, plan, price_word=price_word)
                        for o in dm.OPTION_ORDER if plan.offers(o)],
            "options_phrase": dm.options_phrase(plan, lang, dm.over_cap(case, plan),
                                                price_word=price_word)}


def _sample_cases(inc: Incident, plan: IncidentPlan) -> list[Case]:
    """A customer with one unit and, when the plan caps keep, one holding a unit more than the
    cap (in two orders, as a customer over the cap usually is)."""
    def case(*quantities: int) -> Case:
        orders = tuple(OrderRecord(i + 1, "sample", next(iter(inc.listing_ids), 0), q,
                                   inc.wrong_price, inc.window_start, "placed")
                       for i, q in enumerate(quantities))
        return Case("sample", inc.incident_id, "sample", orders, Money(0, inc.currency),
                    CaseStatus.DEFAULTED)

    cap = plan.keep_max_units
    return [case(1)] + ([case(cap, 1)] if cap is not None and plan.offers("keep") else [])


Shared = dict[str, dict[str, object]]


def checked_wordings(uow: SqlAlchemyUnitOfWork, inc: Incident, cases: list[Case],
                     plan: IncidentPlan,
                     policy: DeskPolicy) -> dict[int, tuple[dm.IncidentFacts, Shared]]:
    """Each case's facts and shared values (case id -> both). Cases over the same listings share
    one wording, checked once here, before any message is queued."""
    assert inc.correct_price is not None
    names: dict[int, dm.ListingNames] = {}
    known: dict[tuple[int, ...], tuple[dm.IncidentFacts, Shared]] = {}
    by_case = {}
    for case in cases:
        key = _listings_of(inc, _case_listings(case))
        if key not in known:
            for i in key:
                names.setdefault(i, _listing_names(uow, i))
            facts = _facts(uow, inc, key, [names[i] for i in key])
            _check_wording(facts, plan, policy)
            known[key] = facts, {lang: shared_values(facts, plan, policy, lang)
                                 for lang in ("ko", "en")}
        by_case[int(case.case_id)] = known[key]
    return by_case


def defaulted_texts(shared: dict[str, object], case: Case, plan: IncidentPlan, paid: Money,
                    lang: str, name: str, still_open: bool) -> dict[str, tuple[str, str]]:
    """Subject and body per channel of the message to a customer whose case took the default
    (the correct price named as the apology named it: ``shared``'s ``correct_price_word``)."""
    values = {**shared, "customer_name": name,
              **defaulted_values(case, plan, paid, lang, still_open=still_open,
                                 price_word=_price_word(shared))}
    return {"email": (DEFAULTED_SUBJECT[lang], dm.render("defaulted_email", lang, **values)),
            "sms": ("", dm.render("defaulted_sms", lang, **values))}
