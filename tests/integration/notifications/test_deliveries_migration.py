"""Migration 0004 on PostgreSQL: a notification still pending under 0003 (held by quiet hours for a digest)
becomes a queued delivery due when it was held until, and 0004 goes back down to 0003."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command

from services.common.migrations import alembic_config

pytestmark = pytest.mark.integration

MIGRATIONS = "services.notifications:migrations"


def test_a_held_pending_notification_becomes_a_delivery_due_when_it_was_held_until(postgres):
    engine = sa.create_engine(postgres.create("notifications"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(MIGRATIONS, connection), "0003")
            connection.execute(sa.text(
                "INSERT INTO notifications (id, commune_code, template, recipient_role, recipient_unit, channel, "
                "title, body, trigger_event_id, trigger_event_type, status, created_at, urgent, send_after, digest) "
                "VALUES ('n1', '07543', 'plan_issued_unit', 'unit_reporter', 'VHXH', 'file', 'T', 'B', 'e', "
                "'plan.issued.v1', 'pending', '2026-11-02T16:00:00+00:00', false, '2026-11-02T23:30:00+00:00', true)"))
        with engine.begin() as connection:
            command.upgrade(alembic_config(MIGRATIONS, connection), "head")
            rows = connection.execute(sa.text(
                "SELECT notification_id, channel, status, urgent, digest, next_attempt_at FROM deliveries")).all()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("notifications")}
        assert rows == [("n1", "file", "queued", False, True, dt.datetime(2026, 11, 2, 23, 30, tzinfo=dt.UTC))]
        assert not columns & {"channel", "claimed_by", "claimed_until", "send_after", "digest"}
        with engine.begin() as connection:
            command.downgrade(alembic_config(MIGRATIONS, connection), "0003")
            columns = {c["name"] for c in sa.inspect(connection).get_columns("notifications")}
        assert {"channel", "send_after", "digest", "urgent"} <= columns
    finally:
        engine.dispose()
