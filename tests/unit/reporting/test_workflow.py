"""The commune report's workflow on SQLite: draft → approved → submitted → accepted or returned; every
transition recorded, every one not allowed a 409 with the state and what it allows; stored documents."""
import datetime as dt
import hashlib
import json
import uuid

import pytest

from services.common.errors import Conflict, NotFound
from services.common.events.contracts import ReturnCategory, UnitReportRevised, UnitReportSubmitted
from services.common.province_deadlines import ProvinceDeadlines
from services.reporting import workflow
from services.reporting.documents import DOCX_MEDIA_TYPE, XLSX_MEDIA_TYPE, render_docx, render_xlsx
from services.reporting.models import ReportDocument
from services.reporting.report_content import CommuneReport, ReportState
from services.reporting.schemas import OfficerTextIn, ReturnIn, SubmitIn
from tests.support.season_events import season
from tests.unit.reporting.conftest import (
    COMMUNE,
    LEADER,
    OFFICER,
    OTHER_LEADER,
    OTHER_PROVINCE,
    PLAN,
    PROVINCE,
    feed,
    feed_season,
    issued,
    returned,
    submitted,
)

DEADLINES = ProvinceDeadlines.from_config({})  # 15 December
ON_TIME = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 12, 15, 17, 0, tzinfo=dt.UTC)  # 16 December in Vietnam


def run(db, action, *args, principal=LEADER, at=ON_TIME):
    with db.transaction() as session:
        if action == "approve":
            return workflow.approve(session, principal, COMMUNE, 2026, at)
        if action == "submit":
            body = args[0] if args else SubmitIn(document_number="125")
            return workflow.submit(session, principal, COMMUNE, 2026, body, at, DEADLINES)
        if action == "accept":
            return workflow.accept(session, principal, COMMUNE, 2026, at)
        if action == "return":
            body = args[0] if args else ReturnIn(category="incomplete", reason="Thiếu số liệu chỉ tiêu.")
            return workflow.send_back(session, principal, COMMUNE, 2026, body, at)
        if action == "text":
            return workflow.write_text(session, principal, COMMUNE, 2026, args[0], at)
        return workflow.current_report(session, principal, COMMUNE, 2026, at)


def refused(db, action, *args, **kwargs) -> Conflict:
    with pytest.raises(Conflict) as caught:
        run(db, action, *args, **kwargs)
    return caught.value


@pytest.fixture
def ready(db):
    """A plan whose units have all reported."""
    feed(db, issued(codes=("VHXH", "TYT")), submitted("VHXH"), submitted("TYT"))
    return db


def test_a_year_without_a_plan_has_no_report_and_nothing_to_approve(db):
    assert refused(db, "approve").code == "no_plan"
    with pytest.raises(NotFound) as missing:
        run(db, "read", principal=OFFICER)
    assert missing.value.code == "report_not_found"


def test_approval_waits_for_every_unit_and_for_reports_sent_back(db):
    feed(db, issued(codes=("VHXH", "TYT")), submitted("VHXH"), submitted("TYT"), returned("TYT", 1))
    conflict = refused(db, "approve")
    assert conflict.code == "units_missing"
    assert conflict.fields == [{"field": "units", "problem": "TYT chưa có báo cáo hợp lệ"}]
    assert db.events() == []


def test_an_approval_is_announced_once_with_its_plan_and_revision(ready):
    assert run(ready, "approve").state is ReportState.APPROVED
    again = refused(ready, "approve")
    assert again.code == "already_approved"
    assert again.extra == {"state": "approved", "allowed_transitions": ["submit"]}
    [event] = ready.events("commune_report.approved.v1")
    assert uuid.UUID(event["data"]["plan_id"]) == PLAN
    assert (event["data"]["units_expected"], event["data"]["units_reported"], event["data"]["revision"]) == (2, 2, 1)


