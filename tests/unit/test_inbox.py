"""The inbox on SQLite (the embedded default); tests/integration/test_inbox.py runs the same on PostgreSQL."""
import uuid

import pytest

from services.common import inbox
from tests.support.outbox_fixtures import runner_for
from tests.support.statements import StatementLog


@pytest.fixture
def runner(tmp_path):
    return runner_for(f"sqlite:///{tmp_path}/inbox.db")


def check_first_delivery_once_in_one_statement(runner) -> None:
    statements = StatementLog(runner.engine)
    event_id = uuid.uuid4()
    try:
        for expected in (True, False, False):
            statements.clear()
            with runner.transaction() as session:
                assert inbox.first_delivery(session, "reporting.on_plan_issued", event_id) is expected
            assert len(statements.all) == 1, statements.all
            assert "ON CONFLICT DO NOTHING" in statements.all[0]
        with runner.transaction() as session:  # another consumer of the same event is a first delivery
            assert inbox.first_delivery(session, "notifications.on_plan_issued", event_id) is True
    finally:
        statements.close()


def test_a_delivery_is_recorded_once_in_one_statement(runner):
    check_first_delivery_once_in_one_statement(runner)
