"""Cancelling instead of paying the difference, on the API and the pages: the agent records
the customer's request (once; refused after the payment), the customer can ask for it on their
own page, and every page then says the order was cancelled and refunded at the price paid."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import discount_chosen, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of
from world import POLICY, World

from sagwa.config import Settings
from sagwa.domain.audit_text import TextVerdict
from sagwa.services import desk_cases
from sagwa.services.recorded_texts import text_matches
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"]


def _discounted(world: World, session_factory: sessionmaker[Session],
                page_settings: Settings):  # type: ignore[no-untyped-def]
    """김민준's 2 earphones (19,900 paid, 185,000 correct) bought at 20% off an hour ago
    (256,200 KRW more to pay); cancelling would have given 5,000 points."""
    return discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))


def test_the_api_cancels_instead_once_and_refuses_after_the_payment(
        client_for, world: World, session_factory: sessionmaker[Session],  # type: ignore[no-untyped-def]
        page_settings: Settings) -> None:
    agent = client_for("agent")
    case = _discounted(world, session_factory, page_settings)
    url = f"/api/cases/{case.case_id}/cancel-instead"
    for body, status, reason in (
            ({"channel": "phone", "evidence": "x", "taken_by": "customer"}, 403,
             "customer_choice_needs_admin"),
            ({"channel": "fax", "evidence": "취소해 주세요"}, 422, "channel_unknown"),
            ({"channel": "phone", "evidence": " x. "}, 422, "consent_words_too_short"),
            ({"channel": "web", "evidence": "취소해 주세요"}, 422, "web_consent_by_agent"),
            ({"channel": "phone", "evidence": "   "}, 422, "request_invalid")):  # the schema's
        refused = agent.post(url, json=body)
        assert refused.status_code == status, refused.text
        assert refused.json()["details"].get("reason") == reason, refused.text
    assert agent.get(f"/api/cases/{case.case_id}").json()["difference"] == {
        "amount_minor": 256_200, "currency": "KRW"}  # nothing was written
    first = agent.post(url, json={"channel": "phone",
                                  "evidence": "차액은 부담돼서 취소할게요"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert list(body) == ["case_id", "changed", "refund", "compensation_points",
                          "confirmation", "sellers_told"]
    assert body["changed"] is True and body["refund"] == {"amount_minor": 39_800,
                                                          "currency": "KRW"}
    assert body["compensation_points"] == 5_000 and body["confirmation"] in {"email", "sms"}
    shown = agent.get(f"/api/cases/{case.case_id}").json()
    assert shown["choice"] == "cancel_with_compensation"
    assert shown["difference"] == {"amount_minor": 0, "currency": "KRW"}
    again = agent.post(url, json={"channel": "phone", "evidence": "again"}).json()
    # a retry books nothing and says the points booked the first time (was 0: 2026-12-05)
    assert again["changed"] is False and again["compensation_points"] == 5_000
    paid = agent.post(f"/api/cases/{case.case_id}/difference-paid", json={"note": "receipt 1"})
    assert paid.status_code == 409 and paid.json()["details"]["reason"] == "cancelled_instead"


def test_the_api_refuses_once_the_difference_is_paid(
        client_for, world: World, session_factory: sessionmaker[Session],  # type: ignore[no-untyped-def]
        page_settings: Settings) -> None:
    agent = client_for("agent")
    case = _discounted(world, session_factory, page_settings)
    assert agent.post(f"/api/cases/{case.case_id}/difference-paid",
                      json={"note": "receipt 42"}).status_code == 200
    refused = agent.post(f"/api/cases/{case.case_id}/cancel-instead",
                         json={"channel": "phone", "evidence": "취소해 주세요"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["details"]["reason"] == "difference_already_paid"
    assert agent.get(f"/api/cases/{case.case_id}").json()["choice"] == OPTIONS[2]


def test_the_agent_cancels_instead_on_the_case_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discounted(world, session_factory, page_settings)
    log_in(client, "agent")
    page = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    url = f"/cs/cases/{case.case_id}/cancel-instead"
    assert f'action="{url}"' in page
    assert ("the order is cancelled and the 39,800 KRW they paid is refunded in full, and 5,000 "
            "points of compensation are given") in page
    assert "One exception: a customer who has not paid the difference may cancel instead" in page
    # the script read to the customer offers it too, in their language (Korean)
    assert ("차액을 내지 않으시려면 대신 주문을 취소하실 수도 있습니다. 그러면 결제하신 39,800원은 전액 "
            "환불해 드리고 사과의 뜻으로 5,000포인트를 드립니다.") in page
    blank = client.post(url, data={"csrf_token": csrf_of(page), "evidence": "  ",
                                   "channel": "phone", "back": "case"})
    assert blank.status_code == 422
    refused = unescape(blank.text)
    assert f'id="instead-problem-{case.case_id}"' in refused
    assert f'aria-describedby="instead-problem-{case.case_id}"' in refused
    first = client.post(f"{url}?lang=en", data={"csrf_token": csrf_of(page), "channel": "phone",
                                               "evidence": "차액은 부담돼서 취소할게요"})
    assert first.status_code == 200  # the confirm step: nothing recorded yet
    step = unescape(first.text)
    assert 'id="confirm-instead"' in step and "the 39,800 KRW they paid, in full" in step
    assert "5,000 points" in step and "It cannot be undone." in step
    # the read-back (in the customer's Korean) says when the refund arrives, as their mail will
    timing = client.app.state.desk_policy.contact.refund_timing_ko  # type: ignore[attr-defined]
    read_back = re.search(r"<p data-read-back>(.*?)</p>", step, re.DOTALL)
    assert read_back and timing in read_back.group(1), step
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.cases.get(case.case_id).case.consent.choice.value == OPTIONS[2]
    done = client.post(url, data={"csrf_token": csrf_of(step), "channel": "phone",
                                  "evidence": "차액은 부담돼서 취소할게요", "confirmed": "yes"})
    assert done.status_code == 303 and done.headers["location"] == f"/cs/cases/{case.case_id}"
    after = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "cancelled instead of paying the difference; the 39,800 KRW paid is refunded" in after
    assert 'data-choice="cancel_with_compensation"' in after
    assert timing in after  # the script of a later call: the refund's timing too
    assert f'action="{url}"' not in after and "difference unpaid" not in after
    again = client.post(url, data={"csrf_token": csrf_of(page), "channel": "phone",
                                   "evidence": "again", "confirmed": "yes"})
    assert again.status_code == 303
    shown = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "already cancelled instead of paying; nothing was changed" in shown

    client.cookies.clear()
    log_in(client, "admin")
    timeline = unescape(client.get(f"/ops/incidents/{case.incident_id}/timeline?lang=en").text)
    assert "cancelled instead of paying the difference (customer's consent)" in timeline
    assert "39,800 KRW" in timeline


def test_without_a_cancellation_in_the_plan_the_agent_has_no_such_form(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=2),
                                  options=["keep", OPTIONS[2]], discount_pct=20)
    case.clock.now = datetime.now(UTC) - timedelta(hours=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, choice=OPTIONS[2], channel="web",
                             evidence="pressed buy at the discount", taken_by="customer",
                             policy=POLICY)
    log_in(client, "agent")
    page = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "difference unpaid" in page and "/cancel-instead" not in page
    assert "One exception" not in page


def test_the_customer_cancels_instead_on_their_page_in_two_presses(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discounted(world, session_factory, page_settings)
    page = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert 'id="cancel-instead"' in page
    assert ("You may also cancel your order instead of paying the difference: as if you had "
            "chosen to cancel in the first place, the 39,800 KRW you paid is refunded in full "
            "and 5,000 points of compensation are yours.") in page
    assert "Until the difference is paid, the one change you can still make is the cancellation" in page
    assert "A confirmed choice cannot be changed or undone" not in page
    korean = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    assert "결제하신 39,800원을 전액 환불해 드립니다. 사과의 뜻으로 5,000포인트도 드립니다." in korean
    url = f"/c/{case.token}/cancel-instead?lang=en"
    first = client.post(url, data={"csrf_token": csrf_of(page)}, follow_redirects=True)
    assert first.status_code == 200  # the confirm step, at an address of its own
    step = unescape(first.text)
    assert 'id="confirm-instead"' in step and "the 39,800 KRW you paid, in full" in step
    assert "5,000 points" in step
    with SqlAlchemyUnitOfWork(session_factory) as u:  # the first press changed nothing
        assert u.cases.get(case.case_id).case.consent.choice.value == OPTIONS[2]
    assert client.get(f"/c/{case.token}/cancel-instead").status_code in (200, 303)
    done = client.post(url, data={"csrf_token": csrf_of(step), "confirmed": "yes"})
    assert done.status_code == 303
    after = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "Your order is cancelled; what you paid is refunded in full." in after
    assert 'id="confirmation-sent"' in after  # the cancellation's confirmation
    assert 'id="cancel-instead"' not in after
    with SqlAlchemyUnitOfWork(session_factory) as u:
        row = u.cases.get(case.case_id)
        entry = [r.event for r in u.audit.for_entity("case", str(case.case_id))
                 if r.event.action == "case.cancelled_instead"]
        # the words on the case; on the audit log a digest of them (``recorded_texts``)
        said = text_matches(u, row.case.consent.evidence, entry[0].after, "evidence")
    assert row.case.consent.choice.value == "cancel_with_compensation"
    assert row.case.consent.taken_by == "customer" and row.case.consent.channel.value == "web"
    assert len(entry) == 1 and "confirmed" in row.case.consent.evidence
    assert said is TextVerdict.MATCHES
    again = client.post(url, data={"csrf_token": csrf_of(step), "confirmed": "yes"})
    assert again.status_code == 303
    shown = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "Your order is already cancelled; nothing has changed." in shown


def test_after_the_payment_the_customer_is_not_offered_it_and_a_sent_form_is_refused(
        client: TestClient, client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session], page_settings: Settings) -> None:
    case = _discounted(world, session_factory, page_settings)
    page = client.get(f"/c/{case.token}?lang=en").text
    assert client_for("agent").post(f"/api/cases/{case.case_id}/difference-paid",
                                    json={"note": "receipt 42"}).status_code == 200
    shown = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert 'id="cancel-instead"' not in shown
    refused = client.post(f"/c/{case.token}/cancel-instead?lang=en",
                          data={"csrf_token": csrf_of(page), "confirmed": "yes"})
    assert refused.status_code == 409  # why, as the desk says it
    assert ("The difference has already been paid and the items are being sent; cancelling "
            "now is a return") in unescape(refused.text)
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.cases.get(case.case_id).case.consent.choice.value == OPTIONS[2]
