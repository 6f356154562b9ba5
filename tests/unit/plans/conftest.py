"""The plans use cases on SQLite: a commune's directory, officers, a fixed clock."""
import datetime as dt

import pytest

from services.common.auth import Principal
from services.common.roles import Role
from services.plans import directory
from services.plans.schemas import UnitIn
from tests.support.plan_documents import COMMUNE, DIRECTORY

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
OFFICER = Principal(subject="can-bo-vh", role=Role.COMMUNE_OFFICER, commune_code=COMMUNE)
LEADER = Principal(subject="chu-tich", role=Role.COMMUNE_LEADER, commune_code=COMMUNE)
OTHER_OFFICER = Principal(subject="can-bo-khac", role=Role.COMMUNE_OFFICER, commune_code="07531")
PROVINCE = Principal(subject="so-noi-vu", role=Role.PROVINCE_OFFICER)


def reporter(unit: str, commune: str = COMMUNE) -> Principal:
    return Principal(subject=f"bao-cao-{unit.lower()}", role=Role.UNIT_REPORTER, commune_code=commune, unit_code=unit)


@pytest.fixture
def db(migrated_templates, tmp_path):
    """A fresh plans database with the commune's unit directory."""
    database = migrated_templates.fresh("services.plans:migrations", tmp_path / "plans.db")
    with database.transaction() as session:
        for unit in DIRECTORY:
            directory.create_unit(session, OFFICER, COMMUNE, UnitIn.model_validate(unit), NOW)
    yield database
    database.close()
