"""Before the apologies go, the operator's incident page shows them as a real customer of the
incident gets them — the email (subject and body) and the text, in Korean and, when a customer
reads English, in English — rendered by the notify step's own code, the customer's address and
number masked; the send button says how many customers and messages it sends, and sends only
with the box "I have read the messages above" ticked (checked by the server too: without it,
or with a plan changed since the page was drawn, nothing is queued)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in, previewed_plan
from speaker_plan import outbox_rows, planned_speaker, queued_apologies
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, POLICY, World

from sagwa.domain.masking import mask_case_link as mask_links
from sagwa.domain.money import Money
from sagwa.services import desk
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

_ARTICLE = re.compile(r'<article class="message" data-lang="(\w+)" data-case-id="(\d+)" '
                      r'data-channel="(\w+)">(.*?)</article>', re.DOTALL)
_LINK = re.compile(r"/c/[A-Za-z0-9_.-]+")


def _part(pattern: str, html: str) -> str:
    found = re.search(pattern, html, re.DOTALL)
    return unescape(found.group(1)) if found else ""


def _shown(page: str) -> dict[tuple[str, int, str], tuple[str, str, str]]:
    """(language, case id, channel) -> (recipient, subject, body) of the previewed messages."""
    return {(lang, int(case), channel): (_part(r'<span class="recipient">([^<]*)</span>', inner),
                                         _part(r'<p class="subject"[^>]*>([^<]*)</p>', inner),
                                         _part(r'<pre class="message-body"[^>]*>([^<]*)</pre>',
                                               inner))
            for lang, case, channel, inner in _ARTICLE.findall(page)}


def _link_masked(body: str) -> str:
    """A queued body as the preview shows it: the case link's token masked."""
    return _LINK.sub(lambda m: mask_links(m.group()), body)


def test_the_preview_is_what_notifying_queues_for_that_customer(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    shown = _shown(page)
    assert {(lang, channel) for lang, _case, channel in shown} == {
        ("ko", "email"), ("ko", "sms"), ("en", "email"), ("en", "sms")}
    # one customer per language: the Korean one first
    assert [lang for lang, _c, _ch in shown][:2] == ["ko", "ko"]
    assert len({case for lang, case, _ch in shown if lang == "ko"}) == 1
    assert "고객 3명에게 사과 메시지 6건을 보냅니다" in unescape(page)
    # the operator sees the text, not the customer's address or number in full
    for number in ("0@example.com", "010-1234-0000", "2@example.com", "010-1234-0002"):
        assert number not in page
    recipients = {to for to, _s, _b in shown.values()}
    assert {"0****@example.com", "010-****-0000", "2****@example.com",
            "010-****-0002"} & recipients == recipients
    sent = client.post(f"/ops/incidents/{incident}/notify",
                       data={"csrf_token": csrf_of(page), "confirmed": "yes",
                             "plan_version": previewed_plan(page)})
    assert sent.status_code == 303, sent.text
    queued = queued_apologies(session_factory, incident)
    assert len(queued) == 6
    for (lang, case, channel), (_to, subject, body) in shown.items():
        queued_subject, queued_body = queued[(case, channel)]
        assert subject == queued_subject, (lang, channel)
        assert body == _link_masked(queued_body), (lang, channel)
        assert "…[masked]" in body and body != queued_body  # the link is the customer's key
    assert 'id="apology-preview"' not in client.get(f"/ops/incidents/{incident}").text


def test_the_english_page_says_the_same_counts_and_asks_the_same_confirmation(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = unescape(client.get(f"/ops/incidents/{incident}?lang=en").text)
    button = re.search(r'<button[^>]*id="action-notify"[^>]*>([^<]*)</button>', page)
    assert button and button.group(1) == "Send 6 apology messages to 3 customers"
    box = re.search(r'<input type="checkbox" name="confirmed" value="yes"[^>]*>([^<]*)</label>',
                    page)
    assert box and "required" in box.group(0)
    assert box.group(1).strip() == "I have read the messages above"
    korean = unescape(client.get(f"/ops/incidents/{incident}?lang=ko").text)
    assert "위 내용을 확인했습니다" in korean


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "위 메시지를 확인했다는 칸에 체크해야 보낼 수 있습니다. 아무것도 보내지 않았습니다."),
    ("en", ("Tick the box saying you have read the messages above to send them; nothing was "
            "sent."))])
