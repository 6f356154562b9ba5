"""A stream of events through the real services, while something fails, and what became of each event.

The load is `case.reported.v1` (urgent: each one gives the commune leader a notification) written
into the cases service's outbox, as its use case would, at a steady rate. The cases processes'
relays publish them; reporting and notifications consume them. At the end, for each event:
applied by both consumers (their inbox rows, committed with the effect), lost (not applied by
one of them), and duplicates (an effect made twice: a notification written to the channel more
than once, a case counted twice in reporting's event log). The applied count is sampled while
the load runs, and the longest time it stood still with work pending, after a fault, is the
time to recover.
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.rules import new_case_code
from services.common import outbox
from services.common.events.contracts import CaseReported
from services.common.tables import inbox_table

COMMUNE = "07543"
CONSUMERS = {"reporting": "reporting.on_case_reported", "notifications": "notifications.on_case_reported"}


@dataclass
class Outcome:
    scenario: str
    produced: int
    applied: int
    lost: int
    duplicates: int
    recover_seconds: float
    clients_moved: int  # connections (or processes) the faults took away, which had to resume elsewhere

    def row(self) -> list[str]:
        return [self.scenario, str(self.produced), str(self.applied), str(self.lost), str(self.duplicates),
                f"{self.recover_seconds:.1f}", str(self.clients_moved)]


HEADERS = ["scenario", "produced", "applied", "lost", "duplicates", "time to recover (s)", "clients moved"]


def table(outcomes: list[Outcome]) -> str:
    rows = [HEADERS, *(o.row() for o in outcomes)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line]
    for n, row in enumerate(rows):
        out.append("| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                                    enumerate(zip(row, widths, strict=True))) + " |")
        if n == 0:
            out.append(line)
    out.append(line)
    return "\n".join(out)


def urgent_case_report(now: datetime) -> CaseReported:
    return CaseReported(case_code=new_case_code(2026), commune_code=COMMUNE, case_type="domestic_violence_physical",
                        risk_level="high", status="reported", intake_channel="hotline", reported_at=now, urgent=True)


@dataclass
class CaseReportLoad:
    """Writes `total` urgent case reports into the cases database's outbox, `rate` per second."""
    cases_url: str
    consumer_urls: dict[str, str]  # service -> its database URL
    channel_file: Path
    total: int
    rate: float = 100.0
    event_ids: list[str] = field(default_factory=list)
    faults: list[float] = field(default_factory=list)  # monotonic times a fault began
    clients_moved: int = 0
    # (monotonic time, events written so far, applied by every consumer)
    samples: list[tuple[float, int, int]] = field(default_factory=list)

    def __post_init__(self):
        self.cases = sa.create_engine(self.cases_url, poolclass=sa.pool.NullPool)
        self.consumers = {service: sa.create_engine(url, poolclass=sa.pool.NullPool)
                          for service, url in self.consumer_urls.items()}
        self._writer: threading.Thread | None = None
        self._done = threading.Event()

    # producing -------------------------------------------------------------
    def start(self) -> None:
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    def _write(self) -> None:
        batch = max(1, int(self.rate / 10))
        started = time.monotonic()
        while len(self.event_ids) < self.total:
            count = min(batch, self.total - len(self.event_ids))
            now = datetime.now(UTC)
            with self.cases.begin() as connection, Session(bind=connection) as session:
                ids = [str(outbox.add_event(session, service="cases", subject=report.case_code, commune_code=COMMUNE,
                                            data=report).id)
                       for report in (urgent_case_report(now) for _ in range(count))]
                session.flush()
            self.event_ids.extend(ids)
            # steady rate: sleep until the time this many events are due
            time.sleep(max(0.0, started + len(self.event_ids) / self.rate - time.monotonic()))
        self._done.set()

    def fault(self, clients: int) -> None:
        """Mark now as the start of a fault (for the time to recover) that takes `clients` away."""
        self.faults.append(time.monotonic())
        self.clients_moved += clients

    # observing -------------------------------------------------------------
    def applied_by(self, service: str) -> set[str]:
        with self.consumers[service].connect() as connection:
            return set(connection.scalars(sa.select(inbox_table.c.event_id).where(
                inbox_table.c.consumer == CONSUMERS[service])))

    def applied(self) -> int:
        """Events of this load applied by every consumer."""
        ids = set(self.event_ids)
        return min(len(self.applied_by(service) & ids) for service in self.consumers)

    def wait(self, seconds: float) -> None:
        """Sleep, sampling the applied count."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._sample()
            time.sleep(0.25)

    def drain(self, timeout: float) -> None:
        """Wait until the load is written and every event applied, or the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            applied = self._sample()
            if self._done.is_set() and applied >= self.total:
                return
            time.sleep(0.25)

    def _sample(self) -> int:
        written = len(self.event_ids)
        applied = self.applied()
        self.samples.append((time.monotonic(), written, applied))
        return applied

    def longest_stall_after_faults(self) -> float:
        """The longest time, from the first fault on, that the applied count stood still while events
        written before were still to apply: how long the platform took to recover from the worst fault."""
        if not self.faults:
            return 0.0
        stall, since, last = 0.0, self.faults[0], -1
        for moment, written, applied in self.samples:
            if moment < self.faults[0]:
                last = applied
                continue
            if applied != last or applied >= written:
                since, last = moment, applied
                continue
            stall = max(stall, moment - since)
        return stall

    def duplicates(self) -> int:
        """Effects made more than once: notifications written to the channel twice or more, and cases
        counted twice in reporting's event log."""
        lines: Counter = Counter()
        if self.channel_file.exists():
            lines = Counter(json.loads(line)["id"] for line in self.channel_file.read_text("utf-8").splitlines())
        with self.consumers["reporting"].connect() as connection:
            logged = connection.scalar(sa.text(
                "SELECT count(*) - count(DISTINCT event_id) FROM event_log WHERE event_type = 'case.reported.v1'"))
        return sum(n - 1 for n in lines.values() if n > 1) + int(logged or 0)

    def outcome(self, scenario: str) -> Outcome:
        applied = self.applied()
        return Outcome(scenario, produced=len(self.event_ids), applied=applied, lost=len(self.event_ids) - applied,
                       duplicates=self.duplicates(), recover_seconds=self.longest_stall_after_faults(),
                       clients_moved=self.clients_moved)

    def close(self) -> None:
        self.cases.dispose()
        for engine in self.consumers.values():
            engine.dispose()
