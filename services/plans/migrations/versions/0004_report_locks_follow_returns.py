"""report locks follow returns

Sở Nội vụ may send a commune's report back (reporting's `commune_report.returned`): the plan's unit
reports are unlocked until the leader approves the next revision. A lock now records the revision it
approved, and the returns are kept: a lock is in force while its revision is above every returned one,
whatever order the two events are consumed in. Existing locks approved revision 1.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("report_locks", sa.Column("revision", sa.Integer(), nullable=False, server_default="1",
                                            comment="the commune report revision approved"))
    op.create_table(
        "report_returns",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "revision"),
    )


def downgrade() -> None:
    op.drop_table("report_returns")
    with op.batch_alter_table("report_locks") as batch:
        batch.drop_column("revision")
