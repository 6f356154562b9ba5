"""The unit directory and indicators, over HTTP against PostgreSQL."""
import json

import pytest

from tests.support.plan_documents import COMMUNE
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration
UNITS = f"/v1/communes/{COMMUNE}/units"


def test_units_are_created_listed_and_dissolved(directory, tokens):
    listed = directory.call("GET", UNITS, tokens.officer).json()["items"]
    assert {u["code"] for u in listed} == {"VHXH", "KT", "TYT", "THON-DONG", "THON-DOAI", "THON-CU"}
    active = directory.call("GET", UNITS + "?active_on=2026-01-01", tokens.officer).json()["items"]
    assert "THON-CU" not in {u["code"] for u in active}

    changed = directory.call("PATCH", UNITS + "/KT", tokens.officer, json={"active_to": "2026-03-31"})
    assert changed.status_code == 200 and changed.json()["active_to"] == "2026-03-31"
    later = directory.call("GET", UNITS + "?active_on=2026-04-01", tokens.officer).json()["items"]
    assert "KT" not in {u["code"] for u in later}
    vhxh = directory.call("GET", UNITS + "/VHXH", tokens.reporter("TYT")).json()
    assert vhxh["contact_points"] == [{"role": "reporting_officer", "channel": "in_app", "address": None}]


def test_directory_refusals(directory, tokens):
    duplicate = directory.call("POST", UNITS, tokens.officer, json={"code": "VHXH", "name": "X",
                                                                    "unit_type": "department"})
    assert refusal(duplicate) == (409, "unit_exists")
    bad = directory.call("POST", UNITS, tokens.officer, json={"code": "a b", "name": "", "unit_type": "castle"})
    assert refusal(bad) == (422, "validation_error")
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"code", "name", "unit_type"}
    period = directory.call("POST", UNITS, tokens.officer, json={"code": "X", "name": "X", "unit_type": "other",
                                                                 "active_from": "2026-01-02",
                                                                 "active_to": "2026-01-01"})
    assert refusal(period) == (422, "validation_error") and period.json()["error"]["fields"][0]["field"] == "(body)"
    assert refusal(directory.call("POST", UNITS, tokens.reporter("VHXH"), json={})) == (403, "wrong_role")
    assert refusal(directory.call("POST", UNITS, tokens.other_officer, json={
        "code": "Y", "name": "Y", "unit_type": "other"})) == (403, "wrong_commune")
    assert refusal(directory.call("GET", UNITS, tokens.other_officer)) == (403, "wrong_commune")
    assert refusal(directory.call("GET", UNITS + "/NOPE", tokens.officer)) == (404, "unit_not_found")
    assert directory.call("GET", UNITS, tokens.province).status_code == 200


def test_national_reference_indicators_are_seeded(plans, tokens):
    items = {i["code"]: i for i in plans.call("GET", "/v1/indicators", tokens.officer).json()["items"]}
    leaders = items["NQ28-CT-01"]
    assert leaders["scope"] == "national"
    assert leaders["reference_targets"] == [{"year": 2025, "value": 60.0}, {"year": 2030, "value": 75.0}]
    assert "28/NQ-CP" in leaders["source"]
    assert items["BDG-CS-01"]["sex_disaggregated"] is True


def test_a_commune_defines_its_own_indicators(plans, tokens):
    body = {"code": "SH-01", "name": "Số buổi sinh hoạt câu lạc bộ gia đình", "unit_of_measure": "buổi",
            "value_type": "count"}
    created = plans.call("POST", f"/v1/communes/{COMMUNE}/indicators", tokens.officer, json=body)
    assert created.status_code == 201 and created.json()["scope"] == COMMUNE
    again = plans.call("POST", f"/v1/communes/{COMMUNE}/indicators", tokens.officer, json=body)
    assert refusal(again) == (409, "indicator_exists")
    national_clash = plans.call("POST", f"/v1/communes/{COMMUNE}/indicators", tokens.officer,
                                json=dict(body, code="NQ28-CT-01"))
    assert refusal(national_clash) == (409, "indicator_exists")
    ours = {i["code"] for i in plans.call("GET", "/v1/indicators", tokens.officer).json()["items"]}
    theirs = {i["code"] for i in plans.call("GET", "/v1/indicators", tokens.other_officer).json()["items"]}
    assert "SH-01" in ours and "SH-01" not in theirs


def test_text_postgres_cannot_store_is_a_422_not_a_500(directory, tokens):
    """Found by the fuzzer: NUL characters and lone surrogates reached PostgreSQL and made a 500."""
    for name in ("Phòng\u0000Tư pháp", "\udb0a"):
        body = json.dumps({"code": "TP", "name": name, "unit_type": "department"})  # escapes both as \\uXXXX
        response = directory.call("POST", UNITS, tokens.officer, data=body,
                                  headers={"Content-Type": "application/json"})
        assert refusal(response) == (422, "invalid_characters"), response.text
        assert response.json()["error"]["fields"][0]["field"] == "name"
    assert refusal(directory.call("GET", UNITS + "/%00", tokens.officer)) == (422, "invalid_characters")


def test_a_commune_outside_the_official_list_is_not_found_or_refused(plans, tokens):
    """27154 was an invented code; the official list after 1 July 2025 has no such commune."""
    assert refusal(plans.call("GET", "/v1/communes/27154/units", tokens.province)) == (404, "commune_not_found")
    assert refusal(plans.call("GET", "/v1/plans?commune_code=27154", tokens.province)) == (422, "validation_error")
    refused = plans.call("POST", "/v1/plans", tokens.officer, json={"commune_code": "27154", "year": 2026,
                                                                    "document": {}})
    assert refusal(refused) == (422, "validation_error")
    assert "commune_code" in {f["field"] for f in refused.json()["error"]["fields"]}
