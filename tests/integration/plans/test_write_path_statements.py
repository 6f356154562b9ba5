"""Round trips of a unit report submission, counted through the real HTTP entrypoint on PostgreSQL.

A regression in the write path (a second read of the locks, a query for what was just created, a
pre-ping per checkout) fails here without timing anything: every statement the submitting worker
sends to the database is counted with SQLAlchemy's `before_cursor_execute` event.
"""
from __future__ import annotations

import pytest

from services.common.clock import FixedClock
from services.common.providers import Database
from services.plans.service import PlansService
from tests.integration.plans.conftest import NOW, Tokens
from tests.support.plan_documents import COMMUNE, DIRECTORY, INDICATOR_TARGETS, document
from tests.support.service_http import start_service
from tests.support.statements import StatementLog

pytestmark = pytest.mark.integration

MAX_STATEMENTS = 5


@pytest.fixture
def service(container_factory, postgres, amqp_uri, tmp_path):
    container, api = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path,
                                   FixedClock(NOW))
    database = next(d for d in container.dependencies if isinstance(d, Database))
    assert database.runner is not None
    statements = StatementLog(database.runner.engine)
    yield api, statements
    statements.close()


@pytest.fixture
def issued_plan(service):
    api, _ = service
    for unit in DIRECTORY:
        assert api.call("POST", f"/v1/communes/{COMMUNE}/units", Tokens.officer, json=unit).status_code == 201
    created = api.call("POST", "/v1/plans", Tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document(), "indicator_targets": INDICATOR_TARGETS})
    plan_id = created.json()["id"]
    assert api.call("POST", f"/v1/plans/{plan_id}/issue", Tokens.officer).status_code == 200
    return plan_id


BODY = {"tasks": [{"task_code": "TC-1.1", "status": "done", "summary": "Đã tham mưu ban hành kế hoạch."},
                  {"task_code": "TC-1.2", "status": "in_progress", "summary": "Đã tổ chức 3 buổi."}],
        "indicator_values": [{"indicator_code": "BDG-CS-01", "female": 820, "male": 640},
                             {"indicator_code": "BDG-CS-03", "value": 4}]}


def submit_counting(api, statements: StatementLog, plan_id: str, key: str) -> tuple[int, list[str]]:
    statements.clear()
    response = api.call("POST", f"/v1/plans/{plan_id}/unit-reports", Tokens.reporter("VHXH"), json=BODY,
                        headers={"Idempotency-Key": key})
    return response.status_code, statements.of_thread_that("INSERT INTO unit_reports")


def test_a_submission_and_a_revision_each_take_at_most_five_statements(service, issued_plan):
    api, statements = service
    status, first = submit_counting(api, statements, issued_plan, "first")
    assert status == 201
    assert len(first) <= MAX_STATEMENTS, "\n".join(first)
    status, revision = submit_counting(api, statements, issued_plan, "second")
    assert status == 201
    assert len(revision) <= MAX_STATEMENTS, "\n".join(revision)
    assert revision[-3].startswith("UPDATE unit_reports"), "the revision supersedes the one before"


def test_no_pre_ping_per_checkout(service):
    """A pre-ping is a round trip before every transaction, which the cursor events do not see."""
    _, statements = service
    assert statements.engine.pool._pre_ping is False  # noqa: SLF001 (the pool's only record of the option)


def test_a_plan_without_targets_reads_no_indicator_catalogue(service):
    api, statements = service
    for unit in DIRECTORY:
        assert api.call("POST", f"/v1/communes/{COMMUNE}/units", Tokens.officer, json=unit).status_code == 201
    created = api.call("POST", "/v1/plans", Tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document()})
    plan_id = created.json()["id"]
    assert api.call("POST", f"/v1/plans/{plan_id}/issue", Tokens.officer).status_code == 200
    statements.clear()
    response = api.call("POST", f"/v1/plans/{plan_id}/unit-reports", Tokens.reporter("VHXH"),
                        json={"tasks": BODY["tasks"]})
    assert response.status_code == 201, response.text
    sent = statements.of_thread_that("INSERT INTO unit_reports")
    assert not any("indicators" in line for line in sent), "\n".join(sent)
