"""How ``sagwa incident`` shows what it did: pure ``format_*`` functions for tables meant for
people (times in Asia/Seoul, durations in words, money with its currency), and the two
``print_*`` that write a result as a table or as JSON for programs (ISO 8601 times, stable
keys). Used by the commands in ``incident``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from sagwa.cli.context import console
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money, format_money
from sagwa.errors import InvalidInput

if TYPE_CHECKING:
    from sagwa.services.desk_status import IncidentStatusView

MISSING = "—"
# How str(timedelta) reads: "1 day, 0:00:00", "2:29:59.767496".
TIMEDELTA_TEXT = re.compile(
    r"(?<![\d:.T])(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)(?:\.\d+)?(?![\d:+])")


def format_time(moment: datetime | None) -> str:
    """``2008-06-17 18:00 KST`` (Asia/Seoul, to the minute); ``—`` when there is none."""
    return MISSING if moment is None else f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M %Z}"


def format_duration(span: timedelta) -> str:
    """``2 h 30 min``, ``1 day``, ``1 day 3 h``; seconds are dropped (``under 1 min``)."""
    if span < timedelta(0):
        return f"-{format_duration(-span)}"
    days, seconds = span.days, span.seconds
    if not days and seconds < 60:
        return "0 min" if span == timedelta(0) else "under 1 min"
    parts = [f"{days} day{'' if days == 1 else 's'}" if days else "",
             f"{seconds // 3600} h" if seconds >= 3600 else "",
             f"{seconds % 3600 // 60} min" if seconds % 3600 >= 60 else ""]
    return " ".join(p for p in parts if p)


def humanize_durations(text: str) -> str:
    """Rewrite Python's ``1 day, 0:00:00`` in a message as ``1 day``."""
    def words(m: re.Match[str]) -> str:
        return format_duration(timedelta(days=int(m[1] or 0), hours=int(m[2]),
                                         minutes=int(m[3]), seconds=int(m[4])))
    return TIMEDELTA_TEXT.sub(words, text)


@contextmanager
def durations_in_words() -> Iterator[None]:
    """The plan rules word their durations as Python prints them; a person reads words."""
    try:
        yield
    except InvalidInput as exc:
        exc.message = humanize_durations(exc.message)
        problems = exc.details.get("problems")
        if isinstance(problems, dict):
            exc.details["problems"] = {k: humanize_durations(str(v)) for k, v in problems.items()}
        raise


