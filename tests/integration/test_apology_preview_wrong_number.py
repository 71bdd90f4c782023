"""The apology preview of a customer whose number an agent marked wrong, on real PostgreSQL:
it counts the messages notifying then queues — the text to the marked number withheld, the
email kept (``apology_preview`` shares ``desk_notify.apology_channels`` and
``wrong_numbers.without_wrong_numbers`` with notifying) — and shows that customer no text."""

# ruff: noqa: F811  (the test takes test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401
from test_desk_closed_lookup_and_instead import _open_incident
from test_desk_wrong_number import _wrong_number

from sagwa.adapters.db.tables import outbox
from sagwa.services.apology_preview import apology_preview
from sagwa.services.desk_notify import notify


def _apologies_queued(uow, case_ids: set[int]) -> list[tuple[int, str, str]]:
    with uow() as u:
        return [(int(r.case_id), r.channel, r.recipient) for r in u.conn.execute(
            select(outbox.c.case_id, outbox.c.channel, outbox.c.recipient)
            .where(outbox.c.case_id.in_(case_ids), outbox.c.purpose == "resolution",
                   # a text to a marked number is kept as withdrawn, never sent
                   outbox.c.status != "withdrawn"))]


def test_the_preview_counts_no_text_to_a_number_marked_wrong_in_an_earlier_incident(
        shop) -> None:
    """The mark is on the customer's case of another, earlier incident: it still counts for
    their case here, in the preview as in notifying (one customer's number, not one case's)."""
    uow, clock, listing_id, people, seller_id = shop
    marked = people[0]  # Alex Kim, 010-1234-0000: the one English reader, so always shown
    earlier = _open_incident(uow, clock, marked, seller_id)  # a second listing, its case
    _wrong_number(uow, earlier)
    iid = _planned(uow, clock, listing_id)  # the iPod nano: all six customers, this one too
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    assert earlier not in cases.values() and marked in cases

    preview = apology_preview(uow(), incident_id=iid, policy=POLICY, links=LINKS)
    assert preview.problem is None
    # an email and a text to each of the six, less the one text to the marked number
    assert (preview.customers, preview.messages) == (6, 2 * 6 - 1)
    shown = {s.lang: (s.case_id, [m.channel for m in s.messages]) for s in preview.shown}
    assert shown["en"] == (cases[marked], ["email"])  # their apology shown, without the text
    assert shown["ko"][1] == ["email", "sms"]  # a Korean reader's number is not marked

    summary = notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    queued = _apologies_queued(uow, set(cases.values()))
    assert summary.messages == len(queued) == preview.messages
    theirs = [(channel, recipient) for case_id, channel, recipient in queued
              if case_id == cases[marked]]
    assert theirs == [("email", "c0@example.com")]
    assert len([q for q in queued if q[1] == "sms"]) == 5
