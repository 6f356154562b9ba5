"""Who may call what, for every cases endpoint (taken from the OpenAPI document), and tenancy:
another commune's case answers exactly like a case that does not exist."""
import json
import re
import time

import jwt
import pytest

from services.cases.service import CasesService
from services.common.service_base import openapi_for
from services.common.token_keys import DEVELOPMENT_SIGNING_KEY
from tests.integration.cases.conftest import Tokens
from tests.support.case_reports import COMMUNE, answers, report_body
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration

OPERATIONS = [(method.upper(), path, op.get("x-roles"))
              for path, item in openapi_for(CasesService)["paths"].items() for method, op in item.items()]
ROLE_TOKENS = {"case_worker": Tokens.worker, "commune_leader": Tokens.leader, "commune_officer": Tokens.officer,
               "unit_reporter": Tokens.reporter, "province_officer": Tokens.province, "auditor": Tokens.auditor,
               "operator": Tokens.operator}
PLACEHOLDER = {"case_code": "VV26-ZZZZZZZZ", "commune_code": COMMUNE, "measure_id": "0" * 36,
               "referral_id": "0" * 36, "action": "accept"}
CASE = "/v1/cases/{case_code}"
# A valid body for every operation on a case that takes one: a request must get past validation to
# reach the commune check, or the test would compare two identical validation errors.
VALID_BODIES = {
    ("POST", CASE + "/incidents"): {"incident_type": "domestic_violence_physical",
                                    "perpetrator_relationship": "spouse"},
    ("POST", CASE + "/risk-assessments"): answers(threats_to_kill=True),
    ("PUT", CASE + "/consent"): {"services": True, "sharing": True, "statistics": False},
    ("POST", CASE + "/transitions"): {"to_status": "verifying", "reason": "Bắt đầu xác minh"},
    ("PUT", CASE + "/legal-hold"): {"hold": True, "reason": "Tòa án yêu cầu lưu hồ sơ"},
    ("POST", CASE + "/measures"): {"kind": "counselling"},
    ("PATCH", CASE + "/measures/{measure_id}"): {"outcome": "ongoing"},
    ("POST", CASE + "/escalations"): {"authority": "commune_police", "reason": "Nguy cơ cao"},
    ("POST", CASE + "/referrals"): {"authority": "social_work_centre", "reason": "Cần hỗ trợ tâm lý"},
    ("POST", CASE + "/referrals/{referral_id}/{action}"): {"reason": "Đã tiếp nhận"},
}


def concrete(path: str, **values) -> str:
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), PLACEHOLDER[m.group(1)]), path)


@pytest.mark.parametrize("method,path,roles", [op for op in OPERATIONS if op[2]], ids=lambda v: str(v))
def test_roles_not_allowed_are_refused(cases, method, path, roles):
    for role, token in ROLE_TOKENS.items():
        if role in roles:
            continue
        response = cases.call(method, concrete(path), token, json={})
        assert response.status_code == 403, (role, response.text)
        assert response.json()["error"]["code"] == "wrong_role"
    assert refusal(cases.call(method, concrete(path), None, json={})) == (401, "missing_token")


@pytest.mark.parametrize("method,path,roles",
                         [op for op in OPERATIONS if op[2] and "{case_code}" in op[1]], ids=lambda v: str(v))
def test_another_communes_case_is_indistinguishable_from_none(cases, tokens, method, path, roles):
    operation = openapi_for(CasesService)["paths"][path][method.lower()]
    body = VALID_BODIES[(method, path)] if "requestBody" in operation else None
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    other, own = ((tokens.other_worker, tokens.worker) if "case_worker" in roles
                  else (tokens.other_leader, tokens.leader))
    theirs = cases.call(method, concrete(path, case_code=code), other, json=body)
    missing = cases.call(method, concrete(path, case_code="VV26-ZZZZZZZZ"), other, json=body)
    assert refusal(theirs) == (404, "case_not_found"), theirs.text
    assert theirs.json() == missing.json()
    # the same request from the case's own commune finds the case (only the placeholder ids are unknown)
    mine = cases.call(method, concrete(path, case_code=code), own, json=body)
    assert mine.status_code < 300 or refusal(mine) in ((404, "measure_not_found"), (404, "referral_not_found")), (
        mine.text)


def test_other_communes_trusted_addresses_are_refused(cases, tokens):
    path = f"/v1/communes/{COMMUNE}/trusted-addresses"
    assert refusal(cases.call("GET", path, tokens.other_worker)) == (403, "wrong_commune")
    assert refusal(cases.call("POST", path, tokens.other_worker, json={"name": "x", "address": "y",
                                                                        "capacity": 1})) == (403, "wrong_commune")


@pytest.mark.parametrize("claims", [
    {"role": ["case_worker"]}, {"commune": 7543}, {"commune": ["07543", "07531"]}, {"sub": {"id": 1}},
    {"exp": int(time.time()) + 30 * 86400},  # a month-long token
])
def test_tokens_with_wrongly_typed_claims_or_a_long_life_are_401_json(cases, claims):
    now = int(time.time())
    payload = {"sub": "x", "role": "case_worker", "commune": COMMUNE, "iss": "binhdang", "iat": now,
               "exp": now + 600, **claims}
    forged = jwt.api_jws.encode(json.dumps(payload).encode(), DEVELOPMENT_SIGNING_KEY.key, algorithm="EdDSA",
                                headers={"kid": DEVELOPMENT_SIGNING_KEY.key_id})
    answer = cases.call("GET", "/v1/cases", forged)
    assert refusal(answer) == (401, "invalid_token"), answer.text
