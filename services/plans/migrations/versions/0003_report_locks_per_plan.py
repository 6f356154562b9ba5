"""report locks per plan

An approval locks the unit reports of the plan it approved, no longer every report of the commune's
year: a plan issued after the approved one was closed takes reports of its own. Each existing lock is
carried over to the plan that was in force when it was approved (issued by then, not yet closed);
failing that, the year's plan issued last. A lock of a year without any issued plan locked nothing
and is dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    locks = _rows(connection, "report_locks")
    plans = [p for p in _rows(connection, "plans") if p["issued_at"] is not None]
    op.drop_table("report_locks")
    table = op.create_table(
        "report_locks",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by_role", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    rows = []
    for lock in locks:
        of_year = sorted((p for p in plans if (p["commune_code"], p["year"]) == (lock["commune_code"], lock["year"])),
                         key=lambda p: _utc(p["issued_at"]))
        in_force = [p for p in of_year if _utc(p["issued_at"]) <= _utc(lock["approved_at"])
                    and (p["closed_at"] is None or _utc(p["closed_at"]) >= _utc(lock["approved_at"]))]
        candidates = in_force or of_year
        if candidates:
            rows.append({**lock, "plan_id": candidates[-1]["id"]})
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    connection = op.get_bind()
    locks = _rows(connection, "report_locks")
    op.drop_table("report_locks")
    table = op.create_table(
        "report_locks",
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by_role", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "year"),
    )
    # one lock per commune and year again: the latest approval's
    by_year = {(lock["commune_code"], lock["year"]): lock
               for lock in sorted(locks, key=lambda lock: _utc(lock["approved_at"]))}
    if by_year:
        op.bulk_insert(table, [{k: v for k, v in lock.items() if k != "plan_id"} for lock in by_year.values()])


def _rows(connection, name: str) -> list[dict]:
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    return [dict(row) for row in connection.execute(sa.select(table)).mappings()]


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
