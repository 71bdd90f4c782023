"""The daily erasure of customers' personal data that no law keeps any more (개인정보 보호법
제21조: without delay), at 03:00 Korea time (``services.customer_erasure.erase_due``: one
transaction and one audit record per customer). Customers who asked to be erased (a request
recorded when the law refused it) are erased as soon as every hold lifts, whatever the setting;
everyone else due only when ``SAGWA_RETENTION_ERASE_DAILY`` is on. A run stopped by an access
record that cannot be written (``access_record_unwritten``: that customer not erased) is
retried (``SCHEDULED_RETRY``): each erasure is its own transaction, so the retry goes on with
those left. A customer whose request it carried out is to be told (시행령 제43조): the job logs
the letter to send them, one WARNING each (no personal data in it: the days, the officer)."""

from __future__ import annotations

import asyncio
import logging

from procrastinate import JobContext

from sagwa.domain.access_records import AccessAction, AccessRecord
from sagwa.jobs.app import app
from sagwa.jobs.runtime import SCHEDULED_RETRY, job_runtime, job_unit_of_work
from sagwa.services.customer_erasure import Erased, erase_due
from sagwa.services.scheduled import DESK_QUEUE

RETENTION_TASK = "sagwa.retention_erase"
#: 03:00 Korea time (UTC+9, no daylight saving), when the desk is closed.
RETENTION_CRON = "0 18 * * *"
RETENTION_ACTOR = "sagwa:retention"

_log = logging.getLogger("sagwa.jobs.retention")


@app.periodic(cron=RETENTION_CRON, periodic_id="retention_erase")
@app.task(name=RETENTION_TASK, queue=DESK_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def erase_due_job(context: JobContext, timestamp: int) -> int:
    """How many customers were erased: those whose recorded request may now be carried out,
    and, with the setting on, every other customer due."""
    runtime = job_runtime(context)
    sweep = runtime.erase_daily
    what = "retention job" + (" (SAGWA_RETENTION_ERASE_DAILY)" if sweep else
                              " (erasure requests)")

    def record(customer_id: int) -> AccessRecord:
        """On the access records too, as `sagwa retention run` is: written by the commit that
        erases the customer (a request still kept, brought up to date, writes none)."""
        return AccessRecord(account=RETENTION_ACTOR, role=None, client="worker",
                            action=AccessAction.CHANGE, what=what, customer_ids=(customer_id,))

    done = await asyncio.to_thread(erase_due, lambda: job_unit_of_work(context),
                                   actor=RETENTION_ACTOR, due=None if sweep else [],
                                   record=record, officer=runtime.policy.privacy_officer,
                                   on_erased=_say_told)
    return len(done)


def _say_told(erased: Erased) -> None:
    """The letter to a customer whose request the job carried out, logged as soon as the
    erasure is committed (a run stopped later must not lose it); never where to send it."""
    if erased.answer:
        _log.warning("고객 %d의 삭제 요청을 처리했습니다. %s까지 결과를 알려 주십시오 (개인정보 보호법 "
                     "시행령 제43조) — customer %d's erasure request was carried out: tell "
                     "them by %s. The letter:\n\n%s\n\n%s", erased.customer_id,
                     erased.answer_by, erased.customer_id, erased.answer_by,
                     erased.answer["ko"], erased.answer["en"])
