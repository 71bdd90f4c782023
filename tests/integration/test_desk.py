"""The incident desk on real PostgreSQL: declare → scope → plan → notify → choose → default."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import func, select

from sagwa.adapters.db.tables import ledger_entries, outbox
from sagwa.adapters.db.tables import orders as orders_table
from sagwa.domain.audit_text import TextVerdict
from sagwa.domain.consent import ConsentRecord, effects_of_choice
from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money
from sagwa.errors import (
    Conflict,
    ConsentRequired,
    IllegalTransition,
    InvalidInput,
    ListingNotOrderable,
    MessageRefused,
    SagwaError,
    SilentCancellationRefused,
)
from sagwa.services import catalog, desk, desk_cases, notices, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.recorded_texts import text_matches
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import ipod_listed_at_wrong_price
from sagwa.web.pages.case_facts import incident_terms

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
LINKS = LinkMaker("test-secret-key-0123456789", "http://127.0.0.1:8000")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")


@pytest.fixture
def shop(session_factory):
    """The 2008 afternoon: an iPod nano at 19,900 KRW by mistake and 6 customers' orders."""
    clock = ManualClock(datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    # the seller's own account listed it at the wrong price: the apology names the seller
    listed = ipod_listed_at_wrong_price(uow, listed_by="seller:haneul")
    people = []
    for n in range(6):
        person = catalog.register_customer(uow(), name=f"고객{n}" if n else "Alex Kim",
                                           email=f"c{n}@example.com", phone=f"010-1234-000{n}",
                                           locale="en" if n == 0 else "ko", actor="t")
        people.append(person.id)
        for _ in range(1 + n % 2):
            clock.now += timedelta(minutes=7)
            orders.place_order(uow(), customer_id=person.id, listing_id=listed.listing_id,
                               quantity=1, actor="t", velocity=None)
    return uow, clock, listed.listing_id, people, listed.seller_id


def _declared(uow, clock, listing_id) -> int:
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG, correct_price=RIGHT,
                       window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                       cause="90% event typed as the price", responsible="both",
                       actor="operator:lee")
    return int(row.incident.incident_id)


def _planned(uow, clock, listing_id, **overrides) -> int:
    incident_id = _declared(uow, clock, listing_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    terms = {
        "options": ["keep", "cancel_with_compensation", "talk_to_person"],
        "deadline": datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL),
        "default": "keep",
        "seller_share_pct": 60,
        "platform_share_pct": 40,
        "actor": "operator:lee",
        "policy": POLICY,
        "cancel_compensation": Money(10_000, "KRW"),
    }
    desk.plan(uow(), incident_id=incident_id, **{**terms, **overrides})
    return incident_id


def test_declaring_pauses_the_listing_at_once(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    _declared(uow, clock, listing_id)
    with uow() as u:
        assert u.market.listing(listing_id).status is ListingStatus.PAUSED
    with pytest.raises(ListingNotOrderable):
        orders.place_order(uow(), customer_id=people[0], listing_id=listing_id, quantity=1,
                           actor="t")


def test_scoping_makes_one_case_per_customer_with_all_their_orders(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    summary = desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    assert summary["new_cases"] == 6 and summary["orders"] == 9
    assert summary["exposure_minor"] == 9 * (199_000 - 19_900)
    assert summary["exposure"] == {"amount_minor": 9 * (199_000 - 19_900), "currency": "KRW"}
    with uow() as u:
        cases = u.cases.for_incident(incident_id)
    assert sorted(len(c.case.orders) for c in cases) == [1, 1, 1, 2, 2, 2]
    again = desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    assert again["new_cases"] == 0 and again["orders"] == 0


def test_a_plan_that_cancels_silently_is_refused(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    with pytest.raises(SilentCancellationRefused):
        _planned(uow, clock, listing_id, default="cancel_with_compensation")


def test_a_plan_with_one_option_or_a_deadline_too_soon_is_refused(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    terms = {
        "incident_id": incident_id,
        "default": "keep",
        "seller_share_pct": 50,
        "platform_share_pct": 50,
        "actor": "o",
        "policy": POLICY,
    }
    with pytest.raises(InvalidInput):
        desk.plan(uow(), options=["keep"], deadline=clock.now + timedelta(days=4), **terms)
    with pytest.raises(InvalidInput):
        desk.plan(uow(), options=["keep", "talk_to_person"],
                  deadline=clock.now + timedelta(hours=2), **terms)
    with pytest.raises(InvalidInput):
        desk.plan(uow(), options=["keep", "talk_to_person"], deadline=clock.now + timedelta(days=4),
                  **{**terms, "seller_share_pct": 70})


def test_apologies_are_queued_for_the_next_opening_of_the_contact_centre(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)
    summary = notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY,
                     links=LINKS)
    # Thursday 17:30 KST leaves less than 2 h before 18:00: next opening is Friday 09:00.
    assert summary.send_at == datetime(2008, 6, 13, 9, 0, tzinfo=SEOUL)
    assert summary.cases == 6 and summary.messages == 12
    with uow() as u:
        rows = u.conn.execute(select(outbox)).all()
    assert {r.not_before for r in rows} == {summary.send_at}
    with uow() as u:
        jobs = dict(u.conn.exec_driver_sql(
            "SELECT task_name, scheduled_at FROM procrastinate_jobs WHERE queue_name = 'desk'"
        ).all())
    assert jobs["incident_deadline"] == datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    assert summary.send_at <= jobs["remind_incident"] < jobs["escalate_incident"]
    assert jobs["escalate_incident"] < jobs["incident_deadline"]
    english = [r for r in rows if r.locale == "en" and r.channel == "email"]
    assert english and "we are sorry" in english[0].body.lower()
    assert all("/c/" in r.body for r in rows)


def _notified(shop, *, sent: bool = True):
    """The incident notified; with ``sent``, its apologies sent by the next morning."""
    uow, clock, listing_id, people, seller_id = shop
    incident_id = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY, links=LINKS)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    if sent:
        apologies_sent(uow)  # by the next morning the worker has sent them
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(incident_id)}
    return uow, clock, incident_id, cases, people, seller_id


def publish_notice(uow, incident_id: int, langs: tuple[str, ...] = ("ko", "en")) -> None:
    """The public notice as drafted, in ``langs``: closing an incident needs one in Korean and
    in each language its customers read (the shop's include English readers)."""
    for lang in langs:
        title, body = notices.draft_notice(uow(), incident_id=incident_id, lang=lang,
                                           policy=POLICY)
        notices.publish_notice(uow(), incident_id=incident_id, lang=lang, title=title,
                               body=body, actor="operator:lee")


def test_cancel_with_compensation_cancels_and_books_points_once(shop) -> None:
    uow, _, _, cases, people, seller_id = _notified(shop)
    case_id = cases[people[1]]
    first = desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                     channel="web", evidence="clicked: cancel", taken_by="customer",
                                     policy=POLICY)
    retry = desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                     channel="web", evidence="clicked: cancel", taken_by="customer",
                                     policy=POLICY)
    assert first.changed and not retry.changed
    assert first.compensation_points == 10_000
    with uow() as u:
        statuses = u.conn.execute(select(orders_table.c.status).where(
            orders_table.c.customer_id == people[1])).scalars().all()
        entries = u.conn.execute(select(func.count()).select_from(ledger_entries).where(
            ledger_entries.c.kind == "incident_compensation")).scalar_one()
        from sagwa.domain.ledger import AccountKind
        seller_paid = u.ledger.balance(AccountKind.SELLER_CHARGEBACK, seller_id)
        customer = u.ledger.balance(AccountKind.CUSTOMER_POINTS, people[1])
        confirmations = u.conn.execute(select(func.count()).select_from(outbox).where(
            outbox.c.purpose == "confirmation")).scalar_one()
    assert set(statuses) == {"cancelled"} and entries == 1
    assert (customer, seller_paid) == (10_000, -6_000)
    assert confirmations == 1


