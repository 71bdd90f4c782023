"""The incident page says what the incident actually went through: a draft and a draft dismissed
as a false alarm were never scoped nor told; an incident closed with nobody affected was scoped
but told nobody; only one whose customers were told says the plan is locked because they were.
A closed incident shows no live deadline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_actions import _draft
from world import World

from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_status, listings
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.pages.rendering import seoul

pytestmark = pytest.mark.e2e
TOLD_KO = "고객 안내를 보냈거나 보내도록 예약했으므로"
NOT_SCOPED_KO = "아직 범위를 확정하지 않았습니다"
SEOUL = ZoneInfo("Asia/Seoul")


def _nobody_affected(session_factory: sessionmaker[Session], world: World) -> int:
    """A listing at a wrong price nobody ordered: declared, scoped (no case), closed."""
    clock = ManualClock(datetime.now(UTC) - timedelta(hours=2))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="휴대용 선풍기", title_en="Handheld fan",
                                       category="electronics/fan", list_price=Money(29_000, "KRW"),
                                       actor="t").id
    listing = listings.create_listing(uow(), seller_id=world.seller_a, product_id=product,
                                      price=Money(2_900, "KRW"), actor="t").id
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = clock.now + timedelta(minutes=1)
    clock.now = datetime.now(UTC)
    row = desk.declare(uow(), listing_ids=[listing], wrong_price=Money(2_900, "KRW"),
                       correct_price=Money(29_000, "KRW"), window_start=start, cause="오입력",
                       responsible="seller", actor="admin:test")
    incident_id = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="admin:test")
    desk.close(uow(), incident_id=incident_id, actor="admin:test", reason="주문이 없었음")
    return incident_id


def _notice_clock(page: str) -> str:
    found = re.search(r'<p class="clock[^"]*" id="clock-notice".*?</p>', page, re.DOTALL)
    assert found, "no notice clock"
    return found.group(0)


def test_a_closed_incident_with_nobody_affected_says_it_was_scoped_and_nobody_was_told(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    incident_id = _nobody_affected(session_factory, world)
    due = desk_status.incident_status(SqlAlchemyUnitOfWork(session_factory),
                                      incident_id=incident_id,
                                      policy=client.app.state.desk_policy).notice_due_at  # type: ignore[attr-defined]
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident_id}").text
    assert NOT_SCOPED_KO not in page and TOLD_KO not in page
    assert "범위를 확정했지만 잘못된 가격으로 주문한 고객이 없습니다" in page
    assert 'id="closed-note" data-history="nobody_affected"' in page
    assert "영향받은 고객 없이 종료되어 방안을 정하지 않았습니다" in page
    clock = _notice_clock(page)
    assert "공지 없이 종료" in clock and "기한" not in clock and "late" not in clock
    assert seoul(due) not in page  # no deadline left on a closed incident
    assert 'id="deadline"' not in page  # no plan was made: no plan fields to show
    english = client.get(f"/ops/incidents/{incident_id}?lang=en").text
    assert "Not scoped yet" not in english and "Customers have been told" not in english
    assert "Scoped: nobody ordered at the wrong price." in english
    assert "due" not in _notice_clock(english)


def test_a_draft_and_a_dismissed_draft_were_never_scoped_nor_told(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert TOLD_KO not in page
    assert 'id="plan-locked" data-history="draft"' in page
    assert "선언하고 범위를 확정한 뒤에 방안을 정합니다" in page
    assert "선언하면 공지 기한(" in _notice_clock(page)
    uow = SqlAlchemyUnitOfWork(session_factory)
    desk.close(uow, incident_id=draft_id, actor="admin:test", reason="정상 주문")
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert TOLD_KO not in page and NOT_SCOPED_KO not in page
    assert 'id="closed-note" data-history="dismissed"' in page
    assert 'id="plan-locked" data-history="dismissed"' in page
    assert "오탐으로 종료되어 범위를 정하지 않았습니다" in page
    assert "기한" not in _notice_clock(page)


def test_an_incident_whose_customers_were_told_keeps_its_plan_locked_and_its_deadline(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}").text
    assert 'id="plan-locked" data-history="told"' in page and TOLD_KO in page
    assert "기한" in _notice_clock(page)  # still open: the notice deadline is live


@pytest.mark.parametrize("late", [False, True])
def test_a_plan_a_customer_chose_under_before_the_apologies_is_locked_and_says_why(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        late: bool) -> None:
    """A customer phoned in before the apologies went out and chose: the plan's terms are
    fixed (they were given to them), the page says so and only its deadline can move later —
    also for a plan taking late answers, which the page's form has no field for (a review
    found the move refused then)."""
    from sagwa.services import desk_cases, orders
    from sagwa.testing.deadlines import closing_time_after

    clock = ManualClock(datetime.now(UTC) - timedelta(hours=2))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="무선 이어폰", title_en="Wireless earbuds",
                                       category="electronics/audio",
                                       list_price=Money(89_000, "KRW"), actor="t").id
    listing = listings.create_listing(uow(), seller_id=world.seller_a, product_id=product,
                                      price=Money(8_900, "KRW"), actor="t").id
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = clock.now
    clock.now += timedelta(minutes=5)
    person = catalog.register_customer(uow(), name="이른 고객", email="early@example.com",
                                       actor="t").id
    orders.place_order(uow(), customer_id=person, listing_id=listing, quantity=1, actor="t",
                       velocity=None)
    clock.now = datetime.now(UTC)
    incident_id = int(desk.declare(uow(), listing_ids=[listing], wrong_price=Money(8_900, "KRW"),
                                   correct_price=Money(89_000, "KRW"), window_start=start,
                                   cause="오입력", responsible="seller",
                                   actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="admin:test")
    policy = client.app.state.desk_policy  # type: ignore[attr-defined]
    desk.plan(uow(), incident_id=incident_id, options=["keep", "cancel_with_compensation"],
              deadline=closing_time_after(clock.now + timedelta(days=6)), default="keep", seller_share_pct=50,
              platform_share_pct=50, actor="admin:test", policy=policy,
              cancel_compensation=Money(5_000, "KRW"), accept_late_choices=late)
    log_in(client, "admin")
    assert 'id="plan-locked"' not in client.get(f"/ops/incidents/{incident_id}").text
    with uow() as u:
        case_id = int(u.cases.for_incident(incident_id)[0].case.case_id)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="phone",
                             evidence="phoned in", taken_by="agent:park", policy=policy)
    page = client.get(f"/ops/incidents/{incident_id}?lang=en").text
    assert 'id="plan-locked" data-history="chosen"' in page
    assert ("1 customer has already answered under this plan (they contacted us before the "
            "apologies went out and chose, or asked for a person), so its terms can no longer "
            "change") in page
    assert re.search(r'<input id="cancel_compensation" disabled', page)
    assert not re.search(r'<input id="deadline" disabled', page)  # only the deadline moves
    assert 'id="move-deadline"' in page
    # the form as the page sends it: the terms as they stand (hidden), a later deadline
    later = closing_time_after(clock.now + timedelta(days=9))
    form = {"csrf_token": csrf_of(page), "deadline": later.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")}
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
    data: dict[str, object] = {**form}
    for name, value in hidden:
        if name == "options":
            data.setdefault("options", []).append(value)  # type: ignore[union-attr]
        elif name != "csrf_token":
            data[name] = value
    sent = client.post(f"/ops/incidents/{incident_id}/plan", data=data)
    assert sent.status_code == 303, sent.text
    with uow() as u:
        plan = u.incidents.plan(incident_id, Money(89_000, "KRW"))
    assert plan.deadline == later and plan.cancel_compensation == Money(5_000, "KRW")
    assert plan.options == frozenset({CustomerOption.KEEP, CustomerOption.CANCEL_WITH_COMPENSATION})
    assert plan.accept_late_choices is late
