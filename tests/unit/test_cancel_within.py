"""``sagwa_worker.cancel_within``: a worker that lost its database cancels what was waiting on
it (a job fetch, a job's outcome, the stalled-job recovery) without waiting out the pool's
POOL_WAIT — also when a cancellation is lost, as ``asyncio.wait_for`` on Python 3.11 loses
one that lands as its wait ends. Each loop runs in a thread of its own (a browser test before
it in the process keeps one running in the main thread: ``testing/own_thread``)."""

from __future__ import annotations

import asyncio
import time

from sagwa.jobs.sagwa_worker import cancel_within
from sagwa.testing.own_thread import in_own_thread, run_async


async def _loses_its_first_cancellation(ended: list[str]) -> None:
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        pass  # lost, as wait_for loses it: the task goes on waiting (the pool's 10 s)
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        ended.append("cancelled the second time")
        raise


def test_a_lost_cancellation_is_sent_again() -> None:
    async def run() -> tuple[float, list[str]]:
        ended: list[str] = []
        task = asyncio.create_task(_loses_its_first_cancellation(ended))
        await asyncio.sleep(0)
        started = time.monotonic()
        await cancel_within(task, 1.0)
        return time.monotonic() - started, ended

    took, ended = run_async(run())
    assert ended == ["cancelled the second time"]
    assert took < 2.0  # not the 10 s the task would have waited (a margin for a busy machine)


def test_a_task_that_will_not_end_is_left_after_the_bound_and_its_error_taken() -> None:
    async def stubborn(release: asyncio.Event) -> None:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue
        raise RuntimeError("ended badly, later")

    async def run() -> tuple[float, asyncio.Task[None]]:
        release = asyncio.Event()
        task = asyncio.create_task(stubborn(release))
        await asyncio.sleep(0)
        started = time.monotonic()
        await cancel_within(task, 0.3)
        took = time.monotonic() - started
        assert not task.done()
        release.set()
        await asyncio.wait((task,))
        return took, task

    loop_errors: list[dict[str, object]] = []

    def main() -> tuple[float, asyncio.Task[None]]:
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(lambda _loop, context: loop_errors.append(context))
        try:
            return loop.run_until_complete(run())
        finally:
            loop.close()

    took, task = in_own_thread(main)
    del task
    import gc
    gc.collect()
    assert 0.3 <= took < 2.0
    assert loop_errors == []  # "Task exception was never retrieved" is not logged


def test_a_task_that_ends_at_once_is_not_waited_for() -> None:
    async def run() -> float:
        task = asyncio.create_task(asyncio.sleep(30))
        await asyncio.sleep(0)
        started = time.monotonic()
        await cancel_within(task, 5.0)
        assert task.cancelled()
        return time.monotonic() - started

    assert run_async(run()) < 1.0  # not the 5 s bound
