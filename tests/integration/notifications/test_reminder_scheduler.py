"""The reminder scheduler on PostgreSQL, with real processes: one killed between its claim and its send (no loss,
no double), two replicas at once (each reminder once), and a replica started after a long outage (the latest of
each series once, nothing stale)."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.common.clock import VIETNAM
from services.common.db import TransactionRunner, make_engine
from services.common.migrations import upgrade_to_head
from services.notifications import reminders, schedule
from services.notifications.models import Notification, Reminder
from tests.support.plan_events import plan_issued
from tests.support.reminder_worker import LEASE_SECONDS

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
DEADLINE = dt.date(2026, 11, 20)


def at(day: int, month: int = 11, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VIETNAM)


@pytest.fixture
def database(postgres):
    url = postgres.create("reminders")
    engine = make_engine(url)
    upgrade_to_head(engine, "services.notifications:migrations")
    yield url, TransactionRunner(engine)
    engine.dispose()


def issue(runner, plans: int, units: int) -> None:
    with runner.transaction() as session:
        for _ in range(plans):
            schedule.reschedule(session, plan_issued("07543", [f"U{n}" for n in range(units)], deadline=DEADLINE),
                                dt.date(2026, 12, 15), hour=8)


def worker(url: str, moment: dt.datetime, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.support.reminder_worker", url, moment.isoformat(), *options],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))


def finished(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    assert process.returncode in (0, -9), err
    return process.returncode, out


def notifications_per_reminder(runner) -> Counter[str]:
    with runner.transaction() as session:
        return Counter(session.scalars(sa.select(Notification.trigger_event_id)
                                       .where(Notification.trigger_event_type == reminders.TRIGGER)))


def statuses(runner) -> Counter[str]:
    with runner.transaction() as session:
        return Counter(session.scalars(sa.select(Reminder.status)))


def test_a_process_killed_between_claim_and_send_loses_nothing_and_sends_nothing_twice(database):
    url, runner = database
    issue(runner, plans=1, units=30)
    moment = at(6)  # the 14-days reminders of 30 units are due
    code, _ = finished(worker(url, moment, "--die-after-claim", "--batch", "20"))
    died = time.monotonic()
    assert code == -9  # SIGKILL: it claimed 20 and settled none
    with runner.transaction() as session:
        leased = session.scalar(sa.select(sa.func.count()).select_from(Reminder)
                                .where(Reminder.claimed_by.is_not(None)))
    assert leased == 20
    _, out = finished(worker(url, moment))
    assert json.loads(out) == {"sent": 10}  # the other 10; the dead one's lease still holds
    time.sleep(max(0.0, died + LEASE_SECONDS + 0.5 - time.monotonic()))
    _, out = finished(worker(url, moment))
    assert json.loads(out) == {"sent": 20}  # its lease expired: sent now, once
    sent = notifications_per_reminder(runner)
    assert len(sent) == 30 and set(sent.values()) == {1}


def test_two_replicas_at_once_send_each_reminder_once(database):
    url, runner = database
    issue(runner, plans=20, units=25)  # 500 reminders due on 6/11
    replicas = [worker(url, at(6), "--batch", "10") for _ in range(2)]
    results = [json.loads(finished(replica)[1]) for replica in replicas]
    sent = notifications_per_reminder(runner)
    assert len(sent) == 500 and set(sent.values()) == {1}
    assert sum(r.get("sent", 0) for r in results) == 500
    assert all(r.get("sent", 0) > 0 for r in results), results  # both took a share (SKIP LOCKED, no waiting)


def test_a_replica_started_after_a_long_outage_sends_the_latest_of_each_series_once(database):
    url, runner = database
    issue(runner, plans=1, units=10)
    _, out = finished(worker(url, at(19)))  # down from before 6/11 to 19/11: 14, 7 and 1 days before all due
    assert json.loads(out) == {"sent": 10, "superseded": 20, "expired": 10}  # the Action Month of 15/11: stale
    _, out = finished(worker(url, at(19)))
    assert json.loads(out) == {}
    assert statuses(runner)["due"] == 10 + 4  # the day after the deadline; the commune's two, to two roles
    with runner.transaction() as session:
        kinds = Counter(session.scalars(sa.select(Notification.template)))
    assert kinds == Counter(reminder_before_deadline=10)
