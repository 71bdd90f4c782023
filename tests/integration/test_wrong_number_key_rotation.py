"""A number marked wrong before the app's secret was rotated, on real PostgreSQL: with the old
secret kept in ``SAGWA_PREVIOUS_SECRET_KEYS`` no text with the customer's case link goes to it
after the rotation either — not queued, not sent, not re-queued by ``messages retry-failed``
— and marks made after the rotation are keyed with the new secret.

Before: a mark keeps a digest of the number keyed from the audit key (``number_key``), and the
checks compared it under the current key only, so after a rotation the number was no longer
recognised and the case link went to the stranger again.
"""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` and test_delivery_contact_hours'
# ``notified`` fixtures, imported below, by name)
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from test_delivery_contact_hours import (  # noqa: F401  (the fixture, by name)
    HOURS,
    POLICY,
    notified,
)
from test_desk import LINKS, shop  # noqa: F401
from test_desk_call_attempts import _notified
from test_desk_wrong_number import _case_of, _reminder_text_made_pending, _waiting, _wrong_number
from test_failed_messages import _failed_confirmation_text

from sagwa.adapters.db.audit_repo import forget_process_chain_keys
from sagwa.adapters.senders.fake import FakeSender
from sagwa.config import get_settings
from sagwa.domain.audit import chain_key
from sagwa.domain.wrong_numbers import number_key, number_key_secret
from sagwa.services import desk_cases
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.desk_notify import remind_unanswered
from sagwa.services.failed_messages import retry_failed
from sagwa.services.wrong_numbers import texts_withheld_to

pytestmark = pytest.mark.integration

KEY_A, KEY_B = "wrong-number-rotation-key-A-01", "wrong-number-rotation-key-B-02"


@pytest.fixture
def rotate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``rotate(secret, previous=...)``: this process's keys as after a restart with those
    settings. Starts under ``KEY_A`` (before the test's other fixtures write anything)."""

    def restart(secret: str, *, previous: str = "") -> None:
        monkeypatch.setenv("SAGWA_SECRET_KEY", secret)
        monkeypatch.setenv("SAGWA_PREVIOUS_SECRET_KEYS", previous)
        forget_process_chain_keys()
        get_settings.cache_clear()

    restart(KEY_A)
    yield restart
    monkeypatch.undo()
    forget_process_chain_keys()  # the suite's key again for the next test
    get_settings.cache_clear()


def test_a_number_marked_before_a_rotation_gets_no_text_queued_after_it(
        rotate: Callable[..., None], shop) -> None:
    uow, _clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][1])
    _wrong_number(uow, case_id)  # under KEY_A

    rotate(KEY_B)  # the old secret not kept: the mark is not recognised (the failure mode)
    with uow() as u:
        assert not texts_withheld_to(u, case_id=case_id, channel="sms",
                                     recipient="010-1234-0001")

    rotate(KEY_B, previous=KEY_A)
    with uow() as u:
        assert texts_withheld_to(u, case_id=case_id, channel="sms", recipient="010-1234-0001")
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    waiting = _waiting(uow, case_id)
    assert ("reminder", "email", "c1@example.com") in waiting
    assert not [w for w in waiting if w[1] == "sms"]


def test_a_text_to_a_number_marked_before_a_rotation_is_withdrawn_at_sending(
        rotate: Callable[..., None], shop, session_factory) -> None:
    uow, clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][1])
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    _wrong_number(uow, case_id)  # under KEY_A: the waiting text withdrawn
    rotate(KEY_B, previous=KEY_A)
    text_id = _reminder_text_made_pending(uow, case_id, clock.now)  # after the rotation
    sms = FakeSender()
    assert deliver_message(session_factory, {"email": FakeSender(), "sms": sms}, text_id,
                           clock.now) is Outcome.WITHDRAWN
    assert sms.calls == []


def test_new_marks_after_a_rotation_are_keyed_with_the_new_secret(
        rotate: Callable[..., None], shop) -> None:
    uow, _clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][2])
    rotate(KEY_B, previous=KEY_A)
    _wrong_number(uow, case_id)
    with uow() as u:
        [attempted] = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                       if r.event.action == "case.contact_attempted"]
    assert attempted["number_key"] == number_key(
        "010-1234-0002", number_key_secret(chain_key(KEY_B).key))
    rotate(KEY_B)  # recognised with the new secret alone
    with uow() as u:
        assert texts_withheld_to(u, case_id=case_id, channel="sms", recipient="010-1234-0002")


def test_retry_failed_does_not_resend_to_a_number_marked_before_a_rotation(
        rotate: Callable[..., None], notified) -> None:
    uow, _text_id, case_id = _failed_confirmation_text(notified)
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                   outcome="wrong_number", agent="agent:park", policy=POLICY)
    rotate(KEY_B, previous=KEY_A)
    report = retry_failed(uow(), actor="cli", contact_hours=HOURS).as_dict()
    assert (report["requeued"], report["skipped_by_reason"]) == (0, {"wrong_number": 1})
