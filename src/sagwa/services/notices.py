"""Public notices about an incident: drafted from a template, checked, versioned, never deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sagwa.adapters.db.incident_repo import NoticeRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import Incident
from sagwa.domain.sla import notice_languages_missing, required_notice_at
from sagwa.errors import Conflict, InvalidInput
from sagwa.messagecheck import CheckResult, Finding, check_against_plan
from sagwa.services import desk_cause
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import ContactDetails, DeskPolicy
from sagwa.services.desk_wordings import how_approved, incident_facts
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.listing_names import listing_names
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import check_quoting
from sagwa.services.notice_privacy import Person, customer_data_findings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The longest notice title, in characters: one line on the notice board and in a search result.
TITLE_MAX_CHARS = 300


def check_not_dismissed(inc: Incident) -> None:
    """A draft dismissed as a false alarm has no public notice: nothing happened to announce,
    and it cannot be declared any more (saying "declare it first" sent an operator looking
    for a declare button that is not there)."""
    if inc.dismissed:
        raise InvalidInput(
            f"incident {inc.incident_id} was dismissed as a false alarm (closed without being "
            "declared); a dismissed incident has no public notice",
            reason="incident_dismissed")


def draft_notice(uow: SqlAlchemyUnitOfWork, *, incident_id: int, lang: str,
                 policy: DeskPolicy) -> tuple[str, str]:
    """A first draft (title, body) for the operator to edit; nothing is stored."""
    if lang not in ("ko", "en"):
        raise InvalidInput("lang must be ko or en", field="lang", reason="lang_unknown")
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        check_not_dismissed(inc)
        if inc.correct_price is None:
            raise InvalidInput(
                f"incident {incident_id} is not declared yet", reason="incident_not_declared"
            )
        facts = incident_facts(uow, inc)
        product = facts.product_ko if lang == "ko" else facts.product_en
        plan = uow.incidents.plan(incident_id, inc.correct_price)
        text = dm.render("notice", lang, product=product,
                         customers=customer_count(uow, incident_id),
                         options_phrase=dm.options_phrase(
                             plan, lang, price_word=dm.correct_price_word(facts)) if plan else None,
                         wrong_date=dm.format_date(inc.window_start, lang),
                         cause_ko=notice_cause(facts, "ko", policy),
                         cause_en=notice_cause(facts, "en", policy),
                         **(plan_terms(plan, lang) if plan else {}),
                         **prevention_facts(uow, inc), **dm.contact_values(policy.contact, lang))
        title, _, body = text.partition("\n")
        return title.strip(), body.strip()


def plan_terms(plan: IncidentPlan, lang: str) -> dict[str, str]:
    """The plan's terms as the notice says them, in the apology's own words: the answer
    deadline, what happens without an answer (the plan's default) and the cancellation's
    points (empty where the plan gives none or offers no cancellation)."""
    points = (dm.cancel_points(plan)
              if plan.offers(CustomerOption.CANCEL_WITH_COMPENSATION) else 0)
    return {"deadline": dm.format_when(plan.deadline, lang),
            "default_ko": notice_default(plan, "ko"),
            "default_en": notice_default(plan, "en"),
            "compensation": dm.points_words(points, lang, worth=True) if points else ""}


def notice_default(plan: IncidentPlan, lang: str) -> str:
    """What happens without an answer, as the notice can say it to every customer at once: the
    plan's default (``dm.default_sentence``) for a keep default — with the call that a customer
    over the keep limit gets instead — and for a call default "we will contact you", not "we will
    call you": a customer with no phone number on file is written to (a reviewer's finding)."""
    ko = lang == "ko"
    if plan.default is not DefaultAction.KEEP:
        return ("상담원이 연락드려 직접 여쭙고, 그때까지 주문은 바뀌지 않습니다." if ko
                else "our staff will contact you to ask; until then nothing changes.")
    kept = dm.default_sentence(plan, lang)
    cap = plan.keep_max_units
    if cap is None:
        return kept
    return (f"{kept} 다만 1인당 {cap}개보다 많이 주문하신 고객님께는 상담원이 연락드려 여쭙고, 그때까지 "
            "주문은 바뀌지 않습니다." if ko
            else f"{kept} A customer who ordered more than {cap} item{'' if cap == 1 else 's'} "
            "is contacted by our staff first; until then nothing changes.")


def notice_cause(facts: dm.IncidentFacts, lang: str, policy: DeskPolicy) -> str:
    """The notice's sentence on how the wrong price came about (``desk_cause.public_cause``):
    the seller named only if the policy opts in (``[notice] name_seller``); the approval, if a
    reviewer gave one, is said in the prevention paragraph, not twice."""
    sellers = dm.seller_names(facts, lang) if policy.notice_names_seller else None
    return desk_cause.public_cause(facts, lang, sellers=sellers)


def customer_count(uow: SqlAlchemyUnitOfWork, incident_id: int) -> int | None:
    """How many customers ordered at the wrong price; None until the incident is scoped: its
    cases are made then, and a notice drafted before would say "0 customers"."""
    if _scoped_at(uow, incident_id) is None:
        return None
    return len(uow.cases.for_incident(incident_id))


def _scoped_at(uow: SqlAlchemyUnitOfWork, incident_id: int) -> datetime | None:
    """When the incident was last scoped (its customers counted), or None."""
    scoped = uow.audit.latest_for_entity("incident", str(incident_id), "incident.scoped")
    return scoped.occurred_at if scoped else None


def prevention_facts(uow: SqlAlchemyUnitOfWork, inc: Incident) -> dict[str, object]:
    """What the notice's prevention paragraph rests on: whether a reviewer let the wrong price
    go live after the guard held it — approving the change that set it, or releasing a listing
    held at its publication at that first price (then the review step itself is what failed,
    not "large discounts now need approval") — with ``review_rule``, the one review rule that
    bore on that approval (``desk_wordings.how_approved``; the notice names only that one), and
    whether the tripwire paused one of the listings in the window."""
    end = inc.window_end or uow.now()
    paused = False
    for listing_id in sorted(int(i) for i in inc.listing_ids):
        pause = uow.audit.latest_for_entity("listing", str(listing_id),
                                            "listing.paused_by_tripwire")
        paused |= pause is not None and inc.window_start <= pause.occurred_at <= end
    how = how_approved(uow, inc, inc.listing_ids)
    return {"approved_by_reviewer": how is not None, "review_rule": how or "",
            "paused_by_tripwire": paused}


def check_title(title: str) -> None:
    """A notice title fits :data:`TITLE_MAX_CHARS` (counted as published: stripped); the page,
    the CLI and the API all meet this one limit."""
    chars = len(title.strip())
    if chars > TITLE_MAX_CHARS:
        raise InvalidInput(
            f"the notice title is {chars} characters long; at most {TITLE_MAX_CHARS} are "
            "allowed (a title is one line: put the rest in the body)",
            field="title", reason="notice_title_too_long", max_chars=TITLE_MAX_CHARS,
            chars=chars)


def _latest(uow: SqlAlchemyUnitOfWork, incident_id: int, lang: str) -> NoticeRow | None:
    """The incident's latest published notice in ``lang``."""
    return next((n for n in uow.cases.notices(incident_id) if n.lang == lang), None)


def publish_notice(uow: SqlAlchemyUnitOfWork, *, incident_id: int, lang: str, title: str,
                   body: str, actor: str, idempotency_key: str | None = None,
                   contact: ContactDetails | None = None,
                   opened_against: int | None = None) -> NoticeRow:
    """Publish a new version of the notice (:func:`publish_notice_once`): the version."""
    return publish_notice_once(uow, incident_id=incident_id, lang=lang, title=title, body=body,
                               actor=actor, idempotency_key=idempotency_key,
                               contact=contact, opened_against=opened_against).notice


def check_notice_unchanged(latest: NoticeRow | None, opened_against: int | None, *,
                           incident_id: int, lang: str) -> None:
    """Refuse (409 ``notice_changed``, nothing published) a notice written against version
    ``opened_against`` in ``lang`` (0: before the first) when ``latest``, a newer version,
    was published since — another operator's, which it would replace unseen. None (a caller
    that does not say what it saw) is not checked. A version never published in ``lang``
    (above the latest) is refused too (InvalidInput, ``notice_version_unknown``): it would pass
    every check unseen (a tester's ``--opened-against 9`` with version 2 the latest)."""
    if opened_against is None:
        return
    newest = latest.version if latest is not None else 0
    if opened_against > newest:
        said = f"the latest is version {newest}" if newest else "none is published yet"
        raise InvalidInput(f"version {opened_against} of incident {incident_id}'s notice in "
                           f"{lang} was never published ({said}): give the version you read, "
                           "0 before the first", field="opened_against",
                           reason="notice_version_unknown", version=newest,
                           opened_against=opened_against)
    if latest is None or latest.version <= opened_against:
        return
    seen = f"version {opened_against}" if opened_against else "before any version"
    raise Conflict(f"version {latest.version} of incident {incident_id}'s notice in {lang} was "
                   f"published after this was written ({seen}); nothing was published: read "
                   "that version (the notice board shows it), then publish again",
                   reason="notice_changed", field="body", version=latest.version,
                   published_at=latest.published_at.isoformat(), incident_id=incident_id,
                   lang=lang, opened_against=opened_against)


@dataclass(frozen=True)
class Published:
    """A publication's version, and whether this call added it (``False``: the same request
    or the same text again, answered with the version already there)."""

    notice: NoticeRow
    new: bool
    #: The same text published again while it was flagged as outdated: the operator confirmed
    #: it as it stands, and the flag is cleared (``RECONFIRMED_ACTION``).
    reconfirmed: bool = False


def publish_notice_once(uow: SqlAlchemyUnitOfWork, *, incident_id: int, lang: str, title: str,
                        body: str, actor: str, idempotency_key: str | None = None,
                        contact: ContactDetails | None = None,
                        opened_against: int | None = None) -> Published:
    """Publish a new version of the notice; refused with the findings if it fails the check.

    Once per request: with ``idempotency_key``, a retry answers the version the first made, even
    after a later revision (a late resend does not bring old text back). The very text of the
    latest version in ``lang`` again is that version, not a new one: the board would show
    "revised" with identical versions. A notice naming one of the incident's customers is
    refused (``notice_privacy``; ``contact``: the contact centre's, which it may give).
    ``opened_against``: the latest version in ``lang`` its writer saw (0: none yet); a newer one
    published since is refused (:func:`check_notice_unchanged`), under the incident's lock that
    orders publishers, so two writers cannot both pass it."""
    if lang not in ("ko", "en"):
        raise InvalidInput("lang must be ko or en", field="lang", reason="lang_unknown")
    if not title.strip() or not body.strip():
        raise InvalidInput("a notice needs a title and a body", field="body",
                           reason="notice_text_missing")
    check_title(title)
    title = title.strip()
    body = "\n".join(body.splitlines()).strip()  # a textarea sends CRLF; paragraphs are "\n\n"
    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id, for_update=True), "incident",
                      incident_id).incident  # one publisher at a time: a twin sees the first
        asked = {"incident_id": incident_id, "lang": lang, "title": title, "body": body}
        prior = prior_result(uow, NOTICE_SCOPE, idempotency_key, asked)
        if prior:
            first = next(n for n in uow.cases.notices(incident_id) if n.id == prior["id"])
            return Published(first, new=False)
        check_not_dismissed(inc)
        if inc.declared_at is None:
            raise InvalidInput(
                f"incident {incident_id} is a draft; declare it before publishing",
                reason="incident_draft",
            )
        latest = _latest(uow, incident_id, lang)
        if latest is not None and (latest.title, latest.body) == (title, body):
            remember(uow, NOTICE_SCOPE, idempotency_key, {"id": latest.id})
            reconfirmed = _reconfirm_if_outdated(uow, inc, latest, actor, now)
            uow.commit()
            return Published(latest, new=False, reconfirmed=reconfirmed)
        check_notice_unchanged(latest, opened_against, incident_id=incident_id, lang=lang)
        result = _judged(uow, inc, notice_text(title, body), lang, contact)
        if not result.ok:
            raise dm.refusal(result.as_dict()["findings"], kind="notice", lang=lang)
        notice = uow.cases.add_notice(incident_id=incident_id, lang=lang, title=title,
                                      body=body, published_by=actor, now=now)
        uow.audit.append(AuditEvent(actor, "notice.published", "incident", str(incident_id), after={
            "notice_id": notice.id, "lang": lang, "version": notice.version,
            "seconds_after_declaration": int((now - inc.declared_at).total_seconds())}),
            now)
        remember(uow, NOTICE_SCOPE, idempotency_key, {"id": notice.id})
        uow.commit()
        return Published(notice, new=True)


