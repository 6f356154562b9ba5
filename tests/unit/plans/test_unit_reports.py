"""Units' result reports, run directly on SQLite: lateness by Vietnam's calendar, revisions, retries,
returns and the lock an approval sets, and the events each writes."""
import datetime as dt
import uuid

import pytest

from services.common.auth import Principal
from services.common.errors import BadRequest, Conflict, Forbidden, Unprocessable
from services.common.events.contracts import CommuneReportApproved, CommuneReportReturned
from services.common.roles import Role
from services.plans import lifecycle, unit_reports
from services.plans.schemas import CreatePlan, ReturnReport, SubmitUnitReport
from services.plans.service import PlansService
from tests.support.plan_documents import COMMUNE, INDICATOR_TARGETS, document
from tests.support.plan_events import wire
from tests.unit.plans.conftest import NOW, OFFICER, reporter

# The deadline is "before 20/11/2026" in Vietnam (UTC+7): 19/11 23:59 local is on time.
LAST_MINUTE = dt.datetime(2026, 11, 19, 16, 59, tzinfo=dt.UTC)
FIRST_LATE_MINUTE = dt.datetime(2026, 11, 19, 17, 0, tzinfo=dt.UTC)
BODY = {"tasks": [{"task_code": "TC-1.1", "status": "done", "summary": "Đã tham mưu ban hành kế hoạch."},
                  {"task_code": "TC-1.2", "status": "in_progress"}],
        "indicator_values": [{"indicator_code": "BDG-CS-01", "female": 820, "male": 640}]}


@pytest.fixture
def plan_id(db):
    body = CreatePlan.model_validate({"commune_code": COMMUNE, "year": 2026, "document": document(),
                                      "indicator_targets": INDICATOR_TARGETS})
    with db.transaction() as session:
        plan, _ = lifecycle.create_plan(session, OFFICER, body, NOW)
        lifecycle.issue_plan(session, OFFICER, plan.id, NOW)
        return plan.id


def submit(db, plan_id, at, unit="VHXH", body=BODY, key=None):
    with db.transaction() as session:
        report, created = unit_reports.submit(session, reporter(unit), plan_id, SubmitUnitReport.model_validate(body),
                                              at, key)
        return report.id, report.revision, report.late, created


def test_a_report_is_late_from_the_first_minute_of_the_deadline_day_in_vietnam(db, plan_id):
    assert submit(db, plan_id, LAST_MINUTE)[1:] == (1, False, True)
    assert submit(db, plan_id, FIRST_LATE_MINUTE, unit="TYT",
                  body={"tasks": [{"task_code": "TC-2.1", "status": "done"}]})[1:] == (1, True, True)
    late = {e["data"]["unit_code"]: e["data"]["late"] for e in db.events("unit_report.submitted.v1")}
    assert late == {"VHXH": False, "TYT": True}


def test_a_submission_carries_each_task_and_value_as_reported(db, plan_id):
    submit(db, plan_id, LAST_MINUTE)
    [submitted] = db.events("unit_report.submitted.v1")
    assert submitted["data"]["tasks"] == [
        {"task_code": "TC-1.1", "status": "done", "summary": "Đã tham mưu ban hành kế hoạch."},
        {"task_code": "TC-1.2", "status": "in_progress", "summary": ""}]
    assert submitted["data"]["indicator_values"] == [
        {"indicator_code": "BDG-CS-01", "value": None, "female": 820.0, "male": 640.0}]


def test_an_attachment_is_announced_by_its_name_and_size_not_its_bytes(db, plan_id):
    report_id, *_ = submit(db, plan_id, LAST_MINUTE)
    content = "Biên bản buổi tuyên truyền.".encode()
    with db.transaction() as session:
        unit_reports.add_attachment(session, reporter("VHXH"), report_id, "bien-ban.txt", "text/plain", content, NOW)
    [added] = db.events("unit_report.attachment_added.v1")
    assert {k: added["data"][k] for k in ("report_id", "revision", "filename", "size", "content_type")} == {
        "report_id": report_id, "revision": 1, "filename": "bien-ban.txt", "size": len(content),
        "content_type": "text/plain"}
    assert "Biên bản" not in str(added)


