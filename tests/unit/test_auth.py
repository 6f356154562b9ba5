import time

import jwt
import pytest

from services.common.auth import Principal, authorize, mint_token, principal_from_header, principal_from_token
from services.common.errors import Forbidden, Unauthenticated
from services.common.roles import Role

SECRET = "test-secret-0123456789-0123456789-abcdef"


def test_token_round_trip_carries_role_commune_and_unit():
    token = mint_token(SECRET, subject="u1", role="unit_reporter", commune="07543", unit="VHXH")
    principal = principal_from_header(f"Bearer {token}", SECRET)
    assert principal == Principal("u1", Role.UNIT_REPORTER, "07543", "VHXH")


@pytest.mark.parametrize("header,code", [
    (None, "missing_token"),
    ("", "missing_token"),
    ("Basic abc", "invalid_token"),
    ("Bearer ", "invalid_token"),
    ("Bearer not-a-jwt", "invalid_token"),
])
def test_bad_headers_are_401(header, code):
    with pytest.raises(Unauthenticated) as error:
        principal_from_header(header, SECRET)
    assert error.value.code == code and error.value.status == 401


def test_wrong_secret_expired_and_unknown_role_are_rejected():
    token = mint_token("another-secret-0123456789-0123456789", subject="u", role="operator")
    with pytest.raises(Unauthenticated):
        principal_from_token(token, SECRET)
    expired = mint_token(SECRET, subject="u", role="operator", ttl_seconds=-10)
    with pytest.raises(Unauthenticated) as error:
        principal_from_token(expired, SECRET)
    assert error.value.code == "token_expired"
    odd = jwt.encode({"sub": "u", "role": "king", "iss": "binhdang", "exp": int(time.time()) + 60}, SECRET,
                     algorithm="HS256")
    with pytest.raises(Unauthenticated):
        principal_from_token(odd, SECRET)


def test_commune_roles_need_a_commune_claim():
    forged = jwt.encode({"sub": "u", "role": "case_worker", "iss": "binhdang", "exp": int(time.time()) + 60},
                        SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        principal_from_token(forged, SECRET)
    with pytest.raises(ValueError):
        mint_token(SECRET, subject="u", role="case_worker")


def test_a_unit_reporter_token_needs_a_unit_claim():
    """Found by the type check: a unit reporter's token without `unit` was accepted."""
    forged = jwt.encode({"sub": "u", "role": "unit_reporter", "commune": "27154", "iss": "binhdang",
                         "exp": int(time.time()) + 60}, SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated) as error:
        principal_from_token(forged, SECRET)
    assert error.value.code == "invalid_token"


def test_none_algorithm_is_refused():
    unsigned = jwt.encode({"sub": "u", "role": "operator", "iss": "binhdang", "exp": int(time.time()) + 60},
                          key="", algorithm="none")
    with pytest.raises(Unauthenticated):
        principal_from_token(unsigned, SECRET)


def test_role_and_commune_rules():
    officer = Principal("o", Role.COMMUNE_OFFICER, "07543")
    province = Principal("p", Role.PROVINCE_OFFICER)
    authorize(officer, {Role.COMMUNE_OFFICER})
    with pytest.raises(Forbidden):
        authorize(officer, {Role.CASE_WORKER})
    officer.require_commune("07543")
    with pytest.raises(Forbidden):
        officer.require_commune("07531")
    province.require_readable_commune("07531")
    with pytest.raises(Forbidden):
        province.require_commune("07531")  # reads every commune, acts for none


def test_production_refuses_development_secrets():
    from services.common.config import DEV_JWT_SECRET, MissingSecret, check_secrets
    with pytest.raises(MissingSecret, match="JWT_SECRET"):
        check_secrets("plans", {"ENVIRONMENT": "production", "JWT_SECRET": DEV_JWT_SECRET})
    with pytest.raises(MissingSecret, match="CASES_ENCRYPTION_KEY"):
        check_secrets("cases", {"ENVIRONMENT": "production", "JWT_SECRET": SECRET})
    assert check_secrets("cases", {"ENVIRONMENT": "production", "JWT_SECRET": SECRET,
                                   "CASES_ENCRYPTION_KEY": "k"}) == []
    assert len(check_secrets("cases", {"ENVIRONMENT": "development"})) == 2
    # a secret named after a service is that service's only
    assert check_secrets("plans", {"ENVIRONMENT": "production", "JWT_SECRET": SECRET}) == []
