"""A customer who read their confirm step before the answer deadline and pressed "confirm" just
after it is not refused for reading (``domain.consent.CONFIRM_GRACE``, the step's signed stamp:
``web.pages.confirm_shown``): within ten minutes of the step being shown, the choice counts as
made when it was shown. A step shown after the deadline, a stamp of another choice or a forged
one, or a confirm long after the step, is judged by when it came, as before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from customer_cases import NotifiedCase, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.domain.money import Money
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e
CANCEL = "cancel_with_compensation"


@pytest.fixture
def at_deadline(database: Database, session_factory: sessionmaker[Session],
                page_settings: Settings,
                world: World) -> Iterator[tuple[TestClient, ManualClock, NotifiedCase]]:
    """김민준's case (keep by default, late choices not taken) and a client of an app whose
    clock stands two minutes before its deadline."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=4),
                                  options=["keep", CANCEL],
                                  cancel_compensation=Money(5_000, "KRW"))
    clock = ManualClock(case.deadline - timedelta(minutes=2))
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(page_settings, database=db, clock=clock),
                    follow_redirects=False) as client:
        yield client, clock, case


def _step(client: TestClient, case: NotifiedCase, choice: str = CANCEL) -> tuple[str, str]:
    """The confirm step of ``choice``: its CSRF token and its stamp."""
    page = client.get(f"/c/{case.token}/confirm?choice={choice}&lang=ko").text
    [shown] = re.findall(r'name="shown" value="([^"]+)"', page)
    return csrf_of(page), shown


def _confirm(client: TestClient, case: NotifiedCase, csrf: str, shown: str,
             choice: str = CANCEL) -> str:
    answer = client.post(f"/c/{case.token}/choose?lang=ko", data={
        "csrf_token": csrf, "choice": choice, "confirmed": "yes", "shown": shown})
    if answer.status_code == 303:
        return "recorded"
    assert answer.status_code in (200, 409, 422), answer.text
    return answer.text


def _choice(session_factory: sessionmaker[Session], case: NotifiedCase) -> str | None:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        consent = u.cases.get(case.case_id).case.consent
        return consent.choice.value if consent else None


def test_a_confirm_pressed_minutes_after_the_deadline_counts_when_the_step_was_read(
        at_deadline, session_factory: sessionmaker[Session]) -> None:
    client, clock, case = at_deadline
    csrf, shown = _step(client, case)
    clock.now = case.deadline + timedelta(minutes=3)
    assert _confirm(client, case, csrf, shown) == "recorded"
    assert _choice(session_factory, case) == CANCEL
    with SqlAlchemyUnitOfWork(session_factory) as u:
        [recorded] = [r.event.after for r in u.audit.for_entity("case", str(case.case_id))
                      if r.event.action == "case.choice_recorded"]
    assert recorded["confirm_shown_at"] == (case.deadline - timedelta(minutes=2)).astimezone(
        UTC).isoformat()


@pytest.mark.parametrize("why", ["forged", "other_choice", "no_stamp", "too_late"])
def test_without_the_steps_own_stamp_or_long_after_it_a_late_confirm_is_refused(
        at_deadline, session_factory: sessionmaker[Session], why: str) -> None:
    client, clock, case = at_deadline
    csrf, shown = _step(client, case)
    if why == "forged":  # an earlier moment written into a stamp signed for another
        shown = shown.replace(shown.split(":")[2][:10], str(int(shown.split(":")[2][:10]) - 60))
    elif why == "other_choice":
        shown = _step(client, case, "keep")[1]
    elif why == "no_stamp":
        shown = ""
    clock.now = case.deadline + (timedelta(minutes=13) if why == "too_late"
                                 else timedelta(minutes=3))
    said = _confirm(client, case, csrf, shown)
    assert said != "recorded"
    assert _choice(session_factory, case) is None


def test_a_step_shown_after_the_deadline_does_not_make_a_choice_count(
        at_deadline, session_factory: sessionmaker[Session]) -> None:
    client, clock, case = at_deadline
    csrf = csrf_of(client.get(f"/c/{case.token}?lang=ko").text)  # the page, read in time
    clock.now = case.deadline + timedelta(seconds=30)
    page = client.get(f"/c/{case.token}/confirm?choice={CANCEL}&lang=ko")
    # once the case takes no choice the step is the case page: there is no step to stamp
    assert page.status_code == 303
    clock.now += timedelta(minutes=1)
    assert _confirm(client, case, csrf, "") != "recorded"
    assert _choice(session_factory, case) is None
