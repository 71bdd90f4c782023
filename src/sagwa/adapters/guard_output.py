"""The price guard's output files: verdicts, metrics and plots written where the path leads.

A path is resolved once into a destination (:func:`check_writable`) and written there
(:func:`write_file`): a symlink is followed; a regular file is written to a temporary file
beside it and renamed into place, so a failed write leaves no partial file and an earlier file
of that name untouched; a device, FIFO or socket (``/dev/null``) is written to directly, never
replaced. ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` are written through the descriptor
the shell gave us. A missing directory is refused, not created.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sagwa.errors import InvalidInput

VERDICT_COLUMNS = ("change_id", "verdict", "score", "error_type", "reason")

_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")


@dataclass(frozen=True)
class Descriptor:
    """An output path naming a descriptor the shell opened (``/dev/stdout``): written as is."""

    path: Path
    fd: int


@dataclass(frozen=True)
class FileTarget:
    """An output path as a file: ``target`` is where it lands, symlinks followed."""

    path: Path
    target: Path


Destination = Descriptor | FileTarget


def inherited_fd(path: Path) -> int | None:
    """The open file descriptor ``path`` names (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``,
    ``/proc/self/fd/N``: a pipe, a ``>>`` redirect, a process substitution), else None. Such a
    path is written through the descriptor the shell gave us: reopening or resolving it would
    lose a pipe (``pipe:[…]`` is no file) or truncate a file opened for appending."""
    text = os.path.normpath(str(path))
    if text in ("/dev/stdout", "/dev/stderr"):
        return 1 if text.endswith("out") else 2
    found = _FD_PATH.match(text)
    return int(found.group(1)) if found else None


def check_writable(path: Path) -> Destination:
    """Where a write to ``path`` lands; raise :class:`InvalidInput` now if it could not be
    written as a file."""
    if str(path) == "-":  # a file named "-" is never what was meant
        raise InvalidInput("- is not read as standard output here; give /dev/stdout",
                           field=str(path), reason="dash_not_stdout")
    fd = inherited_fd(path)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise InvalidInput(f"cannot write {path}: descriptor {fd} is not open",
                               field=str(path), reason="descriptor_not_open") from None
        return Descriptor(path, fd)
    target = _target(path)
    if target.is_dir():
        raise InvalidInput(f"{path} is a directory; give a file name", field=str(path),
                           reason="file_is_directory")
    if target.parent.is_dir():
        if not is_special_file(target):
            _probe_directory(path, target.parent)
        return FileTarget(path, target)
    above = next((p for p in target.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise InvalidInput(f"cannot write {path}: {above} is not a directory", field=str(path),
                           reason="parent_not_a_directory")
    raise InvalidInput(
        f"cannot write {path}: directory {target.parent} does not exist", field=str(path),
        reason="directory_missing",
    )


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same file on disk when both exist, else the
    same path once symlinks and ``..`` are resolved."""
    if inherited_fd(a) is not None or inherited_fd(b) is not None:
        return inherited_fd(a) == inherited_fd(b) is not None
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return _target(a) == _target(b)
    except (OSError, InvalidInput):
        return False


def _probe_directory(path: Path, directory: Path) -> None:
    """Refuse now a directory no file can be created in (permissions, a read-only file system),
    before minutes of work: the output is written as a new file there and renamed over."""
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".sagwa-probe-"):
            pass
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc} (nothing was read yet)",
                           field=str(path), reason="file_unwritable") from None


def is_special_file(path: Path) -> bool:
    """An existing device, FIFO or socket (``/dev/null``): written to, never replaced."""
    try:
        return not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:
        return False


