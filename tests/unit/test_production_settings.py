"""Start-up checks of the configuration: a known ENVIRONMENT, and in production nothing guessable."""
import json

import pytest

from services.common.config import DEV_CASES_ENCRYPTION_KEY
from services.common.production import UnsafeConfiguration, check_deployment, check_service
from services.common.token_keys import (
    DEVELOPMENT_JWKS,
    DEVELOPMENT_PRIVATE_KEY,
    new_key_pair,
    new_key_pairs,
    private_jwk,
)

DEVELOPMENT_PRIVATE_JWK = json.dumps(private_jwk(DEVELOPMENT_PRIVATE_KEY))

JWKS = new_key_pair()[1]
SAFE = {"ENVIRONMENT": "production", "JWT_JWKS": JWKS, "CASES_ENCRYPTION_KEY": "a-real-fernet-key",
        "AMQP_URI": "amqp://binhdang-cases:Xq3-long-random@rabbitmq:5672/", "PUBLIC_URL": "https://binhdang.example.vn"}


@pytest.mark.parametrize("value", ["production", " Production ", "PRODUCTION\n"])
def test_production_is_recognised_whatever_its_case_and_spaces(value):
    with pytest.raises(UnsafeConfiguration):
        check_service("plans", {"ENVIRONMENT": value})  # production rules apply: no secrets given


@pytest.mark.parametrize("value", ["prod", "prodution", "staging", "production-eu", "dev", "test"])
def test_an_unknown_environment_refuses_to_start_instead_of_falling_back_to_development(value):
    with pytest.raises(UnsafeConfiguration, match="ENVIRONMENT must be one of development, production"):
        check_service("plans", {**SAFE, "ENVIRONMENT": value})


def test_a_safe_production_config_starts():
    assert check_service("cases", SAFE) == []


@pytest.mark.parametrize("change,problem", [
    ({"JWT_JWKS": DEVELOPMENT_JWKS}, "development key"),
    ({"JWT_JWKS": ""}, "needs JWT_JWKS or JWT_JWKS_URL"),
    ({"JWT_JWKS": '{"keys": []}'}, "JWT_JWKS"),
    ({"JWT_JWKS": "/nonexistent/jwks.json"}, "JWT_JWKS"),
    ({"CASES_ENCRYPTION_KEY": DEV_CASES_ENCRYPTION_KEY}, "CASES_ENCRYPTION_KEY"),
    ({"CASES_ENCRYPTION_KEY": None}, "CASES_ENCRYPTION_KEY"),
    ({"AMQP_URI": "amqp://guest:guest@rabbitmq:5672/"}, "AMQP_URI"),
    ({"AMQP_URI": "amqp://binhdang-cases:@rabbitmq:5672/"}, "AMQP_URI"),  # compose's default: no password
    ({"AMQP_URI": "amqp://binhdang:binhdang@rabbitmq:5672/"}, "AMQP_URI"),
    # a cluster's list: every node is checked, not only the first
    ({"AMQP_URI": "amqp://cases:Very-long-pass@rabbit-1:5672/;amqp://guest:guest@rabbit-2:5672/"}, "AMQP_URI"),
    ({"PUBLIC_URL": "http://binhdang.example.vn"}, "PUBLIC_URL"),
    ({"PUBLIC_URL": None}, "PUBLIC_URL"),
])
def test_production_refuses_what_anyone_could_guess(change, problem):
    with pytest.raises(UnsafeConfiguration, match=problem):
        check_service("cases", {**SAFE, **change})


def test_a_secret_named_after_a_service_is_that_service_s_only():
    assert check_service("plans", {**SAFE, "CASES_ENCRYPTION_KEY": None}) == []


def test_notifications_signs_only_with_its_own_real_key_the_services_verify():
    [private, other], jwks = new_key_pairs(2)
    assert check_service("notifications", {**SAFE, "JWT_JWKS": jwks, "JWT_PRIVATE_KEY": private}) == []
    refused = [({}, "needs JWT_PRIVATE_KEY"), ({"JWT_PRIVATE_KEY": DEVELOPMENT_PRIVATE_JWK}, "development"),
               ({"JWT_PRIVATE_KEY": new_key_pair()[0]}, "does not hold the public key of JWT_PRIVATE_KEY")]
    for change, problem in refused:
        with pytest.raises(UnsafeConfiguration, match=problem):
            check_service("notifications", {**SAFE, "JWT_JWKS": jwks, **change})
    assert check_service("plans", SAFE) == [], "a service that does not sign needs no private key"


def test_a_jwks_address_stands_for_the_jwks():
    assert check_service("plans", {**SAFE, "JWT_JWKS": None, "JWT_JWKS_URL": "https://web.example/jwks.json"}) == []


def test_development_warns_about_each_development_secret():
    assert len(check_service("cases", {"ENVIRONMENT": "development"})) == 2
    assert len(check_service("cases", {})) == 2  # development is the default


DEPLOYMENT = {"ENVIRONMENT": "production", "AMQP_URI": "amqp://binhdang:Very-long-admin@rabbitmq:5672/",
              "BROKER_PLANS_PASSWORD": "p" * 24, "BROKER_CASES_PASSWORD": "c" * 24,
              "BROKER_NOTIFICATIONS_PASSWORD": "n" * 24, "BROKER_REPORTING_PASSWORD": "r" * 24,
              "GRAFANA_ADMIN_PASSWORD": "g" * 24, "JWT_JWKS": JWKS, "PUBLIC_URL": "https://binhdang.example.vn"}


@pytest.mark.parametrize("change,problem", [
    ({"AMQP_URI": "amqp://binhdang:binhdang@rabbitmq:5672/"}, "administrator"),  # compose's RABBITMQ_PASSWORD default
    ({"GRAFANA_ADMIN_PASSWORD": "admin"}, "GRAFANA_ADMIN_PASSWORD"),  # compose's default
    ({"GRAFANA_ADMIN_PASSWORD": None}, "GRAFANA_ADMIN_PASSWORD"),
    ({"BROKER_CASES_PASSWORD": ""}, "BROKER_CASES_PASSWORD"),
    ({"PUBLIC_URL": "http://10.0.0.5:8002"}, "PUBLIC_URL"),
    ({"JWT_JWKS": DEVELOPMENT_JWKS}, "development key"),  # the key pair anyone can derive from this repository
    ({"JWT_JWKS": None}, "JWT_JWKS"),
])
def test_check_production_refuses_the_deployment_s_development_passwords(change, problem):
    check_deployment(DEPLOYMENT)
    with pytest.raises(UnsafeConfiguration, match=problem):
        check_deployment({**DEPLOYMENT, **change})


def test_check_production_command_exits_2_with_the_reason(monkeypatch, capsys):
    from services.cli import main
    for name, value in {**DEPLOYMENT, "GRAFANA_ADMIN_PASSWORD": "admin"}.items():
        monkeypatch.setenv(name, value)
    assert main(["check-production"]) == 2
    assert "GRAFANA_ADMIN_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("GRAFANA_ADMIN_PASSWORD", "g" * 24)
    assert main(["check-production"]) == 0


def test_the_web_reads_the_environment_as_the_services_do(tmp_path):
    from services.web.config import web_config
    assert web_config({"DATA_DIR": str(tmp_path), "ENVIRONMENT": " Production "}).production
    with pytest.raises(UnsafeConfiguration, match="ENVIRONMENT must be one of"):
        web_config({"DATA_DIR": str(tmp_path), "ENVIRONMENT": "prod"})
