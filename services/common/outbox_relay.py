"""The outbox relay: claims pending outbox rows, publishes them with confirms, marks them sent.

Runs as a background greenthread in every service process (started by `Database`).
Safe with several replicas (see `outbox.claim_batch`).

Each commit that wrote an event wakes the relay. Under request load that would be a claim, a confirm
wait and a mark for one or two rows per commit, so the relay gathers: a batch that is not full is
followed by the next one no sooner than `coalesce_seconds` later (OUTBOX_COALESCE_SECONDS), and the
commits meanwhile go out together; an idle relay publishes at once. A full batch says more is
pending: its rows are marked sent in the transaction that claims the next batch, one commit for both.

When the broker is unreachable the rows stay pending and the relay probes the broker every second
(a connection attempt, nothing else), so it resumes as soon as the broker is back; the database
going away is waited for the same way. Other failures (a nack, a confirm time-out) are retried
with a growing back-off.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from services.common import metrics, outbox
from services.common.amqp_publish import BrokerUnreachable, ConfirmingPublisher, OutgoingMessage, PublishFailed
from services.common.config import value_of
from services.common.outages import Outage
from services.common.transient import backoff, is_transient

log = logging.getLogger(__name__)

BACKLOG_REFRESH_SECONDS = 2.0
PURGE_EVERY_SECONDS = 3600.0
KEEP_SENT_FOR = timedelta(days=7)
MAX_BACKOFF_SECONDS = 15.0
PROBE_SECONDS = 1.0  # how often an unreachable broker or database is tried again


class OutboxRelay:
    def __init__(self, runner, service: str, publisher: ConfirmingPublisher, *, batch_size: int,
                 poll_seconds: float, lease_seconds: float, coalesce_seconds: float = 0.0,
                 max_backoff: float = MAX_BACKOFF_SECONDS):
        self.runner = runner
        self.service = service
        self.publisher = publisher
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.coalesce_seconds = coalesce_seconds
        self.max_backoff = max_backoff
        self.broker = Outage(service, "broker")
        self._wakeup = threading.Event()
        self._stopped = threading.Event()
        self._finished = threading.Event()
        self._last_backlog = 0.0
        self._last_purge = 0.0
        self._last_batch = float("-inf")  # monotonic time the last batch went out
        self._unmarked: tuple[str, list[int]] | None = None  # a full batch published, marked with the next claim

    @classmethod
    def from_config(cls, runner, service: str, config: Mapping[str, Any]) -> OutboxRelay:
        """A relay with the OUTBOX_* settings of a service's config (or their defaults)."""
        return cls(runner, service, ConfirmingPublisher(config["AMQP_URI"], app_id=service),
                   batch_size=int(value_of("OUTBOX_BATCH_SIZE", config)),
                   poll_seconds=float(value_of("OUTBOX_POLL_SECONDS", config)),
                   lease_seconds=float(value_of("OUTBOX_LEASE_SECONDS", config)),
                   coalesce_seconds=float(value_of("OUTBOX_COALESCE_SECONDS", config)))

    def wake(self) -> None:
        self._wakeup.set()

    def stop(self, wait: float = 5.0) -> None:
        """Ask the loop to stop and wait for the batch in flight, so its rows are marked sent."""
        self._stopped.set()
        self._wakeup.set()
        self._finished.wait(wait)

    def run(self) -> None:
        failures = 0  # in a row, of the kind that backs off
        while not self._stopped.is_set():
            published = 0
            try:
                published = self.relay_once()
                failures = 0
            except BrokerUnreachable as exc:
                metrics.OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                self.broker.failed(exc)
                self._wait_for_broker()
            except Exception as exc:
                if is_transient(exc):  # the database: the runner's Outage has logged it
                    self._stopped.wait(PROBE_SECONDS)
                else:
                    failures += 1
                    delay = backoff(failures, cap=self.max_backoff)
                    if isinstance(exc, PublishFailed):
                        metrics.OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                        log.warning("outbox publish failed, retrying in %.1fs: %s", delay, exc)
                    else:
                        log.exception("outbox relay error, retrying in %.1fs", delay)
                    self._stopped.wait(delay)
            self._housekeeping()
            if not failures and published < self.batch_size:
                self._wakeup.wait(self.poll_seconds)
                self._wakeup.clear()
                self._gather()
        self._mark_unmarked()
        self.publisher.close()
        self._finished.set()

    def _wait_for_broker(self) -> None:
        """Probe the broker every PROBE_SECONDS until a connection opens (or the relay stops)."""
        while not self._stopped.wait(PROBE_SECONDS):
            try:
                self.publisher.connect()
            except BrokerUnreachable as exc:
                self.broker.failed(exc)
                continue
            self.broker.succeeded()
            return

    def _gather(self) -> None:
        """Let commits gather into the next batch: wait until `coalesce_seconds` after the last batch."""
        wait = self._last_batch + self.coalesce_seconds - time.monotonic()
        if wait > 0:
            self._stopped.wait(wait)

    def _mark_unmarked(self) -> None:
        """Mark the full batch published last, if its marking still waits for a next claim (stopping)."""
        if self._unmarked is not None:
            try:
                with self.runner.transaction() as session:
                    outbox.mark_sent(session, *self._unmarked, _now())
                self._unmarked = None
            except Exception:  # its lease runs out and another relay publishes the rows again: at least once
                log.warning("could not mark published outbox rows sent", exc_info=True)

    def relay_once(self) -> int:
        """Publish one batch; returns how many events went out."""
        with self.runner.transaction() as session:
            if self._unmarked is not None:
                outbox.mark_sent(session, *self._unmarked, _now())
            token, batch = outbox.claim_batch(session, limit=self.batch_size,
                                              lease_seconds=self.lease_seconds, now=_now())
        self._unmarked = None
        if not batch:
            return 0
        try:
            self.publisher.publish_batch([
                OutgoingMessage(exchange=e.exchange, routing_key=e.routing_key, body=e.body.encode("utf-8"),
                                message_id=e.event_id, type=e.event_type, correlation_id=e.correlation_id)
                for e in batch])
        except PublishFailed as exc:
            with self.runner.transaction() as session:
                outbox.release(session, token, str(exc))
            raise
        self._last_batch = time.monotonic()
        if len(batch) == self.batch_size:
            self._unmarked = (token, [e.seq for e in batch])
        else:
            with self.runner.transaction() as session:
                outbox.mark_sent(session, token, [e.seq for e in batch], _now())
        self.broker.succeeded()
        for e in batch:
            metrics.EVENTS_PUBLISHED.labels(self.service, e.event_type).inc()
        log.debug("published %d event(s)", len(batch))
        return len(batch)

    def drain(self, timeout: float = 30.0) -> None:
        """Publish until nothing is pending (benchmarks, CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.relay_once() == 0:  # which also marked the last full batch sent
                return
        raise TimeoutError("outbox not drained in time")

    def _housekeeping(self) -> None:
        monotonic = time.monotonic()
        if monotonic - self._last_backlog >= BACKLOG_REFRESH_SECONDS:
            self._last_backlog = monotonic
            try:
                with self.runner.transaction() as session:
                    count, age = outbox.backlog(session, _now())
                metrics.OUTBOX_PENDING.labels(self.service).set(count)
                metrics.OUTBOX_OLDEST_AGE.labels(self.service).set(age)
            except Exception as exc:
                if not is_transient(exc):  # a database outage is logged once, by the runner
                    log.warning("could not measure the outbox backlog", exc_info=True)
        if monotonic - self._last_purge >= PURGE_EVERY_SECONDS:
            self._last_purge = monotonic
            try:
                with self.runner.transaction() as session:
                    purged = outbox.purge_sent(session, _now() - KEEP_SENT_FOR)
                if purged:
                    log.info("purged %d sent outbox row(s)", purged)
            except Exception as exc:
                if not is_transient(exc):
                    log.warning("could not purge sent outbox rows", exc_info=True)


def _now() -> datetime:
    return datetime.now(UTC)