def required_notice(uow: SqlAlchemyUnitOfWork,
                    inc: Incident) -> tuple[datetime | None, list[str]]:
    """Inside an open unit of work: when the incident's public notice was up in every language
    it must be in (``sla.required_notice_at``: Korean and each language its customers read, as
    closing requires; None until then) — the moment its SLA is met or missed at — and the
    languages it still lacks: none for a dismissed draft, which has no notice
    (:func:`check_not_dismissed`; a tester read "missing: ko" on one)."""
    if inc.dismissed:
        return None, []
    incident_id = int(inc.incident_id)
    required = uow.cases.notice_languages_required(incident_id)
    firsts = uow.cases.first_notice_by_language(incident_id)
    return required_notice_at(firsts, required), notice_languages_missing(firsts, required)


def notice_text(title: str, body: str) -> str:
    """A notice as the message check reads it, and as its findings' spans count: the title, a
    blank line, the body. Publishing, the editor's preview and ``POST /api/messages/check``
    (with ``incident_id``) all check this text."""
    return f"{title}\n\n{body}"


def check_notice(uow: SqlAlchemyUnitOfWork, *, incident_id: int, text: str,
                 lang: str, contact: ContactDetails | None = None) -> CheckResult:
    """The message check's result on ``text`` (:func:`notice_text`), a notice of incident
    ``incident_id`` in ``lang``, as publishing judges it: errors inside the incident's names
    where the text writes them are not held against it (:func:`quoted_names`,
    ``name_stand_ins.check_quoting``), and a notice that cancels the orders of customers who
    do not answer while the plan keeps them is refused (:func:`against_plan`), and so is one
    naming any of its customers (``notice_privacy``). NotFound for an unknown incident."""
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        return _judged(uow, inc, text, lang, contact)


