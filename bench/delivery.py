"""Message delivery: queue N apology emails, then deliver them with 1 and with 2 workers.

    .venv/bin/python bench/delivery.py [--n 100000] [--concurrency 4] [--database-url URL]
    .venv/bin/python bench/delivery.py --n 100000 --queue-only   # the queueing half only

Without --database-url it uses a throwaway embedded PostgreSQL. Each phase runs on a fresh,
migrated database: queue N Korean apology-sized emails with ``enqueue_messages`` (one
transaction, timed), then run worker processes (``python -m sagwa.cli.worker``) against an
aiosmtpd sink on 127.0.0.1 until the sink has every message. The 1-worker run is the baseline;
the 2-worker ratio is measured in the same run. Writes bench/results/delivery.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.migrate import upgrade_to_head
from sagwa.adapters.db.tables import outbox
from sagwa.services.outbox import OutgoingMessage, enqueue_messages
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.smtp_sink import running_smtp_sink

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "delivery.json"
SUBJECT = "[사과] 주문하신 상품의 가격 오류에 대해 사과드립니다"
BODY = ("{name} 고객님, 안녕하세요. 사과 고객센터입니다.\n\n"
        "2008년 6월 12일 판매자의 실수로 '삼성 센스 노트북 NT-R70'이 실제 가격 1,590,000원이 "
        "아닌 159,000원으로 잘못 표시되었고, 고객님께서 그 가격에 주문하셨습니다. 불편을 드려 "
        "진심으로 사과드립니다.\n\n아래 중에서 원하시는 방법을 6월 19일 오후 6시까지 골라 "
        "주세요. 답을 주지 않으셔도 주문은 취소되지 않습니다.\n"
        "1. 주문 취소: 결제 금액 전액 환불과 보상 포인트 10,000점\n"
        "2. 정상가에서 30% 할인된 가격으로 구매\n\n선택하기: {link}\n\n"
        "문의: 1588-0000 (평일 9시~18시)\n사과 드림\n")


def messages(n: int, run: str) -> list[OutgoingMessage]:
    now = datetime.now(UTC)
    # purpose "confirmation": delivered at any hour, so the benchmark measures delivery whatever
    # the time of day (a "resolution" waits for the contact centre's hours since 2026-12-01)
    return [OutgoingMessage(
        idempotency_key=f"bench:{run}:{i}", purpose="confirmation", channel="email",
        recipient=f"customer{i}@example.com", locale="ko", subject=SUBJECT,
        body=BODY.format(name=f"고객{i}", link=f"https://sagwa.example/c/{i}/abcdef0123"),
        not_before=now) for i in range(n)]


def fresh_database(admin: URL) -> URL:
    name = f"sagwa_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = admin.set(database=name)
    engine = create_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return url


def drop_database(admin: URL, url: URL) -> None:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    engine.dispose()


def queue(url: URL, n: int) -> float:
    batch = messages(n, uuid.uuid4().hex[:8])
    engine = create_engine(url)
    uow = SqlAlchemyUnitOfWork(sessionmaker(bind=engine, expire_on_commit=False))
    started = time.perf_counter()
    with uow:
        queued = enqueue_messages(uow, batch)
        uow.commit()
    elapsed = time.perf_counter() - started
    engine.dispose()
    assert queued == n, (queued, n)
    return elapsed


def deliver(url: URL, n: int, workers: int, concurrency: int) -> float:
    with running_smtp_sink() as (sink, port):
        env = {**os.environ, "SAGWA_DATABASE_URL": url.render_as_string(hide_password=False),
               "SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMTP_HOST": "127.0.0.1",
               "SAGWA_SMTP_PORT": str(port), "SAGWA_ENVIRONMENT": "test"}
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "sagwa.cli.worker", "--one-shot",
                                   "--concurrency", str(concurrency), "--queues", "messages"],
                                  env=env, stdout=subprocess.DEVNULL) for _ in range(workers)]
        try:
            for proc in procs:
                proc.wait(timeout=3600)
            elapsed = time.perf_counter() - started
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
        received = sink.count
    engine = create_engine(url)
    with engine.connect() as conn:
        sent = conn.scalar(select(func.count()).where(outbox.c.status == "sent"))
    engine.dispose()
    assert sent == n and received >= n, (sent, received, n)
    return elapsed


def admin_url(raw: str | None) -> tuple[URL, object]:
    if raw:
        return make_url(raw.replace("postgresql://", "postgresql+psycopg://", 1)), None
    from sagwa.adapters.embedded_pg import start_embedded

    root = Path(tempfile.mkdtemp(prefix="sagwa-bench-"))
    return make_url(start_embedded(root / "pg", cleanup_mode="delete")), root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=4, help="per worker process")
    parser.add_argument("--database-url", default=os.environ.get("SAGWA_BENCH_DATABASE_URL"))
    parser.add_argument("--queue-only", action="store_true", help="skip the delivery runs")
    args = parser.parse_args()
    admin, _ = admin_url(args.database_url)
    backend = "external" if args.database_url else "embedded"
    common = {"n": args.n, "backend": backend, "cpus": os.cpu_count(),
              "python": platform.python_version()}
    if args.queue_only:
        url = fresh_database(admin)
        try:
            queued_s = queue(url, args.n)
        finally:
            drop_database(admin, url)
        print(f"{args.n:,} emails queued in {queued_s:.1f}s ({args.n / queued_s:,.0f}/s), "
              f"{backend} PostgreSQL")
        save("queue_only", {**common, "queue_seconds": round(queued_s, 2),
                            "queued_per_s": round(args.n / queued_s)})
        return
    rows = {workers: run_phase(admin, args.n, workers, args.concurrency) for workers in (1, 2)}
    ratio = rows[2]["delivered_per_s"] / rows[1]["delivered_per_s"]
    print(format_table(args.n, args.concurrency, backend, rows, ratio))
    save("queue_and_deliver", {**common, "concurrency_per_worker": args.concurrency,
                               "workers": rows, "two_vs_one_worker_ratio": round(ratio, 2)})


def run_phase(admin: URL, n: int, workers: int, concurrency: int) -> dict[str, float]:
    url = fresh_database(admin)
    try:
        queued_s = queue(url, n)
        delivered_s = deliver(url, n, workers, concurrency)
    finally:
        drop_database(admin, url)
    print(f"  {workers} worker(s): queued in {queued_s:.1f}s, delivered in "
          f"{delivered_s:.1f}s", flush=True)
    return {"queue_seconds": round(queued_s, 2), "queued_per_s": round(n / queued_s),
            "deliver_seconds": round(delivered_s, 2), "delivered_per_s": round(n / delivered_s)}


def save(section: str, result: dict[str, object]) -> None:
    """Each kind of run keeps its own section of the results file."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = {**result, "load_average_at_end": os.getloadavg(),
                        "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def format_table(n: int, concurrency: int, backend: str, rows: dict[int, dict[str, float]],
                 ratio: float) -> str:
    lines = [f"\n{n:,} emails, {backend} PostgreSQL, {concurrency} concurrent sends per worker",
             f"{'workers':>8} {'queued/s':>10} {'delivered/s':>12} {'vs 1 worker':>12}"]
    for workers, row in rows.items():
        rel = row["delivered_per_s"] / rows[1]["delivered_per_s"]
        lines.append(f"{workers:>8} {row['queued_per_s']:>10,} {row['delivered_per_s']:>12,}"
                     f" {rel:>11.2f}×")
    lines.append(f"2 workers / 1 worker delivery ratio: {ratio:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