def test_the_confirmation_says_what_was_chosen_and_what_happens_without_offering_a_switch(
        shop) -> None:
    uow, _clock, _incident_id, cases, people, _ = _notified(shop)
    desk_cases.record_choice(uow(), case_id=cases[people[1]], choice="cancel_with_compensation",
                             channel="web", evidence="clicked: cancel", taken_by="customer",
                             policy=POLICY)
    with uow() as u:
        body = u.conn.execute(select(outbox.c.body).where(
            outbox.c.purpose == "confirmation")).scalar_one()
    assert "- 선택하신 방법: 주문 취소(전액 환불과 보상 포인트)" in body
    assert "선택하신 대로 주문은 취소되었고, 결제하신 39,800원은 전액 환불해 드립니다." in body
    assert "10,000포인트(10,000원 상당)는 이미 적립되었습니다" in body
    assert "바꾸고 싶으시면" not in body and "다른 방법" not in body
    assert POLICY.contact.phone in body


def test_the_apology_names_the_seller_with_the_right_particle_and_the_discount_price(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id,
                           options=["keep", "cancel_with_compensation",
                                    "buy_at_correct_price_discount"], discount_pct=20)
    notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.locale, outbox.c.body).where(
            outbox.c.channel == "email")).all()
    korean = next(body for locale, body in rows if locale == "ko")
    english = next(body for locale, body in rows if locale == "en")
    assert "판매자 하늘디지털이 '애플 아이팟 나노 3세대 4GB'의 가격을 199,000원이 아닌 19,900원으로" in korean
    assert "정상가에서 20% 할인된 가격으로 구매: 1개당 159,200원(정상가 199,000원)입니다." in korean
    assert "159,200 KRW each (the correct price is 199,000 KRW)" in english
    _title, notice = notices.draft_notice(uow(), incident_id=incident_id, lang="ko", policy=POLICY)
    # the public notice says "판매자" without naming them (the desk policy has not opted in)
    assert "하늘디지털" not in notice
    assert ("'애플 아이팟 나노 3세대 4GB'의 가격이 199,000원이 아닌 19,900원으로 잘못 입력되었고, "
            "판매자와 저희 플랫폼 모두 이 오류를 바로잡지 못했습니다.") in notice


def test_keep_leaves_the_orders_and_a_different_second_choice_is_refused(shop) -> None:
    uow, _, _, cases, people, _ = _notified(shop)
    case_id = cases[people[2]]
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)
    with pytest.raises(IllegalTransition):
        desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                 channel="phone", evidence="취소해 주세요", taken_by="agent:choi",
                                 policy=POLICY)
    with uow() as u:
        statuses = set(u.conn.execute(select(orders_table.c.status).where(
            orders_table.c.customer_id == people[2])).scalars())
    assert statuses == {"placed"}


