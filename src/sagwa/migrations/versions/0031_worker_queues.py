"""worker_queues: which queues each job worker takes

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07

procrastinate's table of workers (``procrastinate_workers``) holds an id and a heartbeat, not
the queues a worker takes: with ``sagwa worker --queue messages`` on one host and ``--queue
desk`` on another, ``/healthz?require=workers`` stayed 200 while the desk's host was down, and
no answer deadline, reminder or escalation ran (an ops walk).

A worker writes one row when it starts (``jobs/sagwa_worker.SagwaWorker``): its procrastinate
id, its queues (NULL: every queue), its host and process id. The row is read only beside a live
heartbeat of the same id (``adapters/db/worker_heartbeats.workers_seen``), so a dead
worker's row is ignored, and rows of workers procrastinate no longer knows are deleted when
the next worker starts. No foreign key: the workers' table is procrastinate's.

The downgrade drops the table; the older code never reads it.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_queues",
        sa.Column("worker_id", sa.BigInteger(), nullable=False),
        sa.Column("queues", postgresql.ARRAY(sa.Text())),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_worker_queues")),
    )


def downgrade() -> None:
    op.drop_table("worker_queues")
