"""What awaits the commune chairman's decision: open cases of high or critical risk or escalated, and no-contact
orders requested but not decided yet. Case codes, levels and times only: no personal data. Every case listed
is an access, audited."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases import audit
from services.cases.casework import URGENT
from services.cases.models import Case, Deadline, Measure, Referral
from services.cases.rules import CaseStatus
from services.common.auth import Principal
from services.common.events.contracts import MeasureKind

FINISHED = (CaseStatus.CLOSED.value, CaseStatus.UNFOUNDED.value)
LIMIT = 500


@dataclass(frozen=True)
class Awaiting:
    urgent: list[Case]
    escalated_at: dict[str, dt.datetime]  # case id -> its latest escalation
    verification_overdue: set[str]  # case ids
    orders: list[tuple[Measure, Case]]


def awaiting_decision(session: Session, principal: Principal, commune_code: str, now: dt.datetime) -> Awaiting:
    principal.require_commune(commune_code)
    open_cases = sa.and_(Case.commune_code == commune_code, Case.status.not_in(FINISHED))
    urgent = list(session.scalars(sa.select(Case).where(
        open_cases, sa.or_(Case.risk_level.in_([level.value for level in URGENT]),
                           Case.status == CaseStatus.ESCALATED.value))
        .order_by(Case.reported_at, Case.id).limit(LIMIT)))
    ids = [case.id for case in urgent]
    escalated_at: dict[str, dt.datetime] = {}
    for case_id, at in session.execute(sa.select(Referral.case_id, sa.func.max(Referral.created_at))
                                       .where(Referral.case_id.in_(ids), Referral.kind == "escalation")
                                       .group_by(Referral.case_id)):
        escalated_at[case_id] = at
    overdue = set(session.scalars(sa.select(Deadline.case_id).where(
        Deadline.case_id.in_(ids), Deadline.kind == "verification", Deadline.met_at.is_(None),
        Deadline.due_at < now)))
    orders = [(measure, case) for measure, case in session.execute(
        sa.select(Measure, Case).join(Case, Case.id == Measure.case_id)
        .where(open_cases, Measure.kind == MeasureKind.NO_CONTACT_ORDER.value, Measure.decision.is_(None))
        .order_by(Measure.decision_due_at, Measure.requested_at, Measure.id).limit(LIMIT)).tuples()]
    audit.record(session, principal, None, "case.awaiting_decision.list", now, commune_code=commune_code)
    shown = {case.id: case for case in urgent} | {case.id: case for _, case in orders}
    for case in shown.values():
        audit.record(session, principal, case, "case.awaiting_decision.read", now)
    return Awaiting(urgent, escalated_at, overdue, orders)
