"""Reporting's projections under concurrent events about the same commune's year.

A burst of plan events for one commune/year used to make concurrent handlers both insert the same
rows; the losers were retried and, after their retries, dead-lettered.
"""
import json
import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from services.common import metrics
from services.common.events.contracts import IssuedUnit, PlanIssued, UnitRole
from services.common.events.envelope import build_event
from services.common.tables import inbox_table
from services.reporting.models import ExpectedUnit, Plan
from services.reporting.service import ReportingService
from tests.support.broker import delete_queues, publish_raw
from tests.support.service_http import refusal, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07621"


def plan_issued(plan_id: uuid.UUID, version: int) -> bytes:
    units = [IssuedUnit(unit_code=f"U{n}", name=f"Đơn vị {n}", role=UnitRole.COORDINATING, task_ids=["TC-1.1"])
             for n in range(version % 3 + 2)]
    data = PlanIssued(plan_id=plan_id, commune_code=COMMUNE, year=2026, version=version, title="Kế hoạch",
                      report_deadline=date(2026, 11, 20), units=units, issued_at=datetime.now(UTC))
    return build_event(service="plans", event_type="plan.issued.v1", data=data, subject=str(plan_id),
                       commune_code=COMMUNE).to_json_bytes()


def test_a_burst_of_plan_events_for_one_commune_year_is_applied_without_retries(
        container_factory, postgres, amqp_uri, tmp_path):
    # only this test's events: drop what other tests left in the consumer's queue
    delete_queues(amqp_uri, ["reporting.on_plan_issued"])
    url = postgres.create("reporting")
    start_service(container_factory, ReportingService, url, amqp_uri, tmp_path)
    retried = metrics.EVENTS_RETRIED.labels("reporting", "reporting.on_plan_issued")._value.get()
    plan_id = uuid.uuid4()
    for version in range(1, 31):
        publish_raw(amqp_uri, "plans.events", "plan.issued.v1", plan_issued(plan_id, version))
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        wait_until(lambda: connection.scalar(sa.select(sa.func.count()).select_from(inbox_table).where(
            inbox_table.c.consumer == "reporting.on_plan_issued")) == 30, timeout=30)
        units = connection.scalars(sa.select(ExpectedUnit.unit_code).where(
            ExpectedUnit.plan_id == str(plan_id))).all()
        newest = connection.scalar(sa.select(Plan.version).where(Plan.plan_id == str(plan_id)))
    engine.dispose()
    assert metrics.EVENTS_RETRIED.labels("reporting", "reporting.on_plan_issued")._value.get() == retried
    assert newest == 30  # the newest version wins, whatever the order
    assert sorted(units) == ["U0", "U1"]  # version 30 has 30 % 3 + 2 = 2 units


def test_a_dissolved_unit_leaves_the_expected_set_unless_it_reported(container_factory, postgres, amqp_uri, tmp_path):
    from services.common.events.contracts import UnitDissolved, UnitReportSubmitted

    delete_queues(amqp_uri, ["reporting.on_plan_issued", "reporting.on_unit_dissolved",
                             "reporting.on_unit_report_submitted"])
    _, api = start_service(container_factory, ReportingService, postgres.create("reporting"), amqp_uri, tmp_path)
    plan_id = uuid.uuid4()
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", plan_issued(plan_id, 2))  # units U0, U1, U2, U3
    submitted = UnitReportSubmitted(report_id=uuid.uuid4(), plan_id=plan_id, commune_code=COMMUNE, year=2026,
                                    unit_code="U1", revision=1, submitted_at=datetime.now(UTC),
                                    late=False, tasks_reported=1, tasks_done=1)
    publish_raw(amqp_uri, "plans.events", "unit_report.submitted.v1", build_event(
        service="plans", event_type="unit_report.submitted.v1", data=submitted, subject=None,
        commune_code=COMMUNE).to_json_bytes())
    officer = token("commune_officer", COMMUNE)

    def status():
        return api.call("GET", f"/v1/communes/{COMMUNE}/years/2026/status", officer).json()

    wait_until(lambda: (status()["counts"]["expected"], status()["counts"]["reported"]) == (4, 1), timeout=20)
    for unit in ("U1", "U2"):
        publish_raw(amqp_uri, "plans.events", "unit.dissolved.v1", build_event(
            service="plans", event_type="unit.dissolved.v1", subject=unit, commune_code=COMMUNE,
            data=UnitDissolved(commune_code=COMMUNE, unit_code=unit, active_to=date(2026, 9, 30))).to_json_bytes())
    wait_until(lambda: {u["unit_code"] for u in status()["units"]} == {"U0", "U1", "U3"}, timeout=20)


