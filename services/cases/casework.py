"""Casework: intake, reading, incidents, risk assessment, consent, lifecycle transitions, legal hold.

Every read and write of a case is audited here. Personal data is sealed before it reaches the
database and unsealed only for the commune's case workers.
"""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.cases import audit, deadlines, rules
from services.cases.gbvims import gbvims_type
from services.cases.models import Case, Incident, Measure, RiskAssessmentRecord, Transition
from services.cases.risk import assess
from services.cases.schemas import ConsentIn, IncidentIn, LegalHoldIn, ReportCase, TransitionIn
from services.cases.sealing import Sealer
from services.cases.statistics import age_band
from services.cases.timers import TimerPolicy, verification_due
from services.common import outbox
from services.common.auth import Principal
from services.common.errors import BadRequest, Conflict, NotFound
from services.common.events.contracts import (
    AgeBand,
    CaseClosed,
    CaseReported,
    CaseRiskAssessed,
    CaseStatisticsConsentChanged,
    CaseType,
    CaseVerified,
    IntakeChannel,
    RiskLevel,
    Sex,
    StatisticsFacts,
)

SERVICE = "cases"
URGENT = {RiskLevel.HIGH, RiskLevel.CRITICAL}


def facts(case: Case) -> dict:
    """The non-identifying attributes every case event carries."""
    return {"case_code": case.case_code, "commune_code": case.commune_code, "case_type": CaseType(case.case_type),
            "risk_level": RiskLevel(case.risk_level), "status": case.status}


def statistics_facts(case: Case) -> StatisticsFacts | None:
    """What statistics count of the case, only while its victim consents to them."""
    if not case.consent_statistics:
        return None
    return StatisticsFacts(gbvims_type=gbvims_type(case.case_type),
                           victim_sex=Sex(case.victim_sex) if case.victim_sex else None,
                           victim_age_band=AgeBand(case.victim_age_band) if case.victim_age_band else None)


def case_not_found() -> NotFound:
    return NotFound("Không tìm thấy vụ việc.", code="case_not_found")


def find_case(session: Session, principal: Principal, case_code: str) -> Case:
    """Another commune's case is indistinguishable from one that does not exist."""
    case = session.scalars(sa.select(Case).where(Case.case_code == case_code,
                                                 Case.commune_code == principal.commune_code)).first()
    if case is None:
        raise case_not_found()
    return case


def record_transition(session: Session, principal: Principal, case: Case, to: rules.CaseStatus, now: dt.datetime,
                reason: str | None, sealer: Sealer) -> None:
    session.add(Transition(case_id=case.id, from_status=case.status,
                           to_status=to.value, actor=principal.subject, actor_role=principal.role.value,
                           reason_sealed=sealer.seal({"reason": reason}) if reason else None, at=now))
    case.status, case.updated_at = to.value, now


def reported_with(session: Session, principal: Principal, idempotency_key: str) -> Case | None:
    """The case the caller reported in their commune with that Idempotency-Key, if any."""
    return session.scalars(sa.select(Case).where(Case.commune_code == principal.commune_code,
                                                 Case.reported_by == principal.subject,
                                                 Case.idempotency_key == idempotency_key)).first()