def test_another_communes_leader_or_province_finds_no_report(ready):
    for principal, action in ((OTHER_LEADER, "approve"), (OTHER_LEADER, "read"), (OTHER_PROVINCE, "read"),
                              (PROVINCE, "read"), (OTHER_PROVINCE, "accept")):
        with pytest.raises(NotFound) as missing:
            run(ready, action, principal=principal)
        assert missing.value.code == "report_not_found", (principal, action)  # the province: not until submitted
    assert ready.events() == []


def test_every_transition_the_state_does_not_allow_answers_409_with_the_state_and_what_is_allowed(ready):
    expected = {
        "draft": {"submit", "accept", "return"},
        "approved": {"accept", "return"},
        "submitted": {"approve", "submit"},
        "accepted": {"approve", "submit", "accept", "return"},
    }
    allowed = {"draft": ["approve"], "approved": ["submit"], "submitted": ["accept", "return"], "accepted": []}
    steps = [("approve", LEADER), ("submit", LEADER), ("accept", PROVINCE)]
    for state in ("draft", "approved", "submitted", "accepted"):
        for action in expected[state]:
            principal = PROVINCE if action in ("accept", "return") else LEADER
            conflict = refused(ready, action, principal=principal)
            assert conflict.code in ("transition_not_allowed", "already_approved"), (state, action)
            assert conflict.extra == {"state": state, "allowed_transitions": allowed[state]}, (state, action)
        if steps:
            action, principal = steps.pop(0)
            run(ready, action, principal=principal)
    text = refused(ready, "text", OfficerTextIn(achievements=["Sửa sau khi Sở đã nhận."]), principal=OFFICER)
    assert (text.code, text.extra["state"]) == ("report_not_editable", "accepted")


def test_a_submission_stores_its_documents_once_and_announces_their_hash(ready):
    run(ready, "text", OfficerTextIn(achievements=["Hoàn thành kế hoạch."]), principal=OFFICER)
    run(ready, "approve")
    submitted_report = run(ready, "submit", SubmitIn(document_number="125", document_date="2026-12-05"))
    assert submitted_report.header.number_line == "Số: 125/BC-UBND"
    assert submitted_report.header.place_date_line == "Sơn Hải, ngày 05 tháng 12 năm 2026"
    [event] = ready.events("commune_report.submitted.v1")
    with ready.transaction() as session:
        stored = session.get(ReportDocument, (event["data"]["report_id"], 1, "json"))
        content = stored.content
    assert event["data"]["content_hash"] == hashlib.sha256(content).hexdigest() == stored.sha256
    assert (event["data"]["document_number"], event["data"]["document_symbol"], event["data"]["late"]) == (
        "125", "BC-UBND", False)
    assert json.loads(content)["assessment"]["achievements"] == ["Hoàn thành kế hoạch."]
    # a unit's report changing at the source after submission changes the live projections, not what was sent
    feed(ready, submitted("VHXH", revision=2))
    assert run(ready, "read", principal=OFFICER).completeness.units[1].revision == 1
    assert run(ready, "read", principal=PROVINCE).model_dump(mode="json") == {
        **json.loads(content), "state": "submitted"}


def test_a_submission_stores_the_docx_and_xlsx_of_exactly_the_content_it_sends(ready):
    run(ready, "approve")
    run(ready, "submit", SubmitIn(document_number="125", document_date="2026-12-05"))
    [event] = ready.events("commune_report.submitted.v1")
    with ready.transaction() as session:
        stored = {f: session.get(ReportDocument, (event["data"]["report_id"], 1, f)) for f in ("json", "docx", "xlsx")}
    sent = CommuneReport.model_validate_json(stored["json"].content)
    assert stored["docx"].content == render_docx(sent)
    assert stored["xlsx"].content == render_xlsx(sent)
    for document in stored.values():
        assert document.sha256 == hashlib.sha256(document.content).hexdigest()
    assert (stored["docx"].media_type, stored["xlsx"].media_type) == (DOCX_MEDIA_TYPE, XLSX_MEDIA_TYPE)


