"""Who may speak on the bus: the broker's users and permissions, proven on a real RabbitMQ vhost.

Issue 8: with the broker login alone, anyone could publish anything anywhere (a forged
`commune_report.approved.v1` locked a commune's unit reports). `binhdang broker-definitions` now gives
each service a user that may write only its own exchanges and queues, and each outside subscriber a
user that may only declare, bind and read queues of its own prefix. The definitions are made by the
command, loaded with `rabbitmqctl import_definitions` (as an operator would), and every refusal is the
broker's own (ACCESS_REFUSED). Users are broker-wide: theirs names carry the test vhost's id and they
are deleted afterwards. Each service also runs on its own user: publishing, consuming, retries, dead
letters, replay and RPC replies all pass.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import amqp
import amqp.exceptions
import kombu
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.common import dead_letters
from services.common.config import SERVICE_NAMES
from services.common.events.contracts import CommuneReportApproved
from services.common.rpc import CallerRpcProxy
from services.common.subscriber import ExchangeMissing, ensure_exchange, queue_depth
from services.notifications.service import ask_plans
from services.ops import broker_access
from services.ops.topology import declare_topology
from services.plans.service import PlansService
from tests.support.broker import private_vhost
from tests.support.plan_documents import COMMUNE, DIRECTORY, INDICATOR_TARGETS, document
from tests.support.plan_events import wire
from tests.support.probe import Probe, event_body
from tests.support.service_http import refusal, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

ACCESS = {access.service: access for access in broker_access.platform_access()}
PUBLIC_EXCHANGES = sorted(f"{service}.events" for service in ACCESS)
# a consumer queue of another service than the one named, to aim at
OTHERS_QUEUE = {"plans": "reporting.on_plan_issued", "cases": "reporting.on_plan_issued",
                "notifications": "plans.on_commune_report_approved", "reporting": "plans.on_commune_report_approved"}


@dataclass
class Broker:
    admin: str  # the administrator's AMQP URI on the vhost (guest here; declare-topology and operators)
    vhost: str
    uris: dict[str, str]  # a service's (or "subscriber", "probe") own AMQP URI
    subscriber: str  # the subscriber's name, which prefixes its queues
    probe: str  # the probe consumer's service name


def rabbitmqctl(*args: str, text: str | None = None) -> str:
    ctl = shutil.which("rabbitmqctl")
    assert ctl, "rabbitmqctl is needed to load the broker definitions"
    done = subprocess.run([ctl, "-q", *args], input=text, text=True, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def uri(user: str, password: str, vhost: str) -> str:
    return f"amqp://{quote(user, safe='')}:{quote(password, safe='')}@127.0.0.1:5672/{quote(vhost, safe='')}"


def load(definitions: str | dict) -> None:
    """As an operator would: `rabbitmqctl import_definitions`, from standard input (its CLI runs as the rabbitmq
    user, which cannot read the test's files); then wait for the import, which RabbitMQ runs in the background."""
    document = json.loads(definitions) if isinstance(definitions, str) else definitions
    rabbitmqctl("import_definitions", "--format", "json", text=json.dumps(document))
    [vhost] = [v["name"] for v in document["vhosts"]]
    wanted = {(p["user"], p["configure"], p["write"], p["read"]) for p in document["permissions"]}
    topics = {(t["user"], t["exchange"], t["write"], t["read"]) for t in document["topic_permissions"]}

    def imported() -> bool:
        permissions = json.loads(rabbitmqctl("list_permissions", "-p", vhost, "--formatter", "json"))
        topic = json.loads(rabbitmqctl("list_topic_permissions", "-p", vhost, "--formatter", "json"))
        return (wanted <= {(p["user"], p["configure"], p["write"], p["read"]) for p in permissions}
                and topics <= {(t["user"], t["exchange"], t["write"], t["read"]) for t in topic})

    wait_until(imported, timeout=30)


@pytest.fixture(scope="module")
def broker():
    with private_vhost("users") as admin:
        vhost = kombu.Connection(admin).virtual_host
        tag = vhost.rsplit("-", 1)[-1]
        prefix, subscriber, probe = f"bd{tag}-", f"sub{tag}", f"probe_{tag}"
        passwords = {name: secrets.token_urlsafe(18) for name in (*SERVICE_NAMES, "subscriber", "probe")}
        environ = {**os.environ, "AMQP_URI": admin, "BROKER_SUBSCRIBERS": f"{subscriber}={passwords['subscriber']}",
                   **{f"BROKER_{name.upper()}_PASSWORD": passwords[name] for name in SERVICE_NAMES}}
        made = subprocess.run([sys.executable, "-m", "services", "broker-definitions", "--user-prefix", prefix],
                              env=environ, capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        load(made.stdout)
        # a probe consumer of plans' events, with a user of its own as a service has
        probe_access = broker_access.ServiceAccess(probe, produces=(), consumes_from=("plans.events",))
        load(broker_access.definitions(vhost, [broker_access.service_account(
            probe_access, f"{prefix}probe", passwords["probe"])]))
        users = [f"{prefix}{name}" for name in SERVICE_NAMES] + [subscriber, f"{prefix}probe"]
        try:
            # the administrator, before the services
            declare_topology({"AMQP_URI": admin, "RETRY_DELAYS_SECONDS": "0.2,0.4"})
            uris = {name: uri(f"{prefix}{name}", passwords[name], vhost) for name in (*SERVICE_NAMES, "probe")}
            uris["subscriber"] = uri(subscriber, passwords["subscriber"], vhost)
            yield Broker(admin, vhost, uris, subscriber, probe)
        finally:
            for user in users:
                rabbitmqctl("delete_user", user)


# what a user tries, each on a connection of its own --------------------------------------------
def publish(amqp_uri: str, exchange: str, routing_key: str, body: bytes = b"{}") -> None:
    """Publish with a confirm: a refusal closes the channel before the confirm comes."""
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        connection.channel().basic_publish_confirm(
            amqp.Message(body, content_type="application/cloudevents+json", delivery_mode=2), exchange=exchange,
            routing_key=routing_key, confirm_timeout=10)


def get(amqp_uri: str, queue: str):
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        return connection.channel().basic_get(queue, no_ack=True)


def declare_queue(amqp_uri: str, queue: str, *bindings: tuple[str, str]) -> None:
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        channel.queue_declare(queue, durable=True, auto_delete=False)
        for exchange, routing_key in bindings:
            channel.queue_bind(queue, exchange, routing_key)


def delete(amqp_uri: str, kind: str, name: str) -> None:
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        (channel.queue_delete if kind == "queue" else channel.exchange_delete)(name)


def declare_exchange(amqp_uri: str, name: str) -> None:
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        connection.channel().exchange_declare(name, "topic", durable=True, auto_delete=False)


def refused(action, *args) -> None:
    with pytest.raises(amqp.exceptions.AccessRefused):
        action(*args)


def first_type(service: str) -> str:
    return ACCESS[service].produces[0]


# services ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_a_service_publishes_each_of_its_own_events_on_its_own_exchange(broker, service):
    for event_type in ACCESS[service].produces:
        publish(broker.uris[service], f"{service}.events", event_type)


@pytest.mark.parametrize("user,producer", [(user, producer) for user in SERVICE_NAMES for producer in SERVICE_NAMES
                                           if user != producer])
def test_a_service_cannot_publish_on_another_services_exchange(broker, user, producer):
    """The attack, e.g. cases' login publishing commune_report.approved.v1 on reporting.events: refused."""
    refused(publish, broker.uris[user], f"{producer}.events", first_type(producer))


@pytest.mark.parametrize("service,routing_key", [("plans", "case.reported.v1"), ("plans", "plan.issued.v9"),
                                                 ("cases", "commune_report.approved.v1"), ("reporting", "#")])
def test_a_service_publishes_only_its_own_event_types(broker, service, routing_key):
    refused(publish, broker.uris[service], f"{service}.events", routing_key)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_no_service_can_put_a_message_into_a_queue_through_the_default_exchange(broker, service):
    refused(publish, broker.uris[service], "", OTHERS_QUEUE[service])
    refused(publish, broker.uris[service], "", f"{service}.anything")  # nor into its own: it has its retries exchange


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_a_service_cannot_write_another_services_redelivery_exchange(broker, service):
    queue = OTHERS_QUEUE[service]
    refused(publish, broker.uris[service], f"{queue.partition('.')[0]}.retries", queue)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_a_service_cannot_read_bind_or_delete_what_is_not_its_own(broker, service):
    queue, own = OTHERS_QUEUE[service], broker.uris[service]
    other = queue.partition(".")[0]
    refused(get, own, queue)
    refused(delete, own, "queue", queue)
    refused(delete, own, "exchange", f"{other}.events")
    refused(declare_exchange, own, f"{other}.events")  # declaring (configure) includes deleting
    refused(declare_queue, own, f"{service}.stolen-{uuid.uuid4().hex[:6]}", (f"{other}.retries", queue))
    refused(declare_queue, own, f"{other}.planted")


# outside subscribers ----------------------------------------------------------------------------
def test_a_subscriber_reads_the_public_events_from_queues_of_its_own(broker):
    queue = f"{broker.subscriber}.all-events"
    declare_queue(broker.uris["subscriber"], queue, *((exchange, "#") for exchange in PUBLIC_EXCHANGES))
    try:
        publish(broker.uris["plans"], "plans.events", "plan.issued.v1", event_body())
        wait_until(lambda: queue_depth(broker.uris["subscriber"], queue) == 1)
        message = get(broker.uris["subscriber"], queue)
        assert json.loads(message.body)["type"] == "plan.issued.v1"
    finally:
        delete(broker.uris["subscriber"], "queue", queue)


PUBLISH_TARGETS = ([(f"{service}.events", first_type(service)) for service in SERVICE_NAMES]
                   + [("", queue) for queue in sorted(set(OTHERS_QUEUE.values()))]
                   + [(f"{service}.retries", OTHERS_QUEUE[service]) for service in ("plans", "reporting")]
                   + [("nameko-rpc", "plans.unit_directory"), ("amq.topic", "plan.issued.v1")])


@pytest.mark.parametrize("exchange,routing_key", PUBLISH_TARGETS, ids=lambda value: value or "(default)")
def test_a_subscriber_cannot_publish_at_all(broker, exchange, routing_key):
    refused(publish, broker.uris["subscriber"], exchange, routing_key)


def test_a_subscriber_cannot_touch_anything_outside_its_prefix(broker):
    own = broker.uris["subscriber"]
    queue = f"{broker.subscriber}.q-{uuid.uuid4().hex[:6]}"
    declare_queue(own, queue, ("cases.events", "case.#"))
    try:
        refused(declare_queue, own, f"x{broker.subscriber}.q")
        refused(declare_queue, own, "reporting.on_plan_issued")
        refused(get, own, "reporting.on_plan_issued")
        refused(get, own, "reporting.on_plan_issued.dlq")
        refused(declare_queue, own, queue, ("reporting.retries", "reporting.on_plan_issued"))
        refused(declare_exchange, own, "plans.events")
        refused(delete, own, "exchange", "plans.events")
        refused(delete, own, "queue", "reporting.on_plan_issued")
    finally:
        delete(own, "queue", queue)


# the services on their own users ---------------------------------------------------------------
def test_plans_runs_on_its_own_user(broker, container_factory, postgres, tmp_path):
    """Publishes its events (relay), consumes reporting's approval and answers RPC (replies are the one thing
    it may publish on nameko-rpc), all with its own user."""
    container, api = start_service(container_factory, PlansService, postgres.create("plans"), broker.uris["plans"],
                                   tmp_path)
    queue = f"{broker.subscriber}.plans"
    declare_queue(broker.uris["subscriber"], queue, ("plans.events", "plan.#"))
    officer, reporter = token("commune_officer", COMMUNE), token("unit_reporter", COMMUNE, "VHXH")
    try:
        for unit in DIRECTORY:
            assert api.call("POST", f"/v1/communes/{COMMUNE}/units", officer, json=unit).status_code == 201
        plan = api.call("POST", "/v1/plans", officer, json={"commune_code": COMMUNE, "year": 2026,
                                                            "document": document(),
                                                            "indicator_targets": INDICATOR_TARGETS}).json()["id"]
        assert api.call("POST", f"/v1/plans/{plan}/issue", officer).status_code == 200
        wait_until(lambda: queue_depth(broker.uris["subscriber"], queue) == 1)
        assert json.loads(get(broker.uris["subscriber"], queue).body)["data"]["plan_id"] == plan

        report = {"tasks": [{"task_code": "TC-1.1", "status": "done", "summary": "Đã tổ chức 3 buổi."}]}
        assert api.call("POST", f"/v1/plans/{plan}/unit-reports", reporter, json=report).status_code == 201
        event_id, body = wire(CommuneReportApproved(
            plan_id=uuid.UUID(plan), commune_code=COMMUNE, year=2026, units_expected=1, units_reported=1,
            approved_at=dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)))
        publish(broker.uris["reporting"], "reporting.events", "commune_report.approved.v1", body)
        wait_until(lambda: refusal(api.call("POST", f"/v1/plans/{plan}/unit-reports", reporter, json=report)) == (
            409, "reports_locked"))

        with ClusterRpcProxy({"AMQP_URI": broker.admin}, timeout=10,
                             context_data={"authorization": f"Bearer {officer}"}) as cluster:
            assert {unit["code"] for unit in cluster.plans.unit_directory(COMMUNE)} >= {"VHXH"}
    finally:
        container.stop()
        delete(broker.uris["subscriber"], "queue", queue)


def test_notifications_asks_plans_for_contacts_on_its_own_user_and_may_call_nothing_else(broker, container_factory,
                                                                                          postgres, tmp_path):
    container, api = start_service(container_factory, PlansService, postgres.create("plans"), broker.uris["plans"],
                                   tmp_path)
    officer = token("commune_officer", COMMUNE)
    try:
        for unit in DIRECTORY:
            assert api.call("POST", f"/v1/communes/{COMMUNE}/units", officer, json=unit).status_code == 201
        ask = ask_plans({"AMQP_URI": broker.uris["notifications"]})  # signs with the development key
        assert {unit["code"] for unit in ask(COMMUNE)} >= {"VHXH"}
        with pytest.raises(Exception) as refusal_of_the_broker:  # a call it does not make: the broker says no
            with CallerRpcProxy(broker.uris["notifications"], "notifications", officer, timeout=5) as cluster:
                cluster.plans.create_plan(COMMUNE)
        assert "ACCESS_REFUSED" in str(refusal_of_the_broker.value) or "403" in str(refusal_of_the_broker.value)
    finally:
        container.stop()


def test_a_consumer_retries_dead_letters_and_is_replayed_on_its_own_user(broker, container_factory, postgres):
    probe = Probe(container_factory, postgres.create("probe"), broker.uris["probe"], name=broker.probe)
    try:
        probe.behaviour["fail"] = True
        body = event_body()
        publish(broker.uris["plans"], "plans.events", "plan.issued.v1", body)
        wait_until(lambda: queue_depth(broker.uris["probe"], f"{probe.queue}.dlq") == 1, timeout=30)
        assert probe.behaviour["calls"] == 3  # the first delivery and two retries, through probe_<id>.retries
        probe.behaviour["fail"] = False
        assert dead_letters.replay(broker.uris["probe"], f"{probe.queue}.dlq") == 1  # the service's own user may
        wait_until(lambda: probe.effect_count() == 1)
        assert probe.alive
    finally:
        probe.close()


def test_a_consumer_may_not_create_its_producers_exchange(broker):
    """Where the producer's exchange does not exist (declare-topology not run), the consumer says so and stops,
    instead of declaring it: declaring includes the right to delete it."""
    with private_vhost("bare") as admin:
        vhost = kombu.Connection(admin).virtual_host
        login = kombu.Connection(broker.uris["reporting"])
        user, password = login.userid, login.password
        assert user and password
        load(broker_access.definitions(vhost, [broker_access.service_account(ACCESS["reporting"], user, password)]))
        with kombu.Connection(uri(user, password, vhost)) as connection:
            with pytest.raises(ExchangeMissing, match="declare-topology"):
                ensure_exchange(connection.connection, "plans.events")
        with kombu.Connection(admin) as connection:  # a broker login that may (development) declares it
            ensure_exchange(connection.connection, "plans.events")
        with kombu.Connection(uri(user, password, vhost)) as connection:
            ensure_exchange(connection.connection, "plans.events")
