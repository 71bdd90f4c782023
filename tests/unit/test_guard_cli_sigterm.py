"""``sagwa guard check`` ends with 143 on SIGTERM even when the stop is raised inside a
library's callback, which swallows it ("Exception ignored in …") and fails with another error:
a full-suite run once saw exit status 1 (polars' 'DataTypeClass' check was running)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from sagwa.cli import guard


def test_a_stop_a_library_swallowed_still_ends_with_143() -> None:
    with pytest.raises(SystemExit) as ended, guard._cleaned_up_on_sigterm():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(2)  # the handler runs here
        except SystemExit:  # what the library's callback did with it
            raise TypeError("'<unprintable str object>' is not a Polars data type") from None
    assert ended.value.code == 143
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is back


def test_an_error_without_a_stop_is_left_as_it_is() -> None:
    with pytest.raises(ValueError, match="bad input"), guard._cleaned_up_on_sigterm():
        raise ValueError("bad input")
