"""A SIGTERM during ``sagwa guard check`` whose SystemExit a library's callback swallowed
("Exception ignored in …") with nothing surfacing: a CI run then ended 0 with its output landed
over the earlier one. The run stops with 143 all the same, and the next run starts afresh."""

from __future__ import annotations

import os
import signal
import time

import pytest

from sagwa.cli import guard as guard_cli


def _swallowed_sigterm() -> None:
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)  # the handler runs here and raises SystemExit
    except SystemExit:
        pass  # as a library's callback does


def test_a_swallowed_sigterm_still_stops_the_run_with_143() -> None:
    with pytest.raises(SystemExit) as stopped, guard_cli._cleaned_up_on_sigterm():
        _swallowed_sigterm()
    assert stopped.value.code == 143
    with guard_cli._cleaned_up_on_sigterm():  # the next run is not stopped by the last one's
        pass


def test_before_the_output_lands_the_stop_is_checked() -> None:
    with pytest.raises(SystemExit) as stopped, guard_cli._cleaned_up_on_sigterm():
        _swallowed_sigterm()
        guard_cli.stop_if_asked()  # what check does before it closes the output
        pytest.fail("the output would have landed")
    assert stopped.value.code == 143
