"""What a service checks of its configuration before it starts.

`ENVIRONMENT` must name a known environment exactly (after trimming and lower-casing): a typo such
as "prodution" must not fall back to development behaviour. In production a service refuses what
anyone could guess from this repository or the compose file: missing or development secrets, no
token keys or the development key pair (services.common.token_keys; a service that signs tokens, its
own private key too), the development broker passwords,
and a public address served over plain HTTP.
`binhdang check-production` applies the same rules to the deployment-wide settings (the broker's
administrator, Grafana), which no service holds, and to the token keys every service verifies with.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from services.common.amqp_connection import broker_uris
from services.common.config import DEV_CASES_ENCRYPTION_KEY, SERVICE_NAMES, SERVICE_SIGNING_KEYS, env, secrets_of
from services.common.token_keys import production_key_problems, production_signing_key_problems, verification_keys

DEVELOPMENT, PRODUCTION = "development", "production"
ENVIRONMENTS = (DEVELOPMENT, PRODUCTION)
# Passwords in the repository: RabbitMQ's guest, compose's defaults for the administrator and Grafana.
DEVELOPMENT_PASSWORDS = frozenset({"", "guest", "binhdang", "admin"})


class UnsafeConfiguration(ValueError):
    pass


def environment(config: Mapping[str, Any]) -> str:
    """The configured environment, one of ENVIRONMENTS; anything else refuses to start."""
    value = (env("ENVIRONMENT", config) or "").strip().lower()
    if value not in ENVIRONMENTS:
        raise UnsafeConfiguration(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)} (the value set is not)")
    return value


def _password_of(uri: str | None) -> str:
    """The weakest password of AMQP_URI's nodes (one URI, or a cluster's list): "" if one has none."""
    passwords = [urlsplit(node).password or "" for node in broker_uris(uri or "")] or [""]
    return next((p for p in passwords if p in DEVELOPMENT_PASSWORDS), passwords[0])


def _development_secrets(service: str, config: Mapping[str, Any]) -> list[str]:
    """The service's secrets that are unset or a development value (which anyone can read in this repository).

    The token keys have their own rules (token_keys.production_key_problems): JWT_JWKS_URL may stand for
    JWT_JWKS, and the development key is refused by its key id."""
    return [s.name for s in secrets_of(service) if s.name != "JWT_JWKS"
            and (config.get(s.name) in (None, "", s.default) or str(config.get(s.name)) == DEV_CASES_ENCRYPTION_KEY)]


def service_problems(service: str, config: Mapping[str, Any]) -> list[str]:
    """Why `service` must not run in production with this config (empty: it may)."""
    problems = [f"{name} is not set or is the development value" for name in _development_secrets(service, config)]
    problems.extend(production_key_problems(config))
    if service in SERVICE_SIGNING_KEYS:
        problems.extend(production_signing_key_problems(config))
    if _password_of(env("AMQP_URI", config)) in DEVELOPMENT_PASSWORDS:
        problems.append("AMQP_URI uses no password or a development one")
    problems.extend(_public_url_problems(config))
    return problems


def _public_url_problems(config: Mapping[str, Any]) -> list[str]:
    public_url = env("PUBLIC_URL", config)
    if not public_url:
        return ["PUBLIC_URL is not set (the https:// address users reach the platform at)"]
    if urlsplit(public_url.strip()).scheme.lower() != "https":
        return ["PUBLIC_URL must be an https:// address: tokens and victims' data must not cross a network in clear"]
    return []


def deployment_problems(config: Mapping[str, Any]) -> list[str]:
    """Why the deployment as a whole must not run in production: the settings no single service holds."""
    problems = []
    if _password_of(env("AMQP_URI", config)) in DEVELOPMENT_PASSWORDS:
        problems.append("AMQP_URI (the broker's administrator) uses no password or a development one")
    for service in SERVICE_NAMES:
        if (env(f"BROKER_{service.upper()}_PASSWORD", config) or "") in DEVELOPMENT_PASSWORDS:
            problems.append(f"BROKER_{service.upper()}_PASSWORD is not set or is a development password")
    if (env("GRAFANA_ADMIN_PASSWORD", config) or "") in DEVELOPMENT_PASSWORDS:
        problems.append("GRAFANA_ADMIN_PASSWORD is not set or is a development password")
    problems.extend(production_key_problems(config))  # every service verifies with these keys: refuse them once, early
    problems.extend(_public_url_problems(config))
    return problems


def check_service(service: str, config: Mapping[str, Any]) -> list[str]:
    """Refuse an unknown environment, and in production an unsafe config; in development, the warnings."""
    if environment(config) == PRODUCTION:
        problems = service_problems(service, config)
        if problems:
            raise UnsafeConfiguration(f"{service}: ENVIRONMENT=production refuses: {'; '.join(problems)}")
        return []
    verification_keys(config)  # raises for keys that are set but unreadable
    unset = _development_secrets(service, config)
    if not env("JWT_JWKS", config) and not env("JWT_JWKS_URL", config):
        unset.insert(0, "JWT_JWKS")
    return [f"{name} is not set: using the development value (never in production)" for name in unset]


def check_deployment(config: Mapping[str, Any]) -> None:
    """`binhdang check-production`: refuse a deployment that would run with guessable passwords."""
    if environment(config) != PRODUCTION:
        raise UnsafeConfiguration("check-production checks a production deployment: set ENVIRONMENT=production")
    problems = deployment_problems(config)
    if problems:
        raise UnsafeConfiguration(f"deployment: ENVIRONMENT=production refuses: {'; '.join(problems)}")


def web_problems(config: Mapping[str, Any]) -> list[str]:
    """Why the web must not run in production with this sign-in through the province's OpenID Connect provider:
    an issuer over plain HTTP (its discovery, keys and tokens could be forged on the way), or no client id."""
    issuer = (env("WEB_OIDC_ISSUER", config) or "").strip()
    if not issuer:
        return []
    problems = []
    if urlsplit(issuer).scheme.lower() != "https":
        problems.append("WEB_OIDC_ISSUER must be an https:// address")
    if not (env("WEB_OIDC_CLIENT_ID", config) or "").strip():
        problems.append("WEB_OIDC_CLIENT_ID is not set while WEB_OIDC_ISSUER is")
    return problems
