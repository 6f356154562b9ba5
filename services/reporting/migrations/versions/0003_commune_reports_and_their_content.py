"""commune reports and their content

Issue 9: the commune's report to Sở Nội vụ. Projections gain what the events now carry (the plan's
content, the units' tasks and values, returns with reasons, attachments, cases' statistical facts,
measures and referrals) and a summary per commune and year for the province view; every event applied
from now on is kept in `event_log` for rebuilds. The report's own records (workflow, officers' texts,
submissions, stored documents) get tables of their own. Each approval of the old `commune_approvals`
becomes an approved report (revision 1) with its transition.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    approvals = _rows("commune_approvals")
    op.create_table('case_measures',
    sa.Column('measure_id', sa.String(length=36), nullable=False),
    sa.Column('case_code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('measure_id')
    )
    op.create_index(op.f('ix_case_measures_case_code'), 'case_measures', ['case_code'], unique=False)
    op.create_table('case_referrals',
    sa.Column('referral_id', sa.String(length=36), nullable=False),
    sa.Column('case_code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False, comment='escalation or referral'),
    sa.Column('authority', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('referral_id')
    )
    op.create_index(op.f('ix_case_referrals_case_code'), 'case_referrals', ['case_code'], unique=False)
    reports = op.create_table('commune_reports',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False, comment='the submission in progress, or the latest one'),
    sa.Column('text_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('report_id'),
    sa.UniqueConstraint('plan_id')
    )
    op.create_index('ix_commune_reports_commune_year', 'commune_reports', ['commune_code', 'year'], unique=False)
    op.create_table('commune_summaries',
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('plan_id', sa.String(length=36), nullable=True),
    sa.Column('plan_status', sa.String(length=16), nullable=True),
    sa.Column('report_deadline', sa.Date(), nullable=True),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('submitted', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('late', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False, comment='per indicator: code, name, unit, value, female, male'),
    sa.Column('gbv_counts', sa.JSON(), nullable=False, comment='raw counts by breakdown (suppressed when read)'),
    sa.PrimaryKeyConstraint('commune_code', 'year')
    )
    op.create_index('ix_commune_summaries_province_year', 'commune_summaries', ['province_code', 'year'], unique=False)
    op.create_table('event_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False, comment='the CloudEvent as received (JSON)'),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('event_id')
    )
    op.create_table('report_documents',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('media_type', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'revision', 'format')
    )
    op.create_table('report_submissions',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=20), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=200), nullable=False),
    sa.Column('province_deadline', sa.Date(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'revision')
    )
    op.create_table('report_text_versions',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('edited_by', sa.String(length=200), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'version')
    )
    transitions = op.create_table('report_transitions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason_category', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_report_transitions_report_id'), 'report_transitions', ['report_id'], unique=False)
    op.create_table('unit_attachments',
    sa.Column('attachment_id', sa.String(length=36), nullable=False),
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('attachment_id')
    )
    op.create_index(op.f('ix_unit_attachments_plan_id'), 'unit_attachments', ['plan_id'], unique=False)
    op.drop_table('commune_approvals')
    op.add_column('case_facts', sa.Column(
        'consent_changed_at', sa.DateTime(timezone=True), nullable=True,
        comment="the latest consent change consumed; the report's consent counts only before one"))
    op.add_column('case_facts', sa.Column('gbvims_type', sa.String(length=32), nullable=True))
    op.add_column('case_facts', sa.Column('victim_sex', sa.String(length=16), nullable=True))
    op.add_column('case_facts', sa.Column('victim_age_band', sa.String(length=16), nullable=True))
    op.add_column('expected_units', sa.Column('role', sa.String(length=16), server_default='coordinating',
                                              nullable=False))
    op.add_column('expected_units', sa.Column('task_ids', sa.JSON(), server_default='[]', nullable=False))
    op.add_column('plans', sa.Column('title', sa.Text(), nullable=True))
    op.add_column('plans', sa.Column('issuing_body', sa.String(length=300), nullable=True))
    op.add_column('plans', sa.Column('content', sa.JSON(), nullable=True,
                                     comment="the latest version's PlanContent, as carried"))
    op.add_column('returned_revisions', sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('returned_revisions', sa.Column('reason', sa.Text(), nullable=True))
    op.add_column('unit_submissions', sa.Column('tasks', sa.JSON(), nullable=True,
                                                comment='of the latest revision; null if not carried'))
    op.add_column('unit_submissions', sa.Column('indicator_values', sa.JSON(), nullable=True))
    if approvals:
        op.bulk_insert(reports, [{"report_id": _report_id(a["plan_id"]), "plan_id": a["plan_id"],
                                  "commune_code": a["commune_code"], "year": a["year"], "state": "approved",
                                  "revision": 1, "text_version": 0, "updated_at": a["approved_at"]}
                                 for a in approvals])
        op.bulk_insert(transitions, [{"report_id": _report_id(a["plan_id"]), "revision": 1, "from_state": "draft",
                                      "to_state": "approved", "actor": a["approved_by"],
                                      "actor_role": "commune_leader", "at": a["approved_at"]} for a in approvals])


def _report_id(plan_id: str) -> str:
    """As services/reporting/workflow.py names a plan's report (kept here: migrations import no app code)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"binhdang:commune-report:{plan_id}"))


