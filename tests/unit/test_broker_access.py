"""The broker's users as `binhdang broker-definitions` makes them (the permissions themselves are proven on a
real broker in tests/integration/test_broker_users.py; here, what can be checked without one)."""
import json
import re
import stat

import pytest

from services.cli import main
from services.common.config import SERVICE_NAMES
from services.ops import broker_access
from services.ops.topology import consumer_topologies

PASSWORDS = {f"BROKER_{name.upper()}_PASSWORD": f"secret-of-{name}-123" for name in SERVICE_NAMES}
EXCHANGES = [f"{name}.events" for name in SERVICE_NAMES] + [f"{name}.retries" for name in SERVICE_NAMES]
QUEUES = [queue.name for t in consumer_topologies({"RETRY_DELAYS_SECONDS": "1"}) for queue in t.queues()]


def matches(pattern: str, name: str) -> bool:
    return re.search(pattern, name) is not None  # RabbitMQ matches a permission's regex anywhere in the name


@pytest.fixture
def accounts(monkeypatch):
    for name, value in PASSWORDS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BROKER_SUBSCRIBERS", "sonoivu=pw-of-sonoivu")
    monkeypatch.setenv("AMQP_URI", "amqp://admin:admin-pw@rabbitmq:5672/binhdang")
    vhost, found = broker_access.platform_accounts()
    assert vhost == "binhdang"
    return {account.user: account for account in found}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_a_service_may_write_only_what_is_its_own(accounts, service):
    account = accounts[f"binhdang-{service}"]
    for name in [*EXCHANGES, *QUEUES, "amq.default", "amq.topic"]:
        own = name.startswith(f"{service}.")
        assert matches(account.write, name) == own, name
        assert matches(account.configure, name) == own, name


def test_a_subscriber_may_write_nothing_of_the_platform_and_read_the_public_exchanges(accounts):
    subscriber = accounts["sonoivu"]
    for name in [*EXCHANGES, *QUEUES, "amq.default", "nameko-rpc", "rpc-plans"]:
        assert not matches(subscriber.write, name) and not matches(subscriber.configure, name), name
    assert {name for name in [*EXCHANGES, *QUEUES] if matches(subscriber.read, name)} == {
        f"{name}.events" for name in SERVICE_NAMES}
    assert matches(subscriber.write, "sonoivu.cases") and matches(subscriber.read, "sonoivu.cases")


REPLY_KEY = "0b6c7c1e-4b57-4bb8-9a8c-2f3d0e2d1f10"


def test_only_plans_serves_rpc_and_may_publish_only_replies_there(accounts):
    assert sorted(user for user, account in accounts.items() if matches(account.write, "nameko-rpc")) == [
        "binhdang-notifications", "binhdang-plans"]  # notifications calls plans
    [rpc] = [t for t in accounts["binhdang-plans"].topic_permissions if t.exchange == "nameko-rpc"]
    assert matches(rpc.write, REPLY_KEY)
    assert not matches(rpc.write, "plans.unit_directory") and not matches(rpc.write, "cases.anything")


def test_notifications_may_call_the_unit_directory_and_nothing_else_and_hear_only_its_own_replies(accounts):
    account = accounts["binhdang-notifications"]
    [rpc] = [t for t in account.topic_permissions if t.exchange == "nameko-rpc"]
    assert matches(rpc.write, "plans.unit_directory")
    for refused in ("plans.anything", "cases.case_statistics", REPLY_KEY):  # no other call, and no fake replies
        assert not matches(rpc.write, refused), refused
    assert matches(rpc.read, REPLY_KEY) and not matches(rpc.read, "plans.unit_directory")  # binds by its reply key
    own_replies, others = f"rpc.reply-notifications-{REPLY_KEY}", f"rpc.reply-plans-{REPLY_KEY}"
    assert matches(account.configure, own_replies) and matches(account.read, own_replies)
    for name in (others, "rpc-plans", f"rpc.reply-standalone_rpc_proxy-{REPLY_KEY}"):
        assert not matches(account.configure, name) and not matches(account.read, name), name


@pytest.mark.parametrize("text,problem", [
    ("sonoivu", "has no password"), ("sonoivu=", "has no password"), ("a1=x,a1=y", "twice"),
])
def test_malformed_subscribers_are_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        broker_access.parse_subscribers(text)


@pytest.mark.parametrize("name", ["plans", "binhdang-plans", "admin", "amqx", "rpc-plans", "nameko", "Sở", "a",
                                  "so.noi.vu"])
def test_a_subscriber_name_that_could_reach_the_platform_is_refused(monkeypatch, name):
    for setting, value in PASSWORDS.items():
        monkeypatch.setenv(setting, value)
    monkeypatch.setenv("AMQP_URI", "amqp://admin:admin-pw@rabbitmq:5672/")
    monkeypatch.setenv("BROKER_SUBSCRIBERS", f"{name}=pw")
    with pytest.raises(ValueError, match="subscriber name"):
        broker_access.platform_accounts()


def test_the_command_writes_hashes_not_passwords(monkeypatch, tmp_path, capsys):
    for setting, value in PASSWORDS.items():
        monkeypatch.setenv(setting, value)
    monkeypatch.setenv("AMQP_URI", "amqp://admin:admin-pw@rabbitmq:5672/")
    out = tmp_path / "definitions.json"
    assert main(["broker-definitions", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert not [password for password in [*PASSWORDS.values(), "admin-pw"] if password in text]
    document = json.loads(text)
    assert document["vhosts"] == [{"name": "/"}]
    assert {user["name"] for user in document["users"]} == {f"binhdang-{name}" for name in SERVICE_NAMES}
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # RabbitMQ's own user reads it
    assert main(["broker-definitions", "--administrator", "--user-prefix", "bd-"]) == 0
    users = {user["name"]: user["tags"] for user in json.loads(capsys.readouterr().out)["users"]}
    assert users == {**{f"bd-{name}": "" for name in SERVICE_NAMES}, "admin": "administrator"}


def test_the_command_refuses_a_service_without_a_password(monkeypatch, capsys):
    for setting, value in PASSWORDS.items():
        monkeypatch.setenv(setting, value)
    monkeypatch.delenv("BROKER_REPORTING_PASSWORD")
    assert main(["broker-definitions"]) == 2
    assert "BROKER_REPORTING_PASSWORD is not set" in capsys.readouterr().err
