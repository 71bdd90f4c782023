"""The message to a customer the desk owed a call and could not reach.

When the desk gives up on a call owed (``call_attempts.gives_up``: the policy's attempts used
up, spaced out), the customer — who asked to talk to a person, or was told after the deadline
that someone would call — would otherwise hear nothing more. They are sent one message: the
apology again (or, to a customer whose apology never went out before the deadline,
``Case.told`` false: the apology and its explanation for the first time, and that our message
did not go out in time), that we called and could not reach them, what happens to their order
now (the default their case took: kept at the price paid, or unchanged until they talk to
us), the options offered (they can still choose one: they asked in time, or their default is a
call), that nothing is cancelled without their consent, and how to reach us. By email, or by
SMS to a customer without an address (to one never told, by both, with their case link); at
the next opening of the contact hours; checked like every other desk message; queued in the
transaction that marks the case, once per mark.

A customer with no phone number on file is marked at once, when the call becomes owed at the
deadline (``call_attempts.NO_PHONE``), and sent the same message by email saying instead that
we have no number to call them on and how to reach us; it replaces the deadline's own message
to them ("we did not hear from you", or the never-told apology), which would promise the call.
"""

from __future__ import annotations

from sagwa.domain.contact_hours import next_contact_time
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan
from sagwa.domain.incidents import Case
from sagwa.services import desk_messages as dm
from sagwa.services.desk_notify import LINK_VALID_AFTER_DEADLINE, LinkMaker
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import after_deadline_values, case_facts, shared_values
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import Values, render_checked
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SUBJECT = {"ko": f"{dm.TAG['ko']} 전화로 연락드리지 못해 죄송합니다",
           "en": f"{dm.TAG['en']} We are sorry we could not reach you by phone"}
NO_PHONE_SUBJECT = {"ko": f"{dm.TAG['ko']} 전화번호가 없어 연락드리지 못해 죄송합니다",
                    "en": f"{dm.TAG['en']} We are sorry: we have no phone number to call you on"}


def unreachable_messages(uow: SqlAlchemyUnitOfWork, *, case: Case, plan: IncidentPlan,
                         attempts: int, attempt_id: int, policy: DeskPolicy,
                         links: LinkMaker | None = None,
                         no_phone: bool = False) -> list[object]:
    """The message to the customer of ``case``, just marked "could not be reached" after
    ``attempts`` counted attempts; ``attempt_id`` (the call that used them up) keys it, so a
    later mark (after a callback request) sends its own. By email, or by text without one — but
    to a customer never told (``Case.told`` false) by every channel they have, as the apology
    goes: this is the first word they get, and one channel may be the one that failed — and
    with the link to their case page (from ``links``, valid as long as an apology's after its
    deadline, counted from now), where their answer still counts. ``no_phone``: no call was
    made, as the customer has no phone number on file (``attempts`` 0); the message says so."""
    # the message at the deadline already gave the explanation and the apology: this one
    # refers to it ("as we wrote") instead of giving them as news
    extra = {"attempts": attempts, "told": case.told,
             "wrote": not case.told and uow.outbox.was_sent(int(case.case_id), "never_told"),
             "asked": case.consent is not None
             and case.consent.choice is CustomerOption.TALK_TO_PERSON, "no_phone": no_phone}
    key = (f"incident:{case.incident_id}:case:{case.case_id}:unreachable:"
           f"{'no_phone' if no_phone else attempt_id}")
    if no_phone and (withdrawn := uow.outbox.withdrawn_with_key(key)):
        # its earlier copy was withdrawn unsent (a number given, then removed again): it goes
        key += f":{withdrawn}"
    return _messages(uow, case, plan, policy, links if not case.told else None, extra,
                     purpose="unreachable", subject=NO_PHONE_SUBJECT if no_phone else SUBJECT,
                     key=key,
                     every_channel=not case.told,
                     skip=uow.outbox.failed_apology_channels(int(case.case_id)))


def no_phone_messages(uow: SqlAlchemyUnitOfWork, *, case_ids: list[int], plan: IncidentPlan,
                      policy: DeskPolicy, links: LinkMaker | None = None) -> list[object]:
    """The message to each customer of ``case_ids``, just marked "could not be reached" at the
    deadline as they have no phone number on file (``call_attempts.NO_PHONE``): we have no
    number to call them on, by email. "One of our staff will call you", if still waiting to
    go out, is withdrawn (the deadline does not queue it to them)."""
    if not case_ids:
        return []
    uow.outbox.withdraw_pending(case_ids, purposes=("never_told",),
                                why="no phone number to call; the message saying so replaces it")
    return [m for i in case_ids for m in unreachable_messages(
        uow, case=require(uow.cases.get(i), "case", i).case, plan=plan, attempts=0,
        attempt_id=0, policy=policy, links=links, no_phone=True)]