def _outbox_by_case(uow) -> dict[tuple[int | None, str], set[str]]:
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.case_id, outbox.c.purpose, outbox.c.status)).all()
    found: dict[tuple[int | None, str], set[str]] = {}
    for case_id, purpose, status in rows:
        found.setdefault((case_id, purpose), set()).add(status)
    return found


def test_messages_still_waiting_are_withdrawn_once_the_case_is_answered(shop) -> None:
    uow, clock, incident_id, cases, people, _ = _notified(shop, sent=False)
    chosen, phoned = cases[people[1]], cases[people[2]]
    desk_cases.record_choice(uow(), case_id=chosen, choice="cancel_with_compensation",
                             channel="web", evidence="clicked: cancel", taken_by="customer",
                             policy=POLICY)
    desk_cases.record_choice(uow(), case_id=phoned, choice="talk_to_person", channel="phone",
                             evidence="전화 주세요", taken_by="agent:choi", policy=POLICY)
    found = _outbox_by_case(uow)
    # nobody is asked to choose again after choosing; the confirmation still goes out
    assert found[(chosen, "resolution")] == {"withdrawn"}
    assert found[(phoned, "resolution")] == {"withdrawn"}
    assert found[(chosen, "confirmation")] == {"pending"}
    others = [c for c in cases.values() if c not in (chosen, phoned)]
    assert all(found[(c, "resolution")] == {"pending"} for c in others)
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=incident_id, actor="system")
    found = _outbox_by_case(uow)
    assert all(found[(c, "resolution")] == {"withdrawn"} for c in others)
    assert found[(chosen, "confirmation")] == {"pending"}


def test_a_cancellation_without_the_recorded_choice_is_refused(shop) -> None:
    uow, clock, incident_id, cases, people, _ = _notified(shop)
    with uow() as u:
        row = u.cases.get(cases[people[3]])
        plan = u.incidents.plan(incident_id, RIGHT)
    forged = ConsentRecord(row.case.case_id, row.case.customer_id, "cancel_with_compensation",
                           "web", clock.now, "nobody clicked this")
    with pytest.raises(ConsentRequired):
        effects_of_choice(row.case, forged, plan)
    with pytest.raises(ConsentRequired):
        desk_cases._apply(uow(), row.case, forged, plan, clock.now,
                          POLICY.contact.refund_days)


def test_unanswered_cases_take_the_default_after_the_deadline_and_nothing_is_cancelled(shop) -> None:
    uow, clock, incident_id, _, _, _ = _notified(shop)
    with pytest.raises(InvalidInput) as early:
        desk_cases.apply_deadline(uow(), incident_id=incident_id, actor="system")
    # said in Korea time (it said the deadline in UTC), with its own reason
    assert "2008-06-17 18:00 KST" in early.value.message
    assert early.value.details["reason"] == "deadline_not_passed"
    assert early.value.details["deadline_korea"] == "2008-06-17 18:00"
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    assert desk_cases.apply_deadline(uow(), incident_id=incident_id, actor="system") == 6
    with uow() as u:
        assert {r.case.status.value for r in u.cases.for_incident(incident_id)} == {"defaulted"}
        assert set(u.conn.execute(select(orders_table.c.status)).scalars()) == {"placed"}


def test_escalation_before_the_apologies_is_refused_and_they_still_go_to_everyone(shop) -> None:
    """A walkthrough escalated a planned incident: its cases went on the call list, and notify
    then sent the apology to nobody (it tells open cases only), leaving those customers with no
    apology, no link and no reminder. Escalation now waits for the apologies."""
    uow, clock, listing_id, _, _ = shop
    incident_id = _planned(uow, clock, listing_id)
    with pytest.raises(IllegalTransition) as early:
        desk_cases.escalate_unanswered(uow(), incident_id=incident_id, actor="operator:lee")
    assert early.value.details["reason"] == "incident_status"
    assert "notify its customers first" in early.value.message
    assert early.value.details["hint"] == "notify_first"
    with uow() as u:
        assert {r.case.status.value for r in u.cases.for_incident(incident_id)} == {"open"}
    summary = notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY,
                     links=LINKS)
    assert summary.cases == 6 and summary.messages > 0
    assert desk_cases.escalate_unanswered(uow(), incident_id=incident_id, actor="system") == 6
    with uow() as u:
        rows = u.cases.for_incident(incident_id)
        assert {r.case.status.value for r in rows} == {"escalated"}


def _dismissed_draft(uow, clock, listing_id: int) -> int:
    """A tripwire's draft about the listing, dismissed as a real sale: a closed incident."""
    with uow() as u:
        draft = desk.open_draft_incident(u, listing=u.market.listing(listing_id),
                                         window_start=clock.now - timedelta(hours=1),
                                         cause="tripwire", evidence={}, actor="system")
        u.commit()
    desk.close(uow(), incident_id=draft, reason="a real sale, not a wrong price",
               actor="operator:lee")
    return draft


