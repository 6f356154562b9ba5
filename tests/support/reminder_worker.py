"""A process that sends the reminders due at a given time, as a notifications replica's timer does
(`python -m tests.support.reminder_worker DATABASE_URL AT [--batch N] [--die-after-claim]`).

`--die-after-claim` claims a batch and then kills itself (SIGKILL: no clean-up runs), as a replica killed
between the claim and the send would. Prints what it settled, as JSON, when it lives to the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import uuid

from services.common.db import TransactionRunner, make_engine
from services.notifications import operations, reminders
from services.notifications.channels import channels_from_config
from services.notifications.dispatch import Contacts, Dispatcher, Policy

GRACE = dt.timedelta(hours=36)
LEASE_SECONDS = 8.0  # more than a process takes to start, so a lease a test sees does not expire under it


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("at", type=dt.datetime.fromisoformat)
    parser.add_argument("--batch", type=int, default=reminders.BATCH)
    parser.add_argument("--die-after-claim", action="store_true")
    args = parser.parse_args()
    runner = TransactionRunner(make_engine(args.database_url))
    wall = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    if args.die_after_claim:
        with runner.transaction() as session:
            reminders.claim_due(session, token=str(uuid.uuid4()), now=args.at, wall=wall(),
                                lease_seconds=LEASE_SECONDS, limit=args.batch)
        os.kill(os.getpid(), signal.SIGKILL)
    config = {"NOTIFICATION_CHANNELS": "console"}  # recorded, not sent: the notifications' deliveries wait
    notify = operations.reminder_notifier(Dispatcher(channels_from_config(config), Policy.from_config(config)),
                                          lambda commune, role, unit: Contacts())
    settled = reminders.send_due(runner, now=lambda: args.at, wall=wall, lease_seconds=LEASE_SECONDS, grace=GRACE,
                                 notify=notify, batch=args.batch)
    print(json.dumps(settled))


if __name__ == "__main__":
    main()
