"""Reporting's projections and approval on SQLite, fed events through the service's own handlers."""
import datetime as dt
import uuid

import pytest

from services.common.auth import Principal
from services.common.events.contracts import PlanAmended, UnitReportReturned, UnitReportRevised, UnitReportSubmitted
from services.common.province_deadlines import ProvinceDeadlines
from services.common.roles import Role
from services.reporting import status, views, workflow
from services.reporting.schemas import SubmitIn
from services.reporting.service import ReportingService
from tests.support.plan_events import plan_issued, units, wire
from tests.support.season_events import Season, season

COMMUNE = "07543"
NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
LEADER = Principal(subject="chu-tich", role=Role.COMMUNE_LEADER, commune_code=COMMUNE)
OTHER_LEADER = Principal(subject="chu-tich-khac", role=Role.COMMUNE_LEADER, commune_code="07531")
OFFICER = Principal(subject="can-bo-xa", role=Role.COMMUNE_OFFICER, commune_code=COMMUNE)
PROVINCE = Principal(subject="so-noi-vu", role=Role.PROVINCE_OFFICER, province_code="24")  # Bắc Ninh
OTHER_PROVINCE = Principal(subject="so-noi-vu-ha-noi", role=Role.PROVINCE_OFFICER, province_code="01")


@pytest.fixture
def db(migrated_templates, tmp_path):
    database = migrated_templates.fresh("services.reporting:migrations", tmp_path / "reporting.db")
    yield database
    database.close()


def feed(db, *events, at: dt.datetime | None = None) -> list[bool]:
    """Deliver each event's data, in this order, as reporting's consumers do; True for each one applied."""
    return [db.deliver(ReportingService, wire(data, at)[1]) for data in events]


def feed_season(db, events) -> None:
    """Deliver a season's events (data models, oldest first) as reporting's consumers do."""
    for data in events:
        assert db.deliver(ReportingService, wire(data)[1]) is True


def year_status(db, year: int = 2026, *, province: bool = False) -> dict:
    """The commune's year as the API answers it (to the province: small case counts hidden)."""
    with db.transaction() as session:
        answer = views.commune_status_view(status.commune_status(session, COMMUNE, year,
                                                                  suppress_small_counts=province))
    return answer.model_dump(mode="json")


# events of a plan of the commune, its reports ----------------------------------------------------
DEADLINE = dt.date(2026, 11, 20)
ON_TIME = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
PLAN = uuid.UUID("7a0c8f4e-0000-4000-8000-000000000001")
ISSUED = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
NOW_CLOSED = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def issued(plan_id=PLAN, codes=("VHXH", "TYT", "THON-DONG"), **changes):
    return plan_issued(COMMUNE, list(codes), plan_id=plan_id, issued_at=ISSUED, **changes)


def amended(version: int, codes: list[str], plan_id=PLAN):
    return PlanAmended(plan_id=plan_id, commune_code=COMMUNE, year=2026, version=version, previous_version=version - 1,
                       title="Kế hoạch", report_deadline=DEADLINE, units=units(codes), changed_parts=["organisation"],
                       amended_at=ISSUED + dt.timedelta(days=version))


def submitted(unit: str, revision: int = 1, at=ON_TIME, plan_id=PLAN, report_id=None, commune=COMMUNE):
    facts = dict(report_id=report_id or uuid.uuid4(), plan_id=plan_id, commune_code=commune, year=2026,
                 unit_code=unit, revision=revision, submitted_at=at, late=at.date() >= DEADLINE, tasks_reported=1,
                 tasks_done=1)
    return UnitReportSubmitted(**facts) if revision == 1 else UnitReportRevised(**facts,
                                                                               previous_report_id=uuid.uuid4())


def returned(unit: str, revision: int, plan_id=PLAN):
    return UnitReportReturned(report_id=uuid.uuid4(), plan_id=plan_id, commune_code=COMMUNE, year=2026,
                              unit_code=unit, revision=revision, returned_at=ON_TIME + dt.timedelta(days=1))


# a province's season (Bắc Ninh): communes with full seasons, one of them in another province ----------
SON_HAI, TAN_SON, DAI_SON, HA_NOI = "07543", "07531", "07627", "00004"
SUBMITTED_ON_TIME = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
SUBMITTED_LATE = dt.datetime(2026, 12, 15, 17, 0, tzinfo=dt.UTC)  # 16 December in Vietnam


def leader(code: str) -> Principal:
    return Principal(subject=f"chu-tich-{code}", role=Role.COMMUNE_LEADER, commune_code=code)


def approve_and_submit(db, code: str, at: dt.datetime, number: str = "9") -> None:
    with db.transaction() as session:
        workflow.approve(session, leader(code), code, 2026, at)
        workflow.submit(session, leader(code), code, 2026, SubmitIn(document_number=number), at,
                        ProvinceDeadlines.from_config({}))


@pytest.fixture
def province_seasons(db) -> dict[str, Season]:
    """Seasons of three communes of Bắc Ninh and one of Hà Nội; Sơn Hải submitted on time, Tân Sơn late,
    Đại Sơn still a draft."""
    seasons = {code: season(code, units=5, tasks=6, indicators=3, cases=12, seed=n)
               for n, code in enumerate((SON_HAI, TAN_SON, DAI_SON, HA_NOI))}
    for s in seasons.values():
        feed_season(db, s.events)
    for code in (SON_HAI, TAN_SON):  # their missing units report, so their leaders can approve
        feed(db, submitted(seasons[code].missing[0], plan_id=seasons[code].plan_id, commune=code))
    approve_and_submit(db, SON_HAI, SUBMITTED_ON_TIME)
    approve_and_submit(db, TAN_SON, SUBMITTED_LATE)
    return seasons
