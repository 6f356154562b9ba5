"""The cases API's answers, built from the tables: one function per response model of schemas.py.

Personal data is unsealed here, and only for the commune's case workers.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.decisions import Awaiting
from services.cases.models import (
    AuditEntry,
    Case,
    Deadline,
    Incident,
    Measure,
    Referral,
    RiskAssessmentRecord,
    Transition,
    TrustedAddress,
)
from services.cases.schemas import (
    AuditEntryOut,
    AwaitingDecision,
    CaseOut,
    CaseSummary,
    DeadlineOut,
    IncidentOut,
    MeasureOut,
    PendingOrder,
    ReferralOut,
    RiskAssessmentOut,
    Statistics,
    TransitionOut,
    TrustedAddressOut,
    UrgentCase,
)
from services.cases.sealing import Sealer
from services.common.auth import Principal
from services.common.roles import Role


def case_view(session: Session, case: Case, principal: Principal, sealer: Sealer, now: dt.datetime) -> CaseOut:
    shows_personal_data = principal.role is Role.CASE_WORKER  # the commune's case workers only
    personal = {}
    if shows_personal_data:
        personal = {
            "village": sealer.unseal_text(case.village_sealed),
            "victim": sealer.unseal(case.victim_sealed) if case.victim_sealed else None,
            "intake": sealer.unseal(case.intake_sealed) if case.intake_sealed else None,
            "incidents": [incident_view(i, sealer) for i in session.scalars(
                sa.select(Incident).where(Incident.case_id == case.id).order_by(Incident.recorded_at))],
        }
    return CaseOut(
        case_code=case.case_code, commune_code=case.commune_code, case_type=case.case_type,
        risk_level=case.risk_level, status=case.status, intake_channel=case.intake_channel,
        reported_at=case.reported_at, victim_sex=case.victim_sex, victim_age_band=case.victim_age_band,
        vulnerabilities=case.vulnerabilities or [],
        consent={"services": case.consent_services, "sharing": case.consent_sharing,
                 "statistics": case.consent_statistics},
        verification_due_at=case.verification_due_at, legal_hold=case.legal_hold, closed_at=case.closed_at,
        anonymised=case.anonymised_at is not None,
        transitions=[transition_view(t, sealer, shows_personal_data) for t in session.scalars(
            sa.select(Transition).where(Transition.case_id == case.id).order_by(Transition.id))],
        measures=[measure_view(m) for m in session.scalars(
            sa.select(Measure).where(Measure.case_id == case.id).order_by(Measure.requested_at))],
        referrals=[referral_view(r) for r in session.scalars(
            sa.select(Referral).where(Referral.case_id == case.id).order_by(Referral.created_at))],
        risk_assessments=[RiskAssessmentOut(level=r.level, assessed_at=r.assessed_at) for r in session.scalars(
            sa.select(RiskAssessmentRecord).where(RiskAssessmentRecord.case_id == case.id)
            .order_by(RiskAssessmentRecord.assessed_at, RiskAssessmentRecord.id))],
        deadlines=[deadline_view(d, now) for d in session.scalars(
            sa.select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.due_at, Deadline.id))],
        **personal)


def deadline_view(deadline: Deadline, now: dt.datetime) -> DeadlineOut:
    return DeadlineOut(kind=deadline.kind, due_at=deadline.due_at, met_at=deadline.met_at,
                       overdue=deadline.met_at is None and (deadline.overdue_at is not None or deadline.due_at < now))


def open_deadlines(session: Session, cases: Iterable[Case]) -> dict[str, list[Deadline]]:
    """The running timers of these cases by case id, soonest due first (one query for all of them)."""
    by_case: dict[str, list[Deadline]] = defaultdict(list)
    ids = [case.id for case in cases]
    for start in range(0, len(ids), 500):
        for deadline in session.scalars(sa.select(Deadline).where(
                Deadline.case_id.in_(ids[start:start + 500]), Deadline.met_at.is_(None))
                .order_by(Deadline.due_at, Deadline.id)):
            by_case[deadline.case_id].append(deadline)
    return by_case


def transition_view(transition: Transition, sealer: Sealer, shows_personal_data: bool) -> TransitionOut:
    # a reason may name people: case workers only, and not after erasure
    reason = {}
    if shows_personal_data:
        reason["reason"] = sealer.unseal(transition.reason_sealed)["reason"] if transition.reason_sealed else None
    return TransitionOut(from_status=transition.from_status, to_status=transition.to_status,
                         actor_role=transition.actor_role, at=transition.at, **reason)


def incident_view(incident: Incident, sealer: Sealer) -> IncidentOut:
    details = sealer.unseal(incident.details_sealed) if incident.details_sealed else {}
    return IncidentOut(id=incident.id, occurred_on=incident.occurred_on, incident_type=incident.incident_type,
                       perpetrator_relationship=incident.perpetrator_relationship, place=details.get("place"),
                       narrative=details.get("narrative"))


def case_summary(case: Case, deadlines: list[Deadline], now: dt.datetime) -> CaseSummary:
    return CaseSummary(case_code=case.case_code, case_type=case.case_type, risk_level=case.risk_level,
                       status=case.status, intake_channel=case.intake_channel, reported_at=case.reported_at,
                       open_deadlines=[deadline_view(d, now) for d in deadlines])


def awaiting_decision_view(awaiting: Awaiting, now: dt.datetime) -> AwaitingDecision:
    return AwaitingDecision(
        urgent_cases=[UrgentCase(case_code=c.case_code, risk_level=c.risk_level, status=c.status,
                                 reported_at=c.reported_at, escalated_at=awaiting.escalated_at.get(c.id),
                                 verification_due_at=c.verification_due_at,
                                 verification_overdue=c.id in awaiting.verification_overdue)
                      for c in awaiting.urgent],
        no_contact_orders=[PendingOrder(case_code=c.case_code, measure_id=m.id, risk_level=c.risk_level,
                                        requested_at=m.requested_at, decision_due_at=m.decision_due_at,
                                        overdue=m.decision_due_at is not None and m.decision_due_at < now)
                           for m, c in awaiting.orders])


def measure_view(measure: Measure) -> MeasureOut:
    return MeasureOut(id=measure.id, kind=measure.kind, provider=measure.provider,
                      trusted_address_id=measure.trusted_address_id, requested_at=measure.requested_at,
                      decision_due_at=measure.decision_due_at, decided_at=measure.decided_at,
                      decision=measure.decision, starts_at=measure.starts_at, ends_at=measure.ends_at,
                      outcome=measure.outcome)


def referral_view(referral: Referral) -> ReferralOut:
    return ReferralOut(id=referral.id, kind=referral.kind, authority=referral.authority, status=referral.status,
                       created_at=referral.created_at, responded_at=referral.responded_at, done_at=referral.done_at,
                       consent_override=referral.consent_override_sealed is not None)


def trusted_address_view(address: TrustedAddress, sealer: Sealer) -> TrustedAddressOut:
    details = sealer.unseal(address.details_sealed)
    return TrustedAddressOut(id=address.id, name=details["name"], village=details.get("village"),
                             address=details["address"],
                             contact=details.get("contact"), capacity=address.capacity, active=address.active)


def audit_entry_view(entry: AuditEntry, sealer: Sealer) -> AuditEntryOut:
    return AuditEntryOut(at=entry.at, actor=entry.actor, actor_role=entry.actor_role, action=entry.action,
                         outcome=entry.outcome, case_code=entry.case_code, commune_code=entry.commune_code,
                         reason=sealer.unseal_text(entry.reason_sealed))


def statistics_view(counts: dict) -> Statistics:
    """`statistics_query.statistics`' counts."""
    return Statistics(**counts)
