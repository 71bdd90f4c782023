"""The incident list's word for the public notice: late by the SLA's rule
(``sla.notice_overdue``: unpublished past its due time, or published after it), never before
the incident is declared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.incident_attention import Attention, notice_late

POLICY = load_desk_policy()
DECLARED = datetime(2008, 6, 12, 8, 30, tzinfo=UTC)
DUE = DECLARED + POLICY.notice_sla
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(("published", "now", "late", "word"), [
    (None, DUE, False, "due"),                      # at the due time itself: still in time
    (None, DUE + MINUTE, True, "overdue"),
    (DUE, DUE + timedelta(days=1), False, "published"),
    (DUE + MINUTE, DUE + MINUTE, True, "published_late"),
])
def test_the_notice_is_late_by_the_sla(published: datetime | None, now: datetime, late: bool,
                                       word: str) -> None:
    assert notice_late(DECLARED, published, now, POLICY) is late
    shown = Attention(1, notice_due_at=DUE, first_notice_at=published,
                      required_notice_at=published, notice_late=late)
    assert shown.notice == word


def test_nothing_is_due_before_the_incident_is_declared() -> None:
    assert notice_late(None, None, DUE + timedelta(days=3), POLICY) is False
    assert Attention(1).notice == "not_due"


def test_a_notice_only_in_a_language_not_required_first_is_still_due() -> None:
    """Published in English only, the Korean notice closing asks for still missing: the list
    says the notice is due (overdue past its time), not "published"."""
    english_only = Attention(1, notice_due_at=DUE, first_notice_at=DECLARED,
                             notice_languages_missing=("ko",))
    assert english_only.notice == "due"
    late = Attention(1, notice_due_at=DUE, first_notice_at=DECLARED, notice_late=True,
                     notice_languages_missing=("ko",))
    assert late.notice == "overdue"
