"""`binhdang make-secrets`: the secrets a deployment keeps (tests/unit/test_kubernetes.py renders the overlay
with them)."""
import json
import re

from cryptography.fernet import Fernet

from services.cli import main
from services.common.auth import mint_token, principal_from_token
from services.common.config import SERVICE_NAMES, SERVICE_SIGNING_KEYS, broker_password_setting, secrets_of
from services.common.production import service_problems
from services.common.token_keys import signing_key, verification_keys
from services.ops.deployment_secrets import env_file, new_secrets, secret_names


def test_every_secret_a_service_needs_in_production_is_made():
    made = new_secrets()
    for service in SERVICE_NAMES:
        assert {s.name for s in secrets_of(service)} | {broker_password_setting(service)} <= set(made)
        broker = f"amqp://binhdang-{service}:{made[broker_password_setting(service)]}@rabbitmq:5672/"
        # a service that signs is given its own key as JWT_PRIVATE_KEY; the others get none
        signer = made[SERVICE_SIGNING_KEYS[service]] if service in SERVICE_SIGNING_KEYS else None
        config = {**made, "JWT_PRIVATE_KEY": signer, "AMQP_URI": broker, "PUBLIC_URL": "https://binhdang.example"}
        assert service_problems(service, config) == []
    assert list(made) == secret_names()


def test_the_values_are_usable_and_new_each_time():
    first, second = new_secrets(), new_secrets()
    Fernet(first["CASES_ENCRYPTION_KEY"].encode())  # a valid key
    for name in SERVICE_NAMES:  # they go into AMQP URIs as they are
        assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", first[broker_password_setting(name)])
    # a key pair per signer (the web, notifications): the services' public keys verify what each signs
    keys = verification_keys({"JWT_JWKS": first["JWT_JWKS"]})
    signers = [signing_key({"JWT_PRIVATE_KEY": first[name]})
               for name in ("JWT_PRIVATE_KEY", "NOTIFICATIONS_JWT_PRIVATE_KEY")]
    for signer in signers:
        assert principal_from_token(mint_token(signer, subject="u", role="operator"), keys).subject == "u"
    assert all("\n" not in first[name] for name in first)  # one line each in an env file
    assert len(json.loads(first["JWT_JWKS"])["keys"]) == 2
    assert signers[0].key_id != signers[1].key_id, "a compromised notifications cannot sign as the web"
    assert first["BROKER_SUBSCRIBERS"] == ""  # the operators name the outside systems
    assert all(first[name] != second[name] for name in first if first[name])


def test_the_command_prints_an_env_file(capsys):
    assert main(["make-secrets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == secret_names()
    assert env_file({"A": "b"}) == "A=b\n"
