"""The incident report does not take an impossible sent time at its word, on real PostgreSQL.

Before: ``UPDATE outbox SET sent_at = sent_at - interval '14 hours'`` went through, and ``sagwa
incident report`` printed "declared → first apology sent | -838 min" without questioning it.
Now a sent row refuses the change; a superuser who gets past the trigger still leaves the
delivery's audit record as it was, and the report flags both the negative time and the row.
"""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.fake import FakeSender
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.desk_notify import notify
from sagwa.services.desk_report import build_report, figure_rows


def _one_apology_sent(shop, session_factory):
    uow, clock, listing_id, _, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:  # held for contact hours: sent when the centre opens
        first, due = u.conn.execute(select(outbox.c.id, outbox.c.not_before).where(
            outbox.c.status == "pending").order_by(outbox.c.not_before, outbox.c.id)
            .limit(1)).one()
    clock.now = due + timedelta(minutes=5)
    senders = {"email": FakeSender(), "sms": FakeSender()}
    assert deliver_message(session_factory, senders, first, clock.now) is Outcome.SENT
    return uow, iid, first


def test_a_sent_time_moved_before_the_declaration_is_flagged(shop, session_factory) -> None:
    uow, iid, message_id = _one_apology_sent(shop, session_factory)
    rows = dict(figure_rows(build_report(uow(), incident_id=iid, policy=POLICY).figures))
    assert rows["declared → first apology sent"] == "935 min"  # opened 09:00 next day
    with uow() as u:  # what the tester did, as a superuser past the trigger
        u.conn.execute(text("SET LOCAL session_replication_role = replica"))
        u.conn.execute(text("UPDATE outbox SET sent_at = sent_at - interval '20 hours' "
                            "WHERE id = :i"), {"i": message_id})
        u.conn.execute(text("SET LOCAL session_replication_role = origin"))
        u.commit()
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    assert report.figures["messages_sent_before_declared"] == 1
    assert report.figures["messages_sent_at_changed"] == 1
    rows = dict(figure_rows(report.figures))
    assert rows["declared → first apology sent"].startswith(
        "**impossible: 265 min before the incident was declared**")
    assert "-265 min" not in " ".join(rows.values())
    assert rows["**messages whose sent time differs from their audit record (changed since)**"] \
        == "1"


def test_an_honest_report_has_no_doubt_rows(shop, session_factory) -> None:
    uow, iid, _ = _one_apology_sent(shop, session_factory)
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    assert report.figures["messages_sent_before_declared"] == 0
    assert not any("audit record" in label for label, _ in figure_rows(report.figures))
