"""A plan's lifecycle, run directly on SQLite: draft, issue, amend, close, and the events each writes."""
import datetime as dt

import pytest

from services.common.errors import Conflict, Forbidden, NotFound, Unprocessable
from services.plans import lifecycle
from services.plans.schemas import AmendPlan, CreatePlan, EditDraft
from tests.support.plan_documents import COMMUNE, INDICATOR_TARGETS, document
from tests.unit.plans.conftest import LEADER, NOW, OFFICER, OTHER_OFFICER, PROVINCE

LATER = NOW + dt.timedelta(days=1)


def create(db, **changes) -> str:
    body = CreatePlan.model_validate({"commune_code": COMMUNE, "year": 2026, "document": document(),
                                      "indicator_targets": INDICATOR_TARGETS, **changes})
    with db.transaction() as session:
        plan, _ = lifecycle.create_plan(session, OFFICER, body, NOW)
        return plan.id


def issue(db, plan_id: str, principal=OFFICER):
    with db.transaction() as session:
        plan, version = lifecycle.issue_plan(session, principal, plan_id, LATER)
        return plan.status, version.version


def amend(db, plan_id: str, doc: dict, reason: str = "Bổ sung nhiệm vụ", principal=OFFICER):
    body = AmendPlan.model_validate({"document": doc, "indicator_targets": INDICATOR_TARGETS, "reason": reason})
    with db.transaction() as session:
        plan, version = lifecycle.amend_plan(session, principal, plan_id, body, LATER)
        return version.version, version.report_deadline


def test_a_draft_writes_no_event_and_issuing_it_writes_plan_issued_with_every_unit_and_its_tasks(db):
    plan_id = create(db)
    assert db.events() == []
    assert issue(db, plan_id, LEADER) == ("issued", 1)
    [event] = db.events("plan.issued.v1")
    assert event["subject"] == plan_id and event["communecode"] == COMMUNE
    data = event["data"]
    assert (data["year"], data["version"], data["report_deadline"]) == (2026, 1, "2026-11-20")
    assert data["issued_at"].startswith("2026-06-02T03:00:00")
    assert {u["unit_code"]: (u["role"], u["task_ids"]) for u in data["units"]} == {
        "VHXH": ("lead", ["TC-1.1", "TC-1.2"]), "TYT": ("coordinating", ["TC-2.1"]),
        "THON-DONG": ("coordinating", ["TC-3.1"]), "THON-DOAI": ("coordinating", ["TC-3.1"])}


def test_plan_issued_carries_what_the_commune_report_needs_of_the_plan(db):
    doc = document()
    doc["organisation"][0]["tasks"][1]["content_area"] = 1
    plan_id = create(db, document=doc, indicator_targets=[
        {"indicator_code": "BDG-CS-01", "baseline": 1500, "baseline_year": 2025, "target": 2000,
         "reported_by_units": ["VHXH"]},
        {"indicator_code": "NQ28-YT-01", "target": 109, "direction": "at_most", "reported_by_units": ["TYT"]}])
    issue(db, plan_id)
    data = db.events("plan.issued.v1")[0]["data"]
    assert data["document"] == {"kind": "Kế hoạch", "number": "12", "symbol": "KH-UBND", "date": "2026-05-20",
                                "issuing_body": "UBND xã Sơn Hải", "title": doc["title"]}
    assert [(d["number"], d["date"], d["issuing_body"]) for d in data["implements"]] == [
        ("169", "2026-05-14", "UBND tỉnh Bắc Ninh")]
    assert data["content_areas"] == [{"number": 1, "title": "Truyền thông về bình đẳng giới"}]
    assert {t["code"]: (t["content_area"], t["text"]) for t in data["tasks"]} == {
        "TC-1.1": (None, "Chủ trì tham mưu triển khai Kế hoạch."),
        "TC-1.2": (1, "Tuyên truyền phòng, chống bạo lực gia đình."), "TC-2.1": (None, "Tư vấn sức khỏe sinh sản."),
        "TC-3.1": (None, "Kịp thời phát hiện, báo cáo các trường hợp bạo lực.")}
    indicators = {i["indicator_code"]: i for i in data["indicators"]}
    assert (indicators["BDG-CS-01"]["baseline"], indicators["BDG-CS-01"]["target"],
            indicators["BDG-CS-01"]["sex_disaggregated"], indicators["BDG-CS-01"]["direction"]) == (
        1500, 2000, True, "at_least")
    assert indicators["NQ28-YT-01"]["direction"] == "at_most"
    assert indicators["NQ28-YT-01"]["unit_of_measure"] == "bé trai/100 bé gái"
    assert data["key_dates"] == [{"name": "Tháng hành động vì bình đẳng giới", "start": "2026-11-15",
                                  "end": "2026-12-15"}]
    assert data["signature"]["deputy_for"] == "KT. CHỦ TỊCH" and data["compiled_for"] == "Sở Nội vụ"


def test_a_unit_task_links_only_to_a_content_area_the_plan_has(db):
    doc = document()
    doc["organisation"][0]["tasks"][0]["content_area"] = 7
    with pytest.raises(Unprocessable) as refused:
        create(db, document=doc)
    assert [f["field"] for f in refused.value.fields] == ["document.organisation.0.tasks.0.content_area"]


