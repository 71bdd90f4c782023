"""The monthly review's flags (``domain.access_review``) and what an access record needs
(``domain.access_records``): an account that saw many more customers than the others of its
role, an export without a reason, access while the contact centre is closed; an export's
reason; how recent a purge may reach."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sagwa.domain.access_records import (
    MAX_REASON,
    access_reason,
    check_purge_before,
    latest_purge_day,
    year_before,
)
from sagwa.domain.access_review import ReviewedRow, ReviewRules, review
from sagwa.domain.contact_hours import is_open
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput
from sagwa.services.access_records import month_bounds
from sagwa.services.desk_policy import load_desk_policy

SCHEDULE = load_desk_policy().schedule
#: A Tuesday, 10:00 and 23:00 in Korea: the centre open, then closed.
OPEN = datetime(2026, 12, 8, 10, 0, tzinfo=SEOUL)
CLOSED = datetime(2026, 12, 8, 23, 0, tzinfo=SEOUL)


def _views(account: str, customers: range, role: str = "agent",
           at: datetime = OPEN) -> list[ReviewedRow]:
    return [ReviewedRow(account, role, "view", at, (c,)) for c in customers]


def _flags(rows: list[ReviewedRow]) -> dict[str, list[str]]:
    return {m.account: [f.code for f in m.flags]
            for m in review(rows, open_at=lambda at: is_open(SCHEDULE, at))}


def test_an_agent_who_saw_many_more_customers_than_the_other_agents_is_flagged() -> None:
    rows = _views("kim", range(100)) + _views("lee", range(10)) + _views("park", range(20))
    assert _flags(rows) == {"kim": ["many_customers"], "lee": [], "park": []}


def test_few_customers_or_no_peer_of_the_same_role_raise_no_flag() -> None:
    small = _views("kim", range(29)) + _views("lee", range(1))  # under 30: not "many"
    assert _flags(small) == {"kim": [], "lee": []}
    alone = _views("kim", range(500)) + _views("fin", range(10), role="finance")
    assert _flags(alone) == {"fin": [], "kim": []}
    signed_in_only = [ReviewedRow("lee", "agent", "sign_in", OPEN)]  # not a peer: saw nobody
    assert _flags(_views("kim", range(500)) + signed_in_only)["kim"] == []


def test_the_factor_and_floor_are_the_rules() -> None:
    rows = _views("kim", range(40)) + _views("lee", range(20))
    opened = lambda at: True
    assert [f.code for f in review(rows, open_at=opened)[0].flags] == []
    strict = ReviewRules(many_factor=2, many_at_least=40)
    assert [f.code for f in review(rows, open_at=opened, rules=strict)[0].flags] == [
        "many_customers"]


def test_an_export_without_a_reason_and_access_after_hours_are_flagged_and_counted() -> None:
    rows = [ReviewedRow("lee", "finance", "export", OPEN, (1, 2), "sagwa refunds list", None),
            ReviewedRow("lee", "finance", "export", OPEN, (3,), "sagwa refunds list", "batch"),
            ReviewedRow("lee", "finance", "view", CLOSED, (1,)),
            ReviewedRow("lee", "finance", "sign_in", CLOSED)]  # no data: not counted
    [lee] = review(rows, open_at=lambda at: is_open(SCHEDULE, at))
    assert [f.code for f in lee.flags] == ["export_without_reason", "outside_hours"]
    assert (lee.outside_hours, len(lee.customers), lee.actions["export"]) == (1, 3, 2)
    assert [(e.reason, e.customers) for e in lee.exports] == [(None, 2), ("batch", 1)]
    assert "1" in lee.flags[0].en and "1건" in lee.flags[0].ko
    body = lee.as_dict()
    assert list(body) == ["account", "role", "actions", "customers", "outside_hours",
                          "exports", "flags"]
    assert body["actions"]["sign_in"] == 1  # type: ignore[index]


def test_an_export_of_names_needs_a_reason_and_a_reason_has_a_limit() -> None:
    assert access_reason(" batch ", required=True, what="x") == "batch"
    assert access_reason(None, required=False, what="x") is None
    with pytest.raises(InvalidInput) as missing:
        access_reason("  ", required=True, what="sagwa refunds list --format csv")
    assert missing.value.details["reason"] == "access_reason_required"
    assert missing.value.message.startswith("고객 개인정보")
    with pytest.raises(InvalidInput) as long:
        access_reason("x" * (MAX_REASON + 1), required=False, what="x")
    assert long.value.details["reason"] == "access_reason_too_long"


def test_a_purge_reaches_back_no_later_than_a_year_ago() -> None:
    now = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 10:00 in Korea
    assert latest_purge_day(now) == date(2025, 12, 8)
    assert check_purge_before(date(2025, 12, 8), now) == datetime(2025, 12, 8, tzinfo=SEOUL)
    with pytest.raises(InvalidInput) as recent:
        check_purge_before(date(2025, 12, 9), now)
    assert recent.value.details["reason"] == "purge_too_recent"
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert check_purge_before(date(2025, 12, 8), now) <= now - timedelta(days=365)


def test_a_month_is_read_in_korea_time() -> None:
    assert month_bounds("2026-12") == (datetime(2026, 12, 1, tzinfo=SEOUL),
                                       datetime(2027, 1, 1, tzinfo=SEOUL))
    with pytest.raises(InvalidInput) as bad:
        month_bounds("2026-13")
    assert bad.value.details["reason"] == "month_malformed"
