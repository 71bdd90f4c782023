"""The access log ``sagwa serve`` writes masks customers' link tokens (``web/access_log.py``)."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest

from sagwa.web.access_log import log_config, mask_links

TOKEN = "eyJjYXNlIjo0Mn0.Zm9vYmFyYmF6cXV4c2lnbmF0dXJl"


@pytest.fixture
def access_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """The uvicorn loggers as ``sagwa serve`` configures them (restored afterwards)."""
    names = ("uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level,
                 logging.getLogger(n).propagate) for n in names}
    logging.config.dictConfig(log_config())
    logger, written = logging.getLogger("uvicorn.access"), io.StringIO()
    for handler in logger.handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(written)
    yield logger, written
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)


@pytest.mark.parametrize("path", [f"/c/{TOKEN}", f"/c/{TOKEN}?lang=en",
                                  f"/c/{TOKEN}/choose?lang=ko", f"/c/{TOKEN}/cancel-instead"])
def test_a_customer_link_is_masked_in_the_access_log(
        access_log: tuple[logging.Logger, io.StringIO], path: str) -> None:
    """A QA finding: ``"GET /c/eyJ…sig HTTP/1.1" 200`` was written with the whole token."""
    # as uvicorn's protocols log a request
    logger, written = access_log
    logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200)
    line = written.getvalue()
    assert TOKEN not in line and TOKEN[3:12] not in line
    tail = path.removeprefix(f"/c/{TOKEN}")
    assert f'127.0.0.1:5000 - "GET /c/eyJ…[masked]{tail} HTTP/1.1" 200' in line


def test_other_paths_are_logged_as_they_are() -> None:
    for path in ("/login?next=/cs/queue", "/api/orders", "/cs/cases/7", "/static/c/x.css"):
        assert mask_links(path) == path


@pytest.mark.parametrize(("path", "logged"), [
    ("/cs/cases?q=010-2745-4831", "/cs/cases?q=[masked]"),
    ("/cs/cases?q=kim%40example.com&page=2", "/cs/cases?q=[masked]&page=2"),
    ("/cs/cases?page=2&Q=01027454831", "/cs/cases?page=2&Q=[masked]"),
    ("/api/products?q=%EA%B9%80%EC%98%81%ED%9D%AC&limit=5", "/api/products?q=[masked]&limit=5"),
    ("/x?email=a%40b.kr&phone=010&name=kim", "/x?email=[masked]&phone=[masked]&name=[masked]"),
    ("/login?next=/cs/cases?q=010-2745-4831", "/login?next=/cs/cases?q=[masked]"),
    (f"/c/{TOKEN}?lang=en&q=010", "/c/eyJ…[masked]?lang=en&q=[masked]"),
])
def test_a_search_for_a_customer_is_not_written_to_the_access_log(
        access_log: tuple[logging.Logger, io.StringIO], path: str, logged: str) -> None:
    """An SRE finding: ``GET /cs/cases?q=010-2745-4831`` wrote the customer's phone number to
    the access log."""
    logger, written = access_log
    logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200)
    assert f'"GET {logged} HTTP/1.1" 200' in written.getvalue()


def test_other_query_values_and_an_empty_search_are_kept() -> None:
    for path in ("/cs/queue?lang=en&page=3", "/cs/cases?q=", "/cs/cases?quality=1",
                 "/seller/incidents/4?show=open"):
        assert mask_links(path) == path