def format_value(value: Any) -> str:
    """One table cell: times in KST, money with its currency, lists and mappings as lines."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, dict):
        if value.keys() == {"amount_minor", "currency"}:
            return format_money(Money.from_dict(value))
        return "\n".join(f"{label(k)}: {format_value(v)}" for k, v in value.items()) or MISSING
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(format_value(v) for v in value) or MISSING
    return str(value)


def label(key: str) -> str:
    return key.replace("_", " ")


def format_plan(plan: dict[str, Any] | None) -> str:
    """The plan of ``incident status`` as readable lines; terms not offered are left out."""
    if plan is None:
        return MISSING
    lines = [f"options: {', '.join(plan['options'])}",
             f"deadline: {format_time(datetime.fromisoformat(plan['deadline']))}",
             f"if nobody answers: {plan['default']}",
             (f"compensation (points) split: seller {plan['seller_share_pct']}%, "
              f"platform {plan['platform_share_pct']}%")]
    if plan.get("cancel_compensation") == 0:
        lines.append("compensation: none (cancelling gives a full refund only)")
    elif plan.get("cancel_compensation") is not None:
        lines.append(f"compensation: {plan['cancel_compensation']:,} points")
    if plan.get("discount_pct") is not None:
        lines.append(f"discount: {plan['discount_pct']}% off the correct price")
    if plan.get("keep_max_units") is not None:
        cap = plan["keep_max_units"]
        lines.append(f"keep at most: {cap} unit{'' if cap == 1 else 's'} per customer")
    return "\n".join(lines)


def format_status(view: IncidentStatusView) -> list[tuple[str, str]]:
    """``incident status`` (an ``IncidentStatusView``) as (label, text) rows; the money booked
    last, as the postmortem words it (``desk_report.money_rows``: the compensation, who pays
    it — the platform and each seller by name — then the refunds), just after what honouring
    the wrong price gave up (``exposure_kept``)."""
    from sagwa.services.desk_report import money_rows

    data = _notice_rows_together(dict(vars(view)))
    for key in ("first_notice_at", "required_notice_at", "first_message_sent_at"):
        data[key] = _after_declaring(data[key], view.declared_at)
    data["notice_languages_missing"] = format_languages(view.notice_languages_missing)
    data["plan"] = format_plan(data["plan"])
    data["notices_outdated"] = format_outdated_notices(data["notices_outdated"])
    data["choices"] = "\n".join(f"{_choice_words(c, view.plan)}: {n}"
                                for c, n in data["choices"].items()) or MISSING
    data["cases_by_status"] = format_cases_by_status(view.cases_by_status,
                                                     view.differences_unpaid)
    data["messages_by_status"] = format_messages_by_status(view.messages_by_status,
                                                           data.pop("next_message_at"))
    data["apologies_queued"] = format_apologies_queued(view.apologies_queued,
                                                       data.pop("apologies_due_at"))
    data["differences_unpaid"] = format_differences_unpaid(view.differences_unpaid,
                                                           data.pop("differences_unpaid_total"))
    money = data.pop("money")
    kept = data.pop("exposure_kept", None)
    rows = [(label(k), format_value(v)) for k, v in data.items()]
    # not points booked: the revenue given up on the units kept at the wrong price
    rows.append(("revenue given up on units kept (wrong price, or discount given)",
                 format_value(kept)))
    return rows + (money_rows(money) if money else [("money", MISSING)])


def _notice_rows_together(data: dict[str, Any]) -> dict[str, Any]:
    """The status with the notice in every language it must be in (the SLA's moment) and the
    languages it lacks right after the first notice: the JSON appends them last."""
    moved = {k: data.pop(k) for k in ("required_notice_at", "notice_languages_missing")}
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value
        if key == "first_notice_at":
            out.update(moved)
    return out


#: A notice's language as the CLI names it.
LANGUAGES = {"ko": "Korean", "en": "English"}


def format_languages(langs: list[str]) -> str:
    """``Korean, English``; "none"."""
    return ", ".join(LANGUAGES.get(lang, lang) for lang in langs) or "none"


def format_messages_by_status(counts: dict[str, int], next_at: datetime | None) -> str:
    """``pending: 10 (the first goes out 2026-12-07 09:00 KST)``, one status a line: pending
    messages wait for contact hours (or are overdue), so the line says when they go."""
    def line(status: str, n: int) -> str:
        if status != "pending" or next_at is None:
            return f"{label(status)}: {n}"
        first = "goes out" if n == 1 else "the first goes out"
        return f"pending: {n} ({first} {format_time(next_at)})"
    return "\n".join(line(k, n) for k, n in counts.items()) or MISSING


def format_apologies_queued(queued: int, due_at: datetime | None) -> str:
    """``5 customers, due 2026-12-07 09:00 KST``: apologies queued and not sent yet."""
    if not queued or due_at is None:
        return "none"
    return f"{queued} customer{'' if queued == 1 else 's'}, due {format_time(due_at)}"


def format_cases_by_status(counts: dict[str, int], owing: int) -> str:
    """``resolved: 3 (1 still owes a difference)``, one status a line: a customer who took the
    discount and has not paid the difference is resolved, but their items are held."""
    def note(status: str) -> str:
        if status != "resolved" or not owing:
            return ""
        return f" ({owing} still owe{'s' if owing == 1 else ''} a difference)"
    return "\n".join(f"{label(s)}: {format_value(n)}{note(s)}" for s, n in counts.items()
                     ) or MISSING


def format_differences_unpaid(cases: int, total: dict[str, Any] | None) -> str:
    """``2 cases owe 278,600 KRW in all (items held until it is paid)``; ``0`` for none."""
    if not cases:
        return "0"
    owe = "1 case owes" if cases == 1 else f"{cases:,} cases owe"
    return f"{owe} {format_value(total)} in all (items held until it is paid)"


def format_owed(summary: dict[str, Any]) -> str:
    """An incident's differences still owed, in the list: ``278,600 KRW`` over ``2 cases``;
    ``—`` (a closed incident's too: the payments are recorded after closing)."""
    cases = summary.get("differences_unpaid", 0)
    if not cases:
        return MISSING
    owed = format_value(summary["differences_unpaid_total"])
    return f"{owed}\n{cases:,} case{'' if cases == 1 else 's'}"


def _choice_words(choice: str, plan: dict[str, Any] | None = None) -> str:
    """A choice as the pages and messages say it in English ("buy at the discounted correct
    price", not "buy at correct price discount"), for the incident's ``plan`` (its status JSON):
    a cancellation without points is "cancel the order (full refund)"."""
    from sagwa.domain.incident_plan import CustomerOption
    from sagwa.services.desk_messages import choice_label

    points = None
    if plan is not None and choice in plan["options"]:
        points = plan.get("cancel_compensation") or 0
    try:
        return choice_label(CustomerOption(choice), "en", points=points)
    except ValueError:
        return label(choice)


#: Why a published notice is out of date (``notices.outdated_notices``), as the status says it.
OUTDATED_NOTICE = {
    "before_plan": "published before the plan: publish an updated notice",
    "before_scope": "published before the customers were counted: publish an updated notice",
}


def format_outdated_notices(outdated: list[dict[str, Any]]) -> str:
    """``en v1: published before the plan: publish an updated notice``, one a line; "none"."""
    return "\n".join(f"{n['lang']} v{n['version']}: {OUTDATED_NOTICE[n['reason']]}"
                     for n in outdated) or "none"


def _after_declaring(moment: datetime | None, declared_at: datetime | None) -> str:
    if moment is None or declared_at is None:
        return format_time(moment)
    # to the nearest minute, as the incident page and the report count the SLA clocks (6 min 40 s
    # is 7 min there; cut down to 6 here, the two disagreed)
    span = timedelta(minutes=round((moment - declared_at).total_seconds() / 60))
    return f"{format_time(moment)} ({format_duration(span)} after declaring)"


def format_listings(summary: dict[str, Any]) -> str:
    """An incident's listings, one a line: ``526 애플 아이팟 셔플 · 하늘디지털 (paused)`` — its
    number, the product's title, the seller and its status now (the number alone for a
    listing not found)."""
    named = {d["id"]: d for d in summary.get("listing_details", [])}
    lines = [f"{i} {named[i]['title']} · {named[i]['seller']} ({named[i]['status']})"
             if i in named else str(i) for i in summary["listings"]]
    return "\n".join(lines) or MISSING


def format_incident_table(summaries: list[dict[str, Any]]) -> Table:
    table = Table(title="incidents, newest first")
    counts = ("cases", "answered", "differences unpaid")
    for column in ("id", "status", "listings", "wrong → correct price", "declared at",
                   *counts):  # ids, states and counts never wrap; the rest may
        table.add_column(column, no_wrap=column in ("id", "status", "cases", "answered"),
                         justify="right" if column in counts else "left")
    for s in summaries:
        declared = datetime.fromisoformat(s["declared_at"]) if s["declared_at"] else None
        table.add_row(str(s["id"]), s["status"], format_listings(s),
                      f"{format_value(s['wrong_price'])} → {format_value(s['correct_price'])}",
                      format_time(declared), f"{s['cases']:,}", f"{s['answered']:,}",
                      format_owed(s))
    return table


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def print_result(data: dict[str, Any], fmt: str, title: str) -> None:
    """A command's result: a table titled ``title``, or one line of JSON (``fmt="json"``)."""
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, default=_json_value))
        return
    print_rows([(label(k), _points(v) if k.endswith("points") else format_value(v))
                for k, v in data.items()], title)


def _points(value: Any) -> str:
    """A count of points as amounts read, grouped in thousands (5,000, not 5000)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return format_value(value)


def print_rows(rows: list[tuple[str, str]], title: str) -> None:
    table = Table(title=title, show_header=False)
    for name, value in rows:
        table.add_row(name, Text(value))  # values are data (a cause may hold "[...]"), not markup
    console.print(table)