def report_case(session: Session, principal: Principal, body: ReportCase, sealer: Sealer, policy: TimerPolicy,
                now: dt.datetime, idempotency_key: str | None = None) -> tuple[Case, bool]:
    """Returns the case and whether it was recorded now (False: a retry of the intake with the same key).

    An `Idempotency-Key` belongs to the commune and the case worker: the same key again answers with the
    case it recorded first, with no second event or audit of the intake (the answer is audited as a read).
    Two requests with one key at once: the unique constraint fails the second's insert, which then
    answers with the first's case (PostgreSQL makes it wait for the first to commit)."""
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise BadRequest("Idempotency-Key phải dài từ 1 đến 200 ký tự.", code="invalid_idempotency_key",
                         fields=[{"field": "Idempotency-Key", "problem": "độ dài không hợp lệ"}])
    if idempotency_key is not None:
        earlier = reported_with(session, principal, idempotency_key)
        if earlier is not None:
            audit.record(session, principal, earlier, "case.read", now)
            return earlier, False
    reported_at = body.reported_at or now
    risk = assess(body.risk_assessment) if body.risk_assessment else RiskLevel.MEDIUM
    age = body.victim.age
    if age is None and body.victim.date_of_birth:
        born = body.victim.date_of_birth
        age = reported_at.year - born.year - ((reported_at.month, reported_at.day) < (born.month, born.day))
    verify_by = verification_due(reported_at, risk, policy)
    case = Case(id=str(uuid.uuid4()), case_code=rules.new_case_code(reported_at.year),
                commune_code=principal.commune_code, case_type=body.case_type.value, risk_level=risk.value,
                status=rules.CaseStatus.REPORTED.value, intake_channel=body.intake_channel.value,
                village_sealed=sealer.seal_text(body.village), reported_at=reported_at, reported_by=principal.subject,
                idempotency_key=idempotency_key, intake_sealed=sealer.seal(body.intake.model_dump(mode="json")),
                victim_sealed=sealer.seal(body.victim.model_dump(mode="json")), victim_sex=body.victim.sex.value,
                victim_age_band=age_band(None if age is None else max(age, 0)),
                vulnerabilities=[v.value for v in body.victim.vulnerabilities],
                consent_services=body.consent.services, consent_sharing=body.consent.sharing,
                consent_statistics=body.consent.statistics,
                verification_due_at=verify_by,
                chairman_notified_at=now if risk in URGENT else None, updated_at=now)
    try:
        with session.begin_nested():
            session.add(case)
            session.flush()
    except IntegrityError:
        earlier = reported_with(session, principal, idempotency_key) if idempotency_key is not None else None
        if earlier is None:
            raise
        audit.record(session, principal, earlier, "case.read", now)
        return earlier, False
    session.add(Transition(case_id=case.id, from_status=None, to_status=case.status, actor=principal.subject,
                           actor_role=principal.role.value, at=now))
    deadlines.open_deadline(session, case, "verification", verify_by)
    if body.risk_assessment:
        session.add(RiskAssessmentRecord(id=str(uuid.uuid4()), case_id=case.id, level=risk.value,
                                         answers_sealed=sealer.seal(body.risk_assessment.model_dump(mode="json")),
                                         assessed_by=principal.subject, assessed_at=now))
    if body.incident:
        _add_incident(session, principal, case, body.incident, sealer, now)
    audit.record(session, principal, case, "case.report", now)
    outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                     data=CaseReported(**facts(case), intake_channel=IntakeChannel(case.intake_channel),
                                       reported_at=reported_at, urgent=risk in URGENT,
                                       statistics_consent=case.consent_statistics,
                                       statistics=statistics_facts(case)))
    return case, True


def read_case(session: Session, principal: Principal, case_code: str, now: dt.datetime, reason: str | None,
              sealer: Sealer) -> Case | None:
    """The case, if it is the caller's commune's. Otherwise None, and the refused read is audited, with
    the same work (one lookup by code, one audit row) whether the case is another commune's or none at
    all: the caller cannot tell them apart, by answer or by time. The caller raises `case_not_found()`
    after committing, so that the audit row stays."""
    case = session.scalars(sa.select(Case).where(Case.case_code == case_code)).first()
    if case is None or case.commune_code != principal.commune_code:
        audit.record_refused_read(session, principal, case_code, case, now, sealer.seal_text(reason))
        return None
    audit.record(session, principal, case, "case.read", now, sealer.seal_text(reason))
    return case


def list_cases(session: Session, principal: Principal, now: dt.datetime,
               status: rules.CaseStatus | None = None) -> list[Case]:
    statement = sa.select(Case).where(Case.commune_code == principal.commune_code)
    if status is not None:
        statement = statement.where(Case.status == status.value)
    cases = list(session.scalars(statement.order_by(Case.reported_at.desc()).limit(500)))
    audit.record(session, principal, None, "case.list", now)
    return cases


def _add_incident(session: Session, principal: Principal, case: Case, body: IncidentIn, sealer: Sealer,
                  now: dt.datetime) -> Incident:
    details = {k: v for k, v in {"place": body.place, "narrative": body.narrative}.items() if v}
    incident = Incident(id=str(uuid.uuid4()), case_id=case.id, occurred_on=body.occurred_on,
                        incident_type=body.incident_type.value,
                        perpetrator_relationship=body.perpetrator_relationship.value,
                        details_sealed=sealer.seal(details) if details else None, recorded_by=principal.subject,
                        recorded_at=now)
    session.add(incident)
    return incident


