"""Signing in through the province's OpenID Connect provider (optional: only when WEB_OIDC_ISSUER is set).

The authorization code flow with PKCE (S256), `state` and `nonce` (authlib makes the request and exchanges the
code); the ID token is verified here with joserfc: its signature by a key of the provider's JWKS (from the
discovery document), `iss` the configured issuer, `aud` the client id, the `nonce` this browser was given, `exp`
not passed. The provider only says who the person is: the claim preferred_username must name an existing local
account, which keeps its role, commune and second factor. No account is ever created from a provider's answer.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from services.common.config import env

# the claim that names the local account
USERNAME_CLAIM = "preferred_username"
ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10
REFUSED = "Không đăng nhập được qua cổng định danh của tỉnh. Vui lòng thử lại hoặc đăng nhập bằng mật khẩu."
UNAVAILABLE = "Cổng định danh của tỉnh đang không trả lời. Vui lòng thử lại sau hoặc đăng nhập bằng mật khẩu."


class OidcRefused(Exception):
    """Why a sign-in through the provider failed, in Vietnamese (the detail goes to the audit, not the page)."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str


def oidc_config(values: Mapping[str, Any]) -> OidcConfig | None:
    """The provider's settings, or None when sign-in through it is not configured."""
    issuer = (env("WEB_OIDC_ISSUER", values) or "").strip().rstrip("/")
    client_id = (env("WEB_OIDC_CLIENT_ID", values) or "").strip()
    if not issuer or not client_id:
        return None
    return OidcConfig(issuer, client_id, (env("WEB_OIDC_CLIENT_SECRET", values) or "").strip())


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _get_json(url: str) -> dict[str, Any]:
    try:
        answer = requests.get(url, timeout=TIMEOUT_SECONDS)
        answer.raise_for_status()
        body = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcRefused(UNAVAILABLE, f"{url}: {type(error).__name__}") from None
    if not isinstance(body, dict):
        raise OidcRefused(UNAVAILABLE, f"{url}: not a JSON object")
    return body


def discovery(config: OidcConfig) -> dict[str, Any]:
    """The provider's discovery document; its issuer must be the configured one (OpenID Connect Discovery 4.3)."""
    document = _get_json(config.issuer + "/.well-known/openid-configuration")
    if document.get("issuer", "").rstrip("/") != config.issuer:
        raise OidcRefused(REFUSED, "discovery issuer differs from WEB_OIDC_ISSUER")
    return document


def _session(config: OidcConfig, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(config.client_id, config.client_secret or None, scope="openid profile",
                         redirect_uri=redirect_uri, code_challenge_method="S256",
                         token_endpoint_auth_method="client_secret_basic" if config.client_secret else "none")


def start(config: OidcConfig, redirect_uri: str) -> Started:
    """Where to send the browser, and the state, nonce and PKCE verifier to keep in its session."""
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    url, _ = _session(config, redirect_uri).create_authorization_url(
        discovery(config)["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier)
    return Started(url, state, nonce, verifier)


def finish(config: OidcConfig, redirect_uri: str, code: str, code_verifier: str, nonce: str) -> dict[str, Any]:
    """The verified claims of the ID token the provider gives for `code`."""
    document = discovery(config)
    try:
        tokens = _session(config, redirect_uri).fetch_token(document["token_endpoint"], code=code,
                                                             code_verifier=code_verifier, timeout=TIMEOUT_SECONDS)
    except OAuthError as error:
        raise OidcRefused(REFUSED, f"token endpoint: {error.error}") from None
    except (requests.RequestException, ValueError, KeyError) as error:
        raise OidcRefused(UNAVAILABLE, f"token endpoint: {type(error).__name__}") from None
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcRefused(REFUSED, "no id_token")
    return verify_id_token(config, id_token, _get_json(document["jwks_uri"]), nonce)


def verify_id_token(config: OidcConfig, id_token: str, jwks: dict[str, Any], nonce: str) -> dict[str, Any]:
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=list(ALGORITHMS))  # type: ignore[arg-type]
        jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, iss={"essential": True, "value": config.issuer},
                              aud={"essential": True, "value": config.client_id},
                              nonce={"essential": True, "value": nonce}, exp={"essential": True},
                              sub={"essential": True}).validate(token.claims)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcRefused(REFUSED, f"id_token: {type(error).__name__}") from None
    audience = token.claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and token.claims.get("azp") != config.client_id:
        raise OidcRefused(REFUSED, "id_token: azp is not this client")
    return dict(token.claims)
