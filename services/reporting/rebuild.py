"""`binhdang reporting rebuild`: drop every projection and apply the event log again, in the order the
events were first applied, which gives back the state the live consumers built.

The commune reports' own records (workflow, officers' texts, submissions, stored documents) are not
projections and are left as they are. Consumers may keep running: the rebuild holds the event log, so a
consumer applying an event meanwhile waits, then applies it to the rebuilt projections.
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from services.common.db import TransactionRunner
from services.common.events.received import decode_event
from services.common.tables import inbox_table
from services.reporting import projections
from services.reporting.models import (
    CaseFact,
    CaseMeasure,
    CaseReferral,
    CommuneSummary,
    DissolvedUnit,
    EventRecord,
    ExpectedUnit,
    Plan,
    ReturnedRevision,
    UnitAttachment,
    UnitSubmission,
)

PROJECTIONS = (Plan, ExpectedUnit, UnitSubmission, ReturnedRevision, UnitAttachment, DissolvedUnit, CaseFact,
               CaseMeasure, CaseReferral, CommuneSummary)
BATCH = 1000


class IncompleteLog(ValueError):
    """Events were applied before the log kept them (an older version): a rebuild would lose them."""


def rebuild(runner: TransactionRunner) -> int:
    """Rebuild in one transaction; the number of events applied."""
    with runner.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sa.text("LOCK TABLE event_log IN EXCLUSIVE MODE"))
        unlogged = session.scalar(sa.select(sa.func.count()).select_from(inbox_table).where(
            inbox_table.c.consumer.like("reporting.%"),
            inbox_table.c.event_id.not_in(sa.select(EventRecord.event_id))))
        if unlogged:
            raise IncompleteLog(f"{unlogged} events were applied before reporting kept its event log; "
                                "rebuilding would lose them")
        for model in PROJECTIONS:
            session.execute(sa.delete(model))
        applied, after = 0, 0
        while True:
            batch = session.execute(sa.select(EventRecord.seq, EventRecord.event_type, EventRecord.body)
                                    .where(EventRecord.seq > after).order_by(EventRecord.seq).limit(BATCH)).all()
            if not batch:
                return applied
            # a batch at a time: each commune's summary is recounted once per batch, not once per event
            projections.replay_many(session, [decode_event(body.encode("utf-8"), event_type)
                                              for _, event_type, body in batch])
            applied, after = applied + len(batch), batch[-1][0]


def projection_state(runner: TransactionRunner) -> dict[str, list[dict]]:
    """Every projection's rows, in a stable order: what a rebuild must give back."""
    state = {}
    with runner.transaction() as session:
        for model in PROJECTIONS:
            table = model.metadata.tables[model.__tablename__]
            rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
            state[model.__tablename__] = [json.loads(json.dumps(dict(row), default=str, sort_keys=True))
                                          for row in rows]
    return state