def test_a_plan_beyond_what_its_events_carry_is_refused_naming_the_part(db):
    doc = document()
    doc["content_areas"] = [{"number": n, "title": f"Nội dung {n}"} for n in range(1, 32)]
    with pytest.raises(Unprocessable) as refused:
        create(db, document=doc)
    assert refused.value.fields == [{"field": "document.content_areas", "problem": "tối đa 30 mục (kế hoạch có 31)"}]


def test_a_task_longer_than_events_carry_travels_cut(db):
    doc = document()
    doc["organisation"][0]["tasks"][0]["text"] = "Tuyên truyền " * 300
    issue(db, create(db, document=doc))
    [task] = [t for t in db.events("plan.issued.v1")[0]["data"]["tasks"] if t["code"] == "TC-1.1"]
    assert len(task["text"]) <= 2000 and task["text"].endswith("…")


def test_an_issued_plan_is_not_edited_nor_issued_again(db):
    plan_id = create(db)
    issue(db, plan_id)
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        lifecycle.edit_draft(session, OFFICER, plan_id, EditDraft.model_validate({"document": document()}), LATER)
    assert refused.value.code == "plan_not_draft"
    with pytest.raises(Conflict) as refused:
        issue(db, plan_id)
    assert refused.value.code == "plan_not_draft"
    assert len(db.events("plan.issued.v1")) == 1


def test_one_issued_plan_per_commune_and_year(db):
    first, second = create(db), create(db)
    issue(db, first)
    with pytest.raises(Conflict) as refused:
        issue(db, second)
    assert refused.value.code == "plan_already_issued"
    with db.transaction() as session:
        assert lifecycle.get_plan(session, OFFICER, second).status == "draft"


def test_units_that_are_unknown_or_dissolved_in_the_plan_year_stop_the_issue(db):
    doc = document()
    doc["organisation"][2]["unit_codes"] = ["THON-DONG", "THON-CU"]  # Thôn Cũ was dissolved in 2025
    plan_id = create(db, document=doc)
    with pytest.raises(Unprocessable) as refused:
        issue(db, plan_id)
    assert [f["field"] for f in refused.value.fields] == ["document.organisation.2.unit_codes.1"]
    assert db.events() == []  # the refused transaction wrote nothing


def test_an_amendment_is_a_new_version_naming_what_changed(db):
    plan_id = create(db)
    issue(db, plan_id)
    changed = document(due_day=15, due_month=12)
    changed["organisation"][1]["tasks"].append({"code": "TC-2.2", "text": "Khám sức khỏe cho phụ nữ."})
    assert amend(db, plan_id, changed) == (2, dt.date(2026, 12, 15))
    [event] = db.events("plan.amended.v1")
    assert (event["data"]["version"], event["data"]["previous_version"]) == (2, 1)
    assert set(event["data"]["changed_parts"]) == {"document.organisation", "document.reporting", "report_deadline"}
    assert {u["unit_code"]: u["task_ids"] for u in event["data"]["units"]}["TYT"] == ["TC-2.1", "TC-2.2"]
    with db.transaction() as session:
        plan = lifecycle.get_plan(session, OFFICER, plan_id)
        assert lifecycle.get_version(session, plan, 1).report_deadline == dt.date(2026, 11, 20)  # kept


def test_an_amendment_that_changes_nothing_is_refused(db):
    plan_id = create(db)
    issue(db, plan_id)
    with pytest.raises(Unprocessable) as refused:
        amend(db, plan_id, document(), reason="Không đổi gì")
    assert refused.value.fields == [{"field": "document", "problem": "giống phiên bản hiện hành"}]
    assert db.events("plan.amended.v1") == []


def test_only_an_issued_plan_is_amended_or_closed(db):
    plan_id = create(db)
    with pytest.raises(Conflict) as refused:
        amend(db, plan_id, document(due_day=1, due_month=12))
    assert refused.value.code == "plan_not_issued"
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        lifecycle.close_plan(session, OFFICER, plan_id, LATER)
    assert refused.value.code == "plan_not_issued"
    issue(db, plan_id)
    with db.transaction() as session:
        plan, _ = lifecycle.close_plan(session, LEADER, plan_id, LATER)
        assert plan.status == "closed"
    [closed] = db.events("plan.closed.v1")
    assert closed["data"]["closed_at"].startswith("2026-06-02T03:00:00")


def test_another_communes_plan_is_not_found_and_the_province_reads_but_does_not_write(db):
    plan_id = create(db)
    with pytest.raises(NotFound) as missing, db.transaction() as session:
        lifecycle.get_plan(session, OTHER_OFFICER, plan_id)
    assert missing.value.code == "plan_not_found"
    with pytest.raises(NotFound):
        issue(db, plan_id, OTHER_OFFICER)
    with db.transaction() as session:
        assert lifecycle.get_plan(session, PROVINCE, plan_id).id == plan_id
    with pytest.raises(Forbidden) as refused:
        issue(db, plan_id, PROVINCE)
    assert refused.value.code == "wrong_commune"
    assert db.events() == []
