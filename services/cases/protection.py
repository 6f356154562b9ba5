"""Protection and support: measures and services, escalations and referrals, the trusted addresses."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases import audit, deadlines, rules
from services.cases.casework import facts, find_case, record_transition
from services.cases.models import Case, Measure, Referral, TrustedAddress
from services.cases.schemas import MeasureIn, MeasureUpdate, ReferralIn, ReferralResponse, TrustedAddressIn
from services.cases.sealing import Sealer
from services.cases.timers import TimerPolicy, check_no_contact_period, no_contact_decision_due
from services.common import outbox
from services.common.auth import Principal
from services.common.errors import Conflict, Forbidden, NotFound, Unprocessable
from services.common.events.contracts import (
    Authority,
    CaseEscalated,
    CaseMeasureRecorded,
    CaseReferred,
    MeasureDecision,
    MeasureKind,
    ReferralStatus,
)
from services.common.roles import Role

SERVICE = "cases"


# measures and services -------------------------------------------------------------
def _check_period(kind: str, starts_at, ends_at, policy: TimerPolicy) -> None:
    # aware moments only: the request schemas refuse naive ones
    if starts_at and ends_at:
        try:
            if kind == MeasureKind.NO_CONTACT_ORDER.value:
                check_no_contact_period(starts_at, ends_at, policy)
            elif ends_at < starts_at:
                raise ValueError("Thời điểm kết thúc trước thời điểm bắt đầu.")
        except ValueError as exc:
            raise Unprocessable(str(exc), fields=[{"field": "ends_at", "problem": str(exc)}]) from None


def add_measure(session: Session, principal: Principal, case_code: str, body: MeasureIn, sealer: Sealer,
                policy: TimerPolicy, now: dt.datetime) -> Measure:
    case = find_case(session, principal, case_code)
    if body.kind is MeasureKind.SHELTER:
        if not body.trusted_address_id or session.scalars(sa.select(TrustedAddress.id).where(
                TrustedAddress.id == body.trusted_address_id, TrustedAddress.commune_code == case.commune_code,
                TrustedAddress.active.is_(True))).first() is None:
            raise Unprocessable("Tạm lánh cần một địa chỉ tin cậy đang hoạt động của xã.",
                                fields=[{"field": "trusted_address_id", "problem": "không có trong danh sách"}])
    if body.kind is MeasureKind.NO_CONTACT_ORDER and (body.starts_at or body.ends_at):
        raise Conflict("Cấm tiếp xúc được yêu cầu trước; thời hạn do Chủ tịch UBND xã quyết định.",
                       code="order_not_granted")
    _check_period(body.kind.value, body.starts_at, body.ends_at, policy)
    measure = Measure(id=str(uuid.uuid4()), case_id=case.id, kind=body.kind.value, provider=body.provider,
                      trusted_address_id=body.trusted_address_id, requested_at=now, starts_at=body.starts_at,
                      ends_at=body.ends_at, notes_sealed=sealer.seal({"notes": body.notes}) if body.notes else None,
                      recorded_by=principal.subject)
    if body.kind is MeasureKind.NO_CONTACT_ORDER:
        # requested now: the chairman decides within the legal time (12 hours by default)
        measure.decision_due_at = no_contact_decision_due(now, policy)
        deadlines.open_deadline(session, case, "no_contact_decision", measure.decision_due_at, measure.id)
    session.add(measure)
    case.updated_at = now
    audit.record(session, principal, case, f"case.measure.{body.kind.value}", now)
    _publish_measure(session, case, measure, now)
    return measure


def _publish_measure(session: Session, case: Case, measure: Measure, now: dt.datetime) -> None:
    """Its kind and decision only: notes, providers and shelters can point at people and places."""
    outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code,
                     data=CaseMeasureRecorded(**facts(case), measure_id=uuid.UUID(measure.id),
                                              kind=MeasureKind(measure.kind),
                                              decision=MeasureDecision(measure.decision) if measure.decision else None,
                                              recorded_at=measure.requested_at, status_changed_at=now))


def update_measure(session: Session, principal: Principal, case_code: str, measure_id: str, body: MeasureUpdate,
                   sealer: Sealer, policy: TimerPolicy, now: dt.datetime, reason: str | None = None) -> Measure:
    """`reason`: why the caller acts on the case, kept sealed in the audit log."""
    case = find_case(session, principal, case_code)
    measure = session.scalars(sa.select(Measure).where(Measure.id == measure_id, Measure.case_id == case.id)).first()
    if measure is None:
        raise NotFound("Không tìm thấy biện pháp.", code="measure_not_found")
    is_order = measure.kind == MeasureKind.NO_CONTACT_ORDER.value
    if body.decision is not None and is_order and principal.role is not Role.COMMUNE_LEADER:
        raise Forbidden("Quyết định cấm tiếp xúc thuộc thẩm quyền Chủ tịch UBND xã.", code="wrong_role")
    if body.decision is not None:
        if measure.decision is not None:
            raise Conflict("Biện pháp đã được quyết định.", code="already_decided")
        measure.decision, measure.decided_at = body.decision.value, now
        if measure.kind == MeasureKind.NO_CONTACT_ORDER.value:
            deadlines.meet(session, case, "no_contact_decision", now, measure.id)
        _publish_measure(session, case, measure, now)
    starts_at = body.starts_at or measure.starts_at
    ends_at = body.ends_at or measure.ends_at
    if is_order and (starts_at or ends_at):
        if measure.decision != "granted":
            raise Conflict("Chỉ đặt thời hạn cho quyết định cấm tiếp xúc đã được chấp thuận.", code="order_not_granted")
        if not (starts_at and ends_at):
            raise Unprocessable("Quyết định cấm tiếp xúc cần cả thời điểm bắt đầu và kết thúc.",
                                fields=[{"field": "ends_at" if starts_at else "starts_at", "problem": "bắt buộc"}])
    _check_period(measure.kind, starts_at, ends_at, policy)
    measure.starts_at, measure.ends_at = starts_at, ends_at
    if body.outcome:
        measure.outcome = body.outcome
    if body.notes:
        measure.notes_sealed = sealer.seal({"notes": body.notes})
    case.updated_at = now
    audit.record(session, principal, case, f"case.measure.update.{measure.kind}", now, sealer.seal_text(reason))
    return measure


# escalations and referrals -----------------------------------------------------------
def _publish(session: Session, case: Case, referral: Referral, now: dt.datetime) -> None:
    common = dict(**facts(case), referral_id=uuid.UUID(referral.id), referral_status=ReferralStatus(referral.status),
                  status_changed_at=now)
    data: CaseEscalated | CaseReferred
    if referral.kind == "escalation":
        data = CaseEscalated(**common, escalated_to=Authority(referral.authority), escalated_at=referral.created_at)
    else:
        data = CaseReferred(**common, referred_to=Authority(referral.authority), referred_at=referral.created_at,
                            consent_override=referral.consent_override_sealed is not None)
    outbox.add_event(session, service=SERVICE, subject=case.case_code, commune_code=case.commune_code, data=data)


def refer(session: Session, principal: Principal, case_code: str, kind: str, body: ReferralIn, sealer: Sealer,
          now: dt.datetime) -> Referral:
    """kind: "escalation" (to a competent authority) or "referral" (to a service provider or agency)."""
    case = find_case(session, principal, case_code)
    target = rules.CaseStatus.ESCALATED if kind == "escalation" else rules.CaseStatus.REFERRED
    if case.status != target.value:
        rules.check_transition(case.status, target)
    if not case.consent_sharing:
        if not body.consent_override_reason:
            raise Conflict("Người bị hại chưa đồng ý chia sẻ thông tin: cần lý do để chuyển mà không có đồng ý.",
                           code="sharing_consent_missing",
                           fields=[{"field": "consent_override_reason", "problem": "bắt buộc khi chưa có đồng ý"}])
        audit.record(session, principal, case, "case.consent.override", now,
                     sealer.seal_text(body.consent_override_reason))
    referral = Referral(id=str(uuid.uuid4()), case_id=case.id, kind=kind, authority=body.authority.value,
                        status=ReferralStatus.PENDING.value, reason_sealed=sealer.seal({"reason": body.reason}),
                        consent_override_sealed=(sealer.seal({"reason": body.consent_override_reason})
                                                 if not case.consent_sharing else None),
                        created_by=principal.subject, created_at=now)
    session.add(referral)
    if case.status != target.value:
        record_transition(session, principal, case, target, now, body.reason, sealer)
    audit.record(session, principal, case, f"case.{kind}", now)
    session.flush()
    _publish(session, case, referral, now)
    return referral


NEXT = {"accept": ({ReferralStatus.PENDING}, ReferralStatus.ACCEPTED),
        "reject": ({ReferralStatus.PENDING}, ReferralStatus.REJECTED),
        "done": ({ReferralStatus.ACCEPTED}, ReferralStatus.DONE)}


def respond(session: Session, principal: Principal, case_code: str, referral_id: str, action: str,
            body: ReferralResponse, sealer: Sealer, now: dt.datetime) -> Referral:
    """Record the receiver's answer: accept or reject (with a reason), then done."""
    case = find_case(session, principal, case_code)
    referral = session.scalars(sa.select(Referral).where(Referral.id == referral_id,
                                                         Referral.case_id == case.id)).first()
    if referral is None:
        raise NotFound("Không tìm thấy yêu cầu chuyển.", code="referral_not_found")
    allowed_from, to = NEXT[action]
    if ReferralStatus(referral.status) not in allowed_from:
        raise Conflict(f"Yêu cầu đang ở trạng thái '{referral.status}': không thể '{action}'.",
                       code="illegal_referral_transition")
    if to is ReferralStatus.REJECTED and not body.reason:
        raise Unprocessable("Từ chối cần nêu lý do.", fields=[{"field": "reason", "problem": "bắt buộc khi từ chối"}])
    referral.status = to.value
    if to is ReferralStatus.DONE:
        referral.done_at = now
    else:
        referral.responded_at = now
        if body.reason:
            referral.response_reason_sealed = sealer.seal({"reason": body.reason})
    case.updated_at = now
    audit.record(session, principal, case, f"case.{referral.kind}.{action}", now)
    _publish(session, case, referral, now)
    return referral


# trusted addresses ------------------------------------------------------------------
def add_trusted_address(session: Session, principal: Principal, commune_code: str, body: TrustedAddressIn,
                        sealer: Sealer, now: dt.datetime) -> TrustedAddress:
    principal.require_commune(commune_code)
    address = TrustedAddress(id=str(uuid.uuid4()), commune_code=commune_code,
                             details_sealed=sealer.seal({"name": body.name, "village": body.village,
                                                         "address": body.address, "contact": body.contact}),
                             capacity=body.capacity, active=True, created_at=now)
    session.add(address)
    audit.record(session, principal, None, "trusted_address.add", now, commune_code=commune_code)
    return address


def list_trusted_addresses(session: Session, principal: Principal, commune_code: str,
                           now: dt.datetime) -> list[TrustedAddress]:
    principal.require_commune(commune_code)
    audit.record(session, principal, None, "trusted_address.list", now, commune_code=commune_code)
    # in the order they were registered: names are sealed, the answer sorts them
    return list(session.scalars(sa.select(TrustedAddress).where(TrustedAddress.commune_code == commune_code)
                                .order_by(TrustedAddress.created_at, TrustedAddress.id)))
