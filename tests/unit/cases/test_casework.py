"""Casework run directly on SQLite: intake, lifecycle, risk, referrals, legal timers and retention, with
the events each writes and the personal data each keeps out of them."""
import datetime as dt
import json

import pytest
import sqlalchemy as sa

from services.cases import casework, deadlines, protection, retention, views
from services.cases.models import AuditEntry, Case
from services.cases.risk import RiskAssessment
from services.cases.schemas import (
    ConsentIn,
    LegalHoldIn,
    MeasureIn,
    MeasureUpdate,
    ReferralIn,
    ReferralResponse,
    TransitionIn,
)
from services.common.errors import Conflict, Forbidden, NotFound, Unprocessable
from tests.support.case_reports import NARRATIVE, PLACE, REPORTER, VICTIM, answers
from tests.unit.cases.conftest import LEADER, NOW, OTHER_WORKER, POLICY, SEALER, WORKER, report


def move(db, code, *statuses, principal=WORKER, at=NOW, reason="Đã xác minh tại nhà"):
    with db.transaction() as session:
        for status in statuses:
            casework.change_status(session, principal, code, TransitionIn(to_status=status, reason=reason), SEALER,
                                   at)


def sweep(db, at) -> int:
    with db.transaction() as session:
        return deadlines.publish_overdue(session, at)


def test_a_critical_case_is_published_as_urgent_with_no_personal_data_anywhere_in_plain(db):
    code = report(db)
    [event] = db.events("case.reported.v1")
    assert event["subject"] == code
    assert (event["data"]["risk_level"], event["data"]["urgent"], event["data"]["statistics_consent"]) == (
        "critical", True, True)
    with db.engine.connect() as connection:
        plain = repr([list(row) for row in connection.execute(sa.text("SELECT * FROM cases"))])
    written = json.dumps(db.events(), ensure_ascii=False) + plain
    for secret in (VICTIM["full_name"], VICTIM["phone"], VICTIM["address"], VICTIM["date_of_birth"], NARRATIVE,
                   PLACE, REPORTER, "Thôn Đông"):
        assert secret not in written
    with db.transaction() as session:
        case = casework.read_case(session, WORKER, code, NOW, "Chuẩn bị họp với Trần Thị Mai", SEALER)
        assert case is not None and case.verification_due_at == NOW + dt.timedelta(hours=2)
        assert [(e.action, SEALER.unseal_text(e.reason_sealed))
                for e in session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))] == [
            ("case.report", None), ("case.read", "Chuẩn bị họp với Trần Thị Mai")]
    with db.engine.connect() as connection:
        stored = repr([list(row) for table in ("cases", "case_audit_log")
                       for row in connection.execute(sa.text(f"SELECT * FROM {table}"))])
    for secret in ("Thôn Đông", "Trần Thị Mai"):  # the village, the reason given for reading
        assert secret not in stored and secret.encode() not in stored.encode()


def test_the_victims_data_is_shown_to_case_workers_only(db):
    code = report(db)
    with db.transaction() as session:
        case = casework.find_case(session, WORKER, code)
        for_worker = views.case_view(session, case, WORKER, SEALER, NOW).model_dump(mode="json", by_alias=True)
        for_leader = views.case_view(session, case, LEADER, SEALER, NOW).model_dump(mode="json", by_alias=True)
    assert for_worker["victim"]["full_name"] == VICTIM["full_name"] and for_worker["village"] == "Thôn Đông"
    assert for_worker["incidents"][0]["narrative"] == NARRATIVE
    assert not {"victim", "intake", "village", "incidents"} & set(for_leader)
    assert for_leader["transitions"] == [{"from": None, "to": "reported", "actor_role": "case_worker",
                                          "at": "2026-11-02T01:00:00Z"}]  # no reason key for the leader
    assert VICTIM["full_name"] not in json.dumps(for_leader, ensure_ascii=False)


def test_verifying_in_time_publishes_case_verified_and_no_overdue(db):
    code = report(db)
    move(db, code, "verifying", "verified", at=NOW + dt.timedelta(hours=1))
    [verified] = db.events("case.verified.v1")
    assert verified["data"]["status"] == "verified"
    assert sweep(db, NOW + dt.timedelta(days=30)) == 0


def test_a_missed_verification_is_published_once(db):
    code = report(db, risk_assessment=None)  # medium until assessed: 48 hours
    assert sweep(db, NOW + dt.timedelta(hours=47)) == 0
    assert sweep(db, NOW + dt.timedelta(hours=49)) == 1
    assert sweep(db, NOW + dt.timedelta(hours=50)) == 0
    [overdue] = db.events("case.overdue.v1")
    assert (overdue["subject"], overdue["data"]["deadline"]) == (code, "verification")
    assert overdue["data"]["due_at"].startswith("2026-11-04T01:00:00")


