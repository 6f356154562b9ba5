"""case access grants: the reason a session gave to open a case, for a short while

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
    op.create_table(
        "case_access_grants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id_hash", sa.String(64), sa.ForeignKey("sessions.id_hash", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("case_code", sa.String(32), nullable=False),
        sa.Column("reason_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_access_grants_session_id_hash", "case_access_grants", ["session_id_hash"])
    op.create_index("ix_case_access_grants_expires_at", "case_access_grants", ["expires_at"])


def downgrade() -> None:
    op.drop_table("case_access_grants")
