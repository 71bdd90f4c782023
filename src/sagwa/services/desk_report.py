"""An incident's report: the timeline from the audit log, SLA figures, the money booked
(compensation from the ledger — the platform's part and each seller's — and the refunds the desk
applied), and a Markdown postmortem with a chart (PNG) of the case states over time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sagwa.domain.audit import first_listing_pause
from sagwa.domain.call_attempts import NO_PHONE, PHONE_ADDED, PHONE_CHANGED, UNREACHABLE_ACTION
from sagwa.domain.contact_hours import may_contact
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money, format_money
from sagwa.domain.sla import minutes_between, notice_overdue
from sagwa.services.customer_contact import CONTACT_CHANGED
from sagwa.services.desk_cancel_instead import CANCELLED_INSTEAD_ACTION
from sagwa.services.desk_cases import NEVER_TOLD_ACTION
from sagwa.services.desk_difference import PAID_ACTION, unpaid_differences
from sagwa.services.desk_messages import cancel_points
from sagwa.services.desk_money import incident_money
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_status import ANSWERING_CHOICES, answered_count
from sagwa.services.lookups import require
from sagwa.services.notices import required_notice
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

CASE_STATES = ("open", "notified", "escalated", "chosen", "defaulted", "resolved")


#: The audit facts a timeline step shows (the rest of the audit record is not for this view),
#: in the order a reader wants them (``facts`` itself keeps the record's order).
TIMELINE_FACTS = ("status", "new_cases", "cases", "messages", "send_at", "deadline", "version",
                  "lang", "observed", "reason", "units", "refunded", "difference", "why",
                  "email_change", "replies_until")
#: The ``why`` of a case step the timeline says (the desk gave up calling for want of a number,
#: or owes the call again with a new one); steps with different ones are not grouped together.
CASE_WHYS = (NO_PHONE, PHONE_ADDED, PHONE_CHANGED)
#: The desk's changes to an order (``desk_cases.apply_effect``), and the fact that names the
#: money moved by each: refunded for a cancellation or a lowered quantity, the difference from
#: what was paid for a new price.
ORDER_CHANGES = {"order.cancel_and_refund": "refunded", "order.reduce_and_refund": "refunded",
                 "order.reprice": "difference"}
#: A plan saved (``desk.plan``): its audit record keeps the whole plan, and the one it replaced.
PLANNED_ACTION = "incident.planned"
#: What one record of a grouped case step is, when it is not simply one per case.
_RECORD_NOUNS = {"case.contact_attempted": "attempt"}


@dataclass(frozen=True)
class TimelineEntry:
    """One step: who did what to which entity, with the facts recorded for it.

    ``entity_kind``/``entity_id`` name one incident or listing; case steps and the desk's order
    changes come grouped (``entity_kind`` ``"case"`` or ``"order"``, no id): ``case_count``
    distinct cases, ``records`` audit records (calls, orders changed). ``facts`` keeps the audit
    values as recorded (``TIMELINE_FACTS`` only, in the record's order); for order changes, the
    units and the money added up. ``entity`` and ``detail`` say the same as plain text for the
    postmortem and the CLI.
    """

    at: datetime
    actor: str
    action: str
    entity_kind: str
    entity_id: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    case_count: int | None = None
    records: int | None = None
    reason_ko: str | None = None
    """The Korean of ``facts["reason"]`` where the record keeps one (a guard's hold)."""
    plan: Mapping[str, Any] | None = None
    """A "plan decided" step's plan as recorded (all its terms: ``facts`` keeps only the
    deadline), and ``plan_before`` the one it replaced (None for the first)."""
    plan_before: Mapping[str, Any] | None = None
    tripped_by: tuple[str, ...] = ()
    """What tripped the tripwire, for its pause (``"orders"``, ``"bulk"`` …): a surge of orders
    is said differently from one order far too large."""
    case_ids: tuple[str, ...] = ()
    """A grouped step's cases (their ids, in number order): the page names and links them."""

    @property
    def entity(self) -> str:
        """``incident 3``, ``listing 12``, ``4 cases``, ``2 attempts on 1 case``,
        ``3 orders on 2 cases``."""
        if self.case_count is None:
            return f"{self.entity_kind} {self.entity_id}"
        n, records = self.case_count, self.records or self.case_count
        cases = f"{n} case{'s' if n != 1 else ''}"
        if self.entity_kind == "order":
            return f"{records} order{'s' if records != 1 else ''} on {cases}"
        if records != n:
            noun = _RECORD_NOUNS.get(self.action, "record")
            return f"{records} {noun}{'s' if records != 1 else ''} on {cases}"
        return cases

    @property
    def detail(self) -> str:
        """``status=scoped, new_cases=3``; times in Asia/Seoul, facts recorded empty left out."""
        return ", ".join(f"{k}={_fact_text(v)}" for k, v in self.facts.items()
                         if v is not None and v != "")


def _fact_text(value: Any) -> str:
    """An audit value as a reader wants it: ISO times as ``2008-06-17 18:00`` Seoul time,
    money as ``59,700 KRW``."""
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            return value
        if at.tzinfo is not None:
            return f"{at.astimezone(SEOUL):%Y-%m-%d %H:%M}"
    return str(value)


@dataclass
class IncidentReport:
    incident_id: int
    cause: str
    status: str
    cases: int
    timeline: list[TimelineEntry]
    figures: dict[str, Any]
    state_series: list[tuple[datetime, dict[str, int]]] = field(default_factory=list)
    #: The points the plan gives for cancelling, where it offers that (None: it does not, or
    #: no plan): the figures name the cancellation by it (:func:`figure_rows`).
    cancel_points: int | None = None


def build_report(uow: SqlAlchemyUnitOfWork, *, incident_id: int, policy: DeskPolicy) -> IncidentReport:
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        case_rows = uow.reads.case_choices(incident_id)
        # listing steps from an hour before the wrong price went live (the window start), as
        # context for the timeline; the time to pause counts only pauses from the window start
        records = uow.reads.incident_audit_trail(
            incident_id, listing_ids=inc.listing_ids, case_ids=[r.id for r in case_rows],
            listings_since=inc.window_start - timedelta(hours=1))
        sent = uow.reads.resolution_sent_times(incident_id)
        first_notice = uow.cases.first_notice_at(incident_id)
        # the SLA is met or missed when the notice is up in every language it must be in
        notice, missing = required_notice(uow, inc)
        money = incident_money(uow, incident_id, inc.wrong_price.currency)
        unpaid = unpaid_differences(uow, incident_id)
        plan = uow.incidents.plan(incident_id, inc.correct_price) if inc.correct_price else None
        early, moved = uow.outbox.sent_times_in_doubt(incident_id, inc.declared_at)
    timeline = _timeline(records)
    pause = first_listing_pause(records, window_start=inc.window_start, until=inc.declared_at)
    in_hours = {r.customer_id for r in sent if may_contact(policy.schedule, r.sent_at)}
    first_sent = min((r.sent_at for r in sent), default=None)
    total = len(case_rows)
    never_told = {r.entity_id for r in records if r.action == NEVER_TOLD_ACTION}
    choices = Counter(r.choice for r in case_rows if r.choice)
    answered = answered_count(choices)
    figures = {
        "cases": total,
        "minutes_to_pause": minutes_between(pause, inc.window_start),
        "minutes_to_notice": minutes_between(notice, inc.declared_at),
        "minutes_to_first_apology": minutes_between(first_sent, inc.declared_at),
        "notice_sla_minutes": int(policy.notice_sla.total_seconds() // 60),
        "customers_reached_in_hours": len(in_hours),
        "share_reached_in_hours": round(len(in_hours) / total, 4) if total else None,
        "never_told_by_deadline": len(never_told),
        "never_told_no_phone": len(never_told & {
            r.entity_id for r in records
            if r.action == UNREACHABLE_ACTION and (r.after or {}).get("why") == NO_PHONE}),
        "answered": answered,
        "share_answered": round(answered / total, 4) if total else None,
        "by_choice": dict(choices),
        "differences_unpaid": unpaid,
        "money": money,
        # met or missed on the exact times (the minutes above are rounded for reading: 60 min
        # 2 s is late against 60, as the incident page says)
        "notice_sla_met": None if notice is None else not notice_overdue(
            inc.declared_at, notice, published_at=notice, sla=policy.notice_sla),
        # customers who took the discount, then cancelled instead of paying (``by_choice``
        # counts them with the cancellations: their case's choice now)
        "cancelled_instead": len({r.entity_id for r in records
                                  if r.action == CANCELLED_INSTEAD_ACTION}),
        # appended: the first notice in any language (what ``minutes_to_notice`` counted before
        # it followed the notice in every language it must be in), and the languages it lacks
        "minutes_to_first_notice": minutes_between(first_notice, inc.declared_at),
        "notice_languages_missing": missing,
        # appended: messages whose recorded sent time cannot be right — before the incident
        # was declared, or not the time their delivery's audit record holds (changed since)
        "messages_sent_before_declared": early,
        "messages_sent_at_changed": moved,
    }
    points = (cancel_points(plan) if plan is not None
              and plan.offers(CustomerOption.CANCEL_WITH_COMPENSATION) else None)
    return IncidentReport(incident_id, inc.cause, inc.status.value, total, timeline, figures,
                          _state_series(records, total), points)


def _timeline(records: list[Any]) -> list[TimelineEntry]:
    """Incident and listing steps one by one; case steps and the desk's order changes grouped
    per action, actor and minute (Seoul time is the reader's: ``TimelineEntry.at`` is aware)."""
    out: list[TimelineEntry] = []
    groups: dict[tuple[datetime, str, str, str | None], list[Any]] = {}
    for r in records:
        if r.entity_type == "case" or (r.entity_type == "order" and r.action in ORDER_CHANGES):
            why = (r.after or {}).get("why") if r.entity_type == "case" else None
            key = (r.occurred_at.replace(second=0, microsecond=0), r.actor, r.action,
                   why if why in CASE_WHYS else None)
            groups.setdefault(key, []).append(r)  # records come in log order
            continue
        if r.entity_type == "order":
            continue
        facts = {k: v for k, v in (r.after or {}).items() if k in TIMELINE_FACTS}
        planned = r.action == PLANNED_ACTION
        out.append(TimelineEntry(r.occurred_at, r.actor, r.action, r.entity_type,
                                 str(r.entity_id), facts,
                                 reason_ko=(r.after or {}).get("reason_ko"),
                                 plan=r.after if planned else None,
                                 plan_before=r.before if planned else None,
                                 tripped_by=tuple(map(str, (r.after or {}).get("tripped_by")
                                                      or ()))))
    # stamped with the group's first record, not the minute (which would sort it before the
    # step that caused it, e.g. "notified" before "scoped" in the same minute)
    out += [_grouped(rows, key[3]) for key, rows in groups.items()]
    return sorted(out, key=lambda e: e.at)  # stable: log order within the same instant


def _grouped(rows: list[Any], why: str | None = None) -> TimelineEntry:
    """One timeline step for ``rows`` (same minute, actor, action and ``why``, one of
    :data:`CASE_WHYS`): the distinct cases and the records; for order changes, which case each
    was for, the units and the money."""
    first = rows[0]
    afters = [r.after or {} for r in rows]
    if first.entity_type == "case":
        cases = {r.entity_id for r in rows}
        facts: dict[str, Any] = {"why": why} if why else {}
        if first.action == PAID_ACTION:  # how much (a walkthrough read an empty row)
            facts["difference"] = _money_sum(afters, "difference")
        elif first.action == CANCELLED_INSTEAD_ACTION:  # what was given back
            facts["refund"] = _money_sum(afters, "refund")
        elif first.action == CONTACT_CHANGED:  # the email too, not only the phone's ``why``
            emails = {a.get("email") for a in afters} - {None}
            if len(emails) == 1:
                facts["email_change"] = emails.pop()
        return TimelineEntry(first.occurred_at, first.actor, first.action, "case",
                             facts=facts, case_count=len(cases), records=len(rows),
                             case_ids=_in_order(cases))
    cases = {str(a.get("case_id")) for a in afters}
    facts = {"units": sum(int(a.get("quantity") or 0) for a in afters),
             ORDER_CHANGES[first.action]: _money_sum(afters, "amount")}
    return TimelineEntry(first.occurred_at, first.actor, first.action, "order", facts=facts,
                         case_count=len(cases), records=len(rows), case_ids=_in_order(cases))


def _in_order(cases: set[str]) -> tuple[str, ...]:
    """Case ids as numbers sort (an order change without a case id is left out)."""
    return tuple(sorted((c for c in cases if c.isdigit()), key=int))


def _money_sum(afters: list[Mapping[str, Any]], key: str) -> Money | str | None:
    """The money recorded under ``key`` in ``afters``, added up: one Money, or the sums per
    currency joined with " + ", or None when there is none."""
    sums: dict[str, int] = {}
    for a in afters:
        amount = a.get(key) or {}
        if amount.get("currency"):
            sums[amount["currency"]] = sums.get(amount["currency"], 0) + int(amount["amount_minor"])
    money = [Money(v, c) for c, v in sorted(sums.items())]
    return money[0] if len(money) == 1 else " + ".join(format_money(m) for m in money) or None


def _state_series(records: list[Any], total: int) -> list[tuple[datetime, dict[str, int]]]:
    state: dict[str, str] = {}
    series: list[tuple[datetime, dict[str, int]]] = []
    for r in records:
        if r.entity_type != "case":
            continue
        new = (r.after or {}).get("status") or {"case.notified": "notified"}.get(r.action)
        if new:
            state[r.entity_id] = new
            counts = Counter(state.values())
            counts["open"] = total - len(state)
            series.append((r.occurred_at, {s: counts.get(s, 0) for s in CASE_STATES}))
    return series


def write_postmortem(report: IncidentReport, out_dir: Path) -> tuple[Path, Path | None]:
    """``incident-<id>.md`` and ``incident-<id>-cases.png`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    chart = _chart(report, out_dir / f"incident-{report.incident_id}-cases.png")
    f = report.figures
    lines = [f"# Incident {report.incident_id} — postmortem", "",
             f"*Cause:* {report.cause}  ", f"*Status:* {report.status}; {report.cases} cases", "",
             "## SLA figures", "", "| figure | value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in figure_rows(
        {k: v for k, v in f.items() if k != "money"}, cancel_points=report.cancel_points)]
    if f.get("money"):
        lines += ["", "## Money (booked in the ledger; refunds as applied to orders)", "",
                  "| figure | value |", "|---|---|"]
        lines += [f"| {label} | {value} |" for label, value in money_rows(f["money"])]
    if chart:
        lines += ["", "## Case states over time", "", f"![case states]({chart.name})"]
    lines += ["", "## Timeline (Asia/Seoul)", "", "| time | who | what | on | detail |",
              "|---|---|---|---|---|"]
    lines += [f"| {e.at.astimezone(SEOUL):%Y-%m-%d %H:%M} | {e.actor} | {e.action} | {e.entity} "
              f"| {e.detail} |" for e in report.timeline]
    path = out_dir / f"incident-{report.incident_id}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, chart


#: How the postmortem names each figure (the JSON keeps the keys): label, and unit if any.
_FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "cases": ("customers affected (cases)", ""),
    "minutes_to_pause": ("wrong price on sale until paused", "min"),
    "minutes_to_notice": ("declared → public notice", "min"),
    "minutes_to_first_notice": ("… first notice (not yet in every language needed)", "min"),
    "minutes_to_first_apology": ("declared → first apology sent", "min"),
    "notice_sla_minutes": ("public notice SLA", "min"),
    "customers_reached_in_hours": ("customers first messaged inside contact hours", ""),
    "share_reached_in_hours": ("… share of cases", "%"),
    "never_told_by_deadline": ("customers never told before the deadline (owed a call)", ""),
    "never_told_no_phone": ("… of them with no phone number to call: written to instead", ""),
    "answered": ("customers who answered", ""),
    "share_answered": ("… share of cases", "%"),
    "differences_unpaid": ("discount chosen, difference not yet recorded as paid", ""),
    "messages_sent_before_declared": (
        "**messages recorded as sent before the incident was declared (impossible)**", ""),
    "messages_sent_at_changed": (
        "**messages whose sent time differs from their audit record (changed since)**", ""),
}
#: Shown only when not 0: a sent time that cannot be right.
_DOUBT_COUNTS = ("messages_sent_before_declared", "messages_sent_at_changed")
_CHOICE_LABELS = {"keep": "kept the order", "cancel_with_compensation": "cancelled with "
                  "compensation", "talk_to_person": "asked for a person",
                  "buy_at_correct_price_discount": "bought at the discounted correct price",
                  "default": "took the default"}
#: The cancellation's row where the plan gave no points for it (0).
_CANCELLED_WITHOUT_POINTS = "cancelled for a full refund"


def figure_rows(figures: Mapping[str, Any], *,
                cancel_points: int | None = None) -> list[tuple[str, str]]:
    """The SLA figures as (label, value) rows a reader can take in: units, shares as percent,
    the notice measured against its SLA, "—" for none yet. A row whose label starts with "…"
    belongs to the row above it: the choices under "customers who answered" are the answering
    ones only, so they add up to it (a cancellation under a plan giving 0 ``cancel_points`` is
    not said to be compensated); customers who asked for a person and have not chosen yet
    are a row of their own. The money rows (:func:`money_rows`) come last."""
    rows: list[tuple[str, str]] = []
    for key, value in figures.items():
        if key == "by_choice":
            rows += _choice_rows(value, cancel_points)
            continue
        if key in ("money", "notice_sla_met", *_NOTICE_DETAILS):
            continue
        if key in _DOUBT_COUNTS and not value:
            continue
        label = _FIGURE_LABELS.get(key, (key.replace("_", " "), ""))[0]
        rows.append((label, _figure_text(key, value, figures)))
        if key == "minutes_to_notice":
            rows += _first_notice_row(figures)
    if figures.get("money"):
        rows += money_rows(figures["money"])
    return rows


def _choice_rows(by_choice: Mapping[str, int],
                 cancel_points: int | None = None) -> list[tuple[str, str]]:
    """One "…" row per answering choice (they add up to "customers who answered"), then a
    row of its own for those who only asked for a person so far."""
    ordered = sorted(by_choice.items(), key=lambda kv: (-kv[1], kv[0]))
    names = dict(_CHOICE_LABELS)
    if cancel_points == 0:
        names[CustomerOption.CANCEL_WITH_COMPENSATION.value] = _CANCELLED_WITHOUT_POINTS
    rows = [(f"… {names.get(c, c.replace('_', ' '))}", str(n))
            for c, n in ordered if c in ANSWERING_CHOICES]
    rows += [(_WAITING_LABELS.get(c, c.replace("_", " ")), str(n))
             for c, n in ordered if c not in ANSWERING_CHOICES]
    return rows


#: The notice's figures said with "declared → public notice", not as rows of their own.
_NOTICE_DETAILS = ("minutes_to_first_notice", "notice_languages_missing")
#: A notice's language as the report names it.
_LANGUAGES = {"ko": "Korean", "en": "English"}


def _first_notice_row(figures: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The first notice, when it came before the notice was up in every language it must be
    in (the SLA's moment): a row under "declared → public notice"; none otherwise."""
    first = figures.get("minutes_to_first_notice")
    if first is None or first == figures.get("minutes_to_notice"):
        return []
    return [(_FIGURE_LABELS["minutes_to_first_notice"][0], f"{first:,.0f} min")]


#: Choices that are no answer yet, shown as rows of their own (not under "answered").
_WAITING_LABELS = {"talk_to_person": "customers who asked for a person (no choice yet)"}


def _figure_text(key: str, value: Any, figures: Mapping[str, Any]) -> str:
    unit = _FIGURE_LABELS.get(key, ("", ""))[1]
    if value is None:
        if key != "minutes_to_notice":
            return "—"
        missing = figures.get("notice_languages_missing") or []
        if figures.get("minutes_to_first_notice") is None or not missing:
            return "— (no notice published)"
        names = " and ".join(_LANGUAGES.get(lang, lang) for lang in missing)
        return f"— (not yet published in {names})"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "min" and value < 0:
        # a time before the one it is measured from cannot be: a sent time moved back, say
        return (f"**impossible: {-value:,.0f} min before the incident was declared** "
                "(a recorded time was changed? see the messages' audit records)")
    if unit == "min":
        text = f"{value:,.0f} min"
        if key == "minutes_to_notice" and figures.get("notice_sla_minutes") is not None:
            met = figures.get("notice_sla_met")
            if met is None:  # figures from before the flag: the rounded minutes
                met = value <= figures["notice_sla_minutes"]
            if not met and round(value) <= figures["notice_sla_minutes"]:
                text = f"{value:,.1f} min"  # late by seconds: do not show the SLA's own figure
            text += " (within the SLA)" if met else " (**SLA missed**)"
        return text
    return str(value)


def money_rows(money: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The money booked (``desk_money.incident_money``) as rows: the compensation, then who
    pays it — the platform and each seller by name — as "…" rows that add up to it, then the
    refunds."""
    cases = money.get("compensated_cases", 0)
    rows = [("compensation points booked",
             f"{money['compensation_points']:,} points ({cases} case{'s' if cases != 1 else ''})"),
            ("… paid by the platform", f"{money['platform_points']:,} points")]
    rows += [(f"… paid by seller {s['name'] or '?'} (#{s['seller_id']})", f"{s['points']:,} points")
             for s in money.get("sellers", [])]
    refund = Money.from_dict(money["refunds"])
    units, orders = money.get("refunded_units", 0), money.get("refunded_orders", 0)
    counts = f"{units} unit{'s' if units != 1 else ''}, {orders} order{'s' if orders != 1 else ''}"
    rows.append(("refunds applied to orders", f"{format_money(refund)} ({counts})"))
    return rows


def _chart(report: IncidentReport, path: Path) -> Path | None:
    if not report.state_series:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    series = list(report.state_series)
    times = [t.astimezone(SEOUL) for t, _ in series]
    # the last state is drawn for a while (5% of the span, at least ten minutes): with
    # step="post" the final step would otherwise have no width and never show
    span = times[-1] - times[0]
    times.append(times[-1] + max(span / 20, timedelta(minutes=10)))
    series.append(series[-1])
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    ax.stackplot(times, *[[c[s] for _, c in series] for s in CASE_STATES],
                 labels=CASE_STATES, step="post")
    ax.set_title(f"Incident {report.incident_id}: cases by state")
    ax.set_ylabel("cases")
    ax.set_xlabel("time (Asia/Seoul)")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M", tz=SEOUL))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
