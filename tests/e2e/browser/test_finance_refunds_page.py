"""A finance account's page (``/ops/refunds``, where it lands after signing in): the refunds
the desk owes, each with its incident, order, customer, amount, due date and whether it is
overdue, and how to record a payment (the CLI or the API: no page marks one paid). Finance opens
no other staff page and posts no incident form; reviewers, agents and sellers may not open it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from refunds_in_three_states import refund_rows, refunds_paid_overdue_and_owed
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.config import Settings
from sagwa.domain.money import format_money
from sagwa.services.accounts import create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


@pytest.fixture
def finance(session_factory: sessionmaker[Session], world: World) -> str:
    create_user(SqlAlchemyUnitOfWork(session_factory), username="lee", role="finance",
                password=PASSWORD, actor="test")
    return "lee"


@pytest.mark.parametrize(("lang", "words"), [
    ("ko", {"title": "지급할 환불", "owed": "미지급", "overdue": "기한 지남", "of": "2건"}),
    ("en", {"title": "Refunds to pay", "owed": "owed", "overdue": "overdue", "of": "2 owed"}),
])  # fmt: skip
def test_finance_lands_on_the_refunds_owed_with_the_overdue_one_marked(
        client: TestClient, world: World, finance: str, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str, words: dict[str, str]) -> None:
    made = refunds_paid_overdue_and_owed(session_factory, page_settings.secret_key, world)
    incident, late, later = made.incident_id, made.overdue, made.owed
    token = csrf_of(client.get("/login").text)
    landed = client.post("/login", data={"username": finance, "password": PASSWORD,
                                         "csrf_token": token})
    assert landed.headers["location"] == "/ops/refunds"
    html = client.get(f"/ops/refunds?lang={lang}").text
    assert words["title"] in html and words["of"] in html
    rows = refund_rows(html, "refunds-owed")
    assert [(i, state) for i, state, _ in rows] == [(late.refund_id, "overdue"),
                                                    (later.refund_id, "owed")]
    for (_, state, text), refund in zip(rows, (late, later), strict=True):
        assert f"#{incident}" in text and f"#{refund.order_id}" in text
        assert words[state] in text and f"{refund.amount.amount_minor:,}" in text
    assert "2020-01-06" in rows[0][2]
    owed_total = format_money(late.amount + later.amount, lang=lang)  # in won, not a count
    assert f'<span data-owed-amount="KRW">{"합계 " if lang == "ko" else "in all "}{owed_total}' in html
    assert "sagwa refunds mark-paid" in html and "/api/refunds/" in html
    assert 'method="post"' not in html.split("</header>", 1)[1]  # no page marks a refund paid


def test_finance_opens_no_other_staff_page_and_declares_nothing(
        client: TestClient, world: World, finance: str) -> None:
    log_in(client, finance)
    for path in ("/ops/incidents", f"/ops/incidents/{world.incident}", "/ops/review",
                 "/cs/queue", "/seller"):
        assert client.get(path).status_code == 403, path
    page = client.get("/ops/refunds").text
    # its menu links its page and none it may not open
    assert 'href="/ops/refunds"' in page and 'href="/ops/incidents"' not in page
    token = csrf_of(page)
    declared = client.post("/ops/incidents", data={"listing_ids": str(world.speaker_a),
                                                   "csrf_token": token})
    assert declared.status_code == 403


@pytest.mark.parametrize("username", ["reviewer", "agent", "seller_a"])
def test_other_roles_may_not_open_the_refunds_page(client: TestClient, world: World,
                                                  username: str) -> None:
    log_in(client, username)
    assert client.get("/ops/refunds").status_code == 403
    if username != "seller_a":
        home = client.get("/ops/review" if username == "reviewer" else "/cs/queue").text
        assert 'href="/ops/refunds"' not in home  # no menu link to a page refused to them


def test_an_admin_may_open_the_refunds_page(client: TestClient, world: World) -> None:
    log_in(client, "admin")
    answer = client.get("/ops/refunds")
    assert answer.status_code == 200 and 'id="refunds-owed"' in answer.text
    assert 'href="/ops/refunds"' in client.get("/ops/incidents").text  # in an admin's menu


def test_finance_lists_the_refunds_paid_in_days_with_their_total(
        client: TestClient, world: World, finance: str, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """A finance walk at month-end: the page showed only refunds owed, and how many were
    overdue but not what they come to; a month's payments could not be listed."""
    from zoneinfo import ZoneInfo

    made = refunds_paid_overdue_and_owed(session_factory, page_settings.secret_key, world)
    with SqlAlchemyUnitOfWork(session_factory) as u:
        paid = u.refunds.get(made.paid.refund_id)
    assert paid is not None and paid.paid_at is not None
    day = paid.paid_at.astimezone(ZoneInfo("Asia/Seoul")).date()
    log_in(client, finance)

    html = client.get("/ops/refunds?lang=en").text
    overdue = format_money(made.overdue.amount, lang="en")
    assert f'<span data-overdue-amount="KRW">overdue {overdue}</span>' in html
    assert "data-paid-total" not in html  # no days asked for

    html = client.get(f"/ops/refunds?lang=en&paid_from={day}&paid_to={day}").text
    assert [(i, state) for i, state, _ in refund_rows(html, "refunds-paid")] == [
        (paid.refund_id, "paid")]
    assert 'data-paid-total="1"' in html and "KB-1" in html
    assert f'in all {format_money(paid.amount, lang="en")}' in html
    html = client.get(f"/ops/refunds?lang=en&paid_from={day.replace(year=day.year + 1)}").text
    assert refund_rows(html, "refunds-paid") == [] and 'data-paid-total="0"' in html
    for bad in ("paid_from=2026-13-01", f"paid_from={day}&paid_to={day.replace(year=2000)}"):
        refused = client.get(f"/ops/refunds?lang=en&{bad}")
        assert refused.status_code == 200 and "data-paid-refused" in refused.text
