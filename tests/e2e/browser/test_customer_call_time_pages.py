"""In real Chromium: a customer on the call list picks, on their own case page, when the call
suits them (``domain.call_times``). The form offers the contact centre's open hours by day;
saving says the time with its weekday and the page then shows it, kept selected; "as soon as
you can" clears it. The agents' call list marks the case with the picked time and "do not call
before then" and keeps it below a case owed a call now. A time outside the contact hours is
refused beside the select and stores nothing; a customer with a final answer (or none owed a
call) is offered no time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browsing import login, shot, wait_until
from sqlalchemy import select
from world import PASSWORD

from sagwa.adapters.db.tables import cases
from sagwa.domain.moments import SEOUL

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(180)]

KO_DAYS = "월화수목금토일"
CLOSED_HOURS = {
    "ko": "그 시간에는 고객센터가 문을 닫아 전화드릴 수 없습니다. 목록의 운영 시간 중에서 골라 주세요.",
    "en": "Our contact centre is closed then, so nobody could call you; please pick a time from "
          "the list.",
}

UNREADABLE = {
    "ko": "고르신 시간을 알아볼 수 없습니다. 목록에서 다시 골라 주세요.",
    "en": "We could not read that time; please pick one from the list again.",
}


def _spoken(at: datetime, lang: str) -> str:
    """The time as the customer reads it, worked out here (not by the code under test):
    ``12월 7일(월) 오전 10시`` / ``Monday, December 7 at 10 am Korea time`` (slots are on the
    hour)."""
    local = at.astimezone(SEOUL)
    assert local.minute == 0
    hour12 = local.hour % 12 or 12
    if lang == "ko":
        half = "오전" if local.hour < 12 else "오후"
        return f"{local.month}월 {local.day}일({KO_DAYS[local.weekday()]}) {half} {hour12}시"
    half = "am" if local.hour < 12 else "pm"
    return f"{local:%A, %B} {local.day} at {hour12} {half} Korea time"


def _stored_call_at(site, case_id: int) -> datetime | None:  # type: ignore[no-untyped-def]
    with site.database.session_factory() as session:
        return session.execute(select(cases.c.call_at).where(  # type: ignore[no-any-return]
            cases.c.id == case_id)).scalar_one()


def _customer(browser, site, width: int = 390):  # type: ignore[no-untyped-def]
    """A customer's phone: its own browser context (no staff session)."""
    context = browser.new_context(base_url=site.base_url, viewport={"width": width, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _offered(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The select's offered values, by day (optgroup)."""
    return page.evaluate("""() => [...document.querySelectorAll('#call-at optgroup')]
        .map(g => [...g.querySelectorAll('option')].map(o => o.value))""")


def _a_later_day_slot(page) -> datetime:  # type: ignore[no-untyped-def]
    """An offered time on the second open day (the first of that day), else the last one."""
    days = _offered(page)
    assert days and all(days), days
    value = days[1][0] if len(days) > 1 else days[0][-1]
    return datetime.fromisoformat(value)


def _save(page, value: str):  # type: ignore[no-untyped-def]
    """Select ``value`` in the form and send it; the response of the post."""
    page.select_option("#call-at", value)
    with page.expect_navigation(), page.expect_response(
            lambda r: r.url.split("?")[0].endswith("/call-time")
            and r.request.method == "POST") as posted:
        page.click("#call-time-save")
    page.wait_for_load_state()
    return posted.value


def _flash(page) -> str:  # type: ignore[no-untyped-def]
    flash = page.locator(".flash")
    flash.wait_for()
    return flash.inner_text()  # type: ignore[no-any-return]


def _ask_for_a_person(page, token: str) -> None:  # type: ignore[no-untyped-def]
    """The customer presses "talk to a person" on their page (taken at once, no confirm)."""
    page.goto(f"/c/{token}")
    page.click("#choose-talk_to_person")
    page.locator("#call-time").wait_for()


def _queue_order(page) -> list[int]:  # type: ignore[no-untyped-def]
    ids = page.locator("article.card[id^=case-]").evaluate_all(
        "cards => cards.map(c => c.id)")
    return [int(i.removeprefix("case-")) for i in ids]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_customer_picks_a_time_sees_it_and_clears_it(
        browser, site, lang: str) -> None:  # type: ignore[no-untyped-def]
    case_id, token = site.world.cases["이서연"], site.world.tokens["이서연"]  # asked for a person
    context, page = _customer(browser, site)
    page.goto(f"/c/{token}?lang={lang}")
    form = page.locator("#call-time")
    assert form.is_visible()
    assert page.locator("#call-time-picked").count() == 0
    # already waiting for the call: asking for one again is not offered, the other options are
    assert page.locator("#choose-talk_to_person").count() == 0
    assert page.locator("#choose-keep").count() == 1
    assert page.input_value("#call-at") == ""  # "as soon as you can" to start with
    first_option = page.locator("#call-at option").first
    assert first_option.inner_text() == ("가능한 한 빨리" if lang == "ko" else "As soon as you can")
    days = _offered(page)
    now = datetime.now(UTC)
    for values in days:
        for value in values:
            at = datetime.fromisoformat(value)
            assert at.utcoffset() == timedelta(hours=9), value  # Korea time, offset said
            assert now + timedelta(minutes=29) < at < now + timedelta(days=8), value
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"customer-call-time-form-{lang}")

    at = _a_later_day_slot(page)
    label = page.locator(f"#call-at option[value='{at.isoformat()}']").inner_text()
    local = at.astimezone(SEOUL)
    weekday = KO_DAYS[local.weekday()] if lang == "ko" else f"{local:%A}"
    assert weekday in label, label
    answer = _save(page, at.isoformat())
    assert answer.status == 303, answer.status
    flash = _flash(page)
    spoken = _spoken(at, lang)
    if lang == "ko":
        assert flash.startswith(f"{spoken}(한국 시간)에 전화드리겠습니다."), flash
    else:
        assert flash.startswith(f"We will call you on {spoken}."), flash
    picked = page.locator("#call-time-picked")
    assert spoken in picked.inner_text()
    assert _stored_call_at(site, case_id) == at
    said = page.locator("#case-outcome, main").first.inner_text()
    assert (f"고르신 시간인 {spoken}(한국 시간)에 상담원이 전화드리겠습니다" if lang == "ko" else
            f"one of our staff will call you at the time you picked: {spoken}") in said
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"customer-call-time-picked-{lang}")

    again = _save(page, at.isoformat())  # the same time again: nothing changes
    assert again.status == 303
    assert _flash(page).startswith("이미 그렇게 요청하셨습니다" if lang == "ko"
                                   else "That is what you asked for already")

    cleared = _save(page, "")
    assert cleared.status == 303
    flash = _flash(page)
    assert flash.startswith("시간을 지웠습니다." if lang == "ko" else "Time cleared"), flash
    assert page.locator("#call-time-picked").count() == 0
    assert page.input_value("#call-at") == ""
    assert _stored_call_at(site, case_id) is None
    context.close()


def test_the_picked_time_stays_selected_and_pressing_again_keeps_it(
        browser, site) -> None:  # type: ignore[no-untyped-def]
    case_id, token = site.world.cases["이서연"], site.world.tokens["이서연"]
    context, page = _customer(browser, site)
    page.goto(f"/c/{token}?lang=en")
    at = _a_later_day_slot(page)
    assert _save(page, at.isoformat()).status == 303
    assert page.locator("#call-time-picked").count() == 1
    assert page.input_value("#call-at") == at.isoformat(), (
        page.get_attribute("#call-time", "data-picked"))  # kept selected
    with page.expect_navigation():
        page.click("#call-time-save")  # pressed again as it stands, nothing touched
    assert _stored_call_at(site, case_id) == at
    context.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_call_list_shows_the_picked_time_and_keeps_the_case_below_until_then(
        browser, page, site, lang: str) -> None:  # type: ignore[no-untyped-def]
    world = site.world
    context, customer = _customer(browser, site)
    _ask_for_a_person(customer, world.tokens["김민준"])  # now two cases are owed a call
    owed = {world.cases["김민준"], world.cases["이서연"]}
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    page.goto(f"/cs/queue?lang={lang}")
    before = [c for c in _queue_order(page) if c in owed]
    assert len(before) == 2, before
    picker, other = before  # the one the list calls first picks a time later on
    assert page.locator(f"#case-{picker} [data-call-time-picked]").count() == 0
    name = next(n for n, c in world.cases.items() if c == picker)

    customer.goto(f"/c/{world.tokens[name]}?lang={lang}")
    at = _a_later_day_slot(customer)
    assert _save(customer, at.isoformat()).status == 303
    assert _stored_call_at(site, picker) == at
    context.close()

    page.goto(f"/cs/queue?lang={lang}")
    after = _queue_order(page)
    assert after.index(other) < after.index(picker), after  # below until the time
    assert after[-1] == picker, after
    card = page.locator(f"#case-{picker}")
    badge = card.locator("[data-callback-requested] [data-call-time-picked]")
    assert badge.get_attribute("data-callback-at") is not None
    assert datetime.fromisoformat(badge.get_attribute("data-callback-at") or "") == at
    spoken = _spoken(at, lang)
    if lang == "ko":
        assert badge.inner_text() == f"고객이 자기 페이지에서 통화 시간으로 {spoken}(한국 시간)를 고름."  # 시 → 를
        assert card.locator("[data-callback-waits]").inner_text() == "그 시간 전에는 전화하지 마세요."
    else:
        assert badge.inner_text() == f"customer picked {spoken} on their page for the call."
        assert card.locator("[data-callback-waits]").inner_text() == "Do not call before then."
    assert card.locator("[data-callback-due]").count() == 0
    assert page.locator(f"#case-{other} [data-call-time-picked]").count() == 0
    shot(page, f"cs-queue-call-time-picked-{lang}")

    page.goto(f"/cs/cases/{picker}?lang={lang}")
    on_case = page.locator(f"#case-{picker} [data-call-time-picked]")
    assert spoken in on_case.inner_text()
    assert page.locator(f"#case-{picker} [data-callback-waits]").count() == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_time_when_the_centre_is_closed_is_refused_and_nothing_is_kept(
        browser, site, lang: str) -> None:  # type: ignore[no-untyped-def]
    case_id, token = site.world.cases["이서연"], site.world.tokens["이서연"]
    context, page = _customer(browser, site)
    page.goto(f"/c/{token}?lang={lang}")
    night = (datetime.now(SEOUL) + timedelta(days=1)).replace(hour=3, minute=0, second=0,
                                                               microsecond=0)
    # the page offers no such time: change an offered one's value as a forged form would
    page.evaluate("""(night) => {
        const option = document.querySelector('#call-at optgroup option');
        option.value = night;
    }""", night.isoformat())
    answer = _save(page, night.isoformat())
    assert answer.status == 422, answer.status
    problem = page.locator("#call-time-problem")
    assert problem.inner_text() == CLOSED_HOURS[lang]
    select_ = page.locator("#call-at")
    assert select_.get_attribute("aria-invalid") == "true"
    assert select_.get_attribute("aria-describedby") == "call-time-problem"
    assert page.locator("#problem").count() == 0  # said beside the select, not twice
    assert page.locator("#call-time-picked").count() == 0
    assert page.input_value("#call-at") == ""
    assert _stored_call_at(site, case_id) is None
    # on a phone the answer brings the customer to the sentence (it is far down the page) and
    # stands at the case page's own address: a reload posts nothing
    wait_until(page, "document.activeElement && "
                     "document.activeElement.id === 'call-time-problem'")
    box = page.evaluate("""() => {
        const r = document.getElementById('call-time-problem').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: window.innerHeight};
    }""")
    assert 0 <= box["top"] and box["bottom"] <= box["height"], box
    assert page.url.split("?")[0].endswith(f"/c/{token}"), page.url
    shot(page, f"customer-call-time-refused-{lang}")

    page.evaluate("""() => {
        document.querySelector('#call-at optgroup option').value = 'next Monday morning';
    }""")
    unread = _save(page, "next Monday morning")  # not a time at all
    assert unread.status == 422, unread.status
    assert page.locator("#call-time-problem").inner_text() == UNREADABLE[lang]
    assert page.locator("#call-at").get_attribute("aria-invalid") == "true"
    assert _stored_call_at(site, case_id) is None

    page.goto(f"/c/{token}/call-time?lang={lang}")  # the form's address opened: the page
    assert page.url.split("?")[0].endswith(f"/c/{token}"), page.url
    page.goto(f"/c/{token}?lang={lang}")  # opened again: the refusal is gone, nothing kept
    assert page.locator("#call-time-problem").count() == 0
    assert page.locator("#call-at").get_attribute("aria-invalid") is None
    assert page.locator("#call-time-picked").count() == 0
    context.close()


def test_no_time_is_offered_without_a_call_owed(browser, site) -> None:  # type: ignore[no-untyped-def]
    world = site.world
    context, page = _customer(browser, site)
    page.goto(f"/c/{world.tokens['김민준']}")  # told, has not answered: no call owed
    page.locator("#choose-keep").wait_for()
    assert page.locator("#call-time").count() == 0

    case_id, token = world.cases["이서연"], world.tokens["이서연"]
    page.goto(f"/c/{token}")
    at = _a_later_day_slot(page)
    assert _save(page, at.isoformat()).status == 303
    assert _stored_call_at(site, case_id) == at
    page.click("#choose-keep")  # she decides herself after all: a final answer
    page.locator("#confirm-step").wait_for()
    page.click("#confirm-choice")
    page.locator("#confirmation").wait_for()
    assert page.locator("#case-outcome").is_visible()
    assert page.locator("#call-time").count() == 0
    assert page.locator("#call-at").count() == 0
    assert _stored_call_at(site, case_id) is None  # the picked time went with the call
    page.goto(f"/c/{token}?lang=en")
    assert page.locator("#call-time").count() == 0
    shot(page, "customer-call-time-after-keep")
    context.close()


def test_a_time_named_on_a_call_is_said_on_the_page(browser, page, site) -> None:  # type: ignore[no-untyped-def]
    """A customer who asked on a call to be called back at a time sees that time on their page
    (not "unless you pick a time, as soon as we can"), selected, so that saving keeps it; and
    may pick another."""
    from world import POLICY

    from sagwa.services import desk_cases
    from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

    case_id, token = site.world.cases["이서연"], site.world.tokens["이서연"]
    named = (datetime.now(UTC) + timedelta(days=2)).astimezone(SEOUL).replace(
        hour=15, minute=0, second=0, microsecond=0)
    desk_cases.log_call_attempt(
        SqlAlchemyUnitOfWork(site.database.session_factory, ManualClock(datetime.now(UTC))),
        case_id=case_id, channel="phone", outcome="callback_requested", agent="agent:park",
        policy=POLICY, callback_at=named)
    staff = page  # the fixture's page, for the agent
    context, page = _customer(browser, site)
    page.goto(f"/c/{token}?lang=en")
    said = page.locator("#call-time-named").inner_text()
    assert said.startswith("We will call you back on ") and "at 3 pm Korea time" in said, said
    assert page.locator("#call-time-picked").count() == 0
    page.goto(f"/c/{token}?lang=ko")
    assert "오후 3시(한국 시간)에 다시 전화드리겠습니다" in page.locator("#call-time-named").inner_text()
    # found by QA: the select started on "as soon as you can", so saving the form as it stood
    # cleared the time agreed with the agent; it starts on that time, and keeps it
    assert page.input_value("#call-at") == named.isoformat()
    label = page.locator(f"#call-at option[value='{named.isoformat()}']").inner_text()
    assert label.endswith("오후 3시 (통화 중에 말씀하신 시간)"), label
    with page.expect_navigation():
        page.click("#call-time-save")  # pressed as it stands, nothing touched
    assert page.locator(".flash").inner_text().startswith("이미 그렇게 요청하셨습니다")
    assert "오후 3시(한국 시간)에 다시 전화드리겠습니다" in page.locator("#call-time-named").inner_text()
    assert _stored_call_at(site, case_id) is None  # still the agent's call-back: nothing written
    page.select_option("#call-at", "")
    with page.expect_navigation():  # "as soon as you can" outranks the time named on the call
        page.click("#call-time-save")
    assert page.locator(".flash").inner_text().startswith("시간을 지웠습니다.")
    assert page.locator("#call-time-named").count() == 0
    assert page.locator("#call-time-picked").count() == 0
    context.close()
    # the agent's card says what the customer asked for last, not the old call-back
    agent = staff
    login(agent, "agent", PASSWORD)
    agent.wait_for_url("**/cs/queue")
    agent.goto(f"/cs/cases/{case_id}?lang=en")
    said = agent.locator("[data-call-soon-on-page]").inner_text()
    assert said == "customer asked on their page to be called as soon as we can", said
    assert agent.locator("[data-callback-requested]").count() == 0
