"""Benchmark: how fast the notifications service delivers a burst, and whether anything goes out twice.

    .venv/bin/python bench/notification_delivery.py [--plans 40] [--units 63] [--replicas 1]

Publishes `--plans` plan.issued.v1 events at once (each notifies every unit and the commune
officer: plans × (units + 1) notifications) to `--replicas` notifications services (nameko
containers in this process) on one fresh PostgreSQL database, in a RabbitMQ vhost of its own.
Prints the delivery rate from the first publish until every notification is delivered, how
many channel lines repeat a notification, and how many notification.delivered.v1 events went
out per notification.
"""
import eventlet

eventlet.monkey_patch()  # as in the services

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.tables import outbox_table  # noqa: E402
from services.notifications.models import Notification  # noqa: E402
from services.notifications.service import NotificationsService  # noqa: E402
from tests.support.broker import private_vhost  # noqa: E402
from tests.support.plan_events import plan_issued, publish  # noqa: E402
from tests.support.service_http import free_port, service_config  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
COMMUNE = "07543"


def count(engine, statement) -> int:
    with engine.connect() as connection:
        return connection.scalar(statement)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=40)
    parser.add_argument("--units", type=int, default=63)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    with private_vhost("bench") as amqp_uri:
        delivered, elapsed, published, lines, announced = run(args, amqp_uri)
    expected = args.plans * (args.units + 1)
    print(f"{args.plans} plan.issued.v1 events ({published:.2f}s to publish) -> {expected} notifications, "
          f"{args.replicas} replica(s), PostgreSQL")
    print(f"  delivered                     : {delivered} in {elapsed:.1f}s "
          f"= {delivered / elapsed:.0f} notifications/s")
    print(f"  written to the channel twice+ : {sum(1 for n in lines.values() if n > 1)} notifications "
          f"(most copies of one: {max(lines.values(), default=0)}; {sum(lines.values())} lines)")
    print(f"  notification.delivered.v1     : {announced} events for {len(lines)} notifications")


def run(args, amqp_uri: str):
    expected = args.plans * (args.units + 1)
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    database = f"bd_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    url = admin.url.set(database=database).render_as_string(hide_password=False)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
    containers = []
    try:
        for _ in range(args.replicas):
            config = service_config("notifications", free_port(), amqp_uri, data_dir, url, LOG_LEVEL="WARNING",
                                    NOTIFICATION_FILE=str(data_dir / "channel.jsonl"))
            container = ServiceContainer(NotificationsService, config)
            container.start()
            containers.append(container)
        engine = sa.create_engine(url)
        events = [plan_issued(COMMUNE, [f"U{n}" for n in range(args.units)]) for _ in range(args.plans)]
        started = time.perf_counter()
        for event in events:
            publish(amqp_uri, event)
        published = time.perf_counter() - started
        delivered_query = sa.select(sa.func.count()).select_from(Notification).where(
            Notification.status == "delivered")
        while count(engine, delivered_query) < expected:
            if time.perf_counter() - started > args.timeout:
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        delivered = count(engine, delivered_query)
        for container in containers:
            container.stop()
        containers.clear()
        lines = Counter(json.loads(line)["id"] for line in
                        (data_dir / "channel.jsonl").read_text(encoding="utf-8").splitlines())
        announced = count(engine, sa.select(sa.func.count()).select_from(outbox_table).where(
            outbox_table.c.event_type == "notification.delivered.v1"))
        engine.dispose()
    finally:
        for container in containers:
            container.kill()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        shutil.rmtree(data_dir, ignore_errors=True)
    return delivered, elapsed, published, lines, announced


if __name__ == "__main__":
    main()