def test_escalation_and_the_deadline_on_a_closed_incident_are_refused(shop) -> None:
    """A dismissed draft is closed: neither step answers "0 moved" as if it had worked."""
    uow, clock, listing_id, _, _ = shop
    draft = _dismissed_draft(uow, clock, listing_id)
    for step, code in ((desk_cases.escalate_unanswered, "escalate"),
                       (desk_cases.apply_deadline, "apply_deadline")):
        with pytest.raises(IllegalTransition) as closed:
            step(uow(), incident_id=draft, actor="system")
        assert "it is closed" in closed.value.message
        assert closed.value.details["status"] == "closed"
        assert closed.value.details["trigger"] == code
        assert closed.value.details["hint"] == "already_closed"  # the page's sentence says why


def test_closing_a_closed_incident_again_returns_it_and_writes_nothing(shop) -> None:
    """A retried close (a lost answer, a double click) answers as the first one did, as a
    choice given again does: 409 "closed cannot close" told the caller nothing it could act on.
    Nothing more is logged, vouched or sent."""
    uow, clock, listing_id, _, _ = shop
    draft = _dismissed_draft(uow, clock, listing_id)
    with uow() as u:
        before = [r.event.action for r in u.audit.recent(limit=500)]
    again = desk.close(uow(), incident_id=draft, reason="closing it twice", actor="operator:kim")
    assert again.incident.status.value == "closed"
    with uow() as u:
        assert [r.event.action for r in u.audit.recent(limit=500)] == before
    assert before.count("incident.dismiss") == 1


