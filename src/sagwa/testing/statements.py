"""Counting the SQL a piece of code runs, for tests that pin a page or a read to a fixed number
of queries however much data it shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event


@contextmanager
def statements(conn: Connection | Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``conn`` inside the block."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(conn, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(conn, "before_cursor_execute", count)
