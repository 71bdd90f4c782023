"""The seller's incident page: each of their orders at the wrong price with what to do with it —
hold while the customer chooses or asked for a call, send once kept, do not send once cancelled
— and the compensation points charged to them from the ledger. It never shows a customer's name
or contact; another seller gets the same 404 as a missing incident, and their list does not
name it."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _instructions(page: str) -> dict[int, str]:
    rows = page.split('id="seller-orders"')[1].split("</table>")[0].split("<tr data-order=")[1:]
    return {int(r.split('"')[1]): r.split('data-instruction="')[1].split('"')[0] for r in rows}


def _order_of(session_factory: sessionmaker[Session], world: World, name: str) -> int:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        row = u.cases.get(world.cases[name])
    return next(int(o.order_id) for o in row.case.orders if int(o.listing_id) == world.macbook_b)


def test_the_seller_sees_what_to_do_with_each_order_and_the_points_charged(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_b")
    listed = client.get("/seller/incidents").text
    assert f'data-incident="{world.incident}"' in listed
    assert '<a href="/seller/incidents">가격 오류 사고</a>' in client.get("/seller").text  # the nav
    url = f"/seller/incidents/{world.incident}"
    page = html.unescape(client.get(url).text)
    minjun, seoyeon, alex = (_order_of(session_factory, world, n)
                             for n in ("김민준", "이서연", "Alex Kim"))
    assert _instructions(page) == {minjun: "hold_choice", seoyeon: "hold_call",
                                   alex: "hold_choice"}
    assert "보류는 취소가 아닙니다" in page and "지금까지 내게 부과된 보상 0포인트" in page
    assert "보상 분담: 내 부담 60%, 플랫폼 부담 40%" in page and "판매자 60%" not in page
    for name in ("김민준", "이서연", "Alex Kim", "@example.com", "010-1234"):
        assert name not in page  # the platform talks to the customers, not the seller

    uow = lambda: SqlAlchemyUnitOfWork(session_factory)
    for name, choice in (("김민준", "keep"), ("Alex Kim", "cancel_with_compensation")):
        desk_cases.record_choice(uow(), case_id=world.cases[name], choice=choice, channel="web",
                                 evidence="clicked", taken_by="customer", policy=POLICY)
    english = html.unescape(client.get(url + "?lang=en").text)
    assert _instructions(english) == {minjun: "send", seoyeon: "hold_call", alex: "do_not_send"}
    row = english.split(f'data-order="{minjun}"')[1].split("</tr>")[0]
    assert 'data-reason="kept"' in row and "the customer kept the order" in row
    counts = english.split('id="instruction-counts"')[1].split("</ul>")[0]
    assert 'Send it</strong>: <a href="?show=send">1 order</a>' in counts
    # a legal review: the customer can still withdraw after delivery (청약철회), so the order is
    # not "unchangeable", and a cancellation's refund is under way, not paid
    assert "nothing can change it" not in counts and "refunded by" not in counts
    assert "this pricing incident will not change it any more" in counts
    assert "can still withdraw from the purchase after delivery" in counts
    korean = html.unescape(client.get(url + "?lang=ko").text).split('id="instruction-counts"')[1]
    assert "더는 바뀌지 않습니다" not in korean and "취소·환불" not in korean
    assert "청약을 철회할 수 있습니다" in korean and "보내지 마세요: 취소됨(환불 진행)" in korean
    assert ('Do not send: cancelled (refund under way)</strong>: <a href="?show=do_not_send">'
            '1 order' in counts)
    # 10,000 points to Alex, 60% of them charged to the seller
    assert "compensation points charged to you so far: 6,000 points" in english
    # the seller's own page speaks to them, not of "sellers"
    assert "compensation on your orders: you pay 60%, the platform 40%" in english
    assert "sellers 60%" not in english
    listing = client.get(f"/seller/listings/{world.macbook_b}").text
    assert f'href="/seller/incidents/{world.incident}"' in listing


def test_another_seller_cannot_see_the_incident(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    assert client.get(f"/seller/incidents/{world.incident}").status_code == 404
    assert f'data-incident="{world.incident}"' not in client.get("/seller/incidents").text
    assert client.get("/seller/incidents/999999").status_code == 404
    client.cookies.clear()
    log_in(client, "agent")  # not a seller: the seller's pages are not theirs
    assert client.get(f"/seller/incidents/{world.incident}").status_code in (403, 404)


def test_the_api_gives_a_seller_their_orders_instructions_and_nobody_elses(
        client_for, world: World, session_factory: sessionmaker[Session]) -> None:  # type: ignore[no-untyped-def]
    seller_b = client_for("seller", seller_id=world.seller_b)
    listed = seller_b.get(f"/api/sellers/{world.seller_b}/incidents")
    assert listed.status_code == 200
    assert {"incident_id": world.incident, "listings": [world.macbook_b]} in listed.json()["incidents"]
    answer = seller_b.get(f"/api/sellers/{world.seller_b}/incidents/{world.incident}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    seoyeon = _order_of(session_factory, world, "이서연")
    assert body["counts"] == {"hold_choice": 2, "hold_call": 1}
    assert {o["order_id"]: o["instruction"] for o in body["orders"]}[seoyeon] == "hold_call"
    assert {o["reason"] for o in body["orders"]} == {None}  # only an order sent says why
    assert (body["status"], body["seller_share_pct"], body["charged_points"]) == ("notifying", 60, 0)
    assert body["listings"] == [world.macbook_b] and "name" not in str(body["orders"])
    # another seller's id is refused; their own list does not name the incident
    assert seller_b.get(f"/api/sellers/{world.seller_a}/incidents").status_code == 403
    seller_a = client_for("seller", seller_id=world.seller_a)
    assert seller_a.get(f"/api/sellers/{world.seller_a}/incidents/{world.incident}").status_code == 404
    assert world.incident not in [i["incident_id"] for i in
                                  seller_a.get(f"/api/sellers/{world.seller_a}/incidents").json()["incidents"]]
    staff = client_for("agent")
    assert staff.get(f"/api/sellers/{world.seller_b}/incidents/{world.incident}").status_code == 200
    assert client_for(None).get(f"/api/sellers/{world.seller_b}/incidents").status_code == 401


def test_a_large_incident_lists_its_orders_a_page_at_a_time_and_by_instruction(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        monkeypatch: pytest.MonkeyPatch, client_for) -> None:  # type: ignore[no-untyped-def]
    """Tens of thousands of orders would make a page of megabytes (a bench measured 735 KiB
    for 2,000): the page lists a page of them, filters by instruction from the counts, and the
    API takes ``limit``/``offset``/``instruction`` with ``total_orders``."""
    from sagwa.web.pages import seller_incidents as pages

    monkeypatch.setattr(pages, "PAGE_ROWS", 2)
    log_in(client, "seller_b")
    url = f"/seller/incidents/{world.incident}"
    first = html.unescape(client.get(url + "?lang=en").text)
    assert len(_instructions(first)) == 2 and "Orders 1–2 of 3" in first and 'rel="next"' in first
    second = html.unescape(client.get(url + "?lang=en&page=2").text)
    assert len(_instructions(second)) == 1 and "Orders 3–3 of 3" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert set(_instructions(first)) | set(_instructions(second)) == {
        _order_of(session_factory, world, n) for n in ("김민준", "이서연", "Alex Kim")}
    calls = html.unescape(client.get(url + "?lang=en&show=hold_call").text)
    assert list(_instructions(calls).values()) == ["hold_call"]
    assert "Showing only 'Hold: our staff will call the customer'" in calls
    none = html.unescape(client.get(url + "?lang=en&show=do_not_send").text)
    assert "No order is 'Do not send: cancelled (refund under way)'." in none
    assert 'id="seller-orders"' not in none and "1–0" not in none
    assert len(_instructions(client.get(url + "?show=" + "x" * 60).text)) == 2  # unknown: all
    assert len(_instructions(client.get(url + "?page=0").text)) == 2  # the first page
    assert len(_instructions(client.get(url + "?page=abc").text)) == 2
    assert len(_instructions(client.get(url + "?page=99").text)) == 1  # the last page

    api = client_for("seller", seller_id=world.seller_b)
    path = f"/api/sellers/{world.seller_b}/incidents/{world.incident}"
    body = api.get(path, params={"limit": 1, "offset": 1}).json()
    assert (len(body["orders"]), body["total_orders"], body["offset"], body["limit"]) == (1, 3, 1, 1)
    held = api.get(path, params={"instruction": "hold_choice"}).json()
    assert held["total_orders"] == 2 and {o["instruction"] for o in held["orders"]} == {"hold_choice"}
    assert held["counts"] == {"hold_choice": 2, "hold_call": 1}  # the counts cover every order
    assert api.get(path, params={"instruction": "ship"}).status_code == 422
    assert api.get(path, params={"limit": 0}).status_code == 422


def test_a_draft_is_held_as_not_asked_and_a_dismissed_one_is_listed_nowhere(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        client_for) -> None:  # type: ignore[no-untyped-def]
    """A review found the API listing a dismissed draft whose page is 404; and the page saying
    'the customer is choosing' before anyone was asked."""
    from test_incident_page_actions import _draft

    from sagwa.services import desk

    draft = _draft(session_factory, world.speaker_a)
    log_in(client, "seller_a")
    page = html.unescape(client.get(f"/seller/incidents/{draft}?lang=en").text)
    assert "An operator is checking whether to declare an incident" in page
    assert 'id="not-scoped"' in page  # no orders before scoping: nothing said about choosing
    api = client_for("seller", seller_id=world.seller_a)
    listed = f"/api/sellers/{world.seller_a}/incidents"
    assert draft in [i["incident_id"] for i in api.get(listed).json()["incidents"]]
    desk.close(SqlAlchemyUnitOfWork(session_factory), incident_id=draft, actor="admin:test",
               reason="정상 주문이었음")
    assert draft not in [i["incident_id"] for i in api.get(listed).json()["incidents"]]
    assert api.get(f"{listed}/{draft}").status_code == 404
    assert f'data-incident="{draft}"' not in client.get("/seller/incidents").text
    assert client.get(f"/seller/incidents/{draft}").status_code == 404


def test_an_order_cut_by_the_keep_limit_says_what_was_ordered_and_cancelled(
        client: TestClient, client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session], page_settings) -> None:
    """A seller walk: 2 ordered, the plan keeps at most 1, the customer kept — the page said
    "#4006 수량 1 … 보내 주세요" while their order system still showed 2, with no word of the
    unit cancelled and refunded. It says 2 → 1 now, and the API the quantity placed."""
    from datetime import UTC, datetime, timedelta

    from customer_cases import notified_two_unit_case

    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2),
                                  options=["keep", "talk_to_person"], keep_max_units=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, choice="keep", channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    log_in(client, "seller_a")
    page = html.unescape(client.get(f"/seller/incidents/{case.incident_id}").text)
    table = page.split('id="seller-orders"')[1].split("</table>")[0]
    assert 'data-placed-quantity="2"' in table and "2 → 1" in table
    assert "1개 취소·환불" in table
    english = html.unescape(client.get(f"/seller/incidents/{case.incident_id}?lang=en").text)
    assert "1 cancelled and refunded" in english
    api = client_for("seller", seller_id=world.seller_a, username="seller_a_api")
    body = api.get(f"/api/sellers/{world.seller_a}/incidents/{case.incident_id}").json()
    assert [(o["quantity"], o["placed_quantity"]) for o in body["orders"]] == [(1, 2)]


def test_an_order_the_seller_was_emailed_to_send_says_when(
        client: TestClient, client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session]) -> None:
    """The emails of orders to send (``seller_ready_notices``): the page marks each order one
    listed, with when, and the API gives ``emailed_at``; orders not emailed have none."""
    from sqlalchemy import update

    from sagwa.adapters.db.tables import sellers
    from sagwa.services.desk_notify import LinkMaker
    from sagwa.services.seller_ready_notices import tell_sellers_ready

    with SqlAlchemyUnitOfWork(session_factory) as u:
        u.conn.execute(update(sellers).where(sellers.c.id == world.seller_b)
                       .values(contact_email="ops@seller-b.example"))
        u.commit()
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory),
                             case_id=world.cases["김민준"], choice="keep", channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    [told] = tell_sellers_ready(lambda: SqlAlchemyUnitOfWork(session_factory), actor="t",
                                policy=POLICY, links=LinkMaker("k" * 32, "http://127.0.0.1"))
    minjun = _order_of(session_factory, world, "김민준")
    assert told.orders == (minjun,)
    log_in(client, "seller_b")
    page = html.unescape(client.get(f"/seller/incidents/{world.incident}").text)
    row = page.split(f'data-order="{minjun}"')[1].split("</tr>")[0]
    assert "data-emailed-at=" in row and "메일로 알림: " in row
    assert page.count("data-emailed-at=") == 1  # the orders still held: not emailed
    api = client_for("seller", seller_id=world.seller_b, username="seller_b_api")
    orders = api.get(f"/api/sellers/{world.seller_b}/incidents/{world.incident}").json()["orders"]
    assert [o["order_id"] for o in orders if o["emailed_at"]] == [minjun]
