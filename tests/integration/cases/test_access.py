"""Who may call what, for every cases endpoint (taken from the OpenAPI document), and tenancy:
another commune's case answers exactly like a case that does not exist."""
import re

import pytest

from services.cases.service import CasesService
from services.common.service_base import openapi_for
from tests.integration.cases.conftest import COMMUNE, Tokens, report_body

pytestmark = pytest.mark.integration

OPERATIONS = [(method.upper(), path, op.get("x-roles"))
              for path, item in openapi_for(CasesService)["paths"].items() for method, op in item.items()]
ROLE_TOKENS = {"case_worker": Tokens.worker, "commune_leader": Tokens.leader, "commune_officer": Tokens.officer,
               "unit_reporter": Tokens.reporter, "province_officer": Tokens.province, "auditor": Tokens.auditor,
               "operator": Tokens.operator}
PLACEHOLDER = {"case_code": "VV26-ZZZZZZZZ", "commune_code": COMMUNE, "measure_id": "0" * 36,
               "referral_id": "0" * 36, "action": "accept"}


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
    assert cases.call(method, concrete(path), None, json={}).status_code == 401


@pytest.mark.parametrize("method,path,roles",
                         [op for op in OPERATIONS if op[2] and "{case_code}" in op[1]], ids=lambda v: str(v))
def test_another_communes_case_is_indistinguishable_from_none(cases, tokens, method, path, roles):
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    other = tokens.other_worker if "case_worker" in roles else tokens.other_leader
    theirs = cases.call(method, concrete(path, case_code=code), other, json={})
    missing = cases.call(method, concrete(path, case_code="VV26-ZZZZZZZZ"), other, json={})
    assert theirs.status_code == missing.status_code and theirs.json() == missing.json()
    assert theirs.status_code in (404, 422)  # 422: the body is checked before the case is looked up


def test_other_communes_trusted_addresses_are_refused(cases, tokens):
    path = "/v1/communes/27154/trusted-addresses"
    assert cases.call("GET", path, tokens.other_worker).status_code == 403
    assert cases.call("POST", path, tokens.other_worker, json={"name": "x", "address": "y",
                                                                "capacity": 1}).status_code == 403
