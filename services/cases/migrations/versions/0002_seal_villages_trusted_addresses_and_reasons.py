"""seal villages, trusted addresses and audited reasons

The village of a case, the name and village of a trusted address (where a victim is sheltered) and the
free-text reasons in the audit log (a consent override's, a reader's) can point at a victim: they move
into sealed columns, encrypted with CASES_ENCRYPTION_KEY like the other personal fields, and the plain
columns go. The audit log keeps in plain what an auditor reads and filters: who, when, the action, the
case code; and gains the outcome of the access (refused reads are now audited too).

Existing rows are sealed with the key in the environment (CASES_ENCRYPTION_KEY, or the development key
when it is unset): migrate with the key the service runs with.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

from services.cases.sealing import Sealer
from services.common.config import env

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sealer = Sealer(env("CASES_ENCRYPTION_KEY"))
    connection = op.get_bind()

    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("village_sealed", sa.LargeBinary(), nullable=True,
                                   comment="thôn of the case (encrypted)"))
    _convert(connection, "cases", "village", "village_sealed", sealer.seal_text)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("village")

    for row in connection.execute(sa.text("SELECT id, name, village, details_sealed "
                                          "FROM trusted_addresses")).all():
        details = {"name": row.name, "village": row.village, **sealer.unseal(bytes(row.details_sealed))}
        _update(connection, "trusted_addresses", row.id, details_sealed=sealer.seal(details))
    with op.batch_alter_table("trusted_addresses") as batch:
        batch.drop_column("name")
        batch.drop_column("village")
        batch.alter_column("details_sealed", existing_type=sa.LargeBinary(), existing_nullable=False,
                           comment="name, village, address and contact (encrypted)",
                           existing_comment="address and contact (encrypted)")

    with op.batch_alter_table("case_audit_log") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=False, server_default="allowed",
                                   comment="allowed, denied (another commune's case) or not_found"))
        batch.add_column(sa.Column("reason_sealed", sa.LargeBinary(), nullable=True))
    _convert(connection, "case_audit_log", "reason", "reason_sealed", sealer.seal_text)
    with op.batch_alter_table("case_audit_log") as batch:
        batch.drop_column("reason")


def downgrade() -> None:
    sealer = Sealer(env("CASES_ENCRYPTION_KEY"))
    connection = op.get_bind()

    with op.batch_alter_table("case_audit_log") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    _convert(connection, "case_audit_log", "reason_sealed", "reason", lambda value: sealer.unseal_text(bytes(value)))
    with op.batch_alter_table("case_audit_log") as batch:
        batch.drop_column("reason_sealed")
        batch.drop_column("outcome")

    with op.batch_alter_table("trusted_addresses") as batch:
        batch.add_column(sa.Column("name", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("village", sa.String(length=200), nullable=True))
    for row in connection.execute(sa.text("SELECT id, details_sealed FROM trusted_addresses")).all():
        details = sealer.unseal(bytes(row.details_sealed))
        _update(connection, "trusted_addresses", row.id, name=details.pop("name"),
                village=details.pop("village", None), details_sealed=sealer.seal(details))

    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("village", sa.String(length=200), nullable=True))
    _convert(connection, "cases", "village_sealed", "village", lambda value: sealer.unseal_text(bytes(value)))
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("village_sealed")


def _convert(connection, table: str, source: str, target: str, convert) -> None:
    """Set `target` to `convert(source)` in every row where `source` is set. Binary values come back as
    memoryview on PostgreSQL: the converters that unseal take bytes() of them."""
    for row_id, value in connection.execute(sa.text(f"SELECT id, {source} FROM {table} "
                                                    f"WHERE {source} IS NOT NULL")).all():
        _update(connection, table, row_id, **{target: convert(value)})


def _update(connection, table: str, row_id, **values) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    connection.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"), {**values, "row_id": row_id})