def test_transitions_follow_the_lifecycle(db):
    code = report(db)
    with pytest.raises(Conflict) as refused:
        move(db, code, "closed")
    assert refused.value.code == "illegal_transition"
    with pytest.raises(Conflict) as refused:
        move(db, code, "escalated")
    assert refused.value.code == "use_referral_endpoint"
    with pytest.raises(Unprocessable) as invalid:
        move(db, code, "archived")
    assert invalid.value.fields[0]["field"] == "to_status"
    with db.transaction() as session:
        assert casework.find_case(session, WORKER, code).status == "reported"


def test_closing_publishes_the_counts_and_stops_every_timer(db):
    code = report(db)
    with db.transaction() as session:
        protection.add_measure(session, WORKER, code, MeasureIn(kind="no_contact_order"), SEALER, POLICY, NOW)
    move(db, code, "verifying", "unfounded", "closed")
    [closed] = db.events("case.closed.v1")
    assert (closed["data"]["incidents"], closed["data"]["measures"]) == (1, 1)
    assert sweep(db, NOW + dt.timedelta(days=5)) == 0  # neither the verification nor the order's decision


def test_a_risk_raised_to_critical_is_urgent_once_and_tightens_the_verification(db):
    code = report(db, risk_assessment=None)
    critical = RiskAssessment.model_validate(answers(threats_to_kill=True, weapon_used_or_threatened=True))
    later = NOW + dt.timedelta(hours=1)
    with db.transaction() as session:
        case = casework.reassess_risk(session, WORKER, code, critical, SEALER, POLICY, later)
        assert case.verification_due_at == NOW + dt.timedelta(hours=2)  # from the report, not the reassessment
    with db.transaction() as session:
        casework.reassess_risk(session, WORKER, code, critical, SEALER, POLICY, later)
    assert [(e["data"]["urgent"], e["data"]["previous_risk_level"]) for e in db.events("case.risk_assessed.v1")] == [
        (True, "medium"), (False, "critical")]
    assert sweep(db, NOW + dt.timedelta(hours=3)) == 1  # the tightened deadline was missed


def test_another_communes_case_does_not_exist_for_any_use_case(db):
    code = report(db)
    with db.transaction() as session:
        assert casework.read_case(session, OTHER_WORKER, code, NOW, None, SEALER) is None
        for use in (lambda: casework.set_legal_hold(session, OTHER_WORKER, code,
                                                    LegalHoldIn(hold=True, reason="x"), SEALER, NOW),
                    lambda: protection.refer(session, OTHER_WORKER, code, "escalation",
                                             ReferralIn(authority="commune_police", reason="x"), SEALER, NOW)):
            with pytest.raises(NotFound) as missing:
                use()
            assert missing.value.code == "case_not_found"
    with pytest.raises(NotFound):
        move(db, code, "verifying", principal=OTHER_WORKER)
    assert [e["type"] for e in db.events()] == ["case.reported.v1"]


def test_a_referral_without_sharing_consent_needs_an_audited_override(db):
    code = report(db, consent={"services": True, "sharing": False, "statistics": False})
    body = {"authority": "social_work_centre", "reason": "Cần hỗ trợ tâm lý"}
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        protection.refer(session, WORKER, code, "referral", ReferralIn(**body), SEALER, NOW)
    assert refused.value.code == "sharing_consent_missing"
    with db.transaction() as session:
        referral = protection.refer(session, WORKER, code, "referral",
                                    ReferralIn(**body, consent_override_reason="Trẻ em, nguy cơ rất cao"), SEALER, NOW)
        overrides = session.scalars(sa.select(AuditEntry.reason_sealed)
                                    .where(AuditEntry.action == "case.consent.override"))
        assert [SEALER.unseal_text(sealed) for sealed in overrides] == ["Trẻ em, nguy cơ rất cao"]
    with db.engine.connect() as connection:
        assert "Trẻ em" not in repr(list(connection.execute(sa.text("SELECT * FROM case_audit_log"))))
    [referred] = db.events("case.referred.v1")
    assert referred["data"]["consent_override"] is True and referred["data"]["referral_id"] == referral.id
    assert "Trẻ em" not in json.dumps(db.events(), ensure_ascii=False)


def test_an_escalation_is_accepted_before_it_is_done_and_each_answer_is_published(db):
    code = report(db)
    with db.transaction() as session:
        escalation = protection.refer(session, WORKER, code, "escalation",
                                      ReferralIn(authority="commune_police", reason="Nguy cơ tái diễn"), SEALER, NOW)
    answer = ReferralResponse()
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        protection.respond(session, WORKER, code, escalation.id, "done", answer, SEALER, NOW)
    assert refused.value.code == "illegal_referral_transition"
    with pytest.raises(Unprocessable), db.transaction() as session:
        protection.respond(session, LEADER, code, escalation.id, "reject", answer, SEALER, NOW)  # needs a reason
    for action in ("accept", "done"):
        with db.transaction() as session:
            protection.respond(session, LEADER, code, escalation.id, action, answer, SEALER, NOW)
    assert [e["data"]["referral_status"] for e in db.events("case.escalated.v1")] == ["pending", "accepted", "done"]
    with db.transaction() as session:
        assert casework.find_case(session, WORKER, code).status == "escalated"


