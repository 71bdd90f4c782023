"""Which cases a staff page shows, read from the context it is rendered with: what its access
record names (``web.access``; the customers of those cases are found with the record). One
function per page, beside no template: a page that starts showing more must say so here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagwa.services.case_lookup import LookupResult
from sagwa.services.refunds import RefundList


def queue_cases(context: Mapping[str, Any]) -> list[int]:
    """The call queue: its cards, the differences to follow up and the notes' follow-ups."""
    return ([int(card.queued.case_id) for card in context["cards"]]
            + [int(f.owing.case_id) for f in context["follow_ups"].items]
            + [int(i.follow_up.case_id) for i in context["note_follow_ups"].items])


def card_cases(context: Mapping[str, Any]) -> list[int]:
    """A case's page (and a form of it sent back with a refusal or to confirm)."""
    return [int(context["card"].queued.case_id)]


def found_cases(result: LookupResult) -> list[int]:
    """The case lookup's results."""
    return [int(f.case_id) for f in result.found]


def incident_cases(context: Mapping[str, Any]) -> tuple[list[int], list[int]]:
    """The operator's incident page: (the cases listed and previewed, the customers named)."""
    preview = context.get("preview")
    shown = [int(c.case_id) for c in preview.shown] if preview is not None else []
    return [int(r.case.case_id) for r in context["cases"]] + shown, list(context["names"])


def refund_cases(found: RefundList) -> tuple[list[int], list[int]]:
    """Refunds listed: (their cases, their customers)."""
    return ([int(i.refund.case_id) for i in found.items],
            [int(i.refund.customer_id) for i in found.items])