def test_returns_consumed_before_their_submission_still_count_and_approval_waits_for_them(
        container_factory, postgres, amqp_uri, tmp_path):
    """Found in review: a return consumed before its submission (separate queues) was dropped."""
    from services.common.events.contracts import UnitReportReturned, UnitReportRevised, UnitReportSubmitted
    from tests.support.broker import Collector

    delete_queues(amqp_uri, ["reporting.on_plan_issued", "reporting.on_unit_report_submitted",
                             "reporting.on_unit_report_returned", "reporting.on_unit_report_revised"])
    _, api = start_service(container_factory, ReportingService, postgres.create("reporting"), amqp_uri, tmp_path)
    approvals = Collector(amqp_uri, [("reporting.events", "commune_report.approved.v1")])
    plan_id, now = uuid.uuid4(), datetime.now(UTC)
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", plan_issued(plan_id, 1))  # U0, U1, U2

    def send(event_type, data):
        publish_raw(amqp_uri, "plans.events", event_type, build_event(
            service="plans", event_type=event_type, data=data, subject=None, commune_code=COMMUNE).to_json_bytes())

    facts = dict(plan_id=plan_id, commune_code=COMMUNE, year=2026)
    first_u1 = uuid.uuid4()
    send("unit_report.returned.v1", UnitReportReturned(report_id=first_u1, unit_code="U1", revision=1,
                                                       returned_at=now, **facts))
    for unit in ("U0", "U1", "U2"):
        send("unit_report.submitted.v1", UnitReportSubmitted(
            report_id=first_u1 if unit == "U1" else uuid.uuid4(), unit_code=unit, revision=1, submitted_at=now,
            late=False, tasks_reported=1, tasks_done=1, **facts))
    officer, leader = token("commune_officer", COMMUNE), token("commune_leader", COMMUNE)
    url = f"/v1/communes/{COMMUNE}/years/2026"

    def counts():
        return api.call("GET", url + "/status", officer).json()["counts"]

    wait_until(lambda: counts() == {"expected": 3, "reported": 2, "missing": 1, "late": 0, "returned": 1},
               timeout=20)
    refused = api.call("POST", url + "/approval", leader)
    assert refusal(refused) == (409, "units_missing") and "U1" in refused.json()["error"]["message"]
    assert refusal(api.call("POST", url + "/approval", officer)) == (403, "wrong_role")  # the leader approves

    send("unit_report.revised.v1", UnitReportRevised(report_id=uuid.uuid4(), previous_report_id=first_u1,
                                                     unit_code="U1", revision=2, submitted_at=now, late=False,
                                                     tasks_reported=1, tasks_done=1, **facts))
    wait_until(lambda: counts()["reported"] == 3, timeout=20)
    approved = api.call("POST", url + "/approval", leader)
    assert approved.status_code == 201 and approved.json()["approved_at"]
    assert refusal(api.call("POST", url + "/approval", leader)) == (409, "already_approved")
    approvals.collect(lambda got: len(got) >= 1)
    event = json.loads(approvals.messages[0].body)
    assert event["data"]["units_expected"] == 3 and event["data"]["units_reported"] == 3
    approvals.close()