def never_told_messages(uow: SqlAlchemyUnitOfWork, *, case: Case, plan: IncidentPlan,
                        policy: DeskPolicy, links: LinkMaker | None = None) -> list[object]:
    """The first word to the customer of ``case``, whose apology never went out before the
    deadline (``Case.told`` false) and whose default is therefore a call: the apology and its
    explanation, that our message did not go out in time and the deadline does not apply to
    them, the options, that one of our staff will call, and their case link (from ``links``),
    where their answer counts. By every channel they have, as the apology goes; at the next
    opening of the contact hours; queued once, with the deadline's default (``apply_deadline``),
    and withdrawn if they answer first (or the desk gives up calling). The call is still owed:
    the message does not replace it, it makes sure they are not left waiting in silence for it.
    A channel whose apology failed is skipped: it would fail again (a bounced address, a wrong
    number), and the case went on the call list for it (``desk_undelivered``)."""
    failed = uow.outbox.failed_apology_channels(int(case.case_id))
    # its wording was checked when the incident was notified (``desk_wordings.wording_samples``):
    # not again per customer inside the deadline's transaction, which holds the incident
    return _messages(uow, case, plan, policy, links, {}, purpose="never_told",
                     subject=NEVER_TOLD_SUBJECT,
                     key=f"incident:{case.incident_id}:case:{case.case_id}:never_told",
                     every_channel=True, skip=failed, check=False)


NEVER_TOLD_SUBJECT = {"ko": f"{dm.TAG['ko']} 가격 오류 안내가 제때 전해지지 않아 죄송합니다",
                      "en": f"{dm.TAG['en']} We are sorry: our message about a pricing error did not reach "
                            "you in time"}


def _messages(uow: SqlAlchemyUnitOfWork, case: Case, plan: IncidentPlan, policy: DeskPolicy,
              links: LinkMaker | None, extra: dict[str, object], *, purpose: str,
              subject: dict[str, str], key: str, every_channel: bool,
              skip: frozenset[str] = frozenset(), check: bool = True) -> list[object]:
    """``purpose``'s messages to the customer of ``case`` (templates ``<purpose>_email`` and
    ``<purpose>_sms``), checked; by email, or by text without one — by both with
    ``every_channel`` — but never by a channel in ``skip``; with their case link when
    ``links`` is given."""
    from sagwa.services.outbox import OutgoingMessage

    person = require(uow.catalog.customer(int(case.customer_id)), "customer", case.customer_id)
    reachable = [(c, r) for c, r in (("email", person.email), ("sms", person.phone))
                 if r and c not in skip]
    channels = reachable if every_channel else reachable[:1]
    if not channels:
        return []
    inc = require(uow.incidents.get(int(case.incident_id)), "incident", case.incident_id).incident
    lang = person.locale
    link = (links.for_case(int(case.case_id), int(case.customer_id),
                           uow.now() + LINK_VALID_AFTER_DEADLINE) if links is not None else "")

    def values(facts: dm.IncidentFacts, name: str) -> dict[str, object]:
        return after_deadline_values(shared_values(facts, plan, policy, lang), case, plan, lang,
                                     name, link, **extra)

    facts = case_facts(uow, inc, case)
    return [OutgoingMessage(
        idempotency_key=key if channel == channels[0][0] else f"{key}:{channel}",
        purpose=purpose, channel=channel, recipient=recipient, locale=lang,
        subject=subject[lang] if channel == "email" else "",
        body=_body(f"{purpose}_{channel}", lang, check, facts, person.name, values),
        not_before=next_contact_time(policy.schedule, uow.now()),
        incident_id=int(case.incident_id), case_id=int(case.case_id),
        customer_id=int(case.customer_id)) for channel, recipient in channels]


def _body(template: str, lang: str, check: bool, facts: dm.IncidentFacts, name: str,
          values: Values) -> str:
    """``template`` filled with ``values`` of ``facts`` and ``name``; with ``check``, once it
    passes the message check (the names as stand-ins: ``name_stand_ins.render_checked``)."""
    if check:
        return render_checked(template, lang, kind="resolution", facts=facts,
                              customer_name=name, values=values)
    return dm.render(template, lang, **values(facts, name))
