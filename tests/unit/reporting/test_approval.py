"""The commune leader's approval of a year, on SQLite: only once every expected unit has a report that
was not sent back, once per plan, and announced with the plan it approves."""
import uuid

import pytest

from services.common.errors import Conflict, Forbidden
from services.reporting import approval
from tests.unit.reporting.conftest import COMMUNE, LEADER, NOW, OTHER_LEADER, PLAN, feed, issued, returned, submitted


def approve(db, principal=LEADER, year=2026) -> dict:
    with db.transaction() as session:
        return approval.approve(session, principal, COMMUNE, year, NOW)


def test_a_year_without_a_plan_has_nothing_to_approve(db):
    with pytest.raises(Conflict) as refused:
        approve(db)
    assert refused.value.code == "no_plan"


def test_approval_waits_for_every_unit_and_for_reports_sent_back(db):
    feed(db, issued(codes=("VHXH", "TYT")), submitted("VHXH"), submitted("TYT"), returned("TYT", 1))
    with pytest.raises(Conflict) as refused:
        approve(db)
    assert refused.value.code == "units_missing"
    assert refused.value.fields == [{"field": "units", "problem": "TYT chưa có báo cáo hợp lệ"}]
    assert db.events() == []


def test_an_approval_is_announced_once_with_its_plan(db):
    feed(db, issued(codes=("VHXH", "TYT")), submitted("VHXH"), submitted("TYT"))
    assert approve(db)["approved_at"] == NOW
    with pytest.raises(Conflict) as refused:
        approve(db)
    assert refused.value.code == "already_approved"
    [event] = db.events("commune_report.approved.v1")
    assert uuid.UUID(event["data"]["plan_id"]) == PLAN
    assert (event["data"]["units_expected"], event["data"]["units_reported"]) == (2, 2)


def test_only_the_communes_own_leader_approves(db):
    feed(db, issued(codes=("VHXH",)), submitted("VHXH"))
    with pytest.raises(Forbidden) as refused:
        approve(db, OTHER_LEADER)
    assert refused.value.code == "wrong_commune"
    assert db.events() == []
