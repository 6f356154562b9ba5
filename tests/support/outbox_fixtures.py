"""Helpers to set up the shared messaging tables and write outbox rows in tests."""
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa

from services.common import outbox
from services.common.db import TransactionRunner, make_engine
from services.common.events.contracts import IssuedUnit, PlanIssued, UnitRole
from services.common.tables import messaging_metadata


def runner_for(url: str) -> TransactionRunner:
    engine = make_engine(url)
    messaging_metadata.create_all(engine)
    return TransactionRunner(engine)


def sample_plan_issued(commune: str = "07543") -> PlanIssued:
    return PlanIssued(plan_id=uuid.uuid4(), commune_code=commune, year=2026, version=1, title="Kế hoạch",
                      report_deadline=date(2026, 11, 20), issued_at=datetime.now(UTC),
                      units=[IssuedUnit(unit_code="VHXH", name="Phòng Văn hoá - Xã hội", role=UnitRole.LEAD,
                                        task_ids=["II.1"])])


def write_events(runner: TransactionRunner, count: int, commune: str = "07543") -> list[str]:
    ids = []
    with runner.transaction() as session:
        for _ in range(count):
            event = outbox.add_event(session, service="plans", data=sample_plan_issued(commune), subject=None,
                                     commune_code=commune)
            ids.append(str(event.id))
    return ids


def pending_count(runner: TransactionRunner) -> int:
    with runner.transaction() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(outbox.outbox)
                              .where(outbox.outbox.c.sent_at.is_(None)))
