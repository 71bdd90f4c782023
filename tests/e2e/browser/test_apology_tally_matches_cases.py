"""The incident page counts where its notified cases' apologies stand in the database
(``OutboxRepository.notified_apology_tally``) — the same counts, and the same first time due,
as :func:`apology_counts` (here: the definition, case by case) gives from every notified case
read with its waiting apologies — told (sent, or reached), waiting for a time ahead, due and not
gone, failed or withdrawn, with one copy sent and one still waiting; a case no longer notified
is not counted. The incident status's waiting apologies are counted there too
(``incident_apologies_waiting``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_statements import notified_incident
from world import World

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.adapters.db.tables import cases, outbox
from sagwa.domain.incidents import CaseStatus
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.apology_states import apology_state, tallied_apology_counts

pytestmark = pytest.mark.e2e


def apology_counts(notified: list[CaseRow], waiting: dict[int, datetime],
                   now: datetime) -> tuple[Counter[str], datetime | None]:
    """How many of the ``notified`` cases are in each :func:`apology_state` (``waiting``: case
    id -> when its apology is due), and when the first of those waiting for their time is: the
    definition, case by case, that the page's tally must agree with."""
    states = {int(r.case.case_id): apology_state(r.case, waiting.get(int(r.case.case_id)), now)
              for r in notified}
    queued = [waiting[i] for i, state in states.items() if state == "apology_queued"]
    return Counter(states.values()), min(queued, default=None)


def _copies(uow: SqlAlchemyUnitOfWork, incident: int) -> dict[int, list[int]]:
    """Case id -> its apology's copies in the outbox (an email and a text each), by id."""
    copies: dict[int, list[int]] = defaultdict(list)
    for message_id, case_id in uow.conn.execute(
            select(outbox.c.id, outbox.c.case_id).where(outbox.c.incident_id == incident,
                                                        outbox.c.purpose == "resolution")
            .order_by(outbox.c.id)):
        copies[int(case_id)].append(int(message_id))
    return copies


def _mixed(session_factory: sessionmaker[Session], world: World) -> int:
    """An incident of 10 notified cases, their apologies in every state there is."""
    incident = notified_incident(session_factory, world, 10)
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        now = uow.now()
        copies = _copies(uow, incident)
        sent, later, due, failed, half, reached, moved, withdrawn = sorted(copies)[:8]
        uow.outbox.record_outcome(copies[sent][0], status="sent", last_error=None, sent_at=now)
        for case_id, when in ((later, now + timedelta(days=2)), (due, now - timedelta(hours=1)),
                              (moved, now + timedelta(days=1))):
            for message_id in copies[case_id]:
                uow.outbox.postpone(message_id, when)
        for message_id in copies[failed]:
            uow.outbox.record_outcome(message_id, status="failed", last_error="550")
        for message_id in copies[withdrawn]:
            uow.outbox.record_outcome(message_id, status="withdrawn", last_error=None)
        uow.outbox.record_outcome(copies[half][0], status="failed", last_error="550")
        uow.outbox.postpone(copies[half][1], now + timedelta(hours=30))
        uow.cases.mark_told(reached, now)
        uow.conn.execute(update(cases).where(cases.c.id == moved).values(
            status=CaseStatus.ESCALATED.value))
        uow.commit()
    return incident


def test_the_tally_counts_as_the_notified_cases_do(
        session_factory: sessionmaker[Session], world: World) -> None:
    incident = _mixed(session_factory, world)
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        now = uow.now()
        notified = uow.cases.for_incident(incident, statuses={CaseStatus.NOTIFIED})
        waiting = uow.outbox.incident_apologies_due(incident)
        assert len(notified) == 9  # one moved to the call list
        for at in (now - timedelta(days=1), now, now + timedelta(hours=29),
                   now + timedelta(hours=31), now + timedelta(days=3)):
            by_case = apology_counts(notified, waiting, at)
            tallied = tallied_apology_counts(uow.outbox.notified_apology_tally(incident, at))
            assert tallied == by_case, at
            assert list(tallied[0].items()) and all(n > 0 for n in tallied[0].values())
        counts, first = tallied_apology_counts(uow.outbox.notified_apology_tally(incident, now))
        assert {s for s, n in counts.items() if n} == {
            "notified", "apology_queued", "apology_sending", "not_told"}, counts
        assert counts["notified"] == 2 and counts["apology_queued"] >= 2, counts
        assert first is not None and first > now
        assert uow.outbox.incident_apologies_waiting(incident) == (
            len(waiting), min(waiting.values()))


def test_an_incident_without_notified_cases_tallies_nothing(
        session_factory: sessionmaker[Session], world: World) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        uow.conn.execute(update(cases).where(cases.c.incident_id == world.incident)
                         .values(status=CaseStatus.ESCALATED.value))
        tally = uow.outbox.notified_apology_tally(world.incident, uow.now())
        assert tallied_apology_counts(tally) == apology_counts([], {}, uow.now())
        assert tally.first_later is None
