"""The ``sagwa`` command on its own embedded database: schema, demo data, audit, serve."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from typer.testing import CliRunner, Result

from sagwa.adapters.db.migrate import head_revision
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.testing.embedded import query, stop_embedded, stop_orphan
from sagwa.testing.ports import free_port

pytestmark = pytest.mark.e2e
IPOD_SKU = "APL-IPN3-4GB"


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args))


def flat(text_: str) -> str:
    """Rich wraps long lines; compare on single-spaced text."""
    return " ".join(text_.split())


def _home() -> Path:
    return Path(tempfile.mkdtemp(prefix="sgc", dir="/tmp"))  # short: unix socket path limit


@pytest.fixture(scope="module")
def env() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SAGWA_DATABASE_URL", raising=False)
        yield mp


def _use_fresh_data_dir(env: pytest.MonkeyPatch) -> Iterator[Path]:
    root = _home()
    env.setenv("SAGWA_DATA_DIR", str(root / "data"))
    get_settings.cache_clear()
    yield root / "data"
    get_settings.cache_clear()
    stop_embedded(root / "data" / "pg")
    stop_orphan(root / "data" / "pg")
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def empty_data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A SAGWA_DATA_DIR that does not exist yet; its embedded server is stopped after."""
    monkeypatch.delenv("SAGWA_DATABASE_URL", raising=False)
    yield from _use_fresh_data_dir(monkeypatch)


@pytest.fixture(scope="module")
def data_dir(env: pytest.MonkeyPatch) -> Iterator[Path]:
    """One SAGWA_DATA_DIR for the demo-data tests of this module."""
    yield from _use_fresh_data_dir(env)


@pytest.fixture(scope="module")
def seeded(data_dir: Path) -> Result:
    return sagwa("seed", "demo", "--products", "40", "--customers", "30", "--orders", "60", "--json")


def test_help_lists_the_command_groups() -> None:
    result = sagwa("--help")
    assert result.exit_code == 0
    for command in ("db", "seed", "audit", "serve"):
        assert f" {command} " in result.stdout


