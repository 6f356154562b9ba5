"""idempotency key per plan and caller

An `Idempotency-Key` identified a submission within a commune's unit, whatever the plan: a key reused
the next year returned last year's report, and one reporter's key answered another's submission. It
now identifies a submission of one caller for one plan and unit. Existing rows keep their keys: each
was unique in the wider scope, so it is unique in the narrower one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW_NAME = "uq_unit_reports_idempotency_key"
NEW_COLUMNS = ["plan_id", "unit_code", "submitted_by", "idempotency_key"]
OLD_COLUMNS = ["commune_code", "unit_code", "idempotency_key"]


def upgrade() -> None:
    _replace_unique(OLD_COLUMNS, NEW_COLUMNS, NEW_NAME)


def downgrade() -> None:
    _replace_unique(NEW_COLUMNS, OLD_COLUMNS, "uq_unit_reports_commune_idempotency_key")


def _replace_unique(old: list[str], new: list[str], new_name: str) -> None:
    connection = op.get_bind()
    table = sa.Table("unit_reports", sa.MetaData(), autoload_with=connection)
    [constraint] = [c for c in table.constraints
                    if isinstance(c, sa.UniqueConstraint) and [col.name for col in c.columns] == old]
    if connection.dialect.name == "sqlite":
        # SQLite cannot drop a constraint (0001's is unnamed): copy the table without it
        table.constraints.discard(constraint)
        with op.batch_alter_table("unit_reports", copy_from=table, recreate="always") as batch:
            batch.create_unique_constraint(new_name, new)
    else:
        op.drop_constraint(str(constraint.name), "unit_reports", type_="unique")
        op.create_unique_constraint(new_name, "unit_reports", new)
