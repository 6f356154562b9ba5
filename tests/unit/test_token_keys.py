"""Asymmetric bearer tokens: the signer holds the private key, the services only public keys."""
import base64
import hmac
import json
import time
from hashlib import sha256
from http.server import BaseHTTPRequestHandler

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.common.auth import authenticate, mint_token, principal_from_token
from services.common.errors import Unauthenticated
from services.common.roles import Role
from services.common.token_keys import (
    DEVELOPMENT_JWKS,
    DEVELOPMENT_SIGNING_KEY,
    KeyConfigurationError,
    SigningKey,
    new_key_pair,
    private_jwk,
    signing_key,
    verification_keys,
)
from tests.support.local_servers import serving

EVERYONE = set(Role)


def _bearer(signer: SigningKey) -> str:
    return "Bearer " + mint_token(signer, subject="u", role="operator")


def test_a_service_verifies_with_the_jwks_of_the_signers_key_inline_or_from_a_file(tmp_path):
    private, jwks = new_key_pair()
    signer = signing_key({"JWT_PRIVATE_KEY": private})
    assert authenticate(_bearer(signer), EVERYONE, {"JWT_JWKS": jwks}).subject == "u"
    (tmp_path / "jwks.json").write_text(jwks, encoding="utf-8")
    assert authenticate(_bearer(signer), EVERYONE, {"JWT_JWKS": str(tmp_path / "jwks.json")}).role is Role.OPERATOR
    # the development key is not among them
    with pytest.raises(Unauthenticated):
        authenticate(_bearer(DEVELOPMENT_SIGNING_KEY), EVERYONE, {"JWT_JWKS": jwks})


def test_the_public_keys_cannot_sign():
    """What a compromised service holds (the JWKS) signs nothing the services accept: not as an HMAC key
    (algorithm confusion), not unsigned, not with another key under the signer's key id."""
    private, jwks = new_key_pair()
    kid = json.loads(jwks)["keys"][0]["kid"]
    keys = verification_keys({"JWT_JWKS": jwks})
    claims = {"sub": "u", "role": "operator", "iss": "binhdang", "iat": int(time.time()),
              "exp": int(time.time()) + 60}
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()).rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    for secret in (jwks.encode(), json.loads(jwks)["keys"][0]["x"].encode()):
        mac = hmac.new(secret, header + b"." + body, sha256).digest()
        confused = (header + b"." + body + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()
        with pytest.raises(Unauthenticated):
            principal_from_token(confused, keys)
    impostor = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid})
    with pytest.raises(Unauthenticated):
        principal_from_token(impostor, keys)
    nameless = jwt.encode(claims, signing_key({"JWT_PRIVATE_KEY": private}).key, algorithm="EdDSA")
    with pytest.raises(Unauthenticated):
        principal_from_token(nameless, keys)  # no kid: no key to check it with


class _Jwks(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def jwks_url():
    with serving(_Jwks) as url:
        yield f"{url}/jwks.json"


def test_a_service_fetches_the_keys_from_jwt_jwks_url(jwks_url):
    private, jwks = new_key_pair()
    _Jwks.body = jwks.encode()
    signer = signing_key({"JWT_PRIVATE_KEY": private})
    assert authenticate(_bearer(signer), EVERYONE, {"JWT_JWKS_URL": jwks_url}).subject == "u"
    # a production service refuses the development key even when the address publishes it
    _Jwks.body = DEVELOPMENT_JWKS.encode()
    config = {"ENVIRONMENT": "production", "JWT_JWKS_URL": jwks_url}
    with pytest.raises(Unauthenticated):
        authenticate(_bearer(DEVELOPMENT_SIGNING_KEY), EVERYONE, config)


def test_development_uses_the_development_key_pair_on_both_sides():
    assert signing_key({}) == DEVELOPMENT_SIGNING_KEY
    assert authenticate(_bearer(signing_key({})), EVERYONE, {}).subject == "u"


def test_production_refuses_the_development_key_pair_and_a_missing_key():
    with pytest.raises(KeyConfigurationError, match="JWT_PRIVATE_KEY"):
        signing_key({"ENVIRONMENT": "production"})
    development_private = json.dumps(private_jwk(DEVELOPMENT_SIGNING_KEY.key))
    assert signing_key({"JWT_PRIVATE_KEY": development_private}).key_id == DEVELOPMENT_SIGNING_KEY.key_id
    with pytest.raises(KeyConfigurationError, match="development"):
        signing_key({"ENVIRONMENT": "production", "JWT_PRIVATE_KEY": development_private})
    with pytest.raises(KeyConfigurationError, match="development"):
        verification_keys({"ENVIRONMENT": "production", "JWT_JWKS": DEVELOPMENT_JWKS})
    with pytest.raises(KeyConfigurationError, match="JWT_JWKS"):
        verification_keys({"ENVIRONMENT": "production"})


@pytest.mark.parametrize("value", ["not json", '{"kty": "oct", "k": "c2VjcmV0"}', '{"keys": []}'])
def test_a_key_that_is_not_an_ed25519_key_is_a_configuration_error(value, tmp_path):
    with pytest.raises(KeyConfigurationError):
        signing_key({"JWT_PRIVATE_KEY": value})
    with pytest.raises(KeyConfigurationError):
        verification_keys({"JWT_JWKS": value if value.startswith("{") else str(tmp_path / "missing.json")})
