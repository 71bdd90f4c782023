"""``sagwa replay``: real incidents replayed through sagwa, side by side with what happened."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import typer
from rich.table import Table

from sagwa.cli.context import console, exits_cleanly, settings
from sagwa.cli.numbers import number_option

app = typer.Typer(help="Replay real incidents through sagwa's real code.", no_args_is_help=True)

COLUMNS = ("as happened (2008)", "with the price guard", "with the incident desk")
#: (label, key) of each row, in the order shown; the JSON has every key, and more. Minutes are
#: counted from the wrong price going live, in every column.
ROWS = (
    ("wrong price live (KST)", "wrong_price_live_at"),
    ("orders at wrong price", "orders_at_wrong_price"),
    ("units at wrong price", "units_at_wrong_price"),
    ("customers affected", "customers_affected"),
    ("orders refused after pause", "orders_refused_after_pause"),
    ("cancelled without consent", "cancelled_without_consent"),
    ("public notice (KST)", "public_notice_at"),
    ("minutes: live → public notice", "minutes_from_wrong_price_to_public_notice"),
    ("minutes: live → first apology", "minutes_from_wrong_price_to_first_apology"),
    ("notified in contact hours", "customers_notified_in_contact_hours"),
    ("texts, calls failing check", "customer_messages_failing_check"),
    ("notices failing check", "notices_failing_check"),
    ("threats (messages, notices)", "threats_sent"),
    ("chose: keep the order", "customers_kept"),
    ("chose: cancel + compensation", "customers_cancelled_with_compensation"),
    ("chose: talk to a person", "customers_asked_for_a_person"),
    ("no answer: took the default", "customers_defaulted"),
    ("points per cancellation", "compensation_points_per_cancellation"),
    ("compensation points", "compensation_points"),
    ("price change verdict", "price_change_verdict"),
    ("the wrong price was", "price_change_status"),
)

WORDS = ("pause: the order-velocity tripwire's; live: the wrong price on sale (applied, or "
         "approved by a reviewer); times Korean (KST), June 2008")


def format_value(key: str, value: Any) -> str:
    if key == "price_change_verdict" and value is None:
        return "(no guard)"
    if value is None:
        return "—"
    if key.endswith("_at"):
        return datetime.fromisoformat(value).strftime("%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_notes(result: dict[str, Any]) -> list[str]:
    """What is too long for a cell, once for the columns it is true of: the guard's reason,
    and who decided the held change and why; and what "pause" and "live" mean."""
    parts = (result["as_happened"], result["with_guard"], result["with_desk"])
    said: dict[str, list[str]] = {}
    for column, part in zip(COLUMNS, parts, strict=True):
        if part.get("price_change_reason"):
            said.setdefault(f"the guard's reason: {part['price_change_reason']}",
                            []).append(column)
        if part.get("price_change_decided_by"):
            said.setdefault(f"{part['price_change_status']} by {part['price_change_decided_by']}"
                            f": {part.get('price_change_decision_reason')}", []).append(column)
    return [f"{text} ({', '.join(columns)})" for text, columns in said.items()] + [WORDS]


def format_table(result: dict[str, Any]) -> Table:
    table = Table(title="aladin-2008: the iPod nano at 19,900 KRW (list price 199,000 KRW)",
                  caption="\n".join(format_notes(result)), caption_justify="left")
    table.add_column("figure", no_wrap=True)
    for column in COLUMNS:
        table.add_column(column, justify="right")
    parts = (result["as_happened"], result["with_guard"], result["with_desk"])
    for label, key in ROWS:
        table.add_row(label, *(format_value(key, p.get(key)) for p in parts))
    return table


@app.command("aladin-2008")
@exits_cleanly
def aladin_2008(
    fmt: str = typer.Option("table", "--format", help="table or json."),
    customers: int = number_option(
        300, min=10, max=20_000,
        help="How many customers order, at 2008's pace (about 75 an hour; over 300, faster, "
             "within the same four hours)."),
) -> None:
    """The June 2008 iPod nano incident: as it happened, with the guard, with the desk.

    Minutes in the table count from the wrong price going live. --format json has every figure
    and more, its keys only ever appended; the section "The 2008 replay" of docs/benchmarks.md
    says what each one means."""
    from sagwa.replay.aladin_2008 import run

    if fmt not in ("table", "json"):
        raise typer.BadParameter("--format must be table or json")
    started = time.perf_counter()
    result = run(settings(), customers=customers)
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, default=str))
        return
    console.print(format_table(result))
    console.print(f"ran on fresh databases through sagwa's services in "
                  f"{time.perf_counter() - started:.1f} s; every figure was computed from the "
                  f"database afterwards")
