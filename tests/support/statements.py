"""Counting the statements a piece of code sends to the database (SQLAlchemy's `before_cursor_execute`),
so that a regression in round trips fails a test without timing anything."""
from __future__ import annotations

import collections

import eventlet
import sqlalchemy as sa
from sqlalchemy import event as sa_event


class StatementLog:
    """The statements each green thread sent, so that a service's other threads (the outbox relay) are
    told apart from the one being measured."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.by_thread: dict[int, list[str]] = collections.defaultdict(list)
        sa_event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, _parameters, _context, _executemany):
        self.by_thread[id(eventlet.getcurrent())].append(" ".join(statement.split()))

    def clear(self) -> None:
        self.by_thread.clear()

    @property
    def all(self) -> list[str]:
        return [line for lines in self.by_thread.values() for line in lines]

    def of_thread_that(self, sent: str) -> list[str]:
        """The statements of the one thread that sent a statement starting with `sent`."""
        threads = [s for s in self.by_thread.values() if any(line.startswith(sent) for line in s)]
        assert len(threads) == 1, f"{len(threads)} threads sent {sent!r}"
        return threads[0]

    def close(self) -> None:
        sa_event.remove(self.engine, "before_cursor_execute", self._record)
