"""The notice SLA's moment: when the notice is up in every language it must be in — the latest
of those languages' first notices — not the first notice in any language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.domain.sla import required_notice_at

AT = datetime(2008, 6, 12, 8, 30, tzinfo=UTC)
LATER = AT + timedelta(minutes=90)


def test_the_notice_counts_once_every_required_language_has_one() -> None:
    assert required_notice_at({"en": AT, "ko": LATER}, ["ko"]) == LATER
    assert required_notice_at({"en": LATER, "ko": AT}, ["ko", "en"]) == LATER
    assert required_notice_at({"ko": AT}, ["ko"]) == AT


def test_a_required_language_without_a_notice_leaves_it_unpublished() -> None:
    assert required_notice_at({"en": AT}, ["ko"]) is None
    assert required_notice_at({"ko": AT}, ["ko", "en"]) is None
    assert required_notice_at({}, ["ko"]) is None
