"""Templates compiled once per process, whichever app renders them.

Jinja parses and compiles a template the first time an environment renders it (about 18 ms for
one of sagwa's pages, some 0.9 s for all of them). A process that builds more than one app —
the test suite builds one per test, a worker's health server its own — would compile every page
again for each. This cache keeps each template's compiled code in memory for the process and
hands it to every environment; Jinja checks the source's checksum before using it, so a changed
template file is compiled afresh (and, since ``auto_reload`` is on, noticed)."""

from __future__ import annotations

import threading

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledOncePerProcess(BytecodeCache):
    """A Jinja bytecode cache held in this process's memory."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored when the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


#: The one cache of this process (``rendering.make_templates`` and the app's own templates).
COMPILED = CompiledOncePerProcess()
