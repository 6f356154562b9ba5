"""Leases on work rows: one worker claims a batch of rows for a while (outbox relay, notification delivery).

A lease (a claim token and a `claimed_until` time) is set by one UPDATE. On PostgreSQL the rows
are picked with FOR UPDATE SKIP LOCKED, so workers never wait on each other or take the same
rows; on SQLite that clause compiles to nothing, but SQLite runs one writer at a time, so the
single UPDATE is atomic all the same. A worker that dies leaves its lease to expire, and another
worker then takes the rows.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute, Session


@dataclass(frozen=True)
class Lease:
    """A claim on rows: who holds them (a random token) and until when."""
    token: str
    until: datetime

    @classmethod
    def starting(cls, now: datetime, seconds: float) -> Lease:
        return cls(str(uuid.uuid4()), now + timedelta(seconds=seconds))


# a column of a table, or of a mapped class
Column = sa.Column[Any] | QueryableAttribute[Any]


def claim(session: Session, table: sa.Table | type[DeclarativeBase], *, key: Column, token_column: Column,
          until_column: Column, claimable: sa.ColumnElement[bool], order_by: Column, limit: int,
          lease_seconds: float, now: datetime, token: str, also_set: dict | None = None,
          returning: tuple[Column, ...] = ()) -> list[sa.Row]:
    """Lease up to `limit` rows that are `claimable` and not under another live lease to `token`.

    With `returning`, the claimed rows' columns come back from the UPDATE itself (in no particular
    order; PostgreSQL and SQLite 3.35+ both return); without, read the claimed rows back by their
    token (`token_column == token`) in the same transaction.
    """
    picked = (
        sa.select(key)
        .where(claimable, sa.or_(until_column.is_(None), until_column < now))
        .order_by(order_by)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    update = (sa.update(table)
              .where(key.in_(picked.scalar_subquery()))
              .values({token_column: token, until_column: now + timedelta(seconds=lease_seconds),
                       **(also_set or {})}))
    if not returning:
        session.execute(update)
        return []
    return list(session.execute(update.returning(*returning)))
