"""``sagwa incident notice --opened-against N`` (the latest version in that language the writer
read): a version published since is not replaced unseen — exit status 1, ``notice_changed``,
nothing published — as on the operator's page and in the JSON API. Before: the CLI had no way to
say which version it had read, and its file silently became the notice over a colleague's."""
# ruff: noqa: F811  (the tests take test_cli_incident_limits' fixtures, imported below, by name)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_incident_limits import data_dir, incident_id, sagwa  # noqa: F401  (fixtures)

from sagwa.testing.embedded import query

pytestmark = pytest.mark.e2e


def _notice_file(path: Path, data_dir: Path, incident_id: int, line: str) -> Path:
    """The latest Korean version's text with ``line`` added, as the notice file ``path``."""
    [(title, body)] = query(data_dir, "SELECT title, body FROM notices WHERE incident_id = "
                                      f"{incident_id} AND lang = 'ko' ORDER BY version DESC "
                                      "LIMIT 1")
    path.write_text(f"{title}\n{body}\n\n{line}", encoding="utf-8")
    return path


def _versions(data_dir: Path, incident_id: int) -> list[int]:
    return [v for (v,) in query(data_dir, "SELECT version FROM notices WHERE incident_id = "
                                          f"{incident_id} AND lang = 'ko' ORDER BY version")]


def test_a_notice_opened_against_an_older_version_is_refused(
        incident_id: int, data_dir: Path, tmp_path: Path) -> None:
    first = sagwa("incident", "notice", str(incident_id), "--opened-against", "0",
                  "--format", "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["version"] == 1
    a_file = _notice_file(tmp_path / "a.txt", data_dir, incident_id, "환불은 3영업일 안에 해 드립니다.")
    b_file = _notice_file(tmp_path / "b.txt", data_dir, incident_id, "궁금하신 점은 고객센터로 문의해 주세요.")
    a = sagwa("incident", "notice", str(incident_id), "--file", str(a_file),
              "--opened-against", "1", "--format", "json")
    assert a.exit_code == 0, a.output
    b = sagwa("incident", "notice", str(incident_id), "--file", str(b_file),
              "--opened-against", "1", "--format", "json")
    assert b.exit_code == 1, b.output
    assert "Traceback" not in b.output
    refused = json.loads(b.stdout.splitlines()[0])
    assert (refused["code"], refused["details"]["reason"]) == ("conflict", "notice_changed")
    assert refused["details"]["version"] == 2
    said = " ".join(b.stderr.split())
    assert "error (conflict): version 2 of incident" in said and "nothing was published" in said
    assert _versions(data_dir, incident_id) == [1, 2]
    seen = sagwa("incident", "notice", str(incident_id), "--file", str(b_file),
                 "--opened-against", "2", "--format", "json")
    assert seen.exit_code == 0, seen.output
    assert json.loads(seen.stdout)["version"] == 3


def test_opened_against_below_0_is_a_usage_error(incident_id: int) -> None:
    result = sagwa("incident", "notice", str(incident_id), "--opened-against", "-1")
    assert result.exit_code == 2, result.output
    assert "--opened-against" in result.output


def test_the_help_explains_opened_against() -> None:
    shown = " ".join(sagwa("incident", "notice", "--help").output.replace("│", " ").split())
    assert "--opened-against" in shown and "newer one was published since" in shown