def test_a_submission_after_the_provinces_deadline_is_taken_and_flagged_late(ready):
    run(ready, "approve")
    late = run(ready, "submit", at=LATE)
    assert late.state is ReportState.SUBMITTED and late.submission.late is True
    assert late.submission.province_deadline == dt.date(2026, 12, 15)
    assert ready.events("commune_report.submitted.v1")[0]["data"]["late"] is True


def test_the_province_deadline_is_set_per_province_and_year():
    deadlines = ProvinceDeadlines.from_config({
        "REPORTING_PROVINCE_DEADLINE": "12-10",
        "REPORTING_PROVINCE_DEADLINES": "24/2026=2026-12-20, 01/2027=2027-12-01"})
    assert deadlines.of("24", 2026) == dt.date(2026, 12, 20)
    assert deadlines.of("24", 2027) == dt.date(2027, 12, 10)
    assert deadlines.of("01", 2027) == dt.date(2027, 12, 1)
    for bad in ({"REPORTING_PROVINCE_DEADLINE": "15/12"}, {"REPORTING_PROVINCE_DEADLINE": "02-30"},
                {"REPORTING_PROVINCE_DEADLINES": "99/2026=2026-12-01"}, {"REPORTING_PROVINCE_DEADLINES": "24=x"}):
        with pytest.raises(ValueError, match="REPORTING_PROVINCE_DEADLINE"):
            ProvinceDeadlines.from_config(bad)


def test_a_return_unlocks_units_and_the_next_submission_is_a_new_revision(db):
    sơn_hải = season(COMMUNE, units=6, tasks=8, indicators=3, cases=6, plan_id=PLAN)
    feed_season(db, sơn_hải.events)
    feed(db, submitted(sơn_hải.missing[0]))  # every unit has reported
    run(db, "approve")
    run(db, "submit", SubmitIn(document_number="125"))
    back = run(db, "return", ReturnIn(category=ReturnCategory.INCONSISTENT, reason="Số liệu chỉ tiêu CT-01 lệch."),
               principal=PROVINCE)
    assert (back.state, back.revision) == (ReportState.RETURNED, 2)
    [event] = db.events("commune_report.returned.v1")
    assert (event["data"]["revision"], event["data"]["category"], event["data"]["reason"]) == (
        1, "inconsistent", "Số liệu chỉ tiêu CT-01 lệch.")
    # the commune corrects: a unit revises at the source, the officer rewrites, the leader approves revision 2
    unit = sơn_hải.units[0]
    first = next(e for e in sơn_hải.events if getattr(e, "unit_code", None) == unit)
    assert isinstance(first, UnitReportSubmitted)
    feed(db, UnitReportRevised(**{**first.model_dump(), "revision": 2, "report_id": uuid.uuid4()},
                               previous_report_id=first.report_id))
    run(db, "text", OfficerTextIn(achievements=["Đã chỉnh số liệu."]), principal=OFFICER)
    assert run(db, "approve").revision == 2
    second = run(db, "submit", SubmitIn(document_number="131"))
    assert (second.revision, second.header.number) == (2, "131")
    run(db, "accept", principal=PROVINCE)
    assert [e["data"]["revision"] for e in db.events("commune_report.approved.v1")] == [1, 2]
    with db.transaction() as session:
        history = [(t.revision, t.from_state, t.to_state, t.actor_role, t.reason)
                   for t in workflow.transitions(session, PROVINCE, COMMUNE, 2026)]
        assert {d.revision for d in session.query(ReportDocument)} == {1, 2}  # the first as it was sent
    assert history == [(1, "draft", "approved", "commune_leader", None),
                       (1, "approved", "submitted", "commune_leader", None),
                       (1, "submitted", "returned", "province_officer", "Số liệu chỉ tiêu CT-01 lệch."),
                       (2, "returned", "approved", "commune_leader", None),
                       (2, "approved", "submitted", "commune_leader", None),
                       (2, "submitted", "accepted", "province_officer", None)]
