"""Public notices about an incident: drafted from a template, checked, versioned, never deleted."""

from __future__ import annotations

from sagwa.adapters.db.incident_repo import NoticeRow
from sagwa.domain.audit import AuditEvent
from sagwa.errors import InvalidInput
from sagwa.services import desk_messages as dm
from sagwa.services.desk_notify import incident_facts
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def draft_notice(uow: SqlAlchemyUnitOfWork, *, incident_id: int, lang: str,
                 policy: DeskPolicy) -> tuple[str, str]:
    """A first draft (title, body) for the operator to edit; nothing is stored."""
    if lang not in ("ko", "en"):
        raise InvalidInput("lang must be ko or en", field="lang")
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        if inc.correct_price is None:
            raise InvalidInput(
                f"incident {incident_id} is not declared yet", reason="incident_not_declared"
            )
        facts = incident_facts(uow, inc)
        customers = len(uow.cases.for_incident(incident_id))
        product = facts.product_ko if lang == "ko" else facts.product_en
        plan = uow.incidents.plan(incident_id, inc.correct_price)
        text = dm.render("notice", lang, product=product, customers=customers,
                         options_phrase=dm.options_phrase(plan, lang),
                         wrong_date=dm.format_date(inc.window_start, lang),
                         cause_ko=dm.cause(facts, "ko"), cause_en=dm.cause(facts, "en"),
                         **dm.contact_values(policy.contact, lang))
        title, _, body = text.partition("\n")
        return title.strip(), body.strip()


def publish_notice(uow: SqlAlchemyUnitOfWork, *, incident_id: int, lang: str, title: str,
                   body: str, actor: str) -> NoticeRow:
    """Publish a new version of the notice; refused with the findings if it fails the check."""
    if lang not in ("ko", "en"):
        raise InvalidInput("lang must be ko or en", field="lang")
    if not title.strip() or not body.strip():
        raise InvalidInput("a notice needs a title and a body", field="body")
    body = "\n".join(body.splitlines())  # a browser's textarea sends CRLF; paragraphs are "\n\n"
    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        if inc.declared_at is None:
            raise InvalidInput(
                f"incident {incident_id} is a draft; declare it before publishing",
                reason="incident_draft",
            )
        dm.checked(f"{title.strip()}\n\n{body.strip()}", kind="notice", lang=lang)
        notice = uow.cases.add_notice(incident_id=incident_id, lang=lang, title=title.strip(),
                                      body=body.strip(), published_by=actor, now=now)
        uow.audit.append(AuditEvent(actor, "notice.published", "incident", str(incident_id), after={
            "notice_id": notice.id, "lang": lang, "version": notice.version,
            "seconds_after_declaration": int((now - inc.declared_at).total_seconds())}),
            now)
        uow.commit()
        return notice