def judge_notice(text: str, lang: str, *, names: list[str],
                 default: str | None = None) -> CheckResult:
    """The message check on a notice's ``text`` with no database: the incident's ``names``
    quoted where the text writes them are not judged (``name_stand_ins.check_quoting``), and
    a notice cancelling unanswered orders the plan (its ``default``) keeps is refused
    (:func:`against_plan`). Publishing adds its customers' data (:func:`_judged`)."""
    return against_plan(check_quoting(text, kind="notice", lang=lang, names=names), text,
                        lang=lang, default=default)


def _judged(uow: SqlAlchemyUnitOfWork, inc: Incident, text: str, lang: str,
            contact: ContactDetails | None) -> CheckResult:
    """Inside an open unit of work: ``text``, a notice of ``inc``, judged as publishing judges
    it (:func:`judge_notice` with the incident's names and plan, and its customers' data)."""
    return judge_notice(text, lang, names=quoted_names(uow, inc),
                        default=plan_default(uow, inc)).adding(
        _customer_data(uow, inc, text, lang, contact))


def _customer_data(uow: SqlAlchemyUnitOfWork, inc: Incident, text: str, lang: str,
                   contact: ContactDetails | None) -> tuple[Finding, ...]:
    """Inside an open unit of work: where ``text`` names one of ``inc``'s customers."""
    people = [Person(c.name, c.phone, c.email)
              for c in uow.catalog.customers_of_incident(int(inc.incident_id))]
    return customer_data_findings(text, lang, people,
                                  public_phone=contact.phone if contact else "",
                                  public_email=contact.email if contact else "")


