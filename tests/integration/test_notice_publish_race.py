"""Two writers publishing the notice at once, both having seen version 1, on real commits: the
version check (``opened_against``) is made under the incident's lock that orders publishers, so
the second waits for the first to commit and is then refused (``notice_changed``). A check made
before the lock (as the operator's page made it) let both pass and the second replace the
first's version unseen."""
# ruff: noqa: F811  (the test takes test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from test_desk import POLICY, _declared, shop  # noqa: F401

from sagwa.errors import Conflict
from sagwa.services import notices


@pytest.fixture
def session_factory(committed_database):  # shop on real commits
    return committed_database.session_factory


def _waiting_on_a_lock(uow) -> bool:  # type: ignore[no-untyped-def]
    with uow() as u:
        return bool(u.conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one())


def test_the_second_of_two_writers_who_saw_version_1_waits_and_is_refused(
        shop, monkeypatch) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang="ko", policy=POLICY)
    notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title, body=body,
                           actor="operator:lee")
    checked, b_waits = threading.Event(), threading.Event()
    original = notices.check_notice_unchanged

    def first_holds_on(*args, **kwargs):  # type: ignore[no-untyped-def]
        original(*args, **kwargs)
        if not checked.is_set():  # writer A, past its check: B starts and must wait for it
            checked.set()
            assert b_waits.wait(10)

    monkeypatch.setattr(notices, "check_notice_unchanged", first_holds_on)
    out: dict[str, object] = {}

    def writer_a() -> None:
        out["a"] = notices.publish_notice(
            uow(), incident_id=incident_id, lang="ko", title=title, opened_against=1,
            body=f"{body}\n\n환불은 취소하신 날부터 3영업일 안에 해 드립니다.", actor="operator:kim")

    a = threading.Thread(target=writer_a)
    a.start()
    assert checked.wait(10)
    outcome: list[object] = []

    def writer_b() -> None:
        try:
            outcome.append(notices.publish_notice(
                uow(), incident_id=incident_id, lang="ko", title=title, opened_against=1,
                body=f"{body}\n\n궁금하신 점은 고객센터로 문의해 주세요.", actor="operator:park"))
        except Conflict as exc:
            outcome.append(exc)

    b = threading.Thread(target=writer_b)
    b.start()
    deadline = time.monotonic() + 10
    while not _waiting_on_a_lock(uow) and time.monotonic() < deadline:
        time.sleep(0.02)  # polling until B is seen blocked on A's lock, not ordering by time
    b_waits.set()
    a.join(30)
    b.join(30)
    [refused] = outcome
    assert isinstance(refused, Conflict), refused
    assert (refused.details["reason"], refused.details["version"]) == ("notice_changed", 2)
    with uow() as u:
        assert [n.version for n in u.cases.notices(incident_id) if n.lang == "ko"] == [2, 1]
