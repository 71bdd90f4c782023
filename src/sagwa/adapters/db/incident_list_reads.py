"""The operators' incident list's counts, for many incidents at once: each read is one grouped
query over the listed incidents' ids (``GROUP BY incident_id``), however many are listed, and
each applies the rule the one-incident read of the same count applies (named beside it), so the
list and the incident's own page agree. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Text, cast, distinct, func, select

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.call_list_sql import owed_a_call
from sagwa.adapters.db.case_repo import owes_a_difference
from sagwa.adapters.db.tables import audit_log, cases, customers, incident_plans, notices
from sagwa.domain.cancel_instead import CANCELLED_INSTEAD_ACTION
from sagwa.domain.sla import notice_languages


class IncidentListReads:
    """The incident list's reads (a part of ``ReadRepository``); ``ids`` are incident ids."""

    conn: Connection

    def choices_by_incident(self, ids: Sequence[int]) -> dict[int, dict[str | None, int]]:
        """Incident id -> recorded choice (None: none yet) -> its number of cases: every case
        counted once (``CaseRepository.status_counts`` adds up to the same), the choices as
        ``CaseRepository.choice_counts`` reads them. Incidents without cases are left out."""
        if not ids:
            return {}
        out: dict[int, dict[str | None, int]] = {}
        q = (select(cases.c.incident_id, cases.c.choice, func.count())
             .where(among(cases.c.incident_id, ids))
             .group_by(cases.c.incident_id, cases.c.choice))
        for incident_id, choice, n in self.conn.execute(q):
            out.setdefault(int(incident_id), {})[choice] = int(n)
        return out

    def calls_owed_by_incident(self, ids: Sequence[int]) -> dict[int, int]:
        """Incident id -> customers still owed a call (:func:`owed_a_call`, as
        ``CallListReads.calls_owed`` counts them); none owed: left out."""
        if not ids:
            return {}
        q = (select(cases.c.incident_id, func.count()).select_from(cases)
             .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(among(cases.c.incident_id, ids), owed_a_call())
             .group_by(cases.c.incident_id))
        return {int(i): int(n) for i, n in self.conn.execute(q)}

    def plan_deadlines(self, ids: Sequence[int]) -> dict[int, datetime]:
        """Incident id -> its plan's answer deadline; an incident with no plan is left out."""
        if not ids:
            return {}
        q = (select(incident_plans.c.incident_id, incident_plans.c.deadline)
             .where(among(incident_plans.c.incident_id, ids)))
        return {int(i): d for i, d in self.conn.execute(q)}

    def first_notices_by_language(self, ids: Sequence[int]) -> dict[int, dict[str, datetime]]:
        """Incident id -> language -> when its first notice in it was published (as
        ``CaseRepository.first_notice_by_language`` reads one incident's); none: left out."""
        if not ids:
            return {}
        out: dict[int, dict[str, datetime]] = {}
        q = (select(notices.c.incident_id, notices.c.lang, func.min(notices.c.published_at))
             .where(among(notices.c.incident_id, ids))
             .group_by(notices.c.incident_id, notices.c.lang))
        for incident_id, lang, at in self.conn.execute(q):
            out.setdefault(int(incident_id), {})[lang] = at
        return out

    def notice_languages_required_by_incident(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """Incident id -> the languages its public notice must be in: Korean, and each its
        customers read (``CaseRepository.notice_languages_required``); every id is given."""
        if not ids:
            return {}
        read: dict[int, set[str]] = {int(i): set() for i in ids}
        q = (select(cases.c.incident_id, customers.c.locale).distinct()
             .join(customers, customers.c.id == cases.c.customer_id)
             .where(among(cases.c.incident_id, ids)))
        for incident_id, locale in self.conn.execute(q):
            read[int(incident_id)].add(locale)
        return {i: notice_languages(langs) for i, langs in read.items()}

    def cancelled_instead_by_incident(self, ids: Sequence[int]) -> dict[int, int]:
        """Incident id -> customers who took the discount, then cancelled instead of paying
        (as ``DifferenceReads.cancelled_instead_count`` counts them); none: left out."""
        if not ids:
            return {}
        q = (select(cases.c.incident_id, func.count(distinct(audit_log.c.entity_id)))
             .select_from(audit_log)
             .join(cases, cast(cases.c.id, Text) == audit_log.c.entity_id)
             .where(audit_log.c.entity_type == "case",
                    audit_log.c.action == CANCELLED_INSTEAD_ACTION,
                    among(cases.c.incident_id, ids))
             .group_by(cases.c.incident_id))
        return {int(i): int(n) for i, n in self.conn.execute(q)}

    def owing_a_difference_in(self, ids: Sequence[int]) -> list[int]:
        """The ids of the incidents' cases that took the discount and whose difference is not
        recorded as paid (:func:`owes_a_difference`, as ``CaseRepository.owing_a_difference``
        reads one incident's), by id."""
        if not ids:
            return []
        q = (select(cases.c.id).where(among(cases.c.incident_id, ids), owes_a_difference())
             .order_by(cases.c.id))
        return [int(i) for i in self.conn.execute(q).scalars()]