def _rows(name: str) -> list[dict]:
    connection = op.get_bind()
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    return [dict(row) for row in connection.execute(sa.select(table)).mappings()]


def downgrade() -> None:
    # approvals of revision 1 become approvals again; later revisions and submissions have no place there
    op.drop_column('unit_submissions', 'indicator_values')
    op.drop_column('unit_submissions', 'tasks')
    op.drop_column('returned_revisions', 'reason')
    op.drop_column('returned_revisions', 'returned_at')
    op.drop_column('plans', 'content')
    op.drop_column('plans', 'issuing_body')
    op.drop_column('plans', 'title')
    op.drop_column('expected_units', 'task_ids')
    op.drop_column('expected_units', 'role')
    op.drop_column('case_facts', 'victim_age_band')
    op.drop_column('case_facts', 'victim_sex')
    op.drop_column('case_facts', 'gbvims_type')
    op.drop_column('case_facts', 'consent_changed_at')
    approved = [r for r in _rows("report_transitions") if r["to_state"] == "approved" and r["revision"] == 1]
    plans = {r["report_id"]: r for r in _rows("commune_reports")}
    approvals = op.create_table('commune_approvals',
    sa.Column('plan_id', sa.VARCHAR(length=36), autoincrement=False, nullable=False),
    sa.Column('commune_code', sa.VARCHAR(length=16), autoincrement=False, nullable=False),
    sa.Column('year', sa.INTEGER(), autoincrement=False, nullable=False),
    sa.Column('approved_at', postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=False),
    sa.Column('approved_by', sa.VARCHAR(length=200), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('commune_approvals_pkey'))
    )
    first: dict[str, dict] = {}
    for row in sorted(approved, key=lambda r: r["id"]):
        first.setdefault(row["report_id"], row)
    if first:
        op.bulk_insert(approvals, [{"plan_id": plans[r["report_id"]]["plan_id"],
                                    "commune_code": plans[r["report_id"]]["commune_code"],
                                    "year": plans[r["report_id"]]["year"], "approved_at": r["at"],
                                    "approved_by": r["actor"]} for r in first.values()])
    op.drop_index(op.f('ix_unit_attachments_plan_id'), table_name='unit_attachments')
    op.drop_table('unit_attachments')
    op.drop_index(op.f('ix_report_transitions_report_id'), table_name='report_transitions')
    op.drop_table('report_transitions')
    op.drop_table('report_text_versions')
    op.drop_table('report_submissions')
    op.drop_table('report_documents')
    op.drop_table('event_log')
    op.drop_index('ix_commune_summaries_province_year', table_name='commune_summaries')
    op.drop_table('commune_summaries')
    op.drop_index('ix_commune_reports_commune_year', table_name='commune_reports')
    op.drop_table('commune_reports')
    op.drop_index(op.f('ix_case_referrals_case_code'), table_name='case_referrals')
    op.drop_table('case_referrals')
    op.drop_index(op.f('ix_case_measures_case_code'), table_name='case_measures')
    op.drop_table('case_measures')
