"""The incident desk's policy, read from TOML (``desk.toml`` by default)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path

from sagwa.domain.contact_hours import ContactSchedule
from sagwa.errors import InvalidInput

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ContactDetails:
    phone: str
    email: str
    hours_ko: str
    hours_en: str


@dataclass(frozen=True)
class DeskPolicy:
    schedule: ContactSchedule
    notice_sla: timedelta
    escalation_lead: timedelta
    min_answer_time: timedelta
    contact: ContactDetails


def load_desk_policy(path: str | Path | None = None) -> DeskPolicy:
    if path is None:
        text = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
        hours = data["contact_hours"]
        sla, contact = data["sla"], data["contact"]
        schedule = ContactSchedule.from_mapping(
            {day: (hours.get(day) or None) for day in DAYS},
            min_time_left=timedelta(minutes=int(hours.get("min_time_left_minutes", 120))),
            holidays_closed=bool(hours.get("holidays_closed", True)))
        return DeskPolicy(
            schedule=schedule,
            notice_sla=timedelta(minutes=int(sla["public_notice_minutes"])),
            escalation_lead=timedelta(hours=float(sla["escalation_lead_hours"])),
            min_answer_time=timedelta(hours=float(sla["min_answer_hours"])),
            contact=ContactDetails(str(contact["phone"]), str(contact["email"]),
                                   str(contact["hours_ko"]), str(contact["hours_en"])))
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"desk policy is not valid: {exc}", field="desk_policy") from None
