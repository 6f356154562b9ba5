"""idempotency key of a case's intake

`POST /v1/cases` takes an optional `Idempotency-Key`: a double click on the intake form, or a retry after
a lost answer, gets the case the first request recorded instead of a second case. The key is kept on the
case, unique for the commune and the worker who reported it (NULL, the intakes without a key, never
collide). Existing cases have no key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch.create_unique_constraint("uq_cases_idempotency_key", ["commune_code", "reported_by", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("uq_cases_idempotency_key", type_="unique")
        batch.drop_column("idempotency_key")
