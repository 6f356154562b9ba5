"""Use cases of the cases service. Every read and write of a case is audited here."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal, Role
from services.common.errors import NotFound
from services.common.events.contracts import (Authority, CaseEscalated, CaseReported, CaseType, IntakeChannel,
                                              RiskLevel)
from services.cases import rules
from services.cases.models import AuditEntry, Case, Escalation
from services.cases.schemas import EscalateCase, ReportCase
from services.cases.sealing import Sealer

SERVICE = "cases"


def audit(session: Session, principal: Principal, case: Case | None, action: str, now: dt.datetime,
          reason: str | None = None, commune_code: str | None = None) -> None:
    session.add(AuditEntry(case_id=case.id if case else None,
                           commune_code=case.commune_code if case else (commune_code or principal.commune_code),
                           actor=principal.subject, actor_role=principal.role.value, action=action,
                           reason=reason, at=now))


def case_view(case: Case, principal: Principal, sealer: Sealer) -> dict:
    view = {
        "case_code": case.case_code, "commune_code": case.commune_code, "case_type": case.case_type,
        "risk_level": case.risk_level, "status": case.status, "intake_channel": case.intake_channel,
        "village": case.village, "reported_at": case.reported_at.isoformat(),
    }
    if principal.role is Role.CASE_WORKER:  # personal data only for the commune's case workers
        view["victim"] = sealer.unseal(case.victim_sealed)
    return view


def report_case(session: Session, principal: Principal, body: ReportCase, sealer: Sealer,
                now: dt.datetime) -> Case:
    reported_at = body.reported_at or now
    case = Case(id=str(uuid.uuid4()), case_code=rules.new_case_code(reported_at.year),
                commune_code=principal.commune_code, case_type=body.case_type.value,
                risk_level=body.risk_level.value, status=rules.CaseStatus.REPORTED.value,
                intake_channel=body.intake_channel.value, village=body.village, reported_at=reported_at,
                reported_by=principal.subject, victim_sealed=sealer.seal(body.victim.model_dump(mode="json")),
                updated_at=now)
    session.add(case)
    session.flush()
    audit(session, principal, case, "case.report", now)
    outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                     data=CaseReported(case_code=case.case_code, commune_code=case.commune_code,
                                       case_type=CaseType(case.case_type), risk_level=RiskLevel(case.risk_level),
                                       status=case.status, intake_channel=IntakeChannel(case.intake_channel),
                                       reported_at=reported_at))
    return case


def find_case(session: Session, principal: Principal, case_code: str) -> Case:
    """Another commune's case is indistinguishable from one that does not exist."""
    case = session.scalars(sa.select(Case).where(Case.case_code == case_code,
                                                 Case.commune_code == principal.commune_code)).first()
    if case is None:
        raise NotFound("Không tìm thấy vụ việc.", code="case_not_found")
    return case


def read_case(session: Session, principal: Principal, case_code: str, now: dt.datetime,
              reason: str | None) -> Case:
    case = find_case(session, principal, case_code)
    audit(session, principal, case, "case.read", now, reason)
    return case


def list_cases(session: Session, principal: Principal, now: dt.datetime) -> list[Case]:
    cases = list(session.scalars(sa.select(Case).where(Case.commune_code == principal.commune_code)
                                 .order_by(Case.reported_at.desc()).limit(500)))
    audit(session, principal, None, "case.list", now)
    return cases


def escalate_case(session: Session, principal: Principal, case_code: str, body: EscalateCase,
                  now: dt.datetime) -> Case:
    case = find_case(session, principal, case_code)
    rules.check_can_escalate(case.status)
    case.status = rules.CaseStatus.ESCALATED.value
    case.updated_at = now
    session.add(Escalation(id=str(uuid.uuid4()), case_id=case.id, authority=body.authority.value,
                           reason=body.reason, escalated_by=principal.subject, escalated_at=now))
    audit(session, principal, case, "case.escalate", now, body.reason)
    outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                     data=CaseEscalated(case_code=case.case_code, commune_code=case.commune_code,
                                        case_type=CaseType(case.case_type), risk_level=RiskLevel(case.risk_level),
                                        status=case.status, escalated_to=Authority(body.authority),
                                        escalated_at=now))
    return case
