"""Prometheus's text format for ``/api/metrics`` (``web/metrics_text.py``): HELP and TYPE before
the samples, label values escaped, whole numbers without a decimal point."""

from __future__ import annotations

import math

from sagwa.services.metrics import Family
from sagwa.web.metrics_text import exposition


def test_families_are_written_in_the_text_format() -> None:
    text = exposition([
        Family("sagwa_jobs", "Jobs per queue.\nTwo lines \\ here.",
               [((("queue", "messages"), ("status", "todo")), 3.0),
                ((("queue", 'a "b"\\c\nd'), ("status", "doing")), 0.0)]),
        Family("sagwa_price_changes_held_oldest_seconds", "Oldest held.", [((), 12.5)]),
        Family("sagwa_odd", "Odd values.", [((("v", "nan"),), math.nan),
                                             ((("v", "inf"),), math.inf)]),
    ])
    assert text.splitlines() == [
        "# HELP sagwa_jobs Jobs per queue.\\nTwo lines \\\\ here.",
        "# TYPE sagwa_jobs gauge",
        'sagwa_jobs{queue="messages",status="todo"} 3',
        'sagwa_jobs{queue="a \\"b\\"\\\\c\\nd",status="doing"} 0',
        "# HELP sagwa_price_changes_held_oldest_seconds Oldest held.",
        "# TYPE sagwa_price_changes_held_oldest_seconds gauge",
        "sagwa_price_changes_held_oldest_seconds 12.5",
        "# HELP sagwa_odd Odd values.",
        "# TYPE sagwa_odd gauge",
        'sagwa_odd{v="nan"} NaN',
        'sagwa_odd{v="inf"} +Inf',
    ]
    assert text.endswith("\n")


def test_the_database_down_still_says_this_process() -> None:
    """No database: ``sagwa_database_up 0`` beside the version and the worker's state."""
    from sqlalchemy.exc import OperationalError

    from sagwa.services.metrics import collect_metrics

    def gone() -> object:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    families = collect_metrics(gone, worker_state="stopped", queues=("messages",))  # type: ignore[arg-type]
    by_name = {f.name: f.samples for f in families}
    assert list(by_name) == ["sagwa_build_info", "sagwa_in_process_worker", "sagwa_database_up"]
    assert by_name["sagwa_database_up"] == [((), 0.0)]
    assert dict(by_name["sagwa_in_process_worker"])[(("state", "stopped"),)] == 1.0


def test_a_querys_own_error_is_raised_not_said_as_the_database_down() -> None:
    import pytest
    from sqlalchemy.exc import ProgrammingError

    from sagwa.services.metrics import collect_metrics

    def broken() -> object:
        raise ProgrammingError("SELECT x", {}, Exception("column x does not exist"))

    with pytest.raises(ProgrammingError):
        collect_metrics(broken, worker_state="separate", queues=("messages",))  # type: ignore[arg-type]
