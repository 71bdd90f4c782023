"""The audit log keeps no text staff typed about a customer, on real PostgreSQL: each step that
takes one (a choice's words, a call note, a follow-up and what was done about it, a payment
note, a refund's reference, a contact correction's reason) records a keyed digest of it, its
key's fingerprint and its length (``domain.audit_text``); the text stays in its working table,
where it can be erased, and ``recorded_texts.check_case_texts`` tells whether the working
table still holds the text a record names — with a retired key too, after a rotation.

Before: the audit log, which can never be changed, kept the text itself (개인정보 보호법 제21조:
personal data must be destroyed once its retention ends)."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from test_desk import POLICY, _notified, shop  # noqa: F401
from test_desk_call_attempts import _asked_for_a_person_then_defaulted
from test_desk_cancel_instead import _instead, chosen  # noqa: F401
from test_refunds import _cancelled
from test_wrong_number_key_rotation import KEY_A, KEY_B, rotate  # noqa: F401  (the fixture)

from sagwa.domain.audit import AuditRecord
from sagwa.domain.audit_text import TextVerdict
from sagwa.domain.refunds import PaymentLine
from sagwa.services import desk_cases
from sagwa.services.customer_contact import CONTACT_CHANGED, change_customer_contact
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_follow_ups import resolve_follow_up
from sagwa.services.recorded_texts import check_case_texts, text_matches
from sagwa.services.refunds import mark_refund_paid, mark_refunds_paid

pytestmark = pytest.mark.integration

#: What staff type: a customer's name, number, account and health.
WORDS = "김민준 고객(010-2690-6373) 지병으로 입원중, 국민은행 123-45-6789로 환불 원함"


def _records(uow, case_id: int, action: str, kind: str = "case") -> list[AuditRecord]:
    with uow() as u:
        return [r for r in u.audit.for_entity(kind, str(case_id)) if r.event.action == action]


def _holds_no_text(record: AuditRecord, text: str) -> None:
    dumped = json.dumps({"actor": record.event.actor, "before": record.event.before,
                         "after": record.event.after}, ensure_ascii=False)
    assert text.strip() not in dumped
    for part in ("김민준", "6373", "입원중", "123-45-6789"):
        assert part not in dumped


def _checked(uow, case_id: int, action: str) -> list[tuple[str, TextVerdict]]:
    return [(c.field, c.verdict) for c in check_case_texts(uow(), case_id=case_id)
            if c.action == action]


def test_a_choice_taken_by_phone_keeps_the_customers_words_only_on_the_case(shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="phone",
                             evidence=WORDS, taken_by="agent:park", policy=POLICY)
    [record] = _records(uow, case_id, "case.choice_recorded")
    _holds_no_text(record, WORDS)
    assert record.event.after["evidence_chars"] == len(WORDS)
    with uow() as u:
        assert u.cases.get(case_id).case.consent.evidence == WORDS
    assert _checked(uow, case_id, "case.choice_recorded") == [("evidence", TextVerdict.MATCHES)]


def test_the_same_choice_in_other_words_is_kept_as_a_digest_and_a_double_click_once(
        shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    # asked by text, then again on the phone in other words, then the agent's double click
    said = [("sms", "call me", "customer"), ("phone", WORDS, "agent:kim"),
            ("phone", WORDS, "agent:kim")]
    assert [desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person",
                                     channel=channel, evidence=words, taken_by=by,
                                     policy=POLICY).changed
            for channel, words, by in said] == [True, False, False]
    [repeat] = _records(uow, case_id, "case.choice_repeated")
    _holds_no_text(repeat, WORDS)
    assert (repeat.event.after["choice"], repeat.event.after["channel"]) == (
        "talk_to_person", "phone")
    with uow() as u:
        assert text_matches(u, WORDS, repeat.event.after, "evidence") is TextVerdict.MATCHES
    # no working table keeps a repeat's words: nothing to check them against
    assert _checked(uow, case_id, "case.choice_repeated") == [
        ("evidence", TextVerdict.NOT_KEPT)]


def test_a_call_note_and_its_follow_up_keep_their_text_in_their_tables_only(shop) -> None:
    uow, clock, _iid, case_id = _asked_for_a_person_then_defaulted(shop)
    logged = desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                         outcome="reached", agent="agent:park", note=WORDS,
                                         policy=POLICY, follow_up=True)
    clock.now += timedelta(hours=1)
    outcome = "국민은행 123-45-6789 환불 확인, 김민준 고객께 010-2690-6373으로 안내"
    resolve_follow_up(uow(), case_id=case_id, follow_up_id=logged.follow_up_id,
                      actor="agent:lee", outcome=outcome)
    [attempted] = _records(uow, case_id, "case.contact_attempted")
    [asked] = _records(uow, case_id, "case.follow_up_asked")
    [resolved] = _records(uow, case_id, "case.follow_up_resolved")
    for record in (attempted, asked, resolved):
        _holds_no_text(record, WORDS)
        _holds_no_text(record, outcome)
    assert attempted.event.after["attempt_id"] == logged.attempt_id  # appended: its row
    assert resolved.event.after["outcome_chars"] == len(outcome)
    with uow() as u:
        assert [a.note for a in u.cases.attempts(case_id)] == [WORDS]
        assert u.follow_ups.get(logged.follow_up_id).outcome == outcome
    verdicts = [(c.action, c.field, c.verdict)
                for c in check_case_texts(uow(), case_id=case_id)]
    assert ("case.contact_attempted", "note", TextVerdict.MATCHES) in verdicts
    assert ("case.follow_up_asked", "note", TextVerdict.MATCHES) in verdicts
    assert ("case.follow_up_resolved", "outcome", TextVerdict.MATCHES) in verdicts


def test_a_call_without_a_note_records_none_as_before(shop) -> None:
    uow, _clock, _iid, case_id = _asked_for_a_person_then_defaulted(shop)
    desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone", outcome="no_answer",
                                agent="agent:park", policy=POLICY)
    [attempted] = _records(uow, case_id, "case.contact_attempted")
    assert attempted.event.after["note"] is None and "note_hmac" not in attempted.event.after
    assert _checked(uow, case_id, "case.contact_attempted") == [("note", TextVerdict.MATCHES)]


def test_a_payment_note_and_cancelling_instead_keep_their_words_on_the_case(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    paid, instead = cases[people[1]], cases[people[3]]
    clock.now += timedelta(days=1)
    record_difference_paid(uow(), case_id=paid, actor="agent:park", note=WORDS, policy=POLICY)
    _instead(uow, instead, evidence=WORDS)
    [difference] = _records(uow, paid, "case.difference_paid")
    [cancelled] = _records(uow, instead, "case.cancelled_instead")
    _holds_no_text(difference, WORDS)
    _holds_no_text(cancelled, WORDS)
    assert difference.event.after["note_chars"] == cancelled.event.after["evidence_chars"]
    with uow() as u:
        assert u.cases.get(paid).difference_paid.note == WORDS
        assert u.cases.get(instead).case.consent.evidence == WORDS
    assert _checked(uow, paid, "case.difference_paid") == [("note", TextVerdict.MATCHES)]
    assert _checked(uow, instead, "case.cancelled_instead") == [
        ("evidence", TextVerdict.MATCHES)]
    # the discount's words, replaced on the case by the cancellation's: kept nowhere now
    assert _checked(uow, instead, "case.choice_recorded") == [
        ("evidence", TextVerdict.NOT_KEPT)]


def test_a_refunds_reference_stays_on_the_refund_alone_marked_one_or_by_file(shop) -> None:
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        first, second = (r.refund_id for r in u.refunds.for_case(case_id))
    clock.now += timedelta(days=1)
    mark_refund_paid(uow(), refund_id=first, reference=WORDS, actor="admin:kim")
    by_file = "국민은행 123-45-6789 김민준"
    mark_refunds_paid(uow(), lines=[PaymentLine(2, str(second), by_file, "")],
                      actor="admin:kim")
    records = _records(uow, case_id, "case.refund_paid")
    assert len(records) == 2
    for record in records:
        _holds_no_text(record, WORDS)
        _holds_no_text(record, by_file)
    with uow() as u:
        assert (u.refunds.get(first).paid_reference,
                u.refunds.get(second).paid_reference) == (WORDS, by_file)
    assert _checked(uow, case_id, "case.refund_paid") == [
        ("reference", TextVerdict.MATCHES), ("reference", TextVerdict.MATCHES)]


def test_a_contact_corrections_reason_is_kept_as_a_digest(shop) -> None:
    uow, _clock, _iid, _cases, people, _ = _notified(shop)
    change_customer_contact(uow(), customer_id=people[2], actor="agent:park", policy=POLICY,
                            phone="010-5555-7777", note=WORDS)
    [record] = _records(uow, people[2], CONTACT_CHANGED, kind="customer")
    _holds_no_text(record, WORDS)
    assert record.event.after["masked"] == {"phone": "010-****-7777"}  # as before
    with uow() as u:
        assert text_matches(u, WORDS, record.event.after, "note") is TextVerdict.MATCHES
        assert text_matches(u, "다른 이유", record.event.after, "note") is TextVerdict.DIFFERS


def test_a_note_recorded_before_a_rotation_still_checks_with_the_retired_secret(
        rotate: Callable[..., None], shop) -> None:
    uow, _clock, _iid, case_id = _asked_for_a_person_then_defaulted(shop)
    desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone", outcome="reached",
                                agent="agent:park", note=WORDS, policy=POLICY)
    rotate(KEY_B)  # the old secret not kept: the digest can be neither confirmed nor denied
    assert _checked(uow, case_id, "case.contact_attempted") == [
        ("note", TextVerdict.KEY_UNKNOWN)]
    rotate(KEY_B, previous=KEY_A)
    assert _checked(uow, case_id, "case.contact_attempted") == [("note", TextVerdict.MATCHES)]
