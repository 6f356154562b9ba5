"""a session's pending sign-in through the province's OpenID Connect provider: state, nonce, PKCE verifier

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as table:
        table.add_column(sa.Column("oidc_state", sa.String(64), nullable=True))
        table.add_column(sa.Column("oidc_nonce", sa.String(64), nullable=True))
        table.add_column(sa.Column("oidc_verifier", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as table:
        for column in ("oidc_verifier", "oidc_nonce", "oidc_state"):
            table.drop_column(column)