def plan_default(uow: SqlAlchemyUnitOfWork, inc: Incident) -> str | None:
    """Inside an open unit of work: what the incident's plan in force does with an order whose
    customer does not answer (``DefaultAction``'s value), or None before there is a plan."""
    if inc.correct_price is None:
        return None
    plan = uow.incidents.plan(int(inc.incident_id), inc.correct_price)
    return plan.default.value if plan is not None else None


def against_plan(result: CheckResult, text: str, *, lang: str,
                 default: str | None) -> CheckResult:
    """``result`` (of the notice ``text``) with what only the plan shows: a notice saying the
    orders of customers who do not answer are cancelled, while the plan's ``default`` keeps
    them or calls them back (``contradicts-plan-default``). Unplanned: ``result``."""
    if default is None:
        return result
    found = check_against_plan(text, kind="notice", lang=lang, plan_default=default)
    return result.adding(found.findings)


def incident_names(uow: SqlAlchemyUnitOfWork, incident_id: int) -> list[str]:
    """:func:`quoted_names` of incident ``incident_id``, in a unit of work of its own
    (NotFound if there is no such incident)."""
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        return quoted_names(uow, inc)


def quoted_names(uow: SqlAlchemyUnitOfWork, inc: Incident) -> list[str]:
    """The names a notice of ``inc`` may quote, which the message check does not judge
    (``name_stand_ins.checked_quoting``): its products' titles (Korean, English) and its
    sellers' names."""
    return [name for n in listing_names(uow, inc.listing_ids).values()
            for name in (n.title, n.title_en or "", n.seller)]


