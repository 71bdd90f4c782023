"""Picking a call time on the case page queues a short confirmation through the outbox: the
time we will call and the number we will call, in the customer's language — by email, or by
text to a customer without an address; clearing the time ("as soon as you can") sends none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import customers, outbox
from sagwa.services.customer_call_time import set_call_time
from sagwa.services.desk_messages import format_when
from sagwa.testing.deadlines import open_hour_after

pytestmark = pytest.mark.e2e


def _in_two_days_at(hour: int) -> datetime:
    """``hour``:00 two days ahead or later, when the centre is open (not a weekend or a
    holiday: a time the centre is closed at is refused)."""
    return open_hour_after(datetime.now(UTC) + timedelta(days=1), hour)


def _sent(session_factory: sessionmaker[Session], case_id: int) -> list:  # type: ignore[type-arg]
    with session_factory() as session:
        return list(session.execute(select(outbox).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "call_time")).all())


def test_a_picked_time_is_confirmed_by_email_with_the_time_and_the_number(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    case_id = world.cases["이서연"]  # asked for a person: owed a call
    at = _in_two_days_at(11)
    set_call_time(client.app.state.uow_factory(), case_id=case_id, call_at=at,  # type: ignore[attr-defined]
                  policy=POLICY)
    [mail] = _sent(session_factory, case_id)
    assert mail.channel == "email" and mail.locale == "ko" and mail.status == "pending"
    assert "죄송합니다" in mail.body and format_when(at, "ko") in mail.body
    assert "010-1234-0001" in mail.body and POLICY.contact.phone in mail.body
    set_call_time(client.app.state.uow_factory(), case_id=case_id, call_at=None,  # type: ignore[attr-defined]
                  policy=POLICY)
    assert len(_sent(session_factory, case_id)) == 1  # "as soon as you can": nothing to confirm


def test_a_customer_without_an_address_is_confirmed_by_text(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    case_id = world.cases["이서연"]
    with session_factory() as session, session.begin():
        session.execute(update(customers).where(customers.c.id == world.customers["이서연"])
                        .values(email=None))
    at = _in_two_days_at(15)
    set_call_time(client.app.state.uow_factory(), case_id=case_id, call_at=at,  # type: ignore[attr-defined]
                  policy=POLICY)
    [text] = _sent(session_factory, case_id)
    assert text.channel == "sms" and text.recipient == "010-1234-0001"
    assert f"{format_when(at, 'ko')}(한국 시간)에 010-1234-0001로 드리겠습니다" in text.body
