"""The contact centre's handoff on real PostgreSQL: a call note marked "follow-up needed" is
written with its call, shown to the next agent (the case page and the call card, newest first),
listed for the team until someone records what was done, and both steps are on the audit log
and the incident timeline. A follow-up that says nothing, or at a time that cannot be right, is
refused with nothing written; a form sent twice writes once."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from test_desk import POLICY, shop  # noqa: F401
from test_desk_call_attempts import _asked_for_a_person_then_defaulted, _notified

from sagwa.adapters.db.tables import contact_attempts, note_follow_ups
from sagwa.domain.audit_text import TextVerdict
from sagwa.errors import InvalidInput, NotFound
from sagwa.services import desk_cases
from sagwa.services.desk_follow_ups import read_follow_up_list, resolve_follow_up
from sagwa.services.desk_report import build_report
from sagwa.services.recorded_texts import text_matches
from sagwa.web.pages.contact_centre import case_context, queue_context

NOTE = "환불이 아직 안 들어왔다고 하심. 재무팀 확인 후 다시 전화드리기로 함"


def _log(uow, case_id: int, note: str | None, *, agent: str = "agent:park", **kw):
    return desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                       outcome=kw.pop("outcome", "reached"), agent=agent,
                                       note=note, policy=POLICY, **kw)


def _actions(uow, case_id: int) -> list[tuple[str, dict]]:
    with uow() as u:
        return [(r.event.action, r.event.after) for r in u.audit.for_entity("case", str(case_id))
                if r.event.action.startswith("case.follow_up")]


def _rows(uow, table) -> int:
    with uow() as u:
        return int(u.conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_follow_up_note_reaches_the_next_agent_and_stays_listed_until_resolved(shop) -> None:
    uow, clock, iid, case_id = _asked_for_a_person_then_defaulted(shop)
    _log(uow, case_id, "첫 통화: 부재중", outcome="no_answer")
    clock.now += timedelta(hours=3)
    logged = _log(uow, case_id, NOTE, follow_up=True)
    assert logged.follow_up_id is not None and logged.follow_up_at is None
    # the next agent's case page: every note, the latest first, the follow-up open on it
    card = case_context(uow(), POLICY, case_id)["card"]
    assert [a.note for a in card.notes] == [NOTE, "첫 통화: 부재중"]
    assert [f.follow_up_id for f in card.open_follow_ups] == [logged.follow_up_id]
    assert card.follow_up_of(card.notes[0].id).note == NOTE
    # the team's list on the queue page, though the call owed was made (the card left the list)
    context = queue_context(uow(), POLICY)
    assert case_id not in [c.queued.case_id for c in context["cards"]]
    [listed] = context["note_follow_ups"].items
    assert (listed.follow_up.case_id, listed.follow_up.note, listed.follow_up.asked_by) == (
        case_id, NOTE, "agent:park")
    assert listed.follow_up.due(clock.now) and listed.outcome == "reached"
    # another agent records what was done: it leaves the list, the outcome on the card
    clock.now += timedelta(days=1)
    done = resolve_follow_up(uow(), case_id=case_id, follow_up_id=logged.follow_up_id,
                             actor="agent:lee", outcome=" 재무팀 확인: 6/20 환불 완료, 고객께 안내함 ")
    assert done.changed and done.follow_up.outcome == "재무팀 확인: 6/20 환불 완료, 고객께 안내함"
    assert read_follow_up_list(uow()).items == []
    [resolved] = case_context(uow(), POLICY, case_id)["card"].follow_ups
    assert (resolved.resolved_by, resolved.resolved_at, resolved.open) == (
        "agent:lee", clock.now, False)
    # the audit log keeps both steps, the texts as keyed digests (``recorded_texts``: the
    # texts stay in their tables); the incident timeline names them
    asked, closed = _actions(uow, case_id)
    assert (asked[0], {k: v for k, v in asked[1].items() if not k.startswith("note_")}) == (
        "case.follow_up_asked", {"follow_up_id": logged.follow_up_id,
                                 "attempt_id": logged.attempt_id, "due_at": None})
    assert closed[0] == "case.follow_up_resolved" and "재무팀" not in str(closed[1])
    with uow() as u:
        assert text_matches(u, NOTE, asked[1], "note") is TextVerdict.MATCHES
        assert text_matches(u, done.follow_up.outcome, closed[1],
                            "outcome") is TextVerdict.MATCHES
    timeline = [e.action for e in build_report(uow(), incident_id=iid, policy=POLICY).timeline]
    assert {"case.follow_up_asked", "case.follow_up_resolved"} <= set(timeline)
    # recorded again (a second tab, another agent): the first outcome stands, nothing written
    again = resolve_follow_up(uow(), case_id=case_id, follow_up_id=logged.follow_up_id,
                              actor="agent:kim", outcome="다른 내용")
    assert not again.changed and again.follow_up.resolved_by == "agent:lee"
    assert len(_actions(uow, case_id)) == 2


def test_a_follow_up_waits_for_its_time_and_takes_the_call_back_time_without_one(shop) -> None:
    uow, clock, _iid, case_ids = _notified(shop)
    first, second, third = case_ids[:3]
    tomorrow = clock.now + timedelta(days=1)
    later = _log(uow, first, "내일 배송 확인 후 연락", follow_up_at=tomorrow)  # a time implies it
    callback = clock.now + timedelta(hours=4)
    asked_back = _log(uow, second, "오후에 다시 전화 요청: 취소 문의", outcome="callback_requested",
                      callback_at=callback, follow_up=True)
    clock.now += timedelta(minutes=5)
    at_once = _log(uow, third, "판매자에게 문의 필요", follow_up=True)
    assert (later.follow_up_at, asked_back.follow_up_at, at_once.follow_up_at) == (
        tomorrow, callback, None)
    listed = read_follow_up_list(uow())
    assert [i.follow_up.case_id for i in listed.items] == [third, second, first]
    assert [i.follow_up.due(listed.now) for i in listed.items] == [True, False, False]
    clock.now = callback  # its time has come: due, after the one due since it was asked
    listed = read_follow_up_list(uow())
    assert [(i.follow_up.case_id, i.follow_up.due(listed.now)) for i in listed.items] == [
        (third, True), (second, True), (first, False)]


@pytest.mark.parametrize(("note", "when", "reason"), [
    ("   ", None, "follow_up_needs_note"),
    ("n", timedelta(minutes=-1), "follow_up_time_past"),
    ("n", timedelta(days=15), "follow_up_time_too_far"),
])
def test_a_follow_up_that_cannot_be_right_is_refused_and_nothing_is_written(
        shop, note: str, when: timedelta | None, reason: str) -> None:
    uow, clock, _iid, case_ids = _notified(shop)
    attempts, asked = _rows(uow, contact_attempts), _rows(uow, note_follow_ups)
    with pytest.raises(InvalidInput) as refused:
        _log(uow, case_ids[0], note, follow_up=True,
             follow_up_at=clock.now + when if when is not None else None)
    assert refused.value.details["reason"] == reason
    assert (_rows(uow, contact_attempts), _rows(uow, note_follow_ups)) == (attempts, asked)


def test_the_form_sent_twice_asks_once_and_answers_the_same(shop) -> None:
    uow, _clock, _iid, case_ids = _notified(shop)
    first = _log(uow, case_ids[0], NOTE, follow_up=True, idempotency_key="form-1")
    again = _log(uow, case_ids[0], NOTE, follow_up=True, idempotency_key="form-1")
    assert again == first and _rows(uow, note_follow_ups) == 1


def test_a_follow_up_is_resolved_only_on_its_own_case_and_with_words(shop) -> None:
    uow, _clock, _iid, case_ids = _notified(shop)
    logged = _log(uow, case_ids[0], NOTE, follow_up=True)
    with pytest.raises(NotFound) as missing:
        resolve_follow_up(uow(), case_id=case_ids[1], follow_up_id=logged.follow_up_id,
                          actor="agent:lee", outcome="done")
    assert missing.value.details["reason"] == "follow_up_not_found"
    with pytest.raises(InvalidInput) as empty:
        resolve_follow_up(uow(), case_id=case_ids[0], follow_up_id=logged.follow_up_id,
                          actor="agent:lee", outcome="  ")
    assert empty.value.details["reason"] == "follow_up_outcome_required"
    assert [i.follow_up.follow_up_id for i in read_follow_up_list(uow()).items] == [
        logged.follow_up_id]