#: Idempotency keys of notice publications (``idempotency.prior_result``'s scope).
NOTICE_SCOPE = "notice"
#: The audit action of an outdated notice published again unchanged: the operator checked it
#: against what is known now and it stands (a review found the flag could only be cleared by
#: changing the wording).
RECONFIRMED_ACTION = "notice.reconfirmed"


def _reconfirm_if_outdated(uow: SqlAlchemyUnitOfWork, inc: Incident, notice: NoticeRow,
                           actor: str, now: datetime) -> bool:
    """The same text published again while it is flagged as outdated clears the flag: the
    operator read it against the plan (or the scoping) and it still holds. Whether it did."""
    plan = (uow.incidents.plan(int(inc.incident_id), inc.correct_price)
            if inc.correct_price is not None else None)
    if not any(o.lang == notice.lang for o in outdated_notices(uow, int(inc.incident_id), plan)):
        return False
    uow.audit.append(AuditEvent(actor, RECONFIRMED_ACTION, "incident", str(inc.incident_id),
                                after={"notice_id": notice.id, "lang": notice.lang,
                                       "version": notice.version}), now)
    return True


@dataclass(frozen=True)
class OutdatedNotice:
    """A language's latest published notice written before what it states was known:
    ``before_plan`` — before the plan in force was made or last revised, so the options it
    names (if any) may not be the ones offered; ``before_scope`` — before the customers were
    counted (no plan yet), so it gives no count or a stale one. Publish an updated notice."""

    lang: str
    version: int
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"lang": self.lang, "version": self.version, "reason": self.reason}


def outdated_notices(uow: SqlAlchemyUnitOfWork, incident_id: int,
                     plan: IncidentPlan | None) -> list[OutdatedNotice]:
    """Each language whose latest published notice predates the plan (or, unplanned, the
    latest scoping): an early notice (the SLA runs from declaration) names no count and no
    options, and one the operator wrote may promise options the plan does not offer."""
    scoped_at = _scoped_at(uow, incident_id)
    latest: dict[str, NoticeRow] = {}
    for notice in uow.cases.notices(incident_id):  # newest version first in each language
        latest.setdefault(notice.lang, notice)
    found = []
    for lang, notice in sorted(latest.items()):
        checked = uow.audit.latest_naming_text("incident", str(incident_id), RECONFIRMED_ACTION,
                                               key="lang", value=lang)
        stood = notice.published_at if checked is None or checked.event.after.get(
            "version") != notice.version else max(notice.published_at, checked.occurred_at)
        if plan is not None and stood < plan.decided_at:
            found.append(OutdatedNotice(lang, notice.version, "before_plan"))
        elif plan is None and scoped_at is not None and stood < scoped_at:
            found.append(OutdatedNotice(lang, notice.version, "before_scope"))
    return found
