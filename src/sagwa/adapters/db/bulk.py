"""Bulk inserts as one ``INSERT ... SELECT unnest(...)`` per chunk: each column travels as a
single array parameter, so 100,000 rows cost a handful of statements and no giant query text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Connection, Table, any_, bindparam, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Text

CHUNK = 20_000


def insert_unnest(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *,
                  returning: Sequence[ColumnElement[Any]] = ()) -> list[Row[Any]]:
    """Insert ``rows`` (dicts with the same keys); returns the RETURNING rows, if asked."""
    out: list[Row[Any]] = []
    if not rows:
        return out
    columns = list(rows[0])
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        selected = []
        params: dict[str, Any] = {}
        for n, name in enumerate(columns):
            col_type = table.c[name].type
            values = [r[name] for r in chunk]
            if isinstance(col_type, JSONB):
                values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
                param = bindparam(f"c{n}", type_=ARRAY(Text))
                selected.append(func.unnest(param).cast(JSONB).label(name))
            else:
                param = bindparam(f"c{n}", type_=ARRAY(col_type))
                selected.append(func.unnest(param).label(name))
            params[f"c{n}"] = values
        stmt = insert(table).from_select(columns, select(*selected))
        if returning:
            out += conn.execute(stmt.returning(*returning), params).all()
        else:
            conn.execute(stmt, params)
    return out


def among(column: ColumnElement[Any], ids: Sequence[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, sent as one array parameter (``= ANY(:ids)``): an IN list
    of 20,000 ids costs 20,000 placeholders for the driver to write and the server to parse."""
    return column == any_(literal(list(ids), ARRAY(BigInteger)))


def among_keys(column: ColumnElement[Any], keys: Sequence[str]) -> ColumnElement[bool]:
    """:func:`among` for text keys (``audit_log.entity_id``: ids written as text)."""
    return column == any_(literal(list(keys), ARRAY(Text)))
