"""Leased notification delivery on SQLite (the embedded default); PostgreSQL and replicas in tests/integration."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from services.common.db import TransactionRunner, make_engine
from services.common.migrations import upgrade_to_head
from services.common.tables import outbox_table
from services.notifications import delivery
from services.notifications.models import Notification

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


class RecordingChannel:
    name = "file"

    def __init__(self, failing: bool = False):
        self.failing = failing
        self.delivered: list[str] = []

    def deliver(self, notification: dict) -> None:
        if self.failing:
            raise OSError("the channel is down")
        self.delivered.append(notification["id"])


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/notifications.db")
    upgrade_to_head(engine, "services.notifications:migrations")
    yield TransactionRunner(engine)
    engine.dispose()


def add_pending(db, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with db.transaction() as session:
        for n, notification_id in enumerate(ids):
            session.add(Notification(
                id=notification_id, commune_code="07543", template="plan_issued_unit", recipient_role="unit_reporter",
                recipient_unit=f"U{n}", channel="file", title="Kế hoạch", body="Nội dung", status="pending",
                trigger_event_id=str(uuid.uuid4()), trigger_event_type="plan.issued.v1",
                created_at=NOW + timedelta(seconds=n)))
    return ids


def announced(db) -> int:
    with db.transaction() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(outbox_table))


def claim(db, token: str, limit: int = 10, at: datetime = NOW) -> list[str]:
    with db.transaction() as session:
        return [n.id for n in delivery.claim_pending(session, token=token, limit=limit, lease_seconds=30, now=at)]


def test_claims_are_disjoint_and_oldest_first(db):
    ids = add_pending(db, 5)
    assert claim(db, "a", limit=3) == ids[:3]
    assert claim(db, "b", limit=3) == ids[3:]
    assert claim(db, "c") == []


def test_a_refused_delivery_is_given_back_and_the_sweep_stops_until_the_next_one(db):
    ids = add_pending(db, 3)
    down = RecordingChannel(failing=True)
    assert delivery.sweep(db, down, lease_seconds=30, now=lambda: NOW, batch=2) == 0
    assert announced(db) == 0
    up = RecordingChannel()
    assert delivery.sweep(db, up, lease_seconds=30, now=lambda: NOW, batch=2) == 3  # no lease left behind
    assert sorted(up.delivered) == sorted(ids) and announced(db) == 3


def test_a_worker_whose_lease_was_taken_over_does_not_announce_the_delivery_again(db):
    [notification_id] = add_pending(db, 1)
    with db.transaction() as session:
        [slow] = delivery.claim_pending(session, token="slow", limit=1, lease_seconds=30, now=NOW)
    later = NOW + timedelta(seconds=31)
    assert delivery.sweep(db, RecordingChannel(), lease_seconds=30, now=lambda: later) == 1
    assert delivery.deliver(db, RecordingChannel(), [slow], "slow", lambda: later) == (0, 0)
    assert announced(db) == 1
    with db.transaction() as session:
        assert session.get(Notification, notification_id).status == "delivered"


def deliveries(channel: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("binhdang_notification_deliveries_total",
                                     {"channel": channel, "outcome": outcome}) or 0.0


def test_each_channel_outcome_is_counted_for_the_failing_channel_alert(db):
    add_pending(db, 3)
    before = deliveries("file", "failed"), deliveries("file", "sent")
    delivery.sweep(db, RecordingChannel(failing=True), lease_seconds=30, now=lambda: NOW, batch=2)
    delivery.sweep(db, RecordingChannel(), lease_seconds=30, now=lambda: NOW, batch=2)
    # the failing sweep tries its first batch of two, then stops; the next one delivers all three
    assert (deliveries("file", "failed") - before[0], deliveries("file", "sent") - before[1]) == (2, 3)
