"""The keys that sign and verify bearer tokens: EdDSA over Ed25519.

A signer (the web component; notifications, for its calls to plans; `binhdang token` in development) holds
a private key of its own, `JWT_PRIVATE_KEY`, a private JWK. The other services hold only public keys:
`JWT_JWKS` (a JWKS, as its JSON or the path of a file holding it; every signer's public key) or `JWT_JWKS_URL`
(where the signer publishes it). A compromised service can then read tokens but not mint them, and a
compromised notifications signs only as itself (its key id is not the web's). Left unset, both sides use
the development key pair derived below from a constant in this repository, which anyone can derive as well:
production refuses it on both sides.
"""
from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from services.common.config import env
from services.common.errors import Unauthenticated

ALGORITHM = "EdDSA"
# How long a service trusts the keys it fetched from JWT_JWKS_URL before it asks again.
JWKS_URL_CACHE_SECONDS = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(public: Ed25519PublicKey) -> dict[str, str]:
    """The public JWK of a key; its `kid` is the RFC 7638 thumbprint, so it names the key and nothing else."""
    x = _b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    required = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True)
    kid = _b64(hashlib.sha256(required.encode()).digest())
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": ALGORITHM, "use": "sig"}


def private_jwk(private: Ed25519PrivateKey) -> dict[str, str]:
    d = _b64(private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
    return {**public_jwk(private.public_key()), "d": d}


def jwks_of(*publics: Ed25519PublicKey) -> dict[str, list[dict[str, str]]]:
    return {"keys": [public_jwk(public) for public in publics]}


def new_key_pairs(count: int) -> tuple[list[str], str]:
    """New signing keys, one per signer: (their JWT_PRIVATE_KEYs, the JWT_JWKS holding all their public keys),
    each one line of JSON (they go into env files)."""
    privates = [Ed25519PrivateKey.generate() for _ in range(count)]
    return [json.dumps(private_jwk(p)) for p in privates], json.dumps(jwks_of(*(p.public_key() for p in privates)))


def new_key_pair() -> tuple[str, str]:
    """A new signing key: (JWT_PRIVATE_KEY, JWT_JWKS)."""
    [private], jwks = new_key_pairs(1)
    return private, jwks


DEVELOPMENT_PRIVATE_KEY = Ed25519PrivateKey.from_private_bytes(
    hashlib.sha256(b"binhdang-development-only-token-key").digest())
DEVELOPMENT_KEY_ID = public_jwk(DEVELOPMENT_PRIVATE_KEY.public_key())["kid"]
DEVELOPMENT_JWKS = json.dumps(jwks_of(DEVELOPMENT_PRIVATE_KEY.public_key()))


@dataclass(frozen=True)
class SigningKey:
    key: Ed25519PrivateKey
    key_id: str


DEVELOPMENT_SIGNING_KEY = SigningKey(DEVELOPMENT_PRIVATE_KEY, DEVELOPMENT_KEY_ID)


class KeyConfigurationError(ValueError):
    pass


def _production(config: Mapping[str, Any] | None) -> bool:
    return (env("ENVIRONMENT", config) or "").strip().lower() == "production"


def signing_key(config: Mapping[str, Any] | None = None) -> SigningKey:
    """The signer's key from JWT_PRIVATE_KEY; unset, the development key, which production refuses."""
    raw = env("JWT_PRIVATE_KEY", config)
    if not raw:
        if _production(config):
            raise KeyConfigurationError("ENVIRONMENT=production needs JWT_PRIVATE_KEY to sign tokens")
        return DEVELOPMENT_SIGNING_KEY
    try:
        key = jwt.PyJWK(json.loads(raw), algorithm=ALGORITHM).key
    except (ValueError, jwt.PyJWTError):
        raise KeyConfigurationError("JWT_PRIVATE_KEY is not a private Ed25519 JWK") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyConfigurationError("JWT_PRIVATE_KEY is not a private Ed25519 JWK")
    kid = public_jwk(key.public_key())["kid"]
    if kid == DEVELOPMENT_KEY_ID and _production(config):
        raise KeyConfigurationError("ENVIRONMENT=production refuses the development JWT_PRIVATE_KEY")
    return SigningKey(key, kid)


def _parse_jwks(text: str) -> dict[str, Ed25519PublicKey]:
    keys: dict[str, Ed25519PublicKey] = {}
    for entry in jwt.PyJWKSet.from_json(text).keys:
        if isinstance(entry.key, Ed25519PublicKey):
            keys[public_jwk(entry.key)["kid"]] = entry.key
    if not keys:
        raise KeyConfigurationError("JWT_JWKS holds no Ed25519 public key")
    return keys


def _read_jwks(value: str) -> dict[str, Ed25519PublicKey]:
    try:
        text = value if value.lstrip().startswith("{") else Path(value).read_text(encoding="utf-8")
    except OSError:
        raise KeyConfigurationError("JWT_JWKS is neither a JWKS nor the path of a readable file") from None
    try:
        return _parse_jwks(text)
    except (ValueError, jwt.PyJWTError):
        raise KeyConfigurationError("JWT_JWKS is not a JWKS of Ed25519 keys") from None


class VerificationKeys:
    """The public keys a service verifies tokens with, by key id (the token header's `kid`)."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey] | None = None, url: str | None = None,
                 refuse_development: bool = False):
        self._keys = dict(keys or {})
        self._client = jwt.PyJWKClient(url, lifespan=JWKS_URL_CACHE_SECONDS) if url else None
        self._refuse_development = refuse_development

    def key_for(self, token: str) -> Ed25519PublicKey:
        """The key that must have signed `token`; a token naming no key or an unknown one is not ours."""
        invalid = Unauthenticated("Mã xác thực không hợp lệ.", code="invalid_token")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise invalid from None
        if not isinstance(kid, str) or (self._refuse_development and kid == DEVELOPMENT_KEY_ID):
            raise invalid
        if kid in self._keys:
            return self._keys[kid]
        if self._client is not None:
            try:
                fetched = self._client.get_signing_key(kid).key
            except jwt.PyJWTError:
                raise invalid from None
            # a fetched key is trusted under its own thumbprint only, whatever `kid` the JWKS gave it
            if isinstance(fetched, Ed25519PublicKey) and public_jwk(fetched)["kid"] == kid:
                return fetched
        raise invalid


@lru_cache(maxsize=8)
def _verification_keys(jwks: str | None, url: str | None, production: bool) -> VerificationKeys:
    if not jwks and not url:
        if production:
            raise KeyConfigurationError("ENVIRONMENT=production needs JWT_JWKS or JWT_JWKS_URL to verify tokens")
        return VerificationKeys(_parse_jwks(DEVELOPMENT_JWKS))
    keys = _read_jwks(jwks) if jwks else {}
    if production and DEVELOPMENT_KEY_ID in keys:
        raise KeyConfigurationError("ENVIRONMENT=production refuses the development key in JWT_JWKS")
    return VerificationKeys(keys, url=url, refuse_development=production)


def verification_keys(config: Mapping[str, Any] | None = None) -> VerificationKeys:
    """A service's public keys from JWT_JWKS / JWT_JWKS_URL; unset, the development key (not in production)."""
    return _verification_keys(env("JWT_JWKS", config), env("JWT_JWKS_URL", config), _production(config))


def production_key_problems(config: Mapping[str, Any]) -> list[str]:
    """Why a service must not verify tokens in production with this config (empty: it may)."""
    try:
        _verification_keys(env("JWT_JWKS", config), env("JWT_JWKS_URL", config), True)
    except KeyConfigurationError as error:
        return [str(error)]
    return []


def production_signing_key_problems(config: Mapping[str, Any]) -> list[str]:
    """Why a service that signs tokens must not sign in production with this config (empty: it may): no key or
    the development one, or one whose public key is not in JWT_JWKS (the services would refuse its tokens)."""
    try:
        kid = signing_key({**config, "ENVIRONMENT": "production"}).key_id
    except KeyConfigurationError as error:
        return [str(error)]
    jwks = env("JWT_JWKS", config)
    try:
        verifiable = not jwks or kid in _read_jwks(jwks)
    except KeyConfigurationError:
        return []  # production_key_problems says what is wrong with JWT_JWKS
    return [] if verifiable else ["JWT_JWKS does not hold the public key of JWT_PRIVATE_KEY"]
