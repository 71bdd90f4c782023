"""``sagwa messages lint --kind notice --incident N`` judges a notice as publishing it would: a
notice about a book called "소송의 기술" (소송: a lawsuit) passes with its incident and not without
it, a threat the writer adds is still refused, an unknown incident is one line and exit 1, and
``--incident`` with another kind is a usage error (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_desk import busiest_listing, seller_types_the_wrong_price
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner, Result

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.services import notices
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.embedded import fresh_data_dir

pytestmark = pytest.mark.e2e
BOOK = "소송의 기술"
THREAT = "이 가격으로 주문을 계속 요구하시면 법적 조치를 취하겠습니다."


def sagwa(*args: str, input_: str | None = None) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args), input=input_, env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgm") as path:
        yield path


@pytest.fixture(scope="module")
def incident_id(data_dir: Path) -> int:
    """A declared incident on the listing with the most orders, its product renamed BOOK."""
    seeded = sagwa("seed", "demo", "--products", "40", "--customers", "5", "--orders", "12", "--json")
    assert seeded.exit_code == 0, seeded.output
    listing_id, opened = busiest_listing(data_dir)
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE products SET title = :book, title_en = NULL WHERE id = "
                              "(SELECT product_id FROM listings WHERE id = :listing)"),
                         {"book": BOOK, "listing": listing_id})
    finally:
        engine.dispose()
    seller_types_the_wrong_price(data_dir, listing_id)
    declared = sagwa("incident", "declare", "--listing", str(listing_id), "--wrong-price",
                     "19900", "--correct-price", "199000", "--window-start", opened.isoformat(),
                     "--cause", "a zero dropped", "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    return int(json.loads(declared.stdout)["incident_id"])


@pytest.fixture(scope="module")
def notice(data_dir: Path, incident_id: int) -> str:
    """The incident's template notice in Korean as it is published: it names BOOK."""
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        title, body = notices.draft_notice(
            SqlAlchemyUnitOfWork(sessionmaker(bind=engine)), incident_id=incident_id,
            lang="ko", policy=load_desk_policy())
    finally:
        engine.dispose()
    assert BOOK in title
    return notices.notice_text(title, body)


def _lint(notice: str, *extra: str) -> Result:
    return sagwa("messages", "lint", "-", "--kind", "notice", "--lang", "ko", "--format", "json",
                 *extra, input_=notice)


def _errors(result: Result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {f["code"] for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"}


def test_the_notice_naming_the_book_passes_with_its_incident_only(incident_id: int,
                                                                   notice: str) -> None:
    assert "threat" in _errors(_lint(notice))
    assert _errors(_lint(notice, "--incident", str(incident_id))) == set()


def test_a_threat_added_is_refused_with_the_incident(incident_id: int, notice: str) -> None:
    assert "threat" in _errors(_lint(f"{notice}\n\n{THREAT}", "--incident", str(incident_id)))


def test_an_unknown_incident_is_one_line_and_exit_1(incident_id: int) -> None:
    result = _lint("'소송의 기술' 가격 오류 안내\n\n죄송합니다.", "--incident",
                   str(incident_id + 1000))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"incident {incident_id + 1000} does not exist" in " ".join(result.output.split())
    # with --format json the refusal is JSON on standard output too, as every command's is
    refusal = json.loads(result.stdout)
    assert refusal["code"] == "not_found"


def test_an_incident_with_another_kind_is_a_usage_error() -> None:
    result = sagwa("messages", "lint", "-", "--kind", "resolution", "--lang", "ko",
                   "--incident", "1", input_="죄송합니다.")
    assert result.exit_code == 2
    assert "--incident is taken with --kind notice only" in " ".join(result.output.split())