def test_submitting_again_is_a_revision_that_supersedes_the_first(db, plan_id):
    first, *_ = submit(db, plan_id, LAST_MINUTE)
    second, revision, late, _ = submit(db, plan_id, FIRST_LATE_MINUTE)
    assert (revision, late) == (2, True)
    [revised] = db.events("unit_report.revised.v1")
    assert revised["data"]["previous_report_id"] == first and revised["data"]["report_id"] == second
    assert (revised["data"]["tasks_reported"], revised["data"]["tasks_done"]) == (2, 1)
    with db.transaction() as session:
        assert [r.status for r in unit_reports.list_reports(session, OFFICER, plan_id)] == ["superseded", "current"]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_submission(db, plan_id):
    first = submit(db, plan_id, LAST_MINUTE, key="vhxh-2026-a")
    again = submit(db, plan_id, FIRST_LATE_MINUTE, key="vhxh-2026-a")
    assert again == (first[0], 1, False, False)
    assert len(db.events()) == 2  # plan.issued and one unit_report.submitted
    with pytest.raises(BadRequest) as refused:
        submit(db, plan_id, LAST_MINUTE, key="k" * 201)
    assert refused.value.code == "invalid_idempotency_key"


def test_an_idempotency_key_reused_for_next_year_s_plan_submits_a_new_report(db, plan_id):
    this_year = submit(db, plan_id, LAST_MINUTE, key="bao-cao-vhxh")
    with db.transaction() as session:
        lifecycle.close_plan(session, OFFICER, plan_id, NOW)
    next_year = CreatePlan.model_validate({"commune_code": COMMUNE, "year": 2027, "document": document(),
                                           "indicator_targets": INDICATOR_TARGETS})
    with db.transaction() as session:
        plan, _ = lifecycle.create_plan(session, OFFICER, next_year, NOW)
        lifecycle.issue_plan(session, OFFICER, plan.id, NOW)
        next_plan = plan.id
    reused = submit(db, next_plan, LAST_MINUTE.replace(year=2027), key="bao-cao-vhxh")
    assert reused[0] != this_year[0] and reused[3] is True  # created, not last year's answered again
    with db.transaction() as session:
        assert [r.plan_id for r in unit_reports.list_reports(session, OFFICER, next_plan)] == [next_plan]


def test_an_idempotency_key_is_the_caller_s_own(db, plan_id):
    mine = submit(db, plan_id, LAST_MINUTE, key="k-1")
    with db.transaction() as session:
        colleague = Principal(subject="dong-nghiep", role=Role.UNIT_REPORTER, commune_code=COMMUNE, unit_code="VHXH")
        theirs, created = unit_reports.submit(session, colleague, plan_id, SubmitUnitReport.model_validate(BODY),
                                              LAST_MINUTE, "k-1")
        assert created and theirs.id != mine[0] and theirs.revision == 2


def test_a_unit_reports_only_its_own_tasks_and_indicators(db, plan_id):
    with pytest.raises(Forbidden) as forbidden:
        submit(db, plan_id, NOW, unit="KT")
    assert forbidden.value.code == "unit_not_in_plan"
    with pytest.raises(Unprocessable) as refused:
        submit(db, plan_id, NOW, body={"tasks": [{"task_code": "TC-2.1", "status": "done"}]})
    assert [f["field"] for f in refused.value.fields] == ["tasks.0.task_code"]
    with pytest.raises(Unprocessable) as refused:  # BDG-CS-01 is disaggregated by sex
        submit(db, plan_id, NOW, body={**BODY, "indicator_values": [{"indicator_code": "BDG-CS-01", "value": 3}]})
    assert {f["field"] for f in refused.value.fields} == {"indicator_values.0.value", "indicator_values.0.female",
                                                          "indicator_values.0.male"}
    assert db.events("unit_report.submitted.v1") == []


