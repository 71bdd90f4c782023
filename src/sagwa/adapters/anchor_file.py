"""The audit log's anchors file (``SAGWA_AUDIT_ANCHORS_PATH``, by default
``<data dir>/audit-anchors.jsonl``): appended to, never rewritten. Each append is one ``write``
of one line on a file opened ``O_APPEND``, then ``fsync``, so lines from processes of one host
writing at once do not interleave (on a network filesystem such as NFS, appends from different
hosts are not atomic: let one host write)."""

from __future__ import annotations

import os
from pathlib import Path

from sagwa.config import ANCHORS_FILE
from sagwa.domain.audit_anchors import Anchor, parse_anchors

__all__ = ["ANCHORS_FILE", "append_anchor", "default_anchors_path", "read_anchors"]


def default_anchors_path(data_dir: Path) -> Path:
    """Where the anchors file is when ``SAGWA_AUDIT_ANCHORS_PATH`` is not set."""
    return data_dir / ANCHORS_FILE


def append_anchor(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_anchors(path: Path) -> list[Anchor]:
    """The file's anchors; none if there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return parse_anchors(text.splitlines())
