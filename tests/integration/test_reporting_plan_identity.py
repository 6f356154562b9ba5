"""Reporting follows plan identity and closure, whatever order its queues deliver the events in.

Found in review: reporting ignored plan.closed.v1 and the plan id of unit reports, so after a plan was
closed and a new one issued for the same commune and year, the closed plan's reports counted for the
new one and the leader's approval listed the old plan's revisions.
"""
import json
import threading
import uuid
from datetime import UTC, date, datetime

import pytest
import requests
import sqlalchemy as sa

from services.common.events.contracts import PlanAmended, PlanClosed, UnitDissolved, UnitReportSubmitted
from services.common.tables import inbox_table
from services.ops.topology import consumer_topologies
from services.reporting.service import ReportingService
from tests.support.broker import Collector, delete_queues
from tests.support.plan_events import plan_issued, publish, units
from tests.support.service_http import refusal, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07573"
OFFICER, LEADER = token("commune_officer", COMMUNE), token("commune_leader", COMMUNE)
T0, T1, T2, T3 = (datetime(2026, month, 1, 2, 0, tzinfo=UTC) for month in (3, 5, 6, 7))


@pytest.fixture
def reporting(container_factory, postgres, amqp_uri, tmp_path):
    # only this test's events: drop what other tests left in reporting's queues
    delete_queues(amqp_uri, [t.queue for t in consumer_topologies({}) if t.queue.startswith("reporting.")])
    url = postgres.create("reporting")
    _, api = start_service(container_factory, ReportingService, url, amqp_uri, tmp_path)
    engine = sa.create_engine(url)
    yield api, engine
    engine.dispose()


def status(api, year: int = 2026) -> dict:
    response = api.call("GET", f"/v1/communes/{COMMUNE}/years/{year}/status", OFFICER)
    assert response.status_code == 200, response.text
    return response.json()


def publish_applied(amqp_uri: str, engine, data) -> None:
    """Publish an event and wait until reporting has applied it (its inbox row): one event at a time."""
    event_id = publish(amqp_uri, data)

    def applied():
        with engine.connect() as connection:
            return connection.scalar(sa.select(sa.func.count()).select_from(inbox_table).where(
                inbox_table.c.event_id == str(event_id)))
    wait_until(applied, timeout=20)


def submitted(plan_id: uuid.UUID, unit: str, *, revision: int = 1, year: int = 2026) -> UnitReportSubmitted:
    return UnitReportSubmitted(report_id=uuid.uuid4(), plan_id=plan_id, commune_code=COMMUNE, year=year,
                               unit_code=unit, revision=revision, submitted_at=T2, late=False, tasks_reported=1,
                               tasks_done=1)


def closed(plan_id: uuid.UUID, at: datetime = T1, year: int = 2026) -> PlanClosed:
    return PlanClosed(plan_id=plan_id, commune_code=COMMUNE, year=year, closed_at=at)


def test_a_closed_plans_reports_count_neither_for_the_next_plan_nor_in_its_approval(reporting, amqp_uri):
    api, engine = reporting
    approvals = Collector(amqp_uri, [("reporting.events", "commune_report.approved.v1")])
    first = plan_issued(COMMUNE, ["U0", "U1", "U2"], issued_at=T0)
    publish_applied(amqp_uri, engine, first)
    for unit in ("U0", "U1"):
        publish_applied(amqp_uri, engine, submitted(first.plan_id, unit, revision=2))
    assert status(api)["counts"]["reported"] == 2
    publish(amqp_uri, closed(first.plan_id))
    second = plan_issued(COMMUNE, ["U0", "U1", "U3"], issued_at=T2)
    publish_applied(amqp_uri, engine, second)

    now = status(api)
    assert now["plan_id"] == str(second.plan_id)
    assert now["counts"] == {"expected": 3, "reported": 0, "missing": 3, "late": 0, "returned": 0}
    refused = api.call("POST", f"/v1/communes/{COMMUNE}/years/2026/approval", LEADER)
    assert refusal(refused) == (409, "units_missing")

    for unit in ("U0", "U1", "U3"):
        publish_applied(amqp_uri, engine, submitted(second.plan_id, unit))
    approved = api.call("POST", f"/v1/communes/{COMMUNE}/years/2026/approval", LEADER)
    assert approved.status_code == 201, approved.text
    assert approved.json()["plan_id"] == str(second.plan_id)
    assert [(u["unit_code"], u["revision"]) for u in approved.json()["units"]] == [("U0", 1), ("U1", 1), ("U3", 1)]
    approvals.collect(lambda got: len(got) >= 1)
    event = json.loads(approvals.messages[0].body)["data"]
    assert (event["plan_id"], event["units_expected"], event["units_reported"]) == (str(second.plan_id), 3, 3)
    approvals.close()


