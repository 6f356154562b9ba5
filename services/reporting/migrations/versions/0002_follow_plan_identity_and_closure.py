"""follow plan identity and closure

Unit submissions, returned revisions, expected units and approvals are keyed by plan instead of by
commune and year; plans (with their closure) and unit dissolutions get tables of their own.

Existing rows are carried over to the one plan the old projection knew for each commune and year (that
of its expected units); its issue time was never kept, so it stays empty and any plan issued later
defines the year. Rows of a year for which no plan was known cannot be given a plan and are dropped
(a report consumed before its plan, whose plan never came). Dissolutions were applied by deleting
expected units, and closes were not consumed: neither can be recovered from the old rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEYED_BY_COMMUNE_YEAR = ("expected_units", "unit_submissions", "returned_revisions", "commune_approvals")


def upgrade() -> None:
    old = _read_all(KEYED_BY_COMMUNE_YEAR)
    for name in KEYED_BY_COMMUNE_YEAR:
        op.drop_table(name)
    plans = op.create_table(
        "plans",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False,
                  comment="latest version consumed; 0 while only the close is known"),
        sa.Column("report_deadline", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True,
                  comment="until plan.issued is consumed, the earliest amendment (issued no later)"),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    op.create_index("ix_plans_commune_year", "plans", ["commune_code", "year"], unique=False)
    expected_units = op.create_table(
        "expected_units",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "unit_code"),
    )
    unit_submissions = op.create_table(
        "unit_submissions",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "unit_code"),
    )
    returned_revisions = op.create_table(
        "returned_revisions",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "unit_code", "revision"),
    )
    commune_approvals = op.create_table(
        "commune_approvals",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    op.create_table(
        "dissolved_units",
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("active_to", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "unit_code"),
    )

    known = {}  # (commune, year) -> the plan of its expected units
    for row in old["expected_units"]:
        known[(row["commune_code"], row["year"])] = row
    _insert(plans, [{"plan_id": row["plan_id"], "commune_code": row["commune_code"], "year": row["year"],
                     "version": row["plan_version"], "report_deadline": row["report_deadline"]}
                    for row in known.values()])

    def plan_of(row):
        found = known.get((row["commune_code"], row["year"]))
        return found["plan_id"] if found else None

    _insert(expected_units, [{"plan_id": row["plan_id"], "unit_code": row["unit_code"],
                              "commune_code": row["commune_code"], "name": row["name"]}
                             for row in old["expected_units"]])
    for table, rows in ((unit_submissions, old["unit_submissions"]), (returned_revisions, old["returned_revisions"]),
                        (commune_approvals, old["commune_approvals"])):
        columns = {column.name for column in table.columns}
        _insert(table, [{**{k: v for k, v in row.items() if k in columns}, "plan_id": plan_of(row)}
                        for row in rows if plan_of(row)])


def downgrade() -> None:
    """Back to one plan per commune and year: the one each year showed (open and issued last, else closed)."""
    plans = {row["plan_id"]: row for row in _read_all(["plans"])["plans"] if row["version"] > 0}
    by_year = {}
    for plan in sorted(plans.values(), key=lambda p: (p["closed_at"] is None, p["issued_at"] is not None,
                                                      p["issued_at"] or p["report_deadline"])):
        by_year[(plan["commune_code"], plan["year"])] = plan  # the last one sorted wins
    shown = {plan["plan_id"]: plan for plan in by_year.values()}
    rows = _read_all(KEYED_BY_COMMUNE_YEAR)
    for name in (*KEYED_BY_COMMUNE_YEAR, "dissolved_units"):
        op.drop_table(name)
    op.drop_index("ix_plans_commune_year", table_name="plans")
    op.drop_table("plans")
    expected_units = op.create_table(
        "expected_units",
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("report_deadline", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "year", "unit_code"),
    )
    unit_submissions = op.create_table(
        "unit_submissions",
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "year", "unit_code"),
    )
    returned_revisions = op.create_table(
        "returned_revisions",
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "year", "unit_code", "revision"),
    )
    commune_approvals = op.create_table(
        "commune_approvals",
        sa.Column("commune_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "year"),
    )
    _insert(expected_units, [
        {**row, "year": shown[row["plan_id"]]["year"], "plan_version": shown[row["plan_id"]]["version"],
         "report_deadline": shown[row["plan_id"]]["report_deadline"]}
        for row in rows["expected_units"] if row["plan_id"] in shown])
    for table, old_rows in ((unit_submissions, rows["unit_submissions"]),
                            (returned_revisions, rows["returned_revisions"]),
                            (commune_approvals, rows["commune_approvals"])):
        columns = {column.name for column in table.columns}
        _insert(table, [{**{k: v for k, v in row.items() if k in columns}, "year": shown[row["plan_id"]]["year"]}
                        for row in old_rows if row["plan_id"] in shown])


def _read_all(names) -> dict[str, list[dict]]:
    """Every row of the tables, typed as their reflected columns say (dates as dates on SQLite too)."""
    connection = op.get_bind()
    tables = {name: sa.Table(name, sa.MetaData(), autoload_with=connection) for name in names}
    return {name: [dict(row) for row in connection.execute(sa.select(table)).mappings()]
            for name, table in tables.items()}


def _insert(table: sa.Table, rows: list[dict]) -> None:
    if rows:
        op.bulk_insert(table, rows)
