"""``sagwa seed``: demo data."""

from __future__ import annotations

import json

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.cli.context import (
    ExitRefused,
    console,
    database,
    err_console,
    exits_cleanly,
    settings,
)
from sagwa.cli.numbers import number_option
from sagwa.errors import Conflict
from sagwa.seed.accounts import create_demo_accounts, demo_seller_id, format_accounts
from sagwa.seed.demo import (
    DemoSize,
    catalogue_size,
    check_demo_allowed,
    database_is_empty,
    load_demo,
)

app = typer.Typer(help="Load demo data.", no_args_is_help=True)
CATALOGUE = catalogue_size()


@app.command()
@exits_cleanly
def demo(
    customers: int = number_option(2000, min=1, max=200_000, help="How many customers."),
    orders: int = number_option(4000, min=0, max=2_000_000, help="How many orders."),
    weeks: int = number_option(6, min=1, max=52, help="Weeks of order history."),
    seed: int = number_option(2008, help="Random seed (same seed, same data)."),
    products: int = number_option(
        CATALOGUE, min=1, max=CATALOGUE,
        help="How many of the catalogue's products to list (a smaller demo loads faster): "
             "spread over its categories, the iPod nano of 2008 always among them."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing if data exists."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Load a Korean bookstore-and-electronics marketplace and one demo login per role.

    Sellers, products, listings and customers, with weeks of orders (see --weeks).

    Among the products: the iPod nano 3rd generation 4GB (199,000 KRW) of the 2008 story.

    Refused with SAGWA_ENVIRONMENT=production: the demo logins' passwords are public.
    """
    check_demo_allowed(settings().environment)  # before the database is opened (or migrated)
    db = database()
    if not database_is_empty(db.session_factory):
        if if_empty:
            if as_json:
                print(json.dumps({"loaded": False, "reason": "the database already has data"}))
            else:
                console.print("demo data already loaded; nothing to do")
            _print_accounts(db, as_json)
            db.close()
            return
        db.close()
        # a new data directory is a new embedded database; an external one needs a new database
        elsewhere = ("an empty database in SAGWA_DATABASE_URL" if settings().database_url
                     else "a new SAGWA_DATA_DIR")
        refused = Conflict("the database already has data; loading the demo again would "
                           f"duplicate it (use --if-empty, or {elsewhere})",
                           reason="demo_data_present")
        # as JSON, stdout holds the refusal's one object (exits_cleanly) and the line stderr
        (err_console if as_json else console).print(
            "[yellow]the database already has data; loading the demo again would duplicate "
            f"it[/yellow] (use --if-empty, or {elsewhere})")
        raise ExitRefused(refused)
    size = DemoSize(customers=customers, orders=orders, weeks=weeks, products=products)
    # Demo rows can be re-created at will: skip the per-commit flush to disk (~40% faster).
    bulk = create_engine(db.engine.url, connect_args={"options": "-c synchronous_commit=off"})
    totals = {"sellers": 12, "products": products, "listings": None, "customers": customers,
              "orders": orders}
    columns = (TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, disable=as_json) as bar:
        tasks = {name: bar.add_task(name, total=total) for name, total in totals.items()}
        summary = load_demo(sessionmaker(bind=bulk), size=size, seed=seed,
                            progress=lambda stage, n: bar.advance(tasks[stage], n))
    data = {"loaded": True, **vars(summary)}
    if as_json:
        print(json.dumps(data))
    else:
        console.print(f"[green]demo loaded[/green]: {summary.sellers} sellers, "
                      f"{summary.products} products, {summary.listings} listings, "
                      f"{summary.customers} customers, {summary.orders} orders, "
                      f"{summary.price_changes} price changes; iPod nano listings "
                      f"{summary.ipod_listings}")
    bulk.dispose()
    _print_accounts(db, as_json)
    db.close()


def _print_accounts(db: Database, as_json: bool) -> None:
    """Create (if missing) and print the demo logins, one per role."""
    assert db.session_factory is not None
    seller_id = demo_seller_id(db.session_factory)
    if seller_id is None:
        return
    accounts = create_demo_accounts(db.session_factory, seller_id=seller_id)
    if as_json:
        return
    console.print("demo logins (role, username, password) at /login:")
    for line in format_accounts(accounts):
        console.print(line, markup=False, highlight=False)