def test_a_scheduled_job_for_an_incident_closed_since_has_nothing_to_do(shop) -> None:
    """The escalation and deadline jobs are scheduled when customers are told; an incident
    closed before they run is refused by the steps, which the jobs take as 0 moved (a job that
    raised would be retried, to no end)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    from sagwa.jobs.desk_tasks import escalate_incident, incident_deadline

    uow, clock, listing_id, _, _ = shop
    draft = _dismissed_draft(uow, clock, listing_id)
    runtime = SimpleNamespace(database=SimpleNamespace(session_factory=uow()._session_factory),
                              clock=clock, policy=POLICY)
    context = SimpleNamespace(additional_context={"delivery": runtime})
    for job in (escalate_incident, incident_deadline):
        # on a thread of its own: another test may have left this thread's event loop running
        with ThreadPoolExecutor(1) as thread:
            assert thread.submit(lambda job=job: asyncio.run(job.func(context, draft))
                                 ).result() == 0


def _reason_of(step, *args, **kwargs) -> str:
    """The ``details["reason"]`` of the refusal that ``step(*args, **kwargs)`` raises."""
    with pytest.raises(SagwaError) as refused:
        step(*args, **kwargs)
    return str(refused.value.details["reason"])


def test_steps_taken_too_early_are_refused_with_their_reasons(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    with uow() as u:
        draft = desk.open_draft_incident(
            u,
            listing=u.market.listing(listing_id),
            window_start=clock.now - timedelta(hours=1),
            cause="tripwire",
            evidence={},
            actor="system",
        )
        u.commit()
    notice = {"incident_id": draft, "lang": "ko", "title": "안내", "body": "죄송합니다."}
    assert _reason_of(notices.publish_notice, uow(), **notice, actor="o") == "incident_draft"
    assert (
        _reason_of(notices.draft_notice, uow(), incident_id=draft, lang="ko", policy=POLICY)
        == "incident_not_declared"
    )
    deadline = {"incident_id": draft, "actor": "system"}
    # the deadline's default and escalation come after the apologies went out (a walkthrough
    # escalated a planned incident: the customers were then never sent the apology)
    assert _reason_of(desk_cases.apply_deadline, uow(), **deadline) == "incident_status"
    assert _reason_of(desk_cases.escalate_unanswered, uow(), **deadline) == "incident_status"
    with pytest.raises(IllegalTransition) as early:  # the step a draft needs: declaring
        desk_cases.apply_deadline(uow(), **deadline)
    assert early.value.details["hint"] == "declare_first"
    assert "declare it first" in early.value.message  # the message says the same step
    desk.declare(
        uow(),
        listing_ids=[listing_id],
        wrong_price=WRONG,
        correct_price=RIGHT,
        window_start=clock.now - timedelta(hours=1),
        cause="typo",
        responsible="seller",
        actor="operator:lee",
        incident_id=draft,
    )
    assert _reason_of(desk_cases.apply_deadline, uow(), **deadline) == "incident_status"
    with uow() as u:
        assert _reason_of(incident_terms, u, draft, {}) == "case_not_ready"
    desk.scope(uow(), incident_id=draft, actor="operator:lee")
    assert _reason_of(desk.close, uow(), **deadline, reason="too early") == "unanswered_cases"


def test_a_notice_without_apology_is_refused_and_a_good_one_is_versioned(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    with pytest.raises(MessageRefused) as refused:
        notices.publish_notice(uow(), incident_id=incident_id, lang="en", title="Notice",
                               body="Due to the seller's error, prices were wrong. "
                                    "This was not our responsibility.", actor="operator:lee")
    codes = {f["code"] for f in refused.value.details["findings"]}
    assert {"missing-apology", "blame-shift"} <= codes
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang="ko", policy=POLICY)
    first = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                                   body=body, actor="operator:lee")
    second = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                                    body=body + "\n(추가) 환불은 3영업일 안에 완료됩니다.",
                                    actor="operator:lee")
    assert (first.version, second.version) == (1, 2)
    # the same text again (a retried request; a walkthrough got v1, v2, v3 all alike): v2 itself
    again = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title + " ",
                                   body=(body + "\n(추가) 환불은 3영업일 안에 완료됩니다.").replace("\n", "\r\n"),
                                   actor="operator:kim")
    assert (again.id, again.version, again.published_by) == (second.id, 2, "operator:lee")
    with uow() as u:
        assert [n.version for n in u.cases.notices(incident_id)] == [2, 1]
    # the first version's text after a revision is a revision again (v3), not v1
    back = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                                  body=body, actor="operator:lee")
    assert back.version == 3
    # another language's first version is its own
    en_title, en_body = notices.draft_notice(uow(), incident_id=incident_id, lang="en",
                                             policy=POLICY)
    assert notices.publish_notice(uow(), incident_id=incident_id, lang="en", title=en_title,
                                  body=en_body, actor="operator:lee").version == 1


def test_the_reminder_goes_only_to_customers_who_have_not_answered(shop) -> None:
    from sagwa.services.desk_notify import remind_unanswered

    uow, clock, incident_id, cases, people, _ = _notified(shop)
    desk_cases.record_choice(uow(), case_id=cases[people[1]], choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)
    clock.now = datetime(2008, 6, 16, 20, 0, tzinfo=SEOUL)  # Monday evening, after hours
    queued = remind_unanswered(uow(), incident_id=incident_id, actor="system", policy=POLICY,
                               links=LINKS)
    assert queued == 10  # 5 unanswered customers x (email + sms)
    with uow() as u:
        rows = u.conn.execute(select(outbox).where(outbox.c.purpose == "reminder")).all()
    assert {r.customer_id for r in rows} == set(people) - {people[1]}
    assert {r.not_before for r in rows} == {datetime(2008, 6, 17, 9, 0, tzinfo=SEOUL)}
    assert all(r.subject.startswith(("[다시 안내]", "[Reminder]")) for r in rows if r.subject)
    # not the apology again word for word: it says it is a reminder and restates the deadline,
    # after the apology
    with uow() as u:
        first = {(r.customer_id, r.channel): r.body for r in u.conn.execute(
            select(outbox).where(outbox.c.purpose == "resolution")).all()}
    for r in rows:
        assert r.body != first[r.customer_id, r.channel]
        assert "다시 안내" in r.body or "reminder" in r.body or "writing again" in r.body
        if r.channel == "email":
            assert r.body.index("사과드립니다" if r.locale == "ko" else "we are sorry") < 60
            assert "6월 17일" in r.body or "17 June" in r.body or "June 17" in r.body, r.body


def test_the_report_has_the_timeline_sla_figures_and_a_chart(shop, tmp_path) -> None:
    from sagwa.services.desk_report import build_report, write_postmortem

    uow, _, incident_id, cases, people, _ = _notified(shop)
    desk_cases.record_choice(uow(), case_id=cases[people[1]], choice="cancel_with_compensation",
                             channel="web", evidence="clicked: cancel", taken_by="customer",
                             policy=POLICY)
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)
    figures = report.figures
    assert figures["cases"] == 6 and figures["answered"] == 1
    assert figures["by_choice"] == {"cancel_with_compensation": 1}
    assert figures["minutes_to_pause"] == 210.0  # window 14:00, declared and paused 17:30
    actions = [e.action for e in report.timeline]
    assert actions.index("incident.declared") < actions.index("incident.scoped")
    assert "case.choice_recorded" in actions
    assert report.state_series[-1][1]["resolved"] == 1
    markdown, chart = write_postmortem(report, tmp_path)
    assert "## SLA figures" in markdown.read_text(encoding="utf-8")
    assert chart is not None and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_grouped_case_steps_sort_after_the_incident_step_that_caused_them() -> None:
    from types import SimpleNamespace

    from sagwa.services.desk_report import _timeline

    at = datetime(2008, 6, 12, 17, 30, 30, tzinfo=SEOUL)

    def rec(seconds: int, entity_type: str, action: str, entity_id: str = "1"):
        return SimpleNamespace(occurred_at=at + timedelta(seconds=seconds), actor="op",
                               action=action, entity_type=entity_type, entity_id=entity_id,
                               after={})

    records = [rec(0, "incident", "incident.scoped"), rec(15, "case", "case.notified", "7"),
               rec(16, "case", "case.notified", "8"), rec(20, "incident", "incident.notified")]
    timeline = _timeline(records)
    assert [e.action for e in timeline] == ["incident.scoped", "case.notified",
                                            "incident.notified"]
    assert timeline[1].at == at + timedelta(seconds=15) and timeline[1].entity == "2 cases"


# --- calls owed past the deadline ------------------------------------------------------------


def _queue(uow) -> list[int]:
    with uow() as u:
        return [q.case_id for q in u.reads.call_queue()]


def test_a_customer_who_asked_for_a_person_stays_on_the_call_list_past_the_deadline(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        case_ids = [int(r.case.case_id) for r in u.cases.for_incident(iid)]
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=case_ids[0], choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert _queue(uow) == [case_ids[0]]
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    assert _queue(uow) == [case_ids[0]]  # defaulted, but still owed the call they asked for
    with pytest.raises(Conflict) as refused:
        desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert refused.value.details["reason"] == "calls_owed"
    # the agent calls: no answer is not the call they asked for; reaching them is
    desk_cases.log_contact_attempt(uow(), case_id=case_ids[0], channel="phone",
                                   outcome="no_answer", agent="agent:park", policy=POLICY)
    assert _queue(uow) == [case_ids[0]]
    desk_cases.log_contact_attempt(uow(), case_id=case_ids[0], channel="phone",
                                   outcome="reached", agent="agent:park", policy=POLICY)
    assert _queue(uow) == []
    # every customer answered and called back: the public must have been told too
    with pytest.raises(Conflict) as no_notice:
        desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert no_notice.value.details["reason"] == "notice_not_published"
    with uow() as u:
        assert u.incidents.get(iid).incident.status.value == "notifying"  # nothing half-done
        assert u.cases.notice_languages_missing(iid) == ["en", "ko"]  # one reads English
    # in English only (a walkthrough closed so): the Korean board, and Korean readers, lack it
    publish_notice(uow, iid, langs=("en",))
    with pytest.raises(Conflict) as no_korean:
        desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert no_korean.value.details["reason"] == "notice_language_missing"
    assert no_korean.value.details["languages"] == ["ko"]
    assert "Korean" in no_korean.value.message
    publish_notice(uow, iid, langs=("ko",))
    assert desk.close(uow(), incident_id=iid, actor="operator:lee",
                      reason="done").incident.status.value == "closed"
    # closed: a late answer is refused; the same recorded answer again is still absorbed
    with pytest.raises(Conflict) as late:
        desk_cases.record_choice(uow(), case_id=case_ids[0], choice="cancel_with_compensation",
                                 channel="phone", evidence="said: cancel", taken_by="agent:park",
                                 policy=POLICY)
    assert late.value.details["reason"] == "incident_closed"
    again = desk_cases.record_choice(uow(), case_id=case_ids[0], choice="talk_to_person",
                                     channel="web", evidence="pressed", taken_by="customer",
                                     policy=POLICY)
    assert not again.changed


def test_a_follow_up_call_default_puts_every_unanswered_case_on_the_call_list(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    iid = _planned(uow, clock, listing_id, default="follow_up_call")
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        case_ids = sorted(int(r.case.case_id) for r in u.cases.for_incident(iid))
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=case_ids[0], choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    assert _queue(uow) == case_ids[1:]  # the one who answered is not called
    # reached on the phone after the deadline: the answer counts (follow-up calls exist for it)
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    desk_cases.log_contact_attempt(uow(), case_id=case_ids[1], channel="phone",
                                   outcome="reached", agent="agent:park", policy=POLICY)
    desk_cases.record_choice(uow(), case_id=case_ids[1], choice="cancel_with_compensation",
                             channel="phone", evidence="said: cancel please",
                             taken_by="agent:park", policy=POLICY)
    assert _queue(uow) == case_ids[2:]
    with pytest.raises(Conflict):
        desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")


def test_a_capped_keep_default_owes_a_call_to_customers_over_the_cap(shop) -> None:
    """keep up to 1 unit: a customer holding 2 is not silently cut to 1 — they get a call, and
    their answer on it counts after the deadline."""
    uow, clock, listing_id, _, _ = shop
    iid = _planned(uow, clock, listing_id, keep_max_units=1)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        rows = sorted(u.cases.for_incident(iid), key=lambda r: int(r.case.case_id))
    over_cap = [int(r.case.case_id) for r in rows if r.case.units > 1]
    assert over_cap and len(over_cap) < len(rows)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    assert _queue(uow) == over_cap
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    desk_cases.log_contact_attempt(uow(), case_id=over_cap[0], channel="phone",
                                   outcome="reached", agent="agent:park", policy=POLICY)
    desk_cases.record_choice(uow(), case_id=over_cap[0], choice="keep", channel="phone",
                             evidence="said: keep it",
                             taken_by="agent:park", policy=POLICY)
    assert _queue(uow) == over_cap[1:]
    with pytest.raises(Conflict) as refused:
        desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert refused.value.details["reason"] == "calls_owed"


# --- what each customer is told: the keep cap, and the default once applied -----------------


def _bodies(uow, purpose: str) -> dict[tuple[int, str], str]:
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.customer_id, outbox.c.channel, outbox.c.body)
                              .where(outbox.c.purpose == purpose)).all()
    return {(r.customer_id, r.channel): r.body for r in rows}


def test_a_customer_over_the_keep_cap_is_told_what_keeping_means_and_that_we_will_call(
        shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, keep_max_units=1)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    told = _bodies(uow, "resolution")
    over = told[people[1], "email"]  # 2 units, a cap of 1
    assert ("주문 유지: 1인당 최대 1개까지 유지하실 수 있어, 주문하신 2개 중 1개를 결제하신 가격 그대로 "
            "보내 드리고 나머지 1개의 결제 금액 19,900원은 환불해 드립니다. " + POLICY.contact.refund_timing_ko) in over
    assert ("답이 없으시면 상담원이 전화드려 직접 여쭙겠습니다. 주문하신 2개가 1인당 한도(1개)보다 많아 "
            "원하시는 방법을 여쭤야 하기 때문입니다.") in over
    assert "그대로 상품을 받으십니다" not in over and "답이 없으시면 주문은 그대로" not in over
    assert "1개만 유지하고 나머지 환불" in told[people[1], "sms"]
    within = told[people[2], "email"]  # 1 unit: the wording as it was
    assert "주문 유지: 결제하신 19,900원 그대로 상품을 받으십니다(1인당 최대 1개)." in within
    assert "답이 없으시면 주문은 그대로 유지됩니다." in within
    # what they were told is what the desk does after the deadline
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    with uow() as u:
        case_of = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    assert case_of[people[1]] in _queue(uow) and case_of[people[2]] not in _queue(uow)
    after = _bodies(uow, "defaulted")
    assert "- 답이 없으실 때의 처리: 상담원 전화" in after[people[1], "email"]
    assert "1인당 한도(1개)보다 많아" in after[people[1], "email"]
    assert "주문하신 상품 1개를 결제하신 가격(19,900원) 그대로 보내 드립니다." in after[people[2], "email"]


def test_customers_given_the_default_are_told_once_what_happens_in_contact_hours(shop) -> None:
    from sagwa.services import desk_messages as dm

    uow, clock, listing_id, people, _ = shop
    texter = catalog.register_customer(uow(), name="문자고객", phone="010-9999-0000",
                                       locale="ko", actor="t").id  # no email: told by SMS
    orders.place_order(uow(), customer_id=texter, listing_id=listing_id, quantity=1, actor="t",
                       velocity=None)
    iid = _planned(uow, clock, listing_id, accept_late_choices=True)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        case_of = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    for who, choice in ((people[1], "cancel_with_compensation"), (people[2], "talk_to_person")):
        desk_cases.record_choice(uow(), case_id=case_of[who], choice=choice, channel="web",
                                 evidence="pressed", taken_by="customer", policy=POLICY)
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)  # Tuesday, after hours
    assert desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline",
                                     policy=POLICY) == 6
    with uow() as u:
        rows = u.conn.execute(select(outbox).where(outbox.c.purpose == "defaulted")).all()
        audit = u.conn.exec_driver_sql(
            "SELECT after FROM audit_log WHERE action = 'incident.defaulted'").scalars().all()
    # who answered (a choice, or a person asked for in time) is not told they did not
    assert sorted(r.customer_id for r in rows) == sorted({*people, texter} - {people[1], people[2]})
    assert {r.not_before for r in rows} == {datetime(2008, 6, 18, 9, 0, tzinfo=SEOUL)}
    assert {(r.channel, r.recipient) for r in rows if r.customer_id == texter} == {
        ("sms", "010-9999-0000")}
    assert all(r.channel == "email" for r in rows if r.customer_id != texter)
    for r in rows:
        dm.checked(r.body, kind="resolution", lang=r.locale)
        assert any(w in r.body[:90] for w in ("죄송합니다", "사과드립니다", "sorry"))  # apology first
    english = next(r.body for r in rows if r.customer_id == people[0])
    assert english.startswith("Dear Alex Kim, once more we are sorry")
    assert "We will send your 1 item at the 19,900 KRW you paid." in english
    korean = next(r.body for r in rows if r.customer_id == people[3])
    assert "주문하신 상품 2개를 결제하신 가격(39,800원) 그대로 보내 드립니다." in korean
    assert "다른 방법을 원하시면 지금이라도" in korean  # this plan takes late answers
    assert [a["messages"] for a in audit] == [5]
    # the job run again (or late twice) sends nothing twice
    assert desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline",
                                     policy=POLICY) == 0
    with uow() as u:
        again = u.conn.execute(select(func.count()).select_from(outbox).where(
            outbox.c.purpose == "defaulted")).scalar_one()
    assert again == 5
    # a late answer (this plan takes them) before the note goes out next morning withdraws it
    late = next(r for r in rows if r.customer_id == people[0])
    clock.now = datetime(2008, 6, 17, 20, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=case_of[people[0]], choice="cancel_with_compensation",
                             channel="web", evidence="pressed late", taken_by="customer",
                             policy=POLICY)
    with uow() as u:
        status = u.conn.execute(select(outbox.c.status).where(outbox.c.id == late.id)).scalar_one()
        others = u.conn.execute(select(outbox.c.status).where(
            outbox.c.purpose == "defaulted", outbox.c.id != late.id)).scalars().all()
    assert status == "withdrawn" and set(others) == {"pending"}


@pytest.mark.parametrize(("locale", "choice", "said"), [
    ("ko", "cancel_with_compensation", ("[사과 고객센터]", "죄송합니다", "고르신 방법은 '주문 취소", "전액 환불",
                                        "문의 ")),
    ("en", "keep", ("[sagwa] Sorry again", "you chose: keep the order",
                    "We will send your 1 item at the price you paid.", "Help: ")),
])
def test_a_customer_with_only_a_phone_number_is_sent_the_confirmation_by_text(
        shop, locale: str, choice: str, said: tuple[str, ...]) -> None:
    """A walkthrough's finding: customers told by text (no email) were sent no confirmation of
    the choice they made, though the message after the default does reach them by text."""
    from sagwa.services import desk_messages as dm

    uow, clock, listing_id, _people, _ = shop
    texter = catalog.register_customer(uow(), name="문자고객", phone="010-9999-0000",
                                       locale=locale, actor="t").id
    orders.place_order(uow(), customer_id=texter, listing_id=listing_id, quantity=1, actor="t",
                       velocity=None)
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)  # they chose on the page their apology's link opened: "again"
    with uow() as u:
        case_id = u.cases.case_for_customer(iid, texter)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=case_id, choice=choice, channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    with uow() as u:
        [row] = u.conn.execute(select(outbox).where(outbox.c.purpose == "confirmation",
                                                    outbox.c.customer_id == texter)).all()
    assert (row.channel, row.recipient, row.subject, row.locale) == (
        "sms", "010-9999-0000", "", locale)
    for words in said:
        assert words in row.body, (words, row.body)
    dm.checked(row.body, kind="resolution", lang=locale)


def test_the_same_choice_given_again_in_other_words_is_kept_on_the_audit_log(shop) -> None:
    """A walkthrough's finding: talk_to_person sent again by phone with new words answered 200
    and recorded nothing; the customer's words were lost. The case does not change (the same
    answer is absorbed), but what was said is on the log; a plain retry adds nothing."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        case_id = u.cases.case_for_customer(iid, people[1])
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)

    def say(channel: str, evidence: str) -> bool:
        by = "agent:kim" if channel == "phone" else "customer"
        return desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person",
                                        channel=channel, evidence=evidence,
                                        taken_by=by, policy=POLICY).changed

    assert say("sms", "call me") is True
    assert say("sms", "call me") is False   # a retry
    assert say("phone", "after 6 pm, please") is False
    assert say("phone", "after 6 pm, please") is False  # the agent's double click
    with uow() as u:
        events = [r.event for r in u.audit.for_entity("case", str(case_id))
                  if r.event.action.startswith("case.choice")]
        case = u.cases.get(case_id).case
        # the words as a keyed digest, never the text (``recorded_texts``)
        said = text_matches(u, "after 6 pm, please", events[1].after, "evidence")
    assert [e.action for e in events] == ["case.choice_recorded", "case.choice_repeated"]
    assert {k: events[1].after[k] for k in ("choice", "channel", "evidence_chars")} == {
        "choice": "talk_to_person", "channel": "phone", "evidence_chars": 18}
    assert said is TextVerdict.MATCHES and "6 pm" not in str(events[1].after)
    assert case.consent is not None and case.consent.evidence == "call me"


