"""Benchmark: outbox relay publish rate (PostgreSQL) next to a plain kombu publish-with-confirms loop.

    ./dev bench [--events 5000] [--batch 200]

Both publish persistent messages of the same size to a durable queue on the same
RabbitMQ, with publisher confirms. The relay's figure includes claiming rows in
PostgreSQL and marking them sent; the plain loop waits for each confirm in turn,
which is what kombu's `confirm_publish=True` does.
"""
import eventlet

eventlet.monkey_patch()  # as in the services

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import kombu  # noqa: E402
import sqlalchemy as sa  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.amqp_publish import ConfirmingPublisher  # noqa: E402
from services.common.db import TransactionRunner, make_engine  # noqa: E402
from services.common.events.envelope import build_event  # noqa: E402
from services.common.outbox_relay import OutboxRelay  # noqa: E402
from services.common.tables import messaging_metadata, outbox_table  # noqa: E402
from tests.support.outbox_fixtures import sample_plan_issued  # noqa: E402

EXCHANGE, QUEUE = "bench.events", "bench.sink"
AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def sample_body() -> bytes:
    return build_event(service="plans", event_type="plan.issued.v1", data=sample_plan_issued(), subject=None,
                       commune_code="07543").to_json_bytes()


def declare_sink():
    with kombu.Connection(AMQP_URI) as connection:
        channel = connection.channel()
        channel.exchange_declare(EXCHANGE, "topic", durable=True, auto_delete=False)
        channel.queue_declare(QUEUE, durable=True, auto_delete=False)
        channel.queue_bind(QUEUE, EXCHANGE, "#")
        channel.queue_purge(QUEUE)


def drop_sink():
    with kombu.Connection(AMQP_URI) as connection:
        channel = connection.channel()
        channel.queue_delete(QUEUE)
        channel.exchange_delete(EXCHANGE)


def fill_outbox(runner: TransactionRunner, count: int, body: str):
    now = datetime.now(UTC)
    rows = [{"event_id": str(uuid.uuid4()), "event_type": "plan.issued.v1", "exchange": EXCHANGE,
             "routing_key": "plan.issued.v1", "body": body, "created_at": now} for _ in range(count)]
    with runner.transaction() as session:
        session.execute(outbox_table.insert(), rows)


def bench_relay(url: str, count: int, batch: int, body: bytes) -> float:
    engine = make_engine(url)
    messaging_metadata.create_all(engine)
    runner = TransactionRunner(engine)
    fill_outbox(runner, count, body.decode("utf-8"))
    relay = OutboxRelay(runner, "bench", ConfirmingPublisher(AMQP_URI, app_id="bench"), batch_size=batch,
                        poll_seconds=0.5, lease_seconds=30)
    started = time.perf_counter()
    relay.drain(timeout=600)
    elapsed = time.perf_counter() - started
    relay.publisher.close()
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(outbox_table)
                                 .where(outbox_table.c.sent_at.is_(None))) == 0
    engine.dispose()
    return count / elapsed


def bench_plain_kombu(count: int, body: bytes) -> float:
    with kombu.Connection(AMQP_URI, transport_options={"confirm_publish": True}) as connection:
        producer = connection.Producer()
        started = time.perf_counter()
        for _ in range(count):
            producer.publish(body, exchange=EXCHANGE, routing_key="plan.issued.v1", delivery_mode=2,
                             content_type="application/cloudevents+json", content_encoding="utf-8",
                             message_id=str(uuid.uuid4()))
        return count / (time.perf_counter() - started)


def bench_plain_batched(count: int, body: bytes, batch: int) -> float:
    """The fastest honest publisher: kombu's channel in confirm mode, a batch written, then its confirms
    awaited together (the broker acks many tags at once), nothing else."""
    with kombu.Connection(AMQP_URI) as connection:
        channel = connection.channel()
        channel.confirm_select()
        confirmed = [0]

        def on_ack(delivery_tag, multiple):
            confirmed[0] = max(confirmed[0], delivery_tag) if multiple else confirmed[0] + 1

        channel.events["basic_ack"].add(on_ack)
        started = time.perf_counter()
        sent = 0
        while sent < count:
            size = min(batch, count - sent)
            for _ in range(size):
                message = channel.prepare_message(body, priority=0, content_type="application/cloudevents+json",
                                                  content_encoding="utf-8",
                                                  properties={"delivery_mode": 2, "message_id": str(uuid.uuid4())})
                channel.basic_publish(message, exchange=EXCHANGE, routing_key="plan.issued.v1")
            sent += size
            while confirmed[0] < sent:
                connection.drain_events(timeout=15)
        return count / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    database = f"bd_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    url = admin.url.set(database=database).render_as_string(hide_password=False)
    body = sample_body()
    declare_sink()
    try:
        plain = bench_plain_kombu(args.events, body)
        batched = bench_plain_batched(args.events, body, args.batch)
        relay = bench_relay(url, args.events, args.batch, body)
        small = bench_relay(url, args.events, 1, body) if args.events <= 5000 else None
    finally:
        drop_sink()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    print(f"{args.events} persistent events of {len(body)} bytes, durable queue, publisher confirms")
    print(f"  outbox relay, PostgreSQL, batch {args.batch:<4}: {relay:9.0f} events/s")
    if small:
        print(f"  outbox relay, PostgreSQL, batch 1   : {small:9.0f} events/s  (one confirm per message)")
    print(f"  plain kombu, confirms batched by {args.batch:<4}: {batched:9.0f} events/s")
    print(f"  plain kombu confirm_publish loop      : {plain:9.0f} events/s")
    print(f"  relay / plain kombu batched confirms  : {relay / batched:9.2f}x  (target 0.8x)")
    print(f"  relay / plain kombu confirm_publish   : {relay / plain:9.1f}x")


if __name__ == "__main__":
    main()