def test_db_status_then_upgrade_on_an_empty_data_dir(empty_data_dir: Path) -> None:
    assert not empty_data_dir.exists()
    before = sagwa("db", "status")
    assert before.exit_code == 0, before.output
    assert "current: (empty)" in flat(before.stdout)
    assert "needs `sagwa db upgrade`" in flat(before.stdout)
    assert "embedded PostgreSQL" in flat(before.stdout)

    upgraded = sagwa("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema at {head_revision()}" in flat(upgraded.stdout)

    after = sagwa("db", "status")
    assert f"current: {head_revision()}" in flat(after.stdout)
    assert "up to date" in flat(after.stdout)
    assert sagwa("db", "upgrade").exit_code == 0  # again: nothing to do, no error


def test_seed_demo_loads_the_marketplace(data_dir: Path, seeded: Result) -> None:
    assert seeded.exit_code == 0, seeded.output
    summary = json.loads(seeded.stdout.strip().splitlines()[-1])
    assert summary["loaded"] is True and (summary["customers"], summary["orders"]) == (30, 60)
    assert len(summary["ipod_listings"]) == 4
    counts = dict(query(data_dir, """
        SELECT 'sellers', count(*) FROM sellers UNION ALL SELECT 'customers', count(*) FROM customers
        UNION ALL SELECT 'orders', count(*) FROM orders UNION ALL SELECT 'products', count(*)
        FROM products UNION ALL SELECT 'listings', count(*) FROM listings"""))
    assert counts["customers"] == 30 and counts["orders"] == 60
    assert counts["sellers"] == summary["sellers"] > 0
    assert counts["products"] == summary["products"] == 40  # --products 40
    assert counts["listings"] == summary["listings"] >= counts["products"]
    ipod = query(data_dir, f"""
        SELECT p.title, p.list_price_minor, p.list_price_currency,
               count(DISTINCT l.seller_id), bool_and(l.status = 'live')
        FROM products p JOIN listings l ON l.product_id = p.id
        WHERE p.sku = '{IPOD_SKU}' GROUP BY p.id""")
    assert len(ipod) == 1
    title, price, currency, sellers, all_live = ipod[0]
    assert "나노" in title and (price, currency) == (199000, "KRW")
    assert sellers == 4 and all_live


@pytest.mark.parametrize("products", ["0", "329", "ten"])
def test_a_demo_of_products_the_catalogue_cannot_give_is_refused(products: str) -> None:
    result = sagwa("seed", "demo", "--products", products)
    assert result.exit_code == 2
    said = flat(result.output)
    assert "--products" in said and ("from 1 to 328" in said or "whole number" in said), said


def test_seed_if_empty_does_nothing_the_second_time(data_dir: Path, seeded: Result) -> None:
    before = query(data_dir, "SELECT count(*) FROM customers")
    result = sagwa("seed", "demo", "--customers", "5", "--orders", "0", "--if-empty")
    assert result.exit_code == 0, result.output
    assert "nothing to do" in flat(result.stdout)
    as_json = sagwa("seed", "demo", "--if-empty", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == {"loaded": False,
                                          "reason": "the database already has data"}
    assert query(data_dir, "SELECT count(*) FROM customers") == before == [(30,)]


def test_seed_again_without_if_empty_is_refused(data_dir: Path, seeded: Result) -> None:
    result = sagwa("seed", "demo", "--customers", "5", "--orders", "0")
    assert result.exit_code == 1
    assert "already has data" in flat(result.stdout)
    assert query(data_dir, "SELECT count(*) FROM customers") == [(30,)]


def test_audit_verify_passes_on_the_seeded_data(data_dir: Path, seeded: Result) -> None:
    result = sagwa("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "audit log intact" in flat(result.stdout)
    records = query(data_dir, "SELECT count(*) FROM audit_log")[0][0]
    assert f"{records:,} records verified" in flat(result.stdout)


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"sagwa serve exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_serve_answers_and_stops_its_embedded_postgres(stop_signal: signal.Signals) -> None:
    root, port = _home(), free_port()
    environ = {k: v for k, v in os.environ.items() if k != "SAGWA_DATABASE_URL"}
    environ["SAGWA_DATA_DIR"] = str(root / "data")
    sagwa_bin = Path(sys.executable).with_name("sagwa")
    proc = subprocess.Popen([str(sagwa_bin), "serve", "--port", str(port)], env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, f"{base}/healthz")
        postmaster = int((root / "data" / "pg" / "postmaster.pid").read_text().split()[0])
        assert psutil.pid_exists(postmaster)
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        product = {"title": "애플 아이팟 나노 3세대 4GB", "category": "electronics/mp3",
                   "list_price": {"amount_minor": 199000, "currency": "KRW"}}
        anonymous = httpx.post(f"{base}/api/products", json=product,
                               headers={"Idempotency-Key": "p-0"})
        assert anonymous.status_code == 401, anonymous.text
        # An operator creates an account and a token in another terminal (same embedded db).
        for args in (["users", "create", "--username", "op", "--role", "admin",
                      "--password", "op-password-1"],
                     ["users", "token", "--username", "op", "--json"]):
            made = subprocess.run([str(sagwa_bin), *args], env=environ, capture_output=True,
                                  check=False, text=True, timeout=120)
            assert made.returncode == 0, made.stdout + made.stderr
        token = json.loads(made.stdout)["token"]
        created = httpx.post(f"{base}/api/products", json=product,
                             headers={"Authorization": f"Bearer {token}",
                                      "Idempotency-Key": "p-1"})
        assert created.status_code == 201, created.text
        found = httpx.get(f"{base}/api/products", params={"q": "아이팟"})
        assert found.status_code == 200
        assert [p["id"] for p in found.json()] == [created.json()["id"]]
        link = "eyJjYXNlIjo5OX0.c2lnbmF0dXJlLW5vdC1sb2dnZWQ"  # a customer's link is a key
        httpx.get(f"{base}/c/{link}/choose?lang=en")

        proc.send_signal(stop_signal)
        output, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, output.decode(errors="replace")[-2000:]
        logged = output.decode(errors="replace")
        # one access line a request (sagwa's, with the request's id; uvicorn's is off)
        assert link[3:] not in logged, logged
        assert re.search(r"127\.0\.0\.1 GET /c/eyJ…\[masked\]/choose \d{3} [\d.]+ ms "
                         r"request_id=[0-9a-f]{32}", logged), logged
        assert "HTTP/1.1" not in logged, logged
        deadline = time.monotonic() + 10
        while psutil.pid_exists(postmaster) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not psutil.pid_exists(postmaster), "sagwa serve left its PostgreSQL running"
        assert not (root / "data" / "pg" / "postmaster.pid").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        stop_orphan(root / "data" / "pg")
        shutil.rmtree(root, ignore_errors=True)
