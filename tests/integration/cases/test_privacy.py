"""What the cases database holds in plain, and what a refused read leaves behind.

Villages, trusted addresses' names and villages, and every free-text reason (a consent override's, a
reader's) are sealed at rest and still shown to the roles that may read them. A read of another
commune's case, or of no case, is audited, and answers exactly like a missing case."""
import statistics
import time
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tests.support.case_reports import COMMUNE, report_body

pytestmark = pytest.mark.integration

VILLAGE = "Thôn Bến Trăng"
SHELTER_NAME, SHELTER_VILLAGE = "Nhà bà Nguyễn Thị Hồng", "Xóm Giếng Đá"
OVERRIDE_REASON = "Bé Lê Thu Hà 13 tuổi, mẹ kế đe dọa"
READING_REASON = "Gặp chị Phạm Thị Nga tại trạm y tế"


def raw_rows(cases_service) -> str:
    """Every row of every table of the service's database, as stored."""
    container, _ = cases_service
    engine = sa.create_engine(container.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            names = sa.inspect(connection).get_table_names()
            return repr([list(row) for name in names
                         for row in connection.execute(sa.text(f'SELECT * FROM "{name}"'))])
    finally:
        engine.dispose()


def test_villages_shelters_and_reasons_are_sealed_at_rest_and_shown_to_who_may_read_them(cases_service, tokens):
    _, cases = cases_service
    body = report_body(village=VILLAGE, consent={"services": True, "sharing": False, "statistics": True})
    code = cases.call("POST", "/v1/cases", tokens.worker, json=body).json()["case_code"]
    shelter = cases.call("POST", f"/v1/communes/{COMMUNE}/trusted-addresses", tokens.worker, json={
        "name": SHELTER_NAME, "village": SHELTER_VILLAGE, "address": "Số 3 ngõ Chùa", "capacity": 2})
    assert shelter.status_code == 201, shelter.text
    referred = cases.call("POST", f"/v1/cases/{code}/referrals", tokens.worker, json={
        "authority": "social_work_centre", "reason": "Cần hỗ trợ tâm lý", "consent_override_reason": OVERRIDE_REASON})
    assert referred.status_code == 201, referred.text
    read = cases.call("GET", f"/v1/cases/{code}", tokens.worker, headers={"X-Access-Reason": quote(READING_REASON)})

    stored = raw_rows(cases_service)
    for plain in (VILLAGE, SHELTER_NAME, SHELTER_VILLAGE, OVERRIDE_REASON, READING_REASON):
        assert plain not in stored

    assert read.json()["village"] == VILLAGE
    [listed] = cases.call("GET", f"/v1/communes/{COMMUNE}/trusted-addresses", tokens.worker).json()["items"]
    assert (listed["name"], listed["village"]) == (SHELTER_NAME, SHELTER_VILLAGE)
    audit = cases.call("GET", f"/v1/audit?case_code={code}", tokens.auditor).json()["items"]
    reasons = {entry["action"]: entry["reason"] for entry in audit}
    assert reasons["case.consent.override"] == OVERRIDE_REASON and reasons["case.read"] == READING_REASON
    assert "village" not in cases.call("GET", f"/v1/cases/{code}", tokens.leader).json()


def test_a_refused_read_is_audited_and_answers_like_a_missing_case(cases, tokens):
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    missing_code = "VV26-ZZZZZZZZ"
    theirs = cases.call("GET", f"/v1/cases/{code}", tokens.other_worker)
    missing = cases.call("GET", f"/v1/cases/{missing_code}", tokens.other_worker)
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json()) == (
        404, missing.json()) and missing.json()["error"]["code"] == "case_not_found"
    assert sorted(theirs.headers) == sorted(missing.headers)

    audit = cases.call("GET", "/v1/audit?commune_code=07531", tokens.auditor).json()["items"]
    refused = [(e["action"], e["actor_role"], e["case_code"], e["outcome"]) for e in audit]
    assert ("case.read", "case_worker", code, "denied") in refused
    assert ("case.read", "case_worker", missing_code, "not_found") in refused
    own = cases.call("GET", f"/v1/audit?commune_code={COMMUNE}", tokens.auditor).json()["items"]
    assert {e["outcome"] for e in own} == {"allowed"}  # the probe is filed under the prober's commune


def test_a_refused_read_takes_as_long_as_a_missing_case(cases, tokens):
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    paths = {"theirs": f"/v1/cases/{code}", "missing": "/v1/cases/VV26-ZZZZZZZZ"}
    times: dict[str, list[float]] = {"theirs": [], "missing": []}
    for attempt in range(61):  # alternated, so that the machine's load weighs on both alike
        which = "theirs" if attempt % 2 else "missing"
        started = time.perf_counter()
        assert cases.call("GET", paths[which], tokens.other_worker).status_code == 404
        if attempt:  # the first warms up
            times[which].append(time.perf_counter() - started)
    theirs, missing = statistics.median(times["theirs"]), statistics.median(times["missing"])
    # the same work on both paths (one lookup by code, one audit row): no gap beyond a shared machine's noise
    assert abs(theirs - missing) < max(0.5 * min(theirs, missing), 0.02), (theirs, missing)
