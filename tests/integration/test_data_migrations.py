"""Migrations that re-key existing rows carry them over, on PostgreSQL and SQLite."""
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from services.common.db import TransactionRunner, make_engine
from services.common.migrations import alembic_config, upgrade_to_head
from services.reporting.status import commune_status

pytestmark = pytest.mark.integration

COMMUNE = "07543"
T0, T1, T2, T3 = (datetime(2026, month, 1, 2, 0, tzinfo=UTC) for month in (3, 6, 9, 10))


@pytest.fixture(params=["postgresql", "sqlite"])
def engine(request, postgres, tmp_path):
    url = postgres.create("datamig") if request.param == "postgresql" else f"sqlite:///{tmp_path}/data.db"
    engine = make_engine(url)
    yield engine
    engine.dispose()


def migrate_to(engine, service: str, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(f"services.{service}:migrations", connection), revision)


def insert(engine, table: str, *rows: dict) -> None:
    with engine.begin() as connection:
        connection.execute(sa.Table(table, sa.MetaData(), autoload_with=connection).insert(), list(rows))


def test_reporting_rows_move_to_the_plan_their_year_had(engine):
    migrate_to(engine, "reporting", "0001")
    year = {"commune_code": COMMUNE, "year": 2026}
    insert(engine, "expected_units", *({**year, "unit_code": unit, "plan_id": "plan-a", "plan_version": 2,
                                        "name": f"Đơn vị {unit}", "report_deadline": date(2026, 11, 20)}
                                       for unit in ("U0", "U1")))
    submission = {"report_id": "r", "revision": 1, "first_submitted_at": T1, "last_submitted_at": T1, "late": False}
    insert(engine, "unit_submissions", {**year, "unit_code": "U0", **submission},
           {**year, "unit_code": "U1", **submission},
           {"commune_code": COMMUNE, "year": 2025, "unit_code": "U9", **submission})  # a year without a plan
    insert(engine, "returned_revisions", {**year, "unit_code": "U1", "revision": 1})
    insert(engine, "commune_approvals", {**year, "approved_at": T2, "approved_by": "leader"})

    upgrade_to_head(engine, "services.reporting:migrations")

    with TransactionRunner(engine).transaction() as session:
        status = commune_status(session, COMMUNE, 2026, suppress_small_counts=False)
        orphans = session.execute(sa.text("SELECT count(*) FROM unit_submissions WHERE unit_code = 'U9'")).scalar()
    assert (status["plan_id"], status["plan_version"], status["plan_status"]) == ("plan-a", 2, "issued")
    assert status["report_deadline"] == date(2026, 11, 20) and status["approved_at"] == T2
    assert status["counts"] == {"expected": 2, "reported": 1, "missing": 1, "late": 0, "returned": 1}
    assert orphans == 0


def test_plans_report_locks_move_to_the_plan_in_force_when_approved(engine):
    migrate_to(engine, "plans", "0002")
    plan = {"commune_code": COMMUNE, "year": 2026, "current_version": 1, "created_by": "officer", "created_at": T0}
    insert(engine, "plans", {**plan, "id": "approved", "status": "closed", "issued_at": T0, "closed_at": T2},
           {**plan, "id": "next", "status": "issued", "issued_at": T3, "closed_at": None},
           {**plan, "id": "draft", "status": "draft", "issued_at": None, "closed_at": None})
    lock = {"commune_code": COMMUNE, "approved_by_role": "commune_leader", "event_id": "e"}
    insert(engine, "report_locks", {**lock, "year": 2026, "approved_at": T1},
           {**lock, "year": 2027, "approved_at": T1})  # a year without an issued plan: it locked nothing

    upgrade_to_head(engine, "services.plans:migrations")

    with engine.connect() as connection:
        locks = connection.execute(sa.text("SELECT plan_id, year FROM report_locks")).all()
    assert [tuple(row) for row in locks] == [("approved", 2026)]


