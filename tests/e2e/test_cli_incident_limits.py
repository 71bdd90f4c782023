"""``sagwa incident`` refuses what it cannot use with one clear line and exit status 2 — a notice
file that is not UTF-8, a report directory that cannot be written, a plan beyond the ledger's
limit or years ahead — and takes ``--compensation 0`` as zero points, not as "not given"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_desk import busiest_listing, seller_types_the_wrong_price
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.testing.deadlines import closing_time_after
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def refused_cleanly(result: Result) -> str:
    """Exit 2 (fix the command), one error line, no traceback; the line, single-spaced."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgl") as path:
        yield path


@pytest.fixture(scope="module")
def incident_id(data_dir: Path) -> int:
    """A declared and scoped incident on the listing with the most orders."""
    seeded = sagwa("seed", "demo", "--products", "40", "--customers", "5", "--orders", "12", "--json")
    assert seeded.exit_code == 0, seeded.output
    # the window opens when the listing did (the orders go back weeks; before it is refused)
    listing_id, opened = busiest_listing(data_dir)
    seller_types_the_wrong_price(data_dir, listing_id)  # 19,900 KRW, live from now
    declared = sagwa("incident", "declare", "--listing", str(listing_id), "--wrong-price",
                     "19900", "--correct-price", "199000", "--window-start", opened.isoformat(),
                     "--cause", "a zero dropped", "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    found = int(json.loads(declared.stdout)["incident_id"])
    scoped = sagwa("incident", "scope", str(found), "--format", "json")
    assert scoped.exit_code == 0, scoped.output
    return found


def _plan(incident_id: int, *extra: str, deadline: datetime | None = None) -> Result:
    when = deadline or closing_time_after(datetime.now(UTC) + timedelta(days=7))
    return sagwa("incident", "plan", str(incident_id), "--option", "keep", "--option",
                 "cancel_with_compensation", "--seller-share", "70", "--platform-share", "30",
                 "--deadline", when.isoformat(), *extra)


def test_a_notice_file_that_is_not_utf8_is_named_and_refused(
    incident_id: int, tmp_path: Path
) -> None:
    notice = tmp_path / "notice-cp949.txt"
    notice.write_bytes("가격 오류 안내\n죄송합니다.".encode("cp949"))
    said = refused_cleanly(sagwa("incident", "notice", str(incident_id), "--file", str(notice)))
    assert "invalid_input" in said and "UTF-8" in said
    assert "notice-cp949.txt" in said


def test_a_notice_title_over_the_limit_is_refused_as_on_the_page_and_the_api(
    incident_id: int, data_dir: Path, tmp_path: Path
) -> None:
    notice = tmp_path / "long-title.txt"
    notice.write_text("가" * 500 + "\n죄송합니다.", encoding="utf-8")
    result = sagwa("incident", "notice", str(incident_id), "--file", str(notice),
                   "--format", "json")
    said = refused_cleanly(result)
    assert "the notice title is 500 characters long; at most 300" in said
    assert json.loads(result.stdout.splitlines()[0])["details"]["reason"] == "notice_title_too_long"
    assert query(data_dir, "SELECT count(*) FROM notices") == [(0,)]


def test_a_missing_notice_file_is_named_and_refused(incident_id: int, tmp_path: Path) -> None:
    said = refused_cleanly(sagwa("incident", "notice", str(incident_id), "--file",
                                 str(tmp_path / "nope.txt")))
    assert "cannot read" in said and "nope.txt" in said


def test_a_report_directory_that_cannot_be_written_is_named_and_refused(incident_id: int) -> None:
    said = refused_cleanly(sagwa("incident", "report", str(incident_id), "--out", "/proc/nope"))
    assert "cannot write the postmortem to /proc/nope" in said
    refused = sagwa("incident", "report", str(incident_id), "--out", "/proc/nope",
                    "--format", "json")
    assert json.loads(refused.stdout.splitlines()[0])["details"]["reason"] == "file_unwritable"


def test_a_report_still_writes_where_it_can(incident_id: int, tmp_path: Path) -> None:
    result = sagwa("incident", "report", str(incident_id), "--out", str(tmp_path / "r"),
                   "--format", "json")
    assert result.exit_code == 0, result.output
    assert Path(json.loads(result.stdout)["postmortem"]).is_file()


def test_a_report_without_out_goes_to_the_data_directory_not_the_working_one(
        incident_id: int, data_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An operator tester ran `sagwa incident report` from the checkout, as the README does,
    and the postmortem landed in the git tree (a relative "reports")."""
    monkeypatch.chdir(tmp_path)
    result = sagwa("incident", "report", str(incident_id), "--format", "json")
    assert result.exit_code == 0, result.output
    written = Path(json.loads(result.stdout)["postmortem"])
    assert written.is_file() and written.parent == data_dir / "reports"
    assert not (tmp_path / "reports").exists()


def test_compensation_beyond_the_ledger_limit_is_refused_before_anyone_is_told(
    incident_id: int,
) -> None:
    said = refused_cleanly(_plan(incident_id, "--compensation", "200000000"))
    assert "200,000,000 points is more than the ledger books in one entry" in said


def test_a_deadline_in_year_9999_is_refused_not_a_traceback(incident_id: int) -> None:
    far = datetime.fromisoformat("9999-12-31T23:59:59-01:00")
    said = refused_cleanly(_plan(incident_id, "--compensation", "5000", deadline=far))
    assert "deadline 9999-12-31T23:59:59-01:00 is out of range: give a time from 1970 to 2199" in said


def test_zero_compensation_is_accepted_as_zero_points(incident_id: int) -> None:
    planned = _plan(incident_id, "--compensation", "0", "--format", "json")
    assert planned.exit_code == 0, planned.output
    shown = sagwa("incident", "status", str(incident_id), "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["plan"]["cancel_compensation"] == 0


def test_close_says_why_it_cannot_close_and_leaves_the_incident_as_it_was(
        incident_id: int, data_dir: Path) -> None:
    """``incident close``: an empty reason is refused (exit 2); an incident whose customers have
    not answered stays open (exit 1) with the desk's reason in one line."""
    [(before,)] = query(data_dir, f"SELECT status FROM incidents WHERE id = {incident_id}")
    blank = sagwa("incident", "close", str(incident_id), "--reason", "  ")
    assert "--reason must say why" in refused_cleanly(blank)
    refused = sagwa("incident", "close", str(incident_id), "--reason", "done")
    assert refused.exit_code == 1, refused.output
    said = " ".join(refused.output.split())  # the desk's first reason, in one line
    assert ("have not been answered" in said or f"that is {before} cannot close" in said), said
    assert "Traceback" not in refused.output
    [(status,)] = query(data_dir, f"SELECT status FROM incidents WHERE id = {incident_id}")
    assert status == before != "closed"


def test_a_cause_longer_than_the_api_takes_is_refused_by_the_cli_too(
        incident_id: int, data_dir: Path) -> None:
    """A review stored a 2,500-character cause through the CLI, which the API refuses past
    2,000: the limit is now the domain's, met by both."""
    [(listing_id,)] = query(data_dir, "SELECT min(listing_id) FROM incident_listings "
                                      f"WHERE incident_id = {incident_id}")
    [(count_before,)] = query(data_dir, "SELECT count(*) FROM incidents")
    line = refused_cleanly(sagwa(
        "incident", "declare", "--listing", str(listing_id), "--wrong-price", "19900",
        "--correct-price", "199000", "--window-start", datetime.now(UTC).isoformat(),
        "--cause", "가" * 2500, "--responsible", "seller"))
    assert "cause is 2,500 characters long; at most 2,000" in line, line
    assert query(data_dir, "SELECT count(*) FROM incidents") == [(count_before,)]


def test_closing_a_closed_incident_again_says_nothing_changed(
        incident_id: int, data_dir: Path) -> None:
    """A tester closed an incident again with another reason: exit 0, and the reason dropped
    without a word. Now: "already closed", ``changed: false``, and that the reason was not kept.
    An incident nobody ordered in (a listing priced wrong just now): declared, scoped, closed."""
    [(listing_id,)] = query(
        data_dir, "SELECT l.id FROM listings l WHERE l.status = 'live' AND NOT "
                  "EXISTS (SELECT 1 FROM incident_listings i WHERE i.listing_id = l.id) "
                  "ORDER BY l.id LIMIT 1")
    seller_types_the_wrong_price(data_dir, int(listing_id))
    declared = sagwa("incident", "declare", "--listing", str(listing_id), "--wrong-price",
                     "19900", "--correct-price", "199000", "--window-start",
                     datetime.now(UTC).isoformat(), "--cause", "a zero dropped",
                     "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    other = int(json.loads(declared.stdout)["incident_id"])
    assert sagwa("incident", "scope", str(other)).exit_code == 0
    first = sagwa("incident", "close", str(other), "--reason", "nobody ordered", "--format",
                  "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["changed"] is True
    again = sagwa("incident", "close", str(other), "--reason", "another reason", "--format",
                  "json")
    assert again.exit_code == 0, again.output
    said = json.loads(again.stdout)
    assert (said["status"], said["changed"]) == ("closed", False)
    assert "was closed already: nothing changed" in " ".join(again.stderr.split())
    assert query(data_dir, "SELECT count(*) FROM audit_log WHERE action = 'incident.close' "
                           f"AND entity_id = '{other}'") == [(1,)]
