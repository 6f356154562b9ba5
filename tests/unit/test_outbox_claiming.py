"""Outbox claiming on SQLite (the embedded default); the PostgreSQL variant is in tests/integration."""
from datetime import UTC, datetime, timedelta

import pytest

from services.common import outbox
from tests.support.outbox_fixtures import runner_for, write_events


@pytest.fixture
def runner(tmp_path):
    return runner_for(f"sqlite:///{tmp_path}/outbox.db")


def now():
    return datetime.now(UTC)


def test_add_event_refuses_an_event_of_another_producer(runner):
    from tests.support.outbox_fixtures import sample_plan_issued
    with pytest.raises(ValueError):
        with runner.transaction() as session:
            outbox.add_event(session, service="cases", data=sample_plan_issued(), subject=None, commune_code=None)


def test_rolled_back_transaction_leaves_no_event(runner):
    from tests.support.outbox_fixtures import pending_count, sample_plan_issued
    with pytest.raises(RuntimeError):
        with runner.transaction() as session:
            outbox.add_event(session, service="plans", data=sample_plan_issued(), subject=None, commune_code=None)
            raise RuntimeError("the state change failed")
    assert pending_count(runner) == 0


def test_claims_are_disjoint_and_in_order(runner):
    ids = write_events(runner, 5)
    with runner.transaction() as session:
        _, first = outbox.claim_batch(session, limit=3, lease_seconds=30, now=now())
    with runner.transaction() as session:
        _, second = outbox.claim_batch(session, limit=3, lease_seconds=30, now=now())
    assert [e.event_id for e in first] == ids[:3]
    assert [e.event_id for e in second] == ids[3:]


def test_an_expired_lease_can_be_claimed_again(runner):
    write_events(runner, 2)
    with runner.transaction() as session:
        _, batch = outbox.claim_batch(session, limit=10, lease_seconds=30, now=now())
    assert len(batch) == 2
    with runner.transaction() as session:
        _, none = outbox.claim_batch(session, limit=10, lease_seconds=30, now=now())
    assert none == []
    with runner.transaction() as session:
        _, again = outbox.claim_batch(session, limit=10, lease_seconds=30, now=now() + timedelta(seconds=31))
    assert len(again) == 2


def test_mark_sent_needs_the_current_claim_token(runner):
    write_events(runner, 1)
    with runner.transaction() as session:
        stale_token, batch = outbox.claim_batch(session, limit=10, lease_seconds=1, now=now())
    later = now() + timedelta(seconds=5)
    with runner.transaction() as session:
        token, again = outbox.claim_batch(session, limit=10, lease_seconds=30, now=later)
    with runner.transaction() as session:
        outbox.mark_sent(session, stale_token, [batch[0].seq], later)  # the old relay lost its lease
        assert outbox.backlog(session, later)[0] == 1
        outbox.mark_sent(session, token, [again[0].seq], later)
        assert outbox.backlog(session, later) == (0, 0.0)


def test_release_gives_rows_back_at_once_with_the_error(runner):
    write_events(runner, 1)
    with runner.transaction() as session:
        token, _ = outbox.claim_batch(session, limit=10, lease_seconds=300, now=now())
        outbox.release(session, token, "ConnectionRefusedError")
    with runner.transaction() as session:
        _, batch = outbox.claim_batch(session, limit=10, lease_seconds=300, now=now())
    assert len(batch) == 1


def test_backlog_reports_count_and_age_of_oldest(runner):
    write_events(runner, 3)
    with runner.transaction() as session:
        count, age = outbox.backlog(session, now() + timedelta(seconds=10))
    assert count == 3 and 9 <= age <= 12
