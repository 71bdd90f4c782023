"""What the incident desk's pages show: the list, one incident's page — its cases a page at a
time, case-state counts, SLA clocks, the cost split, the plan and declare forms — and the
public-notice editor with its draft and message check. Template contexts only; the routes that
render them and take the forms are in ``incidents``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any

from sagwa.domain.compensation import may_still_cancel
from sagwa.domain.contact_hours import ContactSchedule, next_contact_time
from sagwa.domain.difference import difference_of
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import CaseStatus, Incident, IncidentStatus
from sagwa.domain.money import Money
from sagwa.domain.plan_version import plan_version
from sagwa.domain.price_history import PriceMove
from sagwa.priceguard.tripwire_words import trip_summary
from sagwa.services import notices
from sagwa.services.desk_cancel_instead import replaced_discounts
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_policy import ContactDetails, DeskPolicy
from sagwa.services.desk_report import CASE_STATES
from sagwa.services.desk_status import incident_status, status_of
from sagwa.services.desk_wordings import incident_price_word
from sagwa.services.incident_attention import attention_of, notice_late
from sagwa.services.listing_names import listing_names
from sagwa.services.lookups import require
from sagwa.services.tripwire import ACTOR as TRIPWIRE_ACTOR
from sagwa.services.tripwire import cause_in
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.apology_states import APOLOGY_STATES, apology_state, tallied_apology_counts
from sagwa.web.pages.forms import local_input

OPTIONS = [o.value for o in CustomerOption]


def list_context(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy) -> dict[str, Any]:
    """The newest incidents, each listing named by its product, seller and status now, and each
    open one with what needs attention (``incident_attention``, by the desk ``policy``)."""
    with uow:
        rows = uow.incidents.list(limit=100)
        names = listing_names(uow, {int(i) for r in rows for i in r.incident.listing_ids})
        attention = attention_of(uow, [r.incident for r in rows], policy)
        return {"incidents": rows, "listing_names": names, "attention": attention,
                "now_local": local_input(uow.now() - timedelta(hours=1))}


def _minutes(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    # exact: the page shows it to the minute ({:.0f}), as the CLI rounds it (once, not 0.1 first)
    return (later - earlier).total_seconds() / 60


def _clocks(status: Any, window_start: datetime, policy: DeskPolicy,
            now: datetime) -> dict[str, Any]:
    """SLA clocks: minutes from the wrong price to the pause, and from the declaration to the
    public notice in every language it must be in (against its SLA: ``required_notice_at``; a
    notice in another language first does not stop the clock, ``notice_missing`` names the
    languages still due once one is up) and to the first apology actually sent."""
    sla = policy.notice_sla.total_seconds() / 60
    notice = _minutes(status.required_notice_at, status.declared_at)
    return {"pause": _minutes(status.first_pause_at, window_start),
            "notice": notice, "notice_sla": int(sla),
            "notice_late": notice_late(status.declared_at, status.required_notice_at, now, policy),
            "notice_missing": (status.notice_languages_missing
                               if status.first_notice_at is not None else []),
            "apology": _minutes(status.first_message_sent_at, status.declared_at)}


CASES_PER_PAGE = 50


def detail_context(uow_factory: Any, incident_id: int, policy: DeskPolicy, *,
                   offset: int = 0) -> dict[str, Any]:
    """The page itself, read in one transaction; the timeline and the notice editor arrive as
    htmx fragments after it."""
    with uow_factory() as uow:
        found = require(uow.incidents.get(incident_id), "incident", incident_id)
        incident = found.incident
        window_start = incident.window_start
        # the options as the plan offers them (``label("choice", plan)``); None before one.
        # Read once: the plan form is opened against the version of the plan it shows
        # (``plan_version_now``: a plan saved since gets the save refused, never overwritten)
        plan = (uow.incidents.plan(incident_id, incident.correct_price)
                if incident.correct_price else None)
        opened = plan_version(plan)
        status = status_of(uow, incident, plan, policy)
        named = listing_names(uow, status.listings)
        before = (_price_before(found, uow.market.price_moves(status.listings))
                  if incident.correct_price is None else None)
        rows = uow.cases.for_incident(incident_id, limit=CASES_PER_PAGE, offset=offset)
        people = uow.catalog.customers_by_ids([int(r.case.customer_id) for r in rows])
        calls = uow.reads.call_records([int(r.case.case_id) for r in rows],
                                       min_spacing=policy.min_call_spacing)
        figures = figures_of_cases(uow, rows)
        # a case cancelled instead of paying keeps only the cancellation: the discount it
        # replaced is in the audit log, read for the page's cases at once
        instead = replaced_discounts(uow, [int(r.case.case_id) for r in rows])
        published = uow.cases.notices(incident_id)
        # apologies queued and not sent yet (held for contact hours): when each is due
        due = uow.outbox.apologies_due([int(r.case.case_id) for r in rows])
        now = uow.now()
        # where the notified cases' apologies stand, for the progress bars (every such case,
        # counted by the database)
        apologies, queued_due = tallied_apology_counts(
            uow.outbox.notified_apology_tally(incident_id, now))
        # what the customers' messages call the correct price: a book's 정가 or 판매가
        price_word = incident_price_word(uow, incident)
    total = sum(status.cases_by_status.values())
    return {
        "s": status, "cases": rows, "names": {i: c.name for i, c in people.items()}, "total": total,
        "calls": calls, "figures": figures, "instead": instead, "apologies_due": due,
        "now": now, "row_states": {int(r.case.case_id): apology_state(
            r.case, due.get(int(r.case.case_id)), now) for r in rows
            if r.case.status is CaseStatus.NOTIFIED},
        "queued_due": queued_due,
        "differences": {int(r.case.case_id): difference_of(r.case, figures[int(r.case.case_id)])
                        for r in rows},
        "case_pages": {"offset": offset, "shown": len(rows), "per": CASES_PER_PAGE,
                       "next": offset + CASES_PER_PAGE if offset + len(rows) < total else None,
                       "prev": max(0, offset - CASES_PER_PAGE) if offset else None},
        "states": _progress(status.cases_by_status, status.differences_unpaid, apologies),
        "clocks": _clocks(status, window_start, policy, now), "costs": _costs(status, total),
        "notices": published, "plan_form": _plan_form(status, now, policy.schedule), "options": OPTIONS,
        "plan": plan, "plan_version": opened,
        "declare_form": _declare_form(incident, before, found.evidence), "closing": {},
        "draft_evidence": _detection(incident, found.evidence),
        "listing_names": named, "evidence": found.evidence, "price_word": price_word,
        "notice_title_max": notices.TITLE_MAX_CHARS,
        # what the tripwire saw, for a draft it opened: a surge, or one order far too large
        "trip_words": trip_summary((found.evidence or {}).get("tripped_by"),
                                   orders=(found.evidence or {}).get("observed")),
    }


def plan_version_now(uow: SqlAlchemyUnitOfWork, incident_id: int) -> str:
    """The ``plan_version`` the page's plan form is opened against, read before the status
    that fills the form: a plan saved in between gets the save refused, never overwritten."""
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        return plan_version(uow.incidents.plan(incident_id, inc.correct_price)
                            if inc.correct_price else None)


def _progress(by_status: dict[str, int], unpaid: int,
              apologies: Counter[str]) -> list[tuple[str, int]]:
    """The progress bars: cases by status, with the resolved ones still owing the discount's
    difference (their items held until it is paid; ``desk_difference``) in a bar of their own
    after "resolved" — not counted as done; and the notified ones by where their apology
    stands (``apologies``: :func:`apology_state` of each), "notified" counting only those it
    told — the rows say the same of each case. A queued apology's case is notified unless it
    was put on the call list first: those few stay in "on the call list", their rows saying
    when the apology is due."""
    bars = []
    for st in CASE_STATES:
        n = by_status.get(st, 0)
        if st == "resolved" and unpaid:
            bars += [(st, n - unpaid), ("difference_unpaid", unpaid)]
        elif st == "notified":
            bars += [(a, apologies[a]) for a in APOLOGY_STATES if a == st or apologies[a]]
        else:
            bars.append((st, n))
    return bars


def _declare_form(incident: Incident, price_before: int | None,
                  evidence: dict[str, Any] | None) -> dict[str, str]:
    """A draft's own values, for the operator to check (and correct) before declaring it; the
    correct price, when the draft has none, is the price before the change that set the wrong
    one (``price_before``), when that is on record and above the wrong price (the desk refuses
    a correct price under the wrong one: a raise's price before is no correct price). The
    cause is the one typed when the draft was opened, and empty for the tripwire's: what it
    recorded there is its evidence (:func:`_detection`), which the page shows beside the field."""
    above = price_before is not None and price_before > incident.wrong_price.amount_minor
    correct = (incident.correct_price.amount_minor if incident.correct_price
               else price_before if above else None)
    return {"wrong_price": str(incident.wrong_price.amount_minor),
            "correct_price": str(correct) if correct is not None else "",
            "window_start": local_input(incident.window_start),
            "cause": "" if _tripwires_words(incident, evidence) else incident.cause,
            "responsible": incident.responsible.value if incident.responsible else "both"}


def _tripwires_words(incident: Incident, evidence: dict[str, Any] | None) -> bool:
    """Whether the draft's cause is what the tripwire wrote when it opened it (its reasons for
    pausing the listing, not what went wrong): the tripwire opened it (its ``ACTOR``, by
    which every stored draft is opened), or the cause is the two-language reason its evidence
    keeps (``cause_in`` reads it in one language then)."""
    return (incident.opened_by == TRIPWIRE_ACTOR
            or cause_in("ko", incident.cause, evidence) != incident.cause)


def _detection(incident: Incident, evidence: dict[str, Any] | None) -> dict[str, str] | None:
    """What the tripwire detected, shown beside a draft's cause field ("ko" and "en"): the
    reasons its evidence keeps in both languages; for a draft of before they were kept, the
    words it wrote as the cause (in the one language it wrote them); None when nothing was
    detected (a draft someone opened by hand), and once declared (the form is gone)."""
    if incident.status is not IncidentStatus.DRAFT:
        return None
    found = evidence or {}
    ko, en = found.get("reason_ko"), found.get("reason_en")
    if isinstance(ko, str) and isinstance(en, str):
        return {"ko": ko, "en": en}
    if _tripwires_words(incident, evidence):
        return {"ko": incident.cause, "en": incident.cause}
    return None


def _price_before(found: Any, moves: dict[int, list[PriceMove]]) -> int | None:
    """The price before the change that set the incident's wrong price: the tripwire's evidence
    keeps it (``price_before``); otherwise its listings' price history — the latest move to the
    wrong price at or before the window's start (or, failing that, any). None when the wrong
    price was a first price (no move set it)."""
    wrong = found.incident.wrong_price
    kept = (found.evidence or {}).get("price_before")
    if isinstance(kept, dict) and kept.get("currency") == wrong.currency:
        return int(kept["amount_minor"])
    to_wrong = sorted((m for ms in moves.values() for m in ms if m.new_minor == wrong.amount_minor),
                      key=lambda m: m.at)
    by_start = [m for m in to_wrong if m.at <= found.incident.window_start]
    chosen = (by_start or to_wrong or [None])[-1]
    return chosen.old_minor if chosen is not None else None


def editor_context(uow_factory: Any, incident_id: int, policy: DeskPolicy,
                   lang: str) -> dict[str, Any]:
    status = incident_status(uow_factory(), incident_id=incident_id, policy=policy)
    with uow_factory() as uow:
        published = uow.cases.notices(incident_id)
    draft = _draft(uow_factory, status, published, policy, lang)
    check = incident_draft_check(uow_factory, incident_id, draft, policy.contact)
    return {"s": status, "draft": draft, "notice_check": check,
            "notice_shown": draft_findings(draft, check),
            "opened_version": notice_version_in(published, lang),
            "notice_title_max": notices.TITLE_MAX_CHARS}


def notice_version_in(published: list[Any], lang: str) -> str:
    """The version of the latest notice in ``lang`` among ``published`` (newest first), as the
    editor's form carries it (``notice_version``: "none" before the first, as a plan form's
    ``plan_version``: an empty field would read as no field at all): what the editor was
    opened against, so that publishing over a version published since is refused."""
    latest = next((n for n in published if n.lang == lang), None)
    return str(latest.version) if latest is not None else "none"


def incident_draft_check(uow_factory: Any, incident_id: int, draft: dict[str, str],
                         contact: ContactDetails | None) -> Any:
    """The message check on a notice draft of incident ``incident_id`` as publishing judges
    it (``notices.check_notice``: the names it may quote, its plan's default, its customers'
    data; ``contact``: the contact centre's, which it may give); None while its body is
    empty."""
    if not draft["body"].strip():
        return None
    return notices.check_notice(uow_factory(), incident_id=incident_id, lang=draft["lang"],
                                text=notices.notice_text(draft["title"], draft["body"]),
                                contact=contact)


def draft_findings(draft: dict[str, str], check: Any) -> list[dict[str, Any]] | None:
    """:func:`shown_findings` of :func:`incident_draft_check`'s result ``check`` on ``draft``
    (the text it checks: ``notices.notice_text``)."""
    if check is None:
        return None
    return shown_findings(check, notices.notice_text(draft["title"], draft["body"]))


def shown_findings(result: Any, text: str) -> list[dict[str, Any]]:
    """The findings of the message check's ``result`` on ``text`` as the notice editor lists
    them, each ``{"finding", "quotes"}`` with the words it flags quoted in their sentence
    (:func:`quote_of`). One message given for the same words in several places is one entry
    quoting each place; given for other words, it is an entry of its own."""
    shown: dict[tuple[Any, ...], dict[str, Any]] = {}
    for f in result.findings:
        words = text[f.span[0]:f.span[1]].strip().casefold() if f.span else None
        entry = shown.setdefault((f.severity, f.code, f.message, f.suggestion, words),
                                 {"finding": f, "quotes": []})
        if f.span and (quote := quote_of(text, f.span)) not in entry["quotes"]:
            entry["quotes"].append(quote)
    return list(shown.values())


#: Characters of the sentence a finding's quote keeps on each side of the words it flags.
QUOTE_AROUND = 30
#: Flagged words longer than this (a whole long sentence) are quoted by their two ends.
QUOTE_FLAGGED_MAX = 80
_SENTENCE_END = re.compile(r"[.!?。](?=\s|$)|\n")


def quote_of(text: str, span: tuple[int, int]) -> tuple[str, str, str]:
    """The sentence of ``text`` around ``span`` as (before, flagged, after): the flagged words
    and up to ``QUOTE_AROUND`` characters of their sentence either side ("…" where cut)."""
    start, end = span
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_END.search(text, max(start, end - 1))
    finish = len(text) if stop is None else stop.start() if stop.group() == "\n" else stop.end()
    before, flagged, after = text[begin:start].lstrip(), text[start:end], text[end:finish].rstrip()
    if len(before) > QUOTE_AROUND:
        before = "…" + before[-QUOTE_AROUND:]
    if len(after) > QUOTE_AROUND:
        after = after[:QUOTE_AROUND] + "…"
    if len(flagged) > QUOTE_FLAGGED_MAX:
        flagged = f"{flagged[:QUOTE_FLAGGED_MAX - 30]} … {flagged[-25:]}"
    return before, flagged, after


def _costs(status: Any, cases: int) -> dict[str, Any] | None:
    """Who pays. Booked: the compensation points as the ledger has them (``status.money``):
    each seller charged, by name, and the platform, adding up to the total — a customer who
    ordered from several sellers has the sellers' share divided between them. At most (every
    customer cancelling): the plan's points per case, split by its shares (the sellers'
    together, rounded down per case as the ledger rounds it)."""
    plan, money = status.plan or {}, status.money or {}
    if not plan and not money.get("compensation_points"):
        return None
    points = plan.get("cancel_compensation") or 0
    seller_pct = plan.get("seller_share_pct", 0)
    per_case_seller = points * seller_pct // 100
    refunds = money.get("refunds") or {"amount_minor": 0, "currency": status.wrong_price["currency"]}
    booked = money.get("compensation_points", 0)
    booked_platform = money.get("platform_points", 0)
    # what is booked, and the plan's points for every case that may still cancel (the
    # discount's unpaid differences counted among the settled: cancelled instead)
    closed = status.status == IncidentStatus.CLOSED.value
    open_cases = sum(n for s, n in status.cases_by_status.items()
                     if may_still_cancel(s, incident_closed=closed)) + status.differences_unpaid
    open_cases = min(open_cases, cases)
    return {"seller_pct": seller_pct, "platform_pct": plan.get("platform_share_pct", 0),
            "points": points, "booked": booked,
            "booked_cases": money.get("compensated_cases", 0),
            "booked_platform": booked_platform,
            "booked_sellers": money.get("sellers", []),
            "may_still_cancel": open_cases, "every_case_open": open_cases == cases,
            "most": booked + open_cases * points,
            "most_seller": booked - booked_platform + open_cases * per_case_seller,
            "most_platform": booked_platform + open_cases * (points - per_case_seller),
            "refunds": Money.from_dict(refunds),
            "refunded_units": money.get("refunded_units", 0),
            "refunded_orders": money.get("refunded_orders", 0)}


def _draft(uow_factory: Any, status: Any, published: list[Any], policy: DeskPolicy,
           lang: str) -> dict[str, str]:
    latest = next((n for n in published if n.lang == lang), None)
    if latest is not None:
        return {"lang": lang, "title": latest.title, "body": latest.body}
    if status.declared_at is None:
        return {"lang": lang, "title": "", "body": ""}
    title, body = notices.draft_notice(uow_factory(), incident_id=status.incident_id,
                                       lang=lang, policy=policy)
    return {"lang": lang, "title": title, "body": body}


def default_deadline(now: datetime, schedule: ContactSchedule) -> datetime:
    """The deadline a new plan starts from: closing time of the first day the contact centre
    opens, five days after ``now`` in its time zone or later (a weekend or holiday moves it
    on: :func:`next_contact_time` from that day's midnight)."""
    day = now.astimezone(schedule.zone).date() + timedelta(days=5)
    opens = next_contact_time(schedule, datetime.combine(day, time(0), tzinfo=schedule.zone))
    hours = schedule.opening(opens.date())
    assert hours is not None  # next_contact_time returns a moment the centre is open
    return hours[1]


#: The cost split a new plan starts from, by who the incident was declared the responsibility
#: of (seller %, platform %): a seller's error still leaves the platform that let it through a
#: share; the operator changes it before saving.
STARTING_SHARES = {"seller": (70, 30), "platform": (0, 100), "both": (50, 50)}


def _plan_form(status: Any, now: datetime, schedule: ContactSchedule) -> dict[str, Any]:
    plan = status.plan or {}
    seller, platform = STARTING_SHARES.get(status.responsible or "both", (50, 50))
    deadline = (datetime.fromisoformat(plan["deadline"]) if plan.get("deadline")
                else default_deadline(now, schedule))
    return {"options": plan.get("options", ["keep", "cancel_with_compensation",
                                            "talk_to_person"]),
            "deadline": local_input(deadline), "default": plan.get("default", "keep"),
            "seller_share_pct": plan.get("seller_share_pct", seller),
            "platform_share_pct": plan.get("platform_share_pct", platform),
            # a saved plan's own points, 0 too (moving the deadline sends them back unchanged)
            "cancel_compensation": (5000 if plan.get("cancel_compensation") is None
                                    else plan["cancel_compensation"]),
            "discount_pct": plan.get("discount_pct") or "",
            "keep_max_units": plan.get("keep_max_units") or "",
            # no field of its own on the form (the API sets it): kept as it is
            "accept_late_choices": bool(plan.get("accept_late_choices"))}
