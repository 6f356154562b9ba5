import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.common.auth import Principal, authorize, mint_token, principal_from_header, principal_from_token
from services.common.errors import Forbidden, Unauthenticated
from services.common.roles import Role
from services.common.token_keys import SigningKey, VerificationKeys, public_jwk


def _key_pair() -> tuple[SigningKey, VerificationKeys]:
    private = Ed25519PrivateKey.generate()
    kid = public_jwk(private.public_key())["kid"]
    return SigningKey(private, kid), VerificationKeys({kid: private.public_key()})


SIGNER, KEYS = _key_pair()


def _encode(claims: dict) -> str:
    """A token with exactly these claims, whatever their types, signed by SIGNER with its `kid`."""
    return jwt.api_jws.encode(json.dumps(claims).encode(), SIGNER.key, algorithm="EdDSA",
                              headers={"kid": SIGNER.key_id})


def test_token_round_trip_carries_role_commune_and_unit():
    token = mint_token(SIGNER, subject="u1", role="unit_reporter", commune="07543", unit="VHXH")
    principal = principal_from_header(f"Bearer {token}", KEYS)
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
        principal_from_header(header, KEYS)
    assert error.value.code == code and error.value.status == 401


def test_wrong_key_expired_and_unknown_role_are_rejected():
    other_signer, _ = _key_pair()
    token = mint_token(other_signer, subject="u", role="operator")
    with pytest.raises(Unauthenticated):
        principal_from_token(token, KEYS)
    expired = mint_token(SIGNER, subject="u", role="operator", ttl_seconds=-10)
    with pytest.raises(Unauthenticated) as error:
        principal_from_token(expired, KEYS)
    assert error.value.code == "token_expired"
    odd = _encode({"sub": "u", "role": "king", "iss": "binhdang", "exp": int(time.time()) + 60})
    with pytest.raises(Unauthenticated):
        principal_from_token(odd, KEYS)


def test_commune_roles_need_a_commune_claim():
    forged = _encode({"sub": "u", "role": "case_worker", "iss": "binhdang", "exp": int(time.time()) + 60})
    with pytest.raises(Unauthenticated):
        principal_from_token(forged, KEYS)
    with pytest.raises(ValueError):
        mint_token(SIGNER, subject="u", role="case_worker")


def test_a_unit_reporter_token_needs_a_unit_claim():
    """Found by the type check: a unit reporter's token without `unit` was accepted."""
    forged = _encode({"sub": "u", "role": "unit_reporter", "commune": "27154", "iss": "binhdang",
                      "exp": int(time.time()) + 60})
    with pytest.raises(Unauthenticated) as error:
        principal_from_token(forged, KEYS)
    assert error.value.code == "invalid_token"


def test_none_algorithm_is_refused():
    unsigned = jwt.encode({"sub": "u", "role": "operator", "iss": "binhdang", "exp": int(time.time()) + 60},
                          key="", algorithm="none", headers={"kid": SIGNER.key_id})
    with pytest.raises(Unauthenticated):
        principal_from_token(unsigned, KEYS)


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


def _signed(claims: dict) -> str:
    """A token with these claims over the defaults."""
    now = int(time.time())
    payload = {"sub": "u", "role": "case_worker", "commune": "07543", "iss": "binhdang", "iat": now,
               "exp": now + 3600, **claims}
    return _encode(payload)


@pytest.mark.parametrize("claims", [
    {"iat": int(time.time()) - 60, "exp": int(time.time()) + 13 * 3600},  # 13 h lifetime
    {"iat": int(time.time()) + 30 * 86400, "exp": int(time.time()) + 30 * 86400 + 3600},  # issued "next month"
    {"exp": None},  # no expiry
    {"iat": None},  # no issue time: the lifetime cannot be told
])
def test_long_lived_or_open_ended_tokens_are_refused(claims):
    token = _signed({k: v for k, v in claims.items() if v is not None})
    if any(v is None for v in claims.values()):
        payload = json.loads(jwt.api_jws.decode(token, SIGNER.key.public_key(), algorithms=["EdDSA"]))
        token = _encode({k: v for k, v in payload.items() if k not in claims})
    with pytest.raises(Unauthenticated) as error:
        principal_from_token(token, KEYS)
    assert error.value.status == 401


def test_tokens_are_minted_for_twelve_hours_at_most():
    principal_from_token(mint_token(SIGNER, subject="u", role="operator", ttl_seconds=12 * 3600), KEYS)
    with pytest.raises(ValueError):
        mint_token(SIGNER, subject="u", role="operator", ttl_seconds=12 * 3600 + 1)


# What an attacker holding the signing key of a test deployment, or a broken issuer, could put in each claim.
FUZZ_VALUES = [["case_worker"], {"role": "case_worker"}, 7543, 7543.0, True, None, "", " ", "x" * 10_000,
               ["07543", "07531"], {"$ne": None}, "\x00", [], {}]


@pytest.mark.parametrize("claim", ["sub", "role", "commune", "unit", "province", "iss", "exp", "iat"])
@pytest.mark.parametrize("value", FUZZ_VALUES, ids=[f"v{i}" for i in range(len(FUZZ_VALUES))])
def test_fuzzed_claims_are_refused_with_401_or_accepted_as_strings(claim, value):
    try:
        principal = principal_from_token(_signed({claim: value}), KEYS)
    except Unauthenticated as error:
        assert error.status == 401
    else:  # a harmless value of an optional claim the role does not use
        assert claim in ("unit", "province") and value is None
        assert all(isinstance(v, str | None) for v in (principal.subject, principal.commune_code,
                                                        principal.unit_code, principal.province_code))


def test_a_list_where_a_string_belongs_is_401_not_a_crash():
    for claims in ({"role": ["case_worker"]}, {"commune": ["07543"]}, {"sub": 1}, {"province": {"code": "24"}}):
        with pytest.raises(Unauthenticated):
            principal_from_token(_signed(claims), KEYS)