def test_events_out_of_order_across_queues_give_the_status_of_the_current_plan(reporting, amqp_uri):
    api, engine = reporting
    old_id, current = uuid.uuid4(), plan_issued(COMMUNE, ["U0", "U1", "U2"], issued_at=T2)
    # a unit's report, and the dissolution of another unit, before the plan they concern is issued
    publish_applied(amqp_uri, engine, submitted(current.plan_id, "U0"))
    publish_applied(amqp_uri, engine, UnitDissolved(commune_code=COMMUNE, unit_code="U2", active_to=date(2026, 9, 30)))
    publish_applied(amqp_uri, engine, current)
    # the plan it replaced, issued earlier, whose close has not arrived yet
    publish_applied(amqp_uri, engine, plan_issued(COMMUNE, ["U0", "U1", "U5"], plan_id=old_id, issued_at=T0))
    assert status(api)["plan_id"] == str(current.plan_id)  # the one issued last defines the year
    # then its close, and an amendment (made before the close) arriving after it
    publish_applied(amqp_uri, engine, closed(old_id))
    publish_applied(amqp_uri, engine, PlanAmended(
        plan_id=old_id, commune_code=COMMUNE, year=2026, version=2, previous_version=1, title="Kế hoạch",
        report_deadline=date(2026, 11, 20), units=units(["U0", "U1", "U6"]), changed_parts=["organisation"],
        amended_at=T0.replace(month=4)))
    publish_applied(amqp_uri, engine, submitted(old_id, "U1"))  # the old plan's report

    now = status(api)
    assert (now["plan_id"], now["plan_version"], now["plan_status"]) == (str(current.plan_id), 1, "issued")
    assert [(u["unit_code"], u["reported"]) for u in now["units"]] == [("U0", True), ("U1", False)]
    assert now["counts"] == {"expected": 2, "reported": 1, "missing": 1, "late": 0, "returned": 0}


def test_a_year_whose_only_plan_was_closed_shows_that_plan_closed(reporting, amqp_uri):
    api, engine = reporting
    plan = plan_issued(COMMUNE, ["U0", "U1"], year=2027, deadline=date(2027, 11, 20), issued_at=T0)
    publish_applied(amqp_uri, engine, closed(plan.plan_id, at=T3, year=2027))  # the close first
    publish_applied(amqp_uri, engine, plan)
    publish_applied(amqp_uri, engine, submitted(plan.plan_id, "U0", year=2027))

    now = status(api, 2027)
    assert (now["plan_id"], now["plan_status"], now["closed_at"]) == (str(plan.plan_id), "closed",
                                                                      "2026-07-01T02:00:00Z")  # T3
    assert now["counts"] == {"expected": 2, "reported": 1, "missing": 1, "late": 0, "returned": 0}
    assert status(api, 2028)["plan_id"] is None  # a year without any plan
    publish_applied(amqp_uri, engine, submitted(plan.plan_id, "U1", year=2027))
    approved = api.call("POST", f"/v1/communes/{COMMUNE}/years/2027/approval", LEADER)  # the year's record
    assert approved.status_code == 201 and approved.json()["plan_status"] == "closed"


def test_two_concurrent_approvals_one_is_approved_the_other_answers_409(reporting, amqp_uri):
    """Found in review: on PostgreSQL the second of two concurrent approvals hit the primary key (500)."""
    api, engine = reporting
    years = range(2031, 2039)
    for year in years:
        plan = plan_issued(COMMUNE, ["U0", "U1"], year=year, deadline=date(year, 11, 20))
        publish_applied(amqp_uri, engine, plan)
        for unit in ("U0", "U1"):
            publish_applied(amqp_uri, engine, submitted(plan.plan_id, unit, year=year))
    for year in years:
        answers: list[requests.Response] = []
        start = threading.Barrier(2)

        def approve(year=year, answers=answers, start=start):
            start.wait()
            answers.append(api.call("POST", f"/v1/communes/{COMMUNE}/years/{year}/approval", LEADER))

        racers = [threading.Thread(target=approve) for _ in range(2)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        assert refusal(next(a for a in answers if a.status_code == 409)) == (409, "already_approved")
