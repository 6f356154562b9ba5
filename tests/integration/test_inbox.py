"""The inbox on PostgreSQL: one statement per delivery, and concurrent deliveries of one event apply once."""
import threading
import uuid

import pytest

from services.common import inbox
from tests.support.outbox_fixtures import runner_for
from tests.unit.test_inbox import check_first_delivery_once_in_one_statement

pytestmark = pytest.mark.integration


@pytest.fixture
def runner(postgres):
    return runner_for(postgres.create("inbox"))


def test_a_delivery_is_recorded_once_in_one_statement(runner):
    check_first_delivery_once_in_one_statement(runner)


def test_concurrent_deliveries_of_one_event_record_it_once(runner):
    event_id, results = uuid.uuid4(), []
    inside = threading.Barrier(2)

    def deliver():
        with runner.transaction() as session:
            inside.wait(timeout=10)  # both transactions open before either inserts
            results.append(inbox.first_delivery(session, "reporting.on_plan_issued", event_id))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