def test_a_no_contact_order_is_the_chairmans_decision_within_12_hours_for_at_most_3_days(db):
    code = report(db)
    move(db, code, "verifying", "verified", at=NOW + dt.timedelta(hours=1))  # the verification is in time
    with db.transaction() as session:
        order = protection.add_measure(session, WORKER, code, MeasureIn(kind="no_contact_order"), SEALER, POLICY,
                                       NOW)
        assert order.decision_due_at == NOW + dt.timedelta(hours=12)
    granted = MeasureUpdate(decision="granted", starts_at=NOW + dt.timedelta(hours=1),
                            ends_at=NOW + dt.timedelta(days=3, hours=1))
    with pytest.raises(Forbidden) as forbidden, db.transaction() as session:
        protection.update_measure(session, WORKER, code, order.id, granted, SEALER, POLICY, NOW)
    assert forbidden.value.code == "wrong_role"
    too_long = granted.model_copy(update={"ends_at": NOW + dt.timedelta(days=3, hours=2)})
    with pytest.raises(Unprocessable) as invalid, db.transaction() as session:
        protection.update_measure(session, LEADER, code, order.id, too_long, SEALER, POLICY, NOW)
    assert invalid.value.fields[0]["field"] == "ends_at"
    assert sweep(db, NOW + dt.timedelta(hours=13)) == 1  # the decision is late
    with db.transaction() as session:
        protection.update_measure(session, LEADER, code, order.id, granted, SEALER, POLICY,
                                  NOW + dt.timedelta(hours=14))
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        protection.update_measure(session, LEADER, code, order.id, MeasureUpdate(decision="refused"), SEALER,
                                  POLICY, NOW)
    assert refused.value.code == "already_decided"
    assert [e["data"]["deadline"] for e in db.events("case.overdue.v1")] == ["no_contact_decision"]
    # requested, then granted: each announced by its kind and decision only
    assert [(e["data"]["kind"], e["data"]["decision"]) for e in db.events("case.measure_recorded.v1")] == [
        ("no_contact_order", None), ("no_contact_order", "granted")]


def test_statistics_facts_travel_only_while_the_victim_consents(db):
    counted = report(db)
    uncounted = report(db, consent={"services": True, "sharing": True, "statistics": False})
    reported = {e["data"]["case_code"]: e["data"] for e in db.events("case.reported.v1")}
    assert reported[counted]["statistics"] == {"gbvims_type": "physical_assault", "victim_sex": "female",
                                               "victim_age_band": "25-59"}
    assert reported[uncounted]["statistics_consent"] is False and reported[uncounted]["statistics"] is None
    with db.transaction() as session:
        casework.set_consent(session, WORKER, counted, ConsentIn(services=True, sharing=True, statistics=False), NOW)
        casework.set_consent(session, WORKER, counted, ConsentIn(services=False, sharing=True, statistics=False), NOW)
        casework.set_consent(session, WORKER, uncounted, ConsentIn(services=True, sharing=True, statistics=True), NOW)
    changes = [(e["data"]["case_code"], e["data"]["statistics_consent"], e["data"]["statistics"])
               for e in db.events("case.statistics_consent_changed.v1")]
    assert changes == [(counted, False, None), (uncounted, True, {"gbvims_type": "physical_assault",
                                                                   "victim_sex": "female",
                                                                   "victim_age_band": "25-59"})]
    written = json.dumps(db.events(), ensure_ascii=False)
    for secret in (VICTIM["full_name"], VICTIM["phone"], VICTIM["address"], VICTIM["date_of_birth"]):
        assert secret not in written


def test_personal_data_is_erased_after_retention_unless_held_and_statistics_survive(db):
    erased, held = report(db), report(db)
    for code in (erased, held):
        move(db, code, "verifying", "unfounded", "closed")
    with db.transaction() as session:
        casework.set_legal_hold(session, LEADER, held, LegalHoldIn(hold=True, reason="Tòa án yêu cầu"), SEALER, NOW)
    with db.transaction() as session:
        assert retention.anonymise_expired(session, NOW + dt.timedelta(days=1824), 1825, SEALER) == []
        assert retention.anonymise_expired(session, NOW + dt.timedelta(days=1826), 1825, SEALER) == [erased]
    with db.transaction() as session:
        gone = casework.find_case(session, WORKER, erased)
        assert (gone.victim_sealed, gone.intake_sealed, gone.village_sealed) == (None, None, None)
        assert (gone.victim_sex, gone.victim_age_band, gone.case_type) == ("female", "25-59",
                                                                            "domestic_violence_physical")
        assert casework.find_case(session, WORKER, held).victim_sealed is not None
        assert session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2
    with pytest.raises(Conflict) as refused:
        move(db, erased, "verifying", at=NOW + dt.timedelta(days=1827))
    assert refused.value.code == "case_anonymised"
