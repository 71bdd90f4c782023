"""``sagwa replay``: real incidents replayed through sagwa, side by side with what happened."""

from __future__ import annotations

import json
import time
from typing import Any

import typer
from rich.table import Table

from sagwa.cli.context import console, exits_cleanly, settings
from sagwa.cli.numbers import number_option

app = typer.Typer(help="Replay real incidents through sagwa's real code.", no_args_is_help=True)

ROWS = ("orders_at_wrong_price", "customers_affected", "cancelled_without_consent",
        "minutes_to_public_notice", "minutes_to_first_apology",
        "customers_notified_in_contact_hours", "messages_failing_check", "threats_sent",
        "compensation_points")


def format_table(result: dict[str, Any]) -> Table:
    table = Table(title="aladin-2008: the iPod nano at 19,900 KRW (list price 199,000 KRW)")
    table.add_column("figure")
    for column in ("as happened (2008)", "with the price guard", "with the incident desk"):
        table.add_column(column, justify="right")
    parts = (result["as_happened"], result["with_guard"], result["with_desk"])
    for row in ROWS:
        table.add_row(row.replace("_", " "), *("—" if p.get(row) is None else f"{p[row]:,}"
                                              if isinstance(p.get(row), int) else str(p[row])
                                              for p in parts))
    table.add_row("price change verdict", "(no guard)", str(parts[1].get("price_change_verdict")),
                  "hold, approved by mistake")
    return table


@app.command("aladin-2008")
@exits_cleanly
def aladin_2008(
    fmt: str = typer.Option("table", "--format", help="table or json."),
    customers: int = number_option(300, min=10, max=20_000, help="How many customers order."),
) -> None:
    """The June 2008 iPod nano incident: as it happened, with the guard, with the desk."""
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
