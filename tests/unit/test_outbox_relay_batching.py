"""How the outbox relay batches (SQLite, a publisher that records the batches it is given)."""
import time

import eventlet
import pytest

from services.common.outbox_relay import OutboxRelay
from tests.support.outbox_fixtures import pending_count, runner_for, write_events
from tests.support.waiting import wait_until


class RecordingPublisher:
    def __init__(self):
        self.batches: list[int] = []

    def publish_batch(self, messages, queues=()):
        self.batches.append(len(messages))

    def connect(self):
        pass

    def close(self):
        pass


@pytest.fixture
def runner(tmp_path):
    return runner_for(f"sqlite:///{tmp_path}/outbox.db")


def relay_of(runner, publisher, batch_size=200, coalesce_seconds=0.0):
    relay = OutboxRelay(runner, "plans", publisher, batch_size=batch_size, poll_seconds=5, lease_seconds=30,
                        coalesce_seconds=coalesce_seconds)
    # woken as the service's Database provider wakes it: by commits that wrote an event
    runner.after_commit_hooks.append(lambda session: relay.wake() if session.info.get("outbox_written") else None)
    return relay


def test_commits_under_load_go_out_together_not_one_batch_each(runner):
    publisher = RecordingPublisher()
    relay = relay_of(runner, publisher, coalesce_seconds=0.25)
    thread = eventlet.spawn(relay.run)
    try:
        started = time.monotonic()
        for _ in range(40):  # 40 commits, one event each, over about 0.4 s
            write_events(runner, 1)
            eventlet.sleep(0.01)
        wait_until(lambda: sum(publisher.batches) == 40, timeout=10)
        elapsed = time.monotonic() - started
    finally:
        relay.stop()
        thread.wait()
    # the first commit goes out at once; after it, at most one batch per 0.25 s
    assert len(publisher.batches) <= 2 + elapsed / 0.25, publisher.batches
    assert pending_count(runner) == 0


def test_a_full_batch_is_marked_sent_with_the_next_claim(runner):
    publisher = RecordingPublisher()
    relay = relay_of(runner, publisher, batch_size=5)
    write_events(runner, 12)
    relay.drain()
    assert publisher.batches == [5, 5, 2]
    assert pending_count(runner) == 0


def test_a_stopping_relay_marks_its_last_full_batch_sent(runner):
    publisher = RecordingPublisher()
    relay = relay_of(runner, publisher, batch_size=5)
    write_events(runner, 5)
    assert relay.relay_once() == 5
    relay.stop(wait=0)  # the loop is not running: the batch waits for a next claim
    relay.run()  # stopped at once: marks what it published
    assert pending_count(runner) == 0