def test_sending_without_the_confirmation_is_refused_and_queues_nothing(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str, said: str) -> None:
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    before = outbox_rows(session_factory)
    refused = client.post(f"/ops/incidents/{incident}/notify?lang={lang}",
                          data={"csrf_token": csrf_of(page), "plan_version": previewed_plan(page)})
    assert refused.status_code == 303
    shown = unescape(client.get(f"{refused.headers['location']}?lang={lang}").text)
    flash = re.search(r'<p class="flash warn" role="status"[^>]*>(.*?)</p>', shown)
    assert flash and flash.group(1) == said
    assert outbox_rows(session_factory) == before
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.incidents.get(incident).incident.status.value == "planned"
    assert 'id="apology-preview"' in shown


def test_a_plan_changed_since_the_preview_was_read_is_not_sent(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    with SqlAlchemyUnitOfWork(session_factory) as u:
        plan = u.incidents.plan(incident, u.incidents.get(incident).incident.correct_price)
    desk.plan(SqlAlchemyUnitOfWork(session_factory), incident_id=incident,
              options=["keep", "cancel_with_compensation"], deadline=plan.deadline,
              default="keep", seller_share_pct=100, platform_share_pct=0, actor="admin:test",
              policy=POLICY, cancel_compensation=Money(20_000, "KRW"))
    before = outbox_rows(session_factory)
    refused = client.post(f"/ops/incidents/{incident}/notify",
                          data={"csrf_token": csrf_of(page), "confirmed": "yes",
                                "plan_version": previewed_plan(page)})
    assert refused.status_code == 303
    shown = unescape(client.get(refused.headers["location"]).text)
    assert "방안이 바뀌었습니다" in shown
    assert outbox_rows(session_factory) == before
    assert "20,000포인트" in shown  # the preview now shows the plan as it stands


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_in_chromium_the_button_sends_nothing_until_the_box_is_ticked(page, site) -> None:  # type: ignore[no-untyped-def]
    from browsing import login, shot

    factory = site.database.session_factory
    incident = planned_speaker(factory, site.world)
    login(page, "admin", PASSWORD)
    page.wait_for_url("**/ops/incidents")
    page.goto(f"/ops/incidents/{incident}")
    page.locator("#apology-preview article.message").first.wait_for()
    shot(page, "incident-apology-preview")
    before = outbox_rows(factory)
    page.click("#action-notify")  # the browser holds the form back: the box is required
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('#notify-confirmed').validity.valueMissing")
    assert outbox_rows(factory) == before
    page.check("#notify-confirmed")
    page.click("#action-notify")
    page.wait_for_selector(".flash")
    assert page.get_attribute("#incident-status", "data-status") == "notifying"
    assert len(queued_apologies(factory, incident)) == 6


def test_a_confirmation_without_the_previewed_plan_is_refused_and_queues_nothing(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A page cached from before the preview, or a hand-made post, names no plan: nothing
    tells which messages were read, so nothing goes (a reviewer's finding)."""
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    before = outbox_rows(session_factory)
    refused = client.post(f"/ops/incidents/{incident}/notify",
                          data={"csrf_token": csrf_of(page), "confirmed": "yes"})
    assert refused.status_code == 303
    assert "방안이 바뀌었습니다" in unescape(client.get(refused.headers["location"]).text)
    assert outbox_rows(session_factory) == before


def test_notify_checks_the_previewed_plan_under_the_incidents_lock(
        world: World, session_factory: sessionmaker[Session]) -> None:
    """The page's own check runs before notify's transaction: a plan saved in between is
    refused by notify itself (409 plan_changed), holding the incident's lock."""
    from sagwa.errors import Conflict
    from sagwa.services.desk_notify import notify

    incident = planned_speaker(session_factory, world)
    before = outbox_rows(session_factory)
    with pytest.raises(Conflict) as refused:
        notify(SqlAlchemyUnitOfWork(session_factory), incident_id=incident, actor="admin:test",
               policy=POLICY, links=lambda case_id: f"http://127.0.0.1/c/{case_id}",
               previewed_plan="0123456789abcdef")
    assert refused.value.details["reason"] == "plan_changed"
    assert outbox_rows(session_factory) == before
