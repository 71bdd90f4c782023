"""What every ``sagwa incident`` command shares: its argument and option types, and the desk
it works on (settings, the database and the desk policy). Times typed on the command line are
read by ``cli/dates.py``.

A command module (``incident_lifecycle``, ``incident_differences``, ...) takes these from here;
``cli/incident.py`` registers its commands on the ``sagwa incident`` app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sagwa.cli.context import database, settings
from sagwa.cli.numbers import number_argument

IncidentId = Annotated[int, number_argument()]


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


FORMAT = typer.Option(TableOrJson.table, "--format", help="table or json.")
REPORTS_DIR = Path("reports")


@contextmanager
def desk_context() -> Iterator[tuple[Any, Any, Any]]:
    """Settings, the database (closed when the command is done) and the desk policy."""
    from sagwa.services.desk_policy import load_desk_policy

    config = settings()
    db = database()
    try:
        yield config, db, load_desk_policy(config.desk_policy)
    finally:
        db.close()


def command_links(config: Any) -> Any:
    """The link maker for emails written by a command (the sellers' page, a customer's): the
    same public address as the customers' links, ``SAGWA_PUBLIC_BASE_URL`` or, unset,
    ``http://SAGWA_HOST:SAGWA_PORT`` — never a bare path, which no mail client opens (a
    walkthrough found "/seller/incidents/1" in the seller's email while ``notify``'s had
    "http://127.0.0.1:8263/…"). A derived address is not asked for ``/healthz`` here, as
    ``notify`` asks it: declaring pauses the listings and must not wait on the web server."""
    from sagwa.services.desk_notify import LinkMaker

    return LinkMaker(config.secret_key, str(config.public_base_url))
