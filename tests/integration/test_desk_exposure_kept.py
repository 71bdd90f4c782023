"""The incident status totals what honouring the wrong price costs: the cases' exposure still
honoured (``exposure_kept``), beside the points booked — a cancelled case gives up nothing."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from test_desk import POLICY, shop  # noqa: F401
from test_desk_notify_deadline_and_sellers import _two_seller_incident

from sagwa.cli.incident_format import format_status
from sagwa.services import desk_cases
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_status import incident_status


def test_the_status_totals_the_revenue_given_up_on_the_units_kept(shop) -> None:
    uow, incident_id, _, people = _two_seller_incident(shop)
    with uow() as u:
        rows = u.cases.for_incident(incident_id)
        scoped = {int(r.case.customer_id): r.case.exposure.amount_minor for r in rows}
        cancelled = u.cases.case_for_customer(incident_id, people[1])
    desk_cases.record_choice(uow(), case_id=cancelled, choice="cancel_with_compensation",
                             channel="web", evidence="pressed", taken_by="customer",
                             policy=POLICY)
    view = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    expected = sum(scoped.values()) - scoped[people[1]]
    assert expected > 0
    assert view.exposure_kept == {"amount_minor": expected, "currency": "KRW"}
    with uow() as u:
        figures = figures_of_cases(u, u.cases.for_incident(incident_id))
    assert sum(f.exposure_kept.amount_minor for f in figures.values()) == expected
    assert list(view.as_dict())[-2:] == ["exposure_kept", "dismissed"]  # appended to the JSON
    shown = dict(format_status(view))
    assert shown["revenue given up on units kept (wrong price, or discount given)"] == f"{expected:,} KRW"
