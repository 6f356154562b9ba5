"""Benchmark: how fast reporting applies unit report events, next to a plain consumer, in the same run.

    .venv/bin/python -m bench.reporting_consumer [--communes 99] [--units 15]

Reporting runs as a `binhdang run` process on PostgreSQL (a fresh database) in a RabbitMQ vhost of its
own. Bắc Ninh's first `--communes` communes get a plan of `--units` units each, issued first; then it
is stopped, a unit_report.submitted.v1 event for each unit of each commune waits in its queue, and it
is started again: its rate is the events over the time between the first and the last it applied
(its event log's `applied_at`), and its CPU per event that of its process meanwhile. The baseline is
the least a consumer can do with the same messages: kombu consuming with the same prefetch, one
psycopg2 transaction per message that inserts the event, then the ack.
"""
import eventlet

eventlet.monkey_patch()  # as in the services

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import kombu  # noqa: E402
import psycopg2  # noqa: E402
import sqlalchemy as sa  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.plans_write_path import ADMIN_URL, PROVINCE, cpu_seconds  # noqa: E402
from services.common import admin_units  # noqa: E402
from services.common.amqp_publish import ConfirmingPublisher, OutgoingMessage  # noqa: E402
from services.common.events import registry  # noqa: E402
from services.common.events.contracts import UnitReportSubmitted  # noqa: E402
from services.common.token_keys import DEVELOPMENT_JWKS  # noqa: E402
from services.processes import ServiceProcesses  # noqa: E402
from tests.support.broker import private_vhost  # noqa: E402
from tests.support.plan_events import plan_issued, wire  # noqa: E402
from tests.support.service_http import free_port  # noqa: E402

PREFETCH = 10  # MAX_WORKERS' default, the services' prefetch
TARGET = 0.5


def publish_all(amqp_uri: str, events: list) -> None:
    publisher = ConfirmingPublisher(amqp_uri, app_id="plans", purpose="bench")
    messages = []
    for data in events:
        event_type = registry.get(registry.for_model(type(data)).name)
        event_id, body = wire(data)
        messages.append(OutgoingMessage(exchange=event_type.exchange, routing_key=event_type.routing_key, body=body,
                                        message_id=str(event_id), type=event_type.name))
    for start in range(0, len(messages), 500):
        publisher.publish_batch(messages[start:start + 500])
    publisher.close()


def applied(url: str, event_type: str) -> tuple[int, float]:
    """(events of the type in reporting's event log, seconds from the first applied to the last)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        count, first, last = connection.execute(sa.text(
            "SELECT count(*), min(applied_at), max(applied_at) FROM event_log WHERE event_type = :t"),
            {"t": event_type}).one()
    engine.dispose()
    return count, (last - first).total_seconds() if count > 1 else 0.0


def wait_applied(url: str, event_type: str, count: int, timeout: float = 600) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, span = applied(url, event_type)
        if done >= count:
            return span
        time.sleep(0.5)
    raise TimeoutError(f"reporting applied {done} of {count} {event_type} in {timeout:.0f}s")


def bench_reporting(args, amqp_uri: str, url: str, base: Path) -> tuple[float, float]:
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(base), LOG_FORMAT="json", LOG_LEVEL="WARNING",
                   JWT_JWKS=DEVELOPMENT_JWKS, DATABASE_URL=url, REPORTING_PORT=str(free_port()))
    communes = [c.code for c in admin_units.communes_of(PROVINCE)][:args.communes]
    units = [f"U{n:02d}" for n in range(args.units)]
    plans = {commune: plan_issued(commune, units) for commune in communes}
    reporting = ServiceProcesses(environ, base / "logs", ("reporting",))
    reporting.start()
    publish_all(amqp_uri, list(plans.values()))
    wait_applied(url, "plan.issued.v1", len(plans))
    reporting.stop()
    now = datetime.now(UTC)
    reports = [UnitReportSubmitted(report_id=uuid.uuid4(), plan_id=plans[communes[n % len(communes)]].plan_id,
                                   commune_code=communes[n % len(communes)], year=2026,
                                   unit_code=units[n // len(communes)], revision=1, submitted_at=now, late=False,
                                   tasks_reported=1, tasks_done=1) for n in range(args.events)]
    publish_all(amqp_uri, reports)
    reporting.start()
    pid = reporting.processes["reporting"].pid
    cpu = cpu_seconds(pid)
    span = wait_applied(url, "unit_report.submitted.v1", args.events)
    cpu = cpu_seconds(pid) - cpu
    reporting.stop()
    return (args.events - 1) / span, 1000 * cpu / args.events


def bench_plain(amqp_uri: str, dsn: str, count: int) -> float:
    """kombu consume, one psycopg2 transaction per message (INSERT the event), ack: messages/s."""
    connection = psycopg2.connect(dsn)
    with connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE plain_events (event_id text PRIMARY KEY, body text NOT NULL)")
    name = f"bench.plain.{uuid.uuid4().hex[:6]}"
    queue = kombu.Queue(name, kombu.Exchange("bench.plain", "direct", durable=True), routing_key=name, durable=True)
    body = wire(UnitReportSubmitted(report_id=uuid.uuid4(), plan_id=uuid.uuid4(), commune_code="07543", year=2026,
                                    unit_code="VHXH", revision=1, submitted_at=datetime.now(UTC), late=False,
                                    tasks_reported=1, tasks_done=1))[1]
    with kombu.Connection(amqp_uri) as broker:
        channel = broker.channel()
        queue(channel).declare()
        publisher = ConfirmingPublisher(amqp_uri, app_id="bench", purpose="bench")
        for start in range(0, count, 500):
            publisher.publish_batch([OutgoingMessage(exchange="bench.plain", routing_key=name, body=body,
                                                     message_id=str(uuid.uuid4()), type=None, exchange_type="direct")
                                     for _ in range(min(500, count - start))])
        publisher.close()
        done, times = [0], []

        def on_message(message):
            with connection, connection.cursor() as cursor:
                cursor.execute("INSERT INTO plain_events VALUES (%s, %s)",
                               (message.properties["message_id"], message.body))
            message.ack()
            done[0] += 1
            times.append(time.perf_counter())

        consumer = kombu.Consumer(channel, queues=[queue], on_message=on_message, prefetch_count=PREFETCH)
        with consumer:
            while done[0] < count:
                broker.drain_events(timeout=30)
        queue(channel).delete()
    connection.close()
    return (count - 1) / (times[-1] - times[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=99)
    parser.add_argument("--units", type=int, default=15)
    args = parser.parse_args()
    args.events = args.communes * args.units
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"bd_bench_consumer_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name)
    try:
        with private_vhost("bench") as amqp_uri, tempfile.TemporaryDirectory(prefix="bd-bench-") as base:
            plain = bench_plain(amqp_uri, url.set(drivername="postgresql").render_as_string(hide_password=False),
                                args.events)
            rate, cpu_ms = bench_reporting(args, amqp_uri, url.render_as_string(hide_password=False), Path(base))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"{args.events} unit_report.submitted.v1 events waiting in the queue, {args.communes} communes with "
          f"issued plans of {args.units} units, PostgreSQL; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  reporting (one process)                       : {rate:7.0f} events/s, {cpu_ms:.1f} ms CPU per event")
    print(f"  plain kombu + one psycopg2 transaction each   : {plain:7.0f} events/s")
    print(f"  reporting / plain                             : {rate / plain:7.2f}x  (target {TARGET}x)")


if __name__ == "__main__":
    main()
