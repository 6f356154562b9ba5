"""Benchmark: the email channel's throughput against a local SMTP server (aiosmtpd, in its own process).

    .venv/bin/python bench/notification_email.py [--messages 500]

Three figures: the channel alone with an SMTP session per message (a message sent on its own), the channel
alone with one session for all (a batch, as a sweep sends), and the whole delivery path of the notifications
service: deliveries enqueued on SQLite, then one sweep of the email channel leasing them, sending them
(content is rendered at enqueue) and recording each outcome with its `notification.delivered.v1` outbox row.
"""
import eventlet

eventlet.monkey_patch()  # as in the services

import argparse  # noqa: E402
import contextlib  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, date, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.db import TransactionRunner, make_engine  # noqa: E402
from services.common.migrations import upgrade_to_head  # noqa: E402
from services.common.roles import Role  # noqa: E402
from services.notifications import templates  # noqa: E402
from services.notifications.channels.email import EmailChannel, SmtpSettings  # noqa: E402
from services.notifications.dispatch import Contacts, Dispatcher, Notice, Policy, Recipient  # noqa: E402
from tests.support.service_http import free_port  # noqa: E402
from tests.support.waiting import wait_until  # noqa: E402

CONTEXT = {"commune_name": "xã Sơn Hải", "year": 2026, "link": "/plans/1", "unit_name": "Trạm y tế",
           "days_left": 7, "deadline": date(2026, 11, 20)}


def smtp_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: _listening(port), timeout=20)
    return server


def _listening(port: int) -> bool:
    import socket
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def channel_alone(channel: EmailChannel, messages: int, batch: bool) -> float:
    content = {**templates.email(templates.render("reminder_before_deadline", CONTEXT, "http://localhost")),
               "message_id": "bench"}
    started = time.perf_counter()
    with channel.batch() if batch else contextlib.nullcontext():
        for n in range(messages):
            channel.send(f"don-vi-{n}@sonhai.gov.vn", content)
    return messages / (time.perf_counter() - started)


def delivery_path(channel: EmailChannel, messages: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/notifications.db")
        upgrade_to_head(engine, "services.notifications:migrations")
        db = TransactionRunner(engine)
        policy = Policy(max_attempts=6, retry_seconds=30, urgent_fallback=(), webhook_max_failures=10,
                        public_url="http://localhost", lease_seconds=300)
        dispatcher = Dispatcher({"email": channel}, policy)
        with db.transaction() as session:
            for n in range(messages):
                notice = Notice(kind="reminder_before_deadline", commune_code="07543", source_key=str(uuid.uuid4()),
                                source_type="schedule", urgent=False, context=CONTEXT)
                dispatcher.enqueue(session, notice, [Recipient(
                    key=f"U{n}", role=Role.UNIT_REPORTER, unit_code=f"U{n}",
                    contacts=Contacts(email=f"don-vi-{n}@sonhai.gov.vn"), channels=("email",))],
                    now=datetime.now(UTC))
        started = time.perf_counter()
        sent = dispatcher.sweep(db, "email")
        rate = sent / (time.perf_counter() - started)
        engine.dispose()
        if sent != messages:
            raise SystemExit(f"only {sent} of {messages} sent")
        return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    port = free_port()
    server = smtp_server(port)
    try:
        channel = EmailChannel(SmtpSettings(host="127.0.0.1", port=port, sender="thongbao@sonhai.gov.vn",
                                            sender_name="UBND xã Sơn Hải", starttls=False, username=None,
                                            password=None, timeout=10))
        print(f"email channel, a session per message: {channel_alone(channel, args.messages, False):6.0f} messages/s")
        print(f"email channel, one session (a batch) : {channel_alone(channel, args.messages, True):6.0f} messages/s")
        print(f"delivery path, a sweep on SQLite     : {delivery_path(channel, args.messages):6.0f} messages/s "
              "(lease, send in one session, record, outbox event)")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
