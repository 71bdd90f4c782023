"""For the tests of the API's changes and their access records (``web.access``): what was
recorded, and the refusal of a change whose record could not be written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import access_records


def recorded(session_factory: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    """Each record's action, what was asked, and the customers and cases it names."""
    with session_factory() as s:
        return [(r.action, r.what, r.customer_ids, r.case_ids) for r in
                s.execute(select(access_records).order_by(access_records.c.id))]


def unrecorded(answer: Any) -> None:
    """The JSON refusal of a change whose access record could not be written: 503, saying
    nothing was changed."""
    assert answer.status_code == 503, answer.text
    body = answer.json()
    assert (body["code"], body["details"]["reason"]) == ("database_unavailable",
                                                         "access_record_unwritten")
    assert "nothing was changed" in body["message"]


def sent_twice(caller: Any, path: str, body: dict[str, Any], *, key: str) -> Any:
    """``body`` POSTed to ``path`` twice with the Idempotency-Key ``key``, the second answering
    the first's result again (``Idempotent-Replayed: true``); the first answer."""
    first, again = (caller.post(path, json=body, headers={"Idempotency-Key": key})
                    for _ in range(2))
    assert first.status_code in (200, 201), first.text
    assert again.status_code == first.status_code, again.text
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
    return first