def write_verdicts(verdicts: pl.DataFrame, out: Path, output_format: str) -> None:
    """Write ``change_id, verdict, score, error_type, reason`` rows as CSV or a JSON array,
    each ending with a newline."""
    if output_format == "csv":
        text = verdicts.write_csv()
    else:
        text = json.dumps(verdicts.to_dicts(), ensure_ascii=False) + "\n"
    write_file(out, text.encode("utf-8"))


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: through a symlink; into a device, FIFO or socket; else whole.

    A regular file (or a new one) is written beside its target and renamed over it, keeping an
    existing file's permission bits; a FIFO blocks until something reads it.
    """
    destination = check_writable(path)
    if isinstance(destination, Descriptor):
        _write_fd(destination.fd, data, path)
        return
    target = destination.target
    try:
        if is_special_file(target):
            with target.open("wb") as stream:
                stream.write(data)
        else:
            _replace(target, data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}", field=str(path),
                           reason="file_unwritable") from None


def _write_fd(fd: int, data: bytes, path: Path) -> None:
    """All of ``data`` to the open descriptor ``fd`` (left open: it is the shell's)."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}", field=str(path),
                           reason="file_unwritable") from None


def _target(path: Path) -> Path:
    """The path a write lands on: symlinks followed (a dangling one to where it points)."""
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidInput(f"cannot write {path}: {exc}", field=str(path),
                           reason="path_unresolvable") from None


def _temporary_beside(target: Path) -> Path:
    """A new file's name beside ``target``, hidden, unique to this process and call."""
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _replace(target: Path, data: bytes) -> None:
    """Write a temporary file beside ``target`` (created new, never followed), rename it over."""
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = _temporary_beside(target)
    try:
        with tmp.open("xb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class VerdictWriter:
    """Verdicts written part by part (a run judged in parts of time), as :func:`write_verdicts`
    writes them at once — the same bytes — and landing as it does: a regular file only when
    :meth:`close` is called after the last part (a failure before leaves no partial file and an
    earlier file untouched), a descriptor or device as the parts come."""

    def __init__(self, path: Path, output_format: str) -> None:
        self.path, self.format = path, output_format
        self.parts = 0
        destination = check_writable(path)
        self._fd: int | None = None
        self._tmp: Path | None = None
        self._target: Path | None = None
        try:
            if isinstance(destination, Descriptor):
                self._fd = destination.fd
            elif is_special_file(destination.target):
                self._stream = destination.target.open("wb")
            else:
                self._target = destination.target
                self._tmp = _temporary_beside(self._target)
                self._stream = self._tmp.open("xb")
        except OSError as exc:
            raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}",
                               field=str(path), reason="file_unwritable") from None

    def write(self, verdicts: pl.DataFrame) -> None:
        """One part's ``change_id, verdict, score, error_type, reason`` rows."""
        if verdicts.height == 0:
            return
        if self.format == "csv":
            text = verdicts.write_csv(include_header=self.parts == 0)
        else:
            items = ", ".join(json.dumps(row, ensure_ascii=False) for row in verdicts.to_dicts())
            text = ("[" if self.parts == 0 else ", ") + items
        self.parts += 1
        self._put(text.encode("utf-8"))

    def close(self) -> None:
        """End the file (a header alone, or ``[]``, when no part had a row) and land it."""
        if self.parts == 0:
            empty = pl.DataFrame(schema=dict.fromkeys(VERDICT_COLUMNS, pl.Utf8))
            self._put((empty.write_csv() if self.format == "csv" else "[]\n").encode("utf-8"))
        elif self.format == "json":
            self._put(b"]\n")
        if self._fd is not None:
            return
        try:
            self._stream.close()
            if self._tmp is not None and self._target is not None:
                try:
                    os.chmod(self._tmp, stat.S_IMODE(self._target.stat().st_mode))
                except FileNotFoundError:
                    pass
                os.replace(self._tmp, self._target)
        except OSError as exc:
            raise InvalidInput(f"cannot write {self.path}: {exc.strerror or exc}",
                               field=str(self.path), reason="file_unwritable") from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Leave nothing behind (the run failed): the temporary file is removed."""
        if self._fd is None and not self._stream.closed:
            self._stream.close()
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)

    def _put(self, data: bytes) -> None:
        if self._fd is not None:
            _write_fd(self._fd, data, self.path)
            return
        try:
            self._stream.write(data)
        except OSError as exc:
            raise InvalidInput(f"cannot write {self.path}: {exc.strerror or exc}",
                               field=str(self.path), reason="file_unwritable") from None
