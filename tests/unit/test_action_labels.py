"""Every action the audit log records reads as words on the timeline, and sagwa's own work reads
as what did it. A walkthrough's finding: the incident timeline showed the raw code
``incident.defaulted`` in both languages, and ``system:scheduler`` as recorded."""

from __future__ import annotations

import re
from pathlib import Path

import sagwa
from sagwa.web.pages.labels import ACTION, SYSTEM_ACTORS, actor_text, label

SOURCE = Path(sagwa.__file__).resolve().parent
ACTION_CODE = re.compile(
    r'"((?:incident|case|listing|price_change|order|notice|points|ledger|customer|seller|'
    r'product|account|message|user|api_token)\.[a-z_]+)"')


def _recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in [*SOURCE.glob("services/*.py"), *SOURCE.glob("domain/*.py"),
                 *SOURCE.glob("cli/*.py")]:
        found |= set(ACTION_CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_action_has_words_in_both_languages() -> None:
    actions = _recorded_actions()
    assert {"incident.defaulted", "case.defaulted", "order.placed"} <= actions  # the scan works
    missing = sorted(a for a in actions if a not in ACTION)
    assert not missing, f"audit actions without a label: {missing}"
    assert label("action", "incident.defaulted", "ko") != "incident.defaulted"
    assert label("action", "incident.defaulted", "en").startswith("deadline passed")


def test_actions_named_from_a_trigger_have_words_too() -> None:
    """Actions the services build from a status table's trigger (``f"listing.{trigger}"``,
    ``f"incident.{trigger}"``, ``f"order.{effect}"``), which the scan above cannot see."""
    from sagwa.domain.incidents import IncidentTrigger
    from sagwa.domain.listings import ListingTrigger

    built = {f"listing.{t.value}" for t in ListingTrigger}
    built |= {f"incident.{t.value}" for t in (IncidentTrigger.CLOSE, IncidentTrigger.DISMISS)}
    missing = sorted(a for a in built if a not in ACTION)
    assert not missing, f"audit actions without a label: {missing}"


def test_sagwas_own_work_reads_as_what_did_it() -> None:
    from sagwa.jobs.desk_tasks import ACTOR as JOBS
    from sagwa.services.promotion_end import ACTOR as PROMOTION_END

    for actor in (JOBS, PROMOTION_END, "system:tripwire"):
        assert actor in SYSTEM_ACTORS
        assert actor_text(actor, "en") != actor and actor_text(actor, "ko") != actor
    assert actor_text("system:scheduler", "en") == "scheduled job"
    assert actor_text("agent:choi", "ko") == "상담원 choi"  # people as before
