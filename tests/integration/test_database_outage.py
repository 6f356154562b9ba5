"""The database going away is not the fault of the events or requests that meet it.

Found by fault injection: a database outage over ~36 s used up the retry ladder (1, 5, 30 s) and turned
good events into dead letters, so reporting stayed wrong until an operator replayed them; HTTP answered
500 with a traceback per request. Now events are kept and applied once the database is back, HTTP
answers 503 with a JSON body, and the log says once that the database went away and once that it is back.

The reporting service runs with a TCP proxy between it and PostgreSQL, which the tests cut.
"""
import logging
import time
import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from services.common import metrics
from services.common.events.contracts import IssuedUnit, PlanIssued, UnitReportSubmitted, UnitRole
from services.common.events.envelope import build_event
from services.common.subscriber import queue_depth
from services.common.tables import inbox_table
from services.reporting.service import ReportingService
from tests.support.broker import delete_queues
from tests.support.probe import deliver_to
from tests.support.service_http import start_service, token
from tests.support.tcp_proxy import proxied
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07573"
UNITS = [f"U{n}" for n in range(6)]
CONSUMERS = ["reporting.on_plan_issued", "reporting.on_unit_report_submitted"]


@pytest.fixture
def reporting(container_factory, postgres, amqp_uri, tmp_path, caplog):
    """The reporting service behind a proxy to its database, and the proxy."""
    caplog.set_level(logging.INFO)
    delete_queues(amqp_uri, [queue + suffix for queue in CONSUMERS for suffix in ("", ".retry.1", ".dlq")])
    url = postgres.create("reporting")
    proxy, proxied_url = proxied(url)
    container, api = start_service(container_factory, ReportingService, proxied_url, amqp_uri, tmp_path)
    yield api, proxy, url
    container.stop()  # before the proxy goes, so that no green thread is left on its sockets
    proxy.cut()


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "services.common.outages"]


def tracebacks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def status(api) -> dict:
    return api.call("GET", f"/v1/communes/{COMMUNE}/years/2026/status", token("commune_officer", COMMUNE)).json()


def publish(amqp_uri, event_type: str, data) -> str:
    """Straight to reporting's queue for the type: no other test's queue bound to plans.events gets a copy."""
    event = build_event(service="plans", event_type=event_type, data=data, subject=None, commune_code=COMMUNE)
    queue = {"plan.issued.v1": CONSUMERS[0], "unit_report.submitted.v1": CONSUMERS[1]}[event_type]
    deliver_to(amqp_uri, queue, "plans.events", event.to_json_bytes(), message_id=str(event.id))
    return str(event.id)


def submitted(plan_id, unit: str) -> UnitReportSubmitted:
    return UnitReportSubmitted(report_id=uuid.uuid4(), plan_id=plan_id, commune_code=COMMUNE, year=2026,
                               unit_code=unit, revision=1, submitted_at=datetime.now(UTC), late=False,
                               tasks_reported=1, tasks_done=1)


def test_http_answers_503_with_a_json_body_while_the_database_is_down(reporting, caplog):
    api, proxy, _ = reporting
    assert "counts" in status(api)
    proxy.cut()
    try:
        answers = [api.call("GET", f"/v1/communes/{COMMUNE}/years/2026/status", token("commune_officer", COMMUNE))
                   for _ in range(5)]
    finally:
        proxy.restore()
    for answer in answers:
        assert answer.status_code == 503
        assert answer.headers["Content-Type"].startswith("application/json")
        assert answer.json()["error"]["code"] == "temporarily_unavailable"
        assert int(answer.headers["Retry-After"]) > 0
    wait_until(lambda: "counts" in status(api))
    [went, back] = outage_lines(caplog)
    assert went.startswith("database unreachable") and back.startswith("database reachable again")
    assert not tracebacks(caplog)


@pytest.mark.slow
def test_events_that_meet_a_two_minute_database_outage_are_applied_once_it_ends(reporting, amqp_uri, caplog):
    """Nothing dead-lettered, no attempt used up, every event applied once, and nobody had to act."""
    api, proxy, url = reporting
    plan_id = uuid.uuid4()
    units = [IssuedUnit(unit_code=code, name=f"Đơn vị {code}", role=UnitRole.COORDINATING, task_ids=["TC-1.1"])
             for code in UNITS]
    published = [publish(amqp_uri, "plan.issued.v1", PlanIssued(
        plan_id=plan_id, commune_code=COMMUNE, year=2026, version=1, title="Kế hoạch", units=units,
        report_deadline=date(2026, 11, 20), issued_at=datetime.now(UTC)))]
    wait_until(lambda: status(api)["counts"]["expected"] == len(UNITS))
    retried = {queue: metrics.EVENTS_RETRIED.labels("reporting", queue)._value.get() for queue in CONSUMERS}
    deferred = metrics.EVENTS_DEFERRED.labels("reporting", CONSUMERS[1])._value.get()

    proxy.cut()
    cut_at = time.monotonic()
    for unit in UNITS:  # events keep flowing while the database is away
        published.append(publish(amqp_uri, "unit_report.submitted.v1", submitted(plan_id, unit)))
        time.sleep(120 / len(UNITS))
    assert time.monotonic() - cut_at >= 120
    proxy.restore()

    wait_until(lambda: status(api)["counts"]["reported"] == len(UNITS), timeout=60)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        applied = connection.execute(sa.select(inbox_table.c.event_id).where(
            inbox_table.c.consumer.in_(CONSUMERS))).scalars().all()
    engine.dispose()
    assert sorted(applied) == sorted(published)  # each once: the inbox's key allows no second time
    for queue in CONSUMERS:
        assert queue_depth(amqp_uri, f"{queue}.dlq") == 0
        assert metrics.EVENTS_RETRIED.labels("reporting", queue)._value.get() == retried[queue]
    assert metrics.EVENTS_DEFERRED.labels("reporting", CONSUMERS[1])._value.get() > deferred
    [went, back] = outage_lines(caplog)
    assert went.startswith("database unreachable") and back.startswith("database reachable again")
    assert not tracebacks(caplog)