def test_plans_idempotency_keys_keep_their_rows_and_become_per_plan_and_caller(engine):
    migrate_to(engine, "plans", "0004")
    plan = {"commune_code": COMMUNE, "current_version": 1, "created_by": "officer", "created_at": T0,
            "status": "issued", "issued_at": T0, "closed_at": None}
    insert(engine, "plans", {**plan, "id": "p2026", "year": 2026}, {**plan, "id": "p2027", "year": 2027})
    report = {"plan_version": 1, "commune_code": COMMUNE, "unit_code": "VHXH", "status": "current",
              "submitted_by": "bao-cao", "submitted_at": T1, "late": False, "tasks": [], "indicator_values": []}
    insert(engine, "unit_reports", {**report, "id": "r1", "plan_id": "p2026", "year": 2026, "revision": 1,
                                    "idempotency_key": "k"})

    upgrade_to_head(engine, "services.plans:migrations")

    # the same key next year, and another caller's same key, are new submissions; a retry is refused
    insert(engine, "unit_reports", {**report, "id": "r2", "plan_id": "p2027", "year": 2027, "revision": 1,
                                    "idempotency_key": "k"},
           {**report, "id": "r3", "plan_id": "p2026", "year": 2026, "revision": 2, "idempotency_key": "k",
            "submitted_by": "dong-nghiep"})
    with pytest.raises(sa.exc.IntegrityError):
        insert(engine, "unit_reports", {**report, "id": "r4", "plan_id": "p2026", "year": 2026, "revision": 3,
                                        "idempotency_key": "k"})
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM unit_reports")).scalar() == 3


def test_cases_villages_shelters_and_audited_reasons_are_sealed_and_still_readable(engine):
    from services.cases.sealing import Sealer
    sealer = Sealer(None)  # the key the migration finds in a test's environment: the development one
    migrate_to(engine, "cases", "0001")
    case = {"case_code": "VV26-AAAAAAAA", "commune_code": COMMUNE, "case_type": "domestic_violence_physical",
            "risk_level": "high", "status": "reported", "intake_channel": "village_head", "reported_at": T0,
            "reported_by": "cb", "vulnerabilities": [], "consent_services": True, "consent_sharing": False,
            "consent_statistics": True, "legal_hold": False, "updated_at": T0}
    insert(engine, "cases", {**case, "id": "c1", "village": "Thôn Bến Trăng"},
           {**case, "id": "c2", "case_code": "VV26-BBBBBBBB", "village": None})
    insert(engine, "trusted_addresses", {"id": "t1", "commune_code": COMMUNE, "name": "Nhà bà Hồng",
                                         "village": "Xóm Giếng Đá", "capacity": 2, "active": True, "created_at": T0,
                                         "details_sealed": sealer.seal({"address": "Số 3", "contact": None})})
    entry = {"commune_code": COMMUNE, "actor": "cb", "actor_role": "case_worker", "at": T1}
    insert(engine, "case_audit_log", {**entry, "case_id": "c1", "case_code": "VV26-AAAAAAAA",
                                      "action": "case.consent.override", "reason": "Bé Hà 13 tuổi"},
           {**entry, "case_id": None, "case_code": None, "action": "case.list", "reason": None})

    upgrade_to_head(engine, "services.cases:migrations")

    with engine.connect() as connection:
        stored = repr([list(row) for table in ("cases", "trusted_addresses", "case_audit_log")
                       for row in connection.execute(sa.text(f"SELECT * FROM {table}"))])
        villages = dict(connection.execute(sa.text("SELECT id, village_sealed FROM cases")).all())
        [details] = connection.execute(sa.text("SELECT details_sealed FROM trusted_addresses")).scalars()
        audit = connection.execute(sa.text("SELECT action, outcome, reason_sealed FROM case_audit_log "
                                           "ORDER BY id")).all()
    for plain in ("Thôn Bến Trăng", "Nhà bà Hồng", "Xóm Giếng Đá", "Bé Hà 13 tuổi"):
        assert plain not in stored
    assert sealer.unseal_text(bytes(villages["c1"])) == "Thôn Bến Trăng" and villages["c2"] is None
    assert sealer.unseal(bytes(details)) == {"name": "Nhà bà Hồng", "village": "Xóm Giếng Đá", "address": "Số 3",
                                      "contact": None}
    assert [(action, outcome, sealer.unseal_text(reason and bytes(reason))) for action, outcome, reason in audit] == [
        ("case.consent.override", "allowed", "Bé Hà 13 tuổi"), ("case.list", "allowed", None)]