def add_incident(session: Session, principal: Principal, case_code: str, body: IncidentIn, sealer: Sealer,
                 now: dt.datetime) -> Case:
    case = find_case(session, principal, case_code)
    _add_incident(session, principal, case, body, sealer, now)
    case.updated_at = now
    audit.record(session, principal, case, "case.incident.add", now)
    return case


def reassess_risk(session: Session, principal: Principal, case_code: str, answers, sealer: Sealer,
                  policy: TimerPolicy, now: dt.datetime) -> Case:
    case = find_case(session, principal, case_code)
    level = assess(answers)
    session.add(RiskAssessmentRecord(id=str(uuid.uuid4()), case_id=case.id, level=level.value,
                                     answers_sealed=sealer.seal(answers.model_dump(mode="json")),
                                     assessed_by=principal.subject, assessed_at=now))
    previous = RiskLevel(case.risk_level)
    urgent = level in URGENT and previous not in URGENT
    if urgent:
        case.chairman_notified_at = now
    case.risk_level, case.updated_at = level.value, now
    if case.status in (rules.CaseStatus.REPORTED.value, rules.CaseStatus.VERIFYING.value):
        due = verification_due(case.reported_at, level, policy)
        if case.verification_due_at is None or due < case.verification_due_at:
            case.verification_due_at = due
            deadlines.move_earlier(session, case, "verification", due)
    outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                     data=CaseRiskAssessed(**facts(case), previous_risk_level=previous, assessed_at=now,
                                           urgent=urgent))
    audit.record(session, principal, case, "case.risk.assess", now)
    return case


def set_consent(session: Session, principal: Principal, case_code: str, body: ConsentIn, now: dt.datetime) -> Case:
    case = find_case(session, principal, case_code)
    changed = case.consent_statistics != body.statistics
    case.consent_services, case.consent_sharing = body.services, body.sharing
    case.consent_statistics, case.updated_at = body.statistics, now
    audit.record(session, principal, case, "case.consent.set", now)
    if changed:  # statistics outside cases (reporting) recount; the other consents concern no one else
        outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                         data=CaseStatisticsConsentChanged(**facts(case), statistics_consent=case.consent_statistics,
                                                           statistics=statistics_facts(case), changed_at=now))
    return case


def change_status(session: Session, principal: Principal, case_code: str, body: TransitionIn, sealer: Sealer,
                  now: dt.datetime) -> Case:
    case = find_case(session, principal, case_code)
    target = rules.parse_status(body.to_status)
    if target in rules.VIA_REFERRAL:
        raise Conflict("Chuyển vụ việc lên cơ quan có thẩm quyền hoặc chuyển gửi qua /escalations hoặc /referrals.",
                       code="use_referral_endpoint")
    rules.check_transition(case.status, target)
    reopening = rules.is_reopening(case.status)
    if reopening and case.anonymised_at is not None:
        raise Conflict("Vụ việc đã xoá dữ liệu cá nhân theo thời hạn lưu trữ: không thể mở lại; hãy lập vụ việc mới.",
                       code="case_anonymised")
    record_transition(session, principal, case, target, now, body.reason, sealer)
    audit.record(session, principal, case, "case.reopen" if reopening else f"case.status.{target.value}", now)
    if reopening:
        case.closed_at = None
    if target in (rules.CaseStatus.VERIFIED, rules.CaseStatus.UNFOUNDED):
        deadlines.meet(session, case, "verification", now)
    if target is rules.CaseStatus.VERIFIED:
        outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                         data=CaseVerified(**facts(case), verified_at=now))
    if target is rules.CaseStatus.CLOSED:
        case.closed_at = now
        deadlines.close_all(session, case, now)
        outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                         data=CaseClosed(**facts(case), closed_at=now, incidents=_count(session, Incident, case),
                                         measures=_count(session, Measure, case)))
    return case


def set_legal_hold(session: Session, principal: Principal, case_code: str, body: LegalHoldIn, sealer: Sealer,
                   now: dt.datetime) -> Case:
    case = find_case(session, principal, case_code)
    case.legal_hold, case.updated_at = body.hold, now
    case.legal_hold_reason_sealed = sealer.seal({"reason": body.reason})
    audit.record(session, principal, case, "case.legal_hold." + ("set" if body.hold else "lift"), now)
    return case


def _count(session: Session, model, case: Case) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model).where(model.case_id == case.id)).scalar_one()
