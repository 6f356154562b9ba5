"""The cases use cases on SQLite: case workers and leaders of a commune, the sealer, the legal timers."""
import datetime as dt

import pytest

from services.cases import casework
from services.cases.schemas import ReportCase
from services.cases.sealing import Sealer
from services.cases.timers import TimerPolicy
from services.common.auth import Principal
from services.common.roles import Role
from tests.support.case_reports import COMMUNE, report_body

NOW = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
WORKER = Principal(subject="cb-vu-viec", role=Role.CASE_WORKER, commune_code=COMMUNE)
LEADER = Principal(subject="chu-tich", role=Role.COMMUNE_LEADER, commune_code=COMMUNE)
OTHER_WORKER = Principal(subject="cb-xa-khac", role=Role.CASE_WORKER, commune_code="07531")
SEALER = Sealer(None)  # the development key
POLICY = TimerPolicy.from_config({})  # the defaults: critical cases verified within 2 hours, ...


@pytest.fixture
def db(migrated_templates, tmp_path):
    database = migrated_templates.fresh("services.cases:migrations", tmp_path / "cases.db")
    yield database
    database.close()


def report(db, at=NOW, principal=WORKER, **changes) -> str:
    """Record a case (by default: critical risk, every consent given); its code."""
    with db.transaction() as session:
        case, _ = casework.report_case(session, principal, ReportCase.model_validate(report_body(**changes)), SEALER,
                                       POLICY, at)
        return case.case_code
