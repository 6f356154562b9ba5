"""The outbox relay: claims pending outbox rows, publishes them with confirms, marks them sent.

Runs as a background greenthread in every service process (started by `Database`).
Safe with several replicas (see `outbox.claim_batch`). When the broker is unreachable
the rows stay pending and the relay retries with back-off; they go out when it returns.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from services.common import metrics, outbox
from services.common.amqp_publish import ConfirmingPublisher, OutgoingMessage, PublishFailed

log = logging.getLogger(__name__)

BACKLOG_REFRESH_SECONDS = 2.0
PURGE_EVERY_SECONDS = 3600.0
KEEP_SENT_FOR = timedelta(days=7)
MAX_BACKOFF_SECONDS = 15.0


class OutboxRelay:
    def __init__(self, runner, service: str, publisher: ConfirmingPublisher, *, batch_size: int = 200,
                 poll_seconds: float = 0.5, lease_seconds: float = 30.0):
        self.runner = runner
        self.service = service
        self.publisher = publisher
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self._wakeup = threading.Event()
        self._stopped = threading.Event()
        self._finished = threading.Event()
        self._last_backlog = 0.0
        self._last_purge = 0.0

    @classmethod
    def from_config(cls, runner, service: str, config: dict) -> OutboxRelay:
        return cls(runner, service, ConfirmingPublisher(config["AMQP_URI"], app_id=service),
                   batch_size=int(config.get("OUTBOX_BATCH_SIZE", 200)),
                   poll_seconds=float(config.get("OUTBOX_POLL_SECONDS", 0.5)),
                   lease_seconds=float(config.get("OUTBOX_LEASE_SECONDS", 30)))

    def wake(self) -> None:
        self._wakeup.set()

    def stop(self, wait: float = 5.0) -> None:
        """Ask the loop to stop and wait for the batch in flight, so its rows are marked sent."""
        self._stopped.set()
        self._wakeup.set()
        self._finished.wait(wait)

    def run(self) -> None:
        backoff = 0.0
        while not self._stopped.is_set():
            try:
                published = self.relay_once()
                backoff = 0.0
            except PublishFailed as exc:
                metrics.OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                backoff = min(MAX_BACKOFF_SECONDS, max(0.5, backoff * 2))
                log.warning("outbox publish failed, retrying in %.1fs: %s", backoff, exc)
                published = 0
            except Exception:
                backoff = min(MAX_BACKOFF_SECONDS, max(0.5, backoff * 2))
                log.exception("outbox relay error, retrying in %.1fs", backoff)
                published = 0
            self._housekeeping()
            if backoff:
                self._stopped.wait(backoff)
            elif published < self.batch_size:
                self._wakeup.wait(self.poll_seconds)
                self._wakeup.clear()
        self.publisher.close()
        self._finished.set()

    def relay_once(self) -> int:
        """Publish one batch; returns how many events went out."""
        with self.runner.transaction() as session:
            token, batch = outbox.claim_batch(session, limit=self.batch_size,
                                              lease_seconds=self.lease_seconds, now=_now())
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
        with self.runner.transaction() as session:
            outbox.mark_sent(session, token, [e.seq for e in batch], _now())
        for e in batch:
            metrics.EVENTS_PUBLISHED.labels(self.service, e.event_type).inc()
        log.debug("published %d event(s)", len(batch))
        return len(batch)

    def drain(self, timeout: float = 30.0) -> None:
        """Publish until nothing is pending (benchmarks, CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.relay_once() == 0:
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
            except Exception:
                log.warning("could not measure the outbox backlog", exc_info=True)
        if monotonic - self._last_purge >= PURGE_EVERY_SECONDS:
            self._last_purge = monotonic
            try:
                with self.runner.transaction() as session:
                    purged = outbox.purge_sent(session, _now() - KEEP_SENT_FOR)
                if purged:
                    log.info("purged %d sent outbox row(s)", purged)
            except Exception:
                log.warning("could not purge sent outbox rows", exc_info=True)


def _now() -> datetime:
    return datetime.now(UTC)