def test_a_returned_report_is_sent_back_once_with_its_revision(db, plan_id):
    report_id, *_ = submit(db, plan_id, NOW)
    reason = ReturnReport(reason="Thiếu số liệu theo giới của thôn Đông.")
    with db.transaction() as session:
        assert unit_reports.return_report(session, OFFICER, report_id, reason, NOW).status == "returned"
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        unit_reports.return_report(session, OFFICER, report_id, reason, NOW)
    assert refused.value.code == "report_not_current"
    [returned] = db.events("unit_report.returned.v1")
    assert (returned["data"]["report_id"], returned["data"]["revision"]) == (report_id, 1)
    # issue 9: returns travel with their reason (written by commune staff about the report) for the commune's report
    assert returned["data"]["reason"] == "Thiếu số liệu theo giới của thôn Đông."


def test_an_approved_year_locks_the_reports_once_whatever_the_redeliveries(db, plan_id):
    report_id, *_ = submit(db, plan_id, NOW)
    _, approval = wire(CommuneReportApproved(
        plan_id=uuid.UUID(plan_id), commune_code=COMMUNE, year=2026, units_expected=4, units_reported=4,
        approved_at=dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)))
    assert db.deliver(PlansService, approval) is True
    assert db.deliver(PlansService, approval) is False
    with pytest.raises(Conflict) as refused:
        submit(db, plan_id, NOW)
    assert refused.value.code == "reports_locked" and "01/12/2026" in refused.value.message
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        unit_reports.return_report(session, OFFICER, report_id, ReturnReport(reason="Sửa lại"), NOW)
    assert refused.value.code == "reports_locked"


def approval_of(plan_id: str, revision: int, day: int) -> bytes:
    return wire(CommuneReportApproved(
        plan_id=uuid.UUID(plan_id), commune_code=COMMUNE, year=2026, units_expected=4, units_reported=4,
        approved_at=dt.datetime(2026, 12, day, 2, 30, tzinfo=dt.UTC), revision=revision))[1]


def return_of(plan_id: str, revision: int, day: int) -> bytes:
    return wire(CommuneReportReturned(
        report_id=uuid.uuid4(), plan_id=uuid.UUID(plan_id), commune_code=COMMUNE, year=2026, revision=revision,
        category="incomplete", reason="Thiếu số liệu chỉ tiêu.",
        returned_at=dt.datetime(2026, 12, day, 8, 0, tzinfo=dt.UTC)))[1]


def locked(db, plan_id) -> bool:
    with db.transaction() as session:
        return unit_reports.lock_of(session, plan_id) is not None


def test_a_report_returned_by_the_province_unlocks_the_units_until_the_next_approval(db, plan_id):
    submit(db, plan_id, NOW)
    db.deliver(PlansService, approval_of(plan_id, 1, 1))
    assert locked(db, plan_id)
    assert db.deliver(PlansService, return_of(plan_id, 1, 3)) is True
    assert not locked(db, plan_id)
    assert submit(db, plan_id, NOW)[1] == 2  # the unit corrects its report: a new revision
    db.deliver(PlansService, approval_of(plan_id, 2, 5))
    assert locked(db, plan_id)


def test_a_return_consumed_before_its_approval_still_unlocks_and_a_late_one_does_not(db, plan_id):
    """The approval and the return travel on separate queues: either may come first."""
    db.deliver(PlansService, return_of(plan_id, 1, 3))
    db.deliver(PlansService, approval_of(plan_id, 1, 1))
    assert not locked(db, plan_id)
    db.deliver(PlansService, approval_of(plan_id, 2, 5))
    assert locked(db, plan_id)
    db.deliver(PlansService, return_of(plan_id, 1, 3))  # replayed from a dead-letter queue: changes nothing
    assert locked(db, plan_id)


def test_an_approval_naming_this_plan_for_another_commune_locks_nothing(db, plan_id):
    _, other = wire(CommuneReportApproved(
        plan_id=uuid.UUID(plan_id), commune_code="07531", year=2026, units_expected=1, units_reported=1,
        approved_at=NOW))
    assert db.deliver(PlansService, other) is True
    report_id, *_ = submit(db, plan_id, NOW)
    assert [e["data"]["report_id"] for e in db.events("unit_report.submitted.v1")] == [report_id]