def test_a_revised_plan_keeps_the_one_it_replaced_on_the_audit_log(shop) -> None:
    """A review found re-plans logged with before: null: the log could not say what changed."""
    uow, clock, listing_id, _people, _ = shop
    iid = _planned(uow, clock, listing_id)
    desk.plan(uow(), incident_id=iid, options=["keep", "talk_to_person"],
              deadline=datetime(2008, 6, 18, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=50, platform_share_pct=50, actor="operator:kim", policy=POLICY)
    with uow() as u:
        planned = [r.event for r in u.audit.for_entity("incident", str(iid))
                   if r.event.action == "incident.planned"]
    assert planned[0].before is None
    assert planned[1].before == planned[0].after
    assert planned[0].after["seller_share_pct"] == 60
    assert planned[1].after["seller_share_pct"] == 50
    assert planned[1].after["options"] == ["keep", "talk_to_person"]


def test_a_customer_counts_as_told_when_the_apology_is_sent_not_when_it_is_queued(shop) -> None:
    """Walkthroughs found first_notified_at set to the planned send time when the apology was
    queued: the API showed a time still to come, kept it after the apology was withdrawn
    unsent, and the deadline's note told customers never asked that their answer had not come.
    Now a customer is told when an apology to them is sent; one never sent is sent no note."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        rows = {int(r.case.customer_id): r for r in u.cases.for_incident(iid)}
        first = u.conn.execute(select(outbox.c.id, outbox.c.not_before).where(
            outbox.c.purpose == "resolution", outbox.c.customer_id == people[0])
            .order_by(outbox.c.id)).first()
    assert all(r.first_notified_at is None for r in rows.values())  # queued, not sent
    with uow() as u:  # the worker sends one of people[0]'s apologies
        u.outbox.record_outcome(first.id, status="sent", last_error=None,
                                sent_at=first.not_before)
        u.commit()
    with uow() as u:
        told = {int(r.case.customer_id): r.first_notified_at for r in u.cases.for_incident(iid)}
    assert told[people[0]] == first.not_before
    assert all(t is None for who, t in told.items() if who != people[0])
    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)  # the deadline passes
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system", policy=POLICY)
    with uow() as u:
        noted = {r.customer_id for r in u.conn.execute(
            select(outbox.c.customer_id).where(outbox.c.purpose == "defaulted")).all()}
    assert noted == {people[0]}  # "we did not hear from you" only to who was asked


def test_the_drafted_notice_states_the_plans_deadline_default_and_points(shop) -> None:
    """A customer whose message never came learns the plan from the notice: its answer
    deadline, what happens without an answer, the cancellation's points — as the email says."""
    uow, _, incident_id, _, _, _ = _notified(shop)
    with uow() as u:
        inc = u.incidents.get(incident_id).incident
        plan = u.incidents.plan(incident_id, inc.correct_price)
    assert plan is not None
    from sagwa.services import desk_messages as dm
    with uow() as u:
        rows = dict(u.conn.execute(select(outbox.c.locale, outbox.c.body).where(
            outbox.c.channel == "email")).all())
    for lang in ("ko", "en"):
        _title, notice = notices.draft_notice(uow(), incident_id=incident_id, lang=lang,
                                              policy=POLICY)
        deadline = dm.format_when(plan.deadline, lang)
        points = dm.points_words(dm.cancel_points(plan), lang, worth=True)
        assert deadline in notice and deadline in rows[lang]
        assert points in notice
        assert dm.default_sentence(plan, lang) in notice
