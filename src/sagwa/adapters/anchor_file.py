"""The audit log's anchors file (``<data dir>/audit-anchors.jsonl``): appended to, never
rewritten. Each append is one ``write`` of one line on a file opened ``O_APPEND``, then
``fsync``, so lines from processes writing at once do not interleave."""

from __future__ import annotations

import os
from pathlib import Path

from sagwa.domain.audit_anchors import Anchor, parse_anchors

ANCHORS_FILE = "audit-anchors.jsonl"


def default_anchors_path(data_dir: Path) -> Path:
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
