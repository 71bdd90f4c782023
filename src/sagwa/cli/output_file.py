"""``--out FILE`` of a command whose output is on the record (an export of customers' data is
an access record): a file beside ``FILE`` is made before any work, so a place that cannot be
written is refused first — ``InvalidInput`` (``file_unwritable``, exit 2), with no traceback
and no record of an export that went nowhere. The command writes there, then records; only
when all of it succeeded does the file take ``FILE``'s place (``os.replace``): a refusal or a
failure part-way leaves ``FILE`` as it was — an earlier export is not emptied — and no file of
its own behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sagwa.errors import InvalidInput


@contextmanager
def output_file(out: Path | None, what: str) -> Iterator[TextIO | None]:
    """A file to write ``out``'s text in (UTF-8), put in ``out``'s place when the block ends
    without an error; None without ``out``. ``what`` names the output in the refusal ("cannot
    write the export to …")."""
    if out is None:
        yield None
        return
    if out.is_dir():
        raise _unwritable(what, out, "it is a directory")
    try:
        handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.",
                                        suffix=".part")
    except OSError as exc:
        raise _unwritable(what, out, exc.strerror or str(exc)) from None
    written = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as target:
            yield target
        os.replace(written, out)
    except OSError as exc:
        written.unlink(missing_ok=True)
        raise _unwritable(what, out, exc.strerror or str(exc)) from None
    except BaseException:
        written.unlink(missing_ok=True)
        raise


def _unwritable(what: str, out: Path, why: str) -> InvalidInput:
    return InvalidInput(f"cannot write {what} to {out}: {why}", field="out", option="--out",
                        reason="file_unwritable")
