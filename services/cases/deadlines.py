"""Legal timers of cases: opened with the case or the request, met by the action, published when missed."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import Case, Deadline
from services.common import outbox
from services.common.events.contracts import CaseOverdue, CaseType, RiskLevel


def open_deadline(session: Session, case: Case, kind: str, due_at: dt.datetime, subject_id: str | None = None):
    session.add(Deadline(id=str(uuid.uuid4()), case_id=case.id, kind=kind, subject_id=subject_id, due_at=due_at))


def meet(session: Session, case: Case, kind: str, now: dt.datetime, subject_id: str | None = None) -> None:
    statement = sa.update(Deadline).where(Deadline.case_id == case.id, Deadline.kind == kind,
                                          Deadline.met_at.is_(None)).values(met_at=now)
    if subject_id is not None:
        statement = statement.where(Deadline.subject_id == subject_id)
    session.execute(statement)


def close_all(session: Session, case: Case, now: dt.datetime) -> None:
    """A closed case has no running timers."""
    session.execute(sa.update(Deadline).where(Deadline.case_id == case.id, Deadline.met_at.is_(None),
                                              Deadline.overdue_at.is_(None)).values(met_at=now))


def move_earlier(session: Session, case: Case, kind: str, due_at: dt.datetime) -> None:
    session.execute(sa.update(Deadline).where(Deadline.case_id == case.id, Deadline.kind == kind,
                                              Deadline.met_at.is_(None), Deadline.overdue_at.is_(None),
                                              Deadline.due_at > due_at).values(due_at=due_at))


def publish_overdue(session: Session, now: dt.datetime, limit: int = 200) -> int:
    """Mark missed deadlines and publish `case.overdue` once for each (rows locked: replicas skip them)."""
    missed = session.execute(
        sa.select(Deadline, Case).join(Case, Case.id == Deadline.case_id)
        .where(Deadline.met_at.is_(None), Deadline.overdue_at.is_(None), Deadline.due_at < now,
               Case.status != "closed")
        .order_by(Deadline.due_at).limit(limit).with_for_update(skip_locked=True, of=Deadline)).all()
    for deadline, case in missed:
        deadline.overdue_at = now
        outbox.add_event(session, service="cases", subject=case.case_code, commune_code=case.commune_code,
                         data=CaseOverdue(case_code=case.case_code, commune_code=case.commune_code,
                                          case_type=CaseType(case.case_type), risk_level=RiskLevel(case.risk_level),
                                          status=case.status, deadline=deadline.kind, due_at=deadline.due_at,
                                          detected_at=now))
    return len(missed)
