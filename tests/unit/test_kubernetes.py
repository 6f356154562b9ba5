"""The Kubernetes manifests (deploy/kubernetes/), checked offline: `kubectl kustomize` renders the base and
the province overlay (with a secrets.env made by `binhdang make-secrets`), every resource validates against
its schema (kubernetes-validate for Kubernetes' own kinds; for the operators' kinds, the CRD schemas in
tests/fixtures/crds/, made strict so that a misspelled field fails), and what the resources say agrees with
the code: ports, settings, secrets, databases, broker users, consumer queues and API paths."""
import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate

from services.common.config import (
    DEFAULT_PORTS,
    METRICS_PORT_OFFSET,
    SERVICE_NAMES,
    SERVICE_SIGNING_KEYS,
    SETTING_NAMES,
    broker_password_setting,
    nameko_config,
    secrets_of,
)
from services.common.config import settings as default_settings
from services.common.production import check_service, web_problems
from services.common.token_keys import signing_key
from services.ops import broker_access
from services.ops.deployment_secrets import env_file, new_secrets, secret_names
from services.ops.topology import consumer_topologies
from tests.support.api_paths import OPERATIONAL_PATHS, documented_paths

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAY = Path("overlays") / "bac-ninh"
NAMESPACE = "binhdang-bac-ninh"
KUBERNETES_VERSION = "1.30"
CRDS = ROOT / "tests" / "fixtures" / "crds"
SECRET = "binhdang-secrets"
# the kinds of the operators: RabbitMQ Cluster Operator, CloudNativePG, KEDA
CRD_SCHEMAS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "rabbitmqcluster-rabbitmq-v1beta1.json",
    ("postgresql.cnpg.io/v1", "Cluster"): "cluster-postgresql-v1.json",
    ("postgresql.cnpg.io/v1", "Database"): "database-postgresql-v1.json",
    ("keda.sh/v1alpha1", "ScaledObject"): "scaledobject-keda-v1alpha1.json",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "triggerauthentication-keda-v1alpha1.json",
}


def kustomize(folder: Path) -> list[dict]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is missing: .ci/run installs it (apt-get install kubernetes-client)"
    version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True, timeout=30).stdout
    embedded = re.search(r"Kustomize Version: v(\d+)", version)
    assert embedded and int(embedded[1]) >= 5, f"the manifests need kubectl's kustomize v5 or later: {version}"
    result = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="module")
def secrets() -> dict[str, str]:
    return new_secrets()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, secrets) -> list[dict]:
    """The overlay as `kubectl apply -k` would send it, with the secrets.env an operator makes."""
    tree = tmp_path_factory.mktemp("deploy") / "kubernetes"
    shutil.copytree(KUBERNETES, tree)
    (tree / OVERLAY / "secrets.env").write_text(env_file(secrets), encoding="utf-8")
    return kustomize(tree / OVERLAY)


def the(rendered: list[dict], kind: str, name: str) -> dict:
    [found] = [d for d in rendered if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def all_of(rendered: list[dict], kind: str) -> list[dict]:
    return [d for d in rendered if d["kind"] == kind]


# ---------------------------------------------------------------- schemas

def strict(schema):
    """A CRD's structural schema where an object that lists its properties accepts no other (as the API
    server's strict field validation does)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: strict(value) for key, value in schema.items()}
    if "properties" in result and "additionalProperties" not in result \
            and not result.get("x-kubernetes-preserve-unknown-fields"):
        result["additionalProperties"] = False
    return result


def crd_validator(api_version: str, kind: str) -> jsonschema.Validator:
    schema = json.loads((CRDS / CRD_SCHEMAS[(api_version, kind)]).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(strict(schema))


def problems(document: dict) -> list[str]:
    key = (document["apiVersion"], document["kind"])
    if key in CRD_SCHEMAS:
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in crd_validator(*key).iter_errors(document)]
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except (kubernetes_validate.ValidationError, jsonschema.ValidationError) as error:
        return [str(getattr(error, "caused_by", error).message)]
    except kubernetes_validate.SchemaNotFoundError:
        return [f"no schema for {key}"]
    return []


def test_the_base_renders_without_a_province():
    kinds = {d["kind"] for d in kustomize(KUBERNETES / "base")}
    assert {"Deployment", "Job", "RabbitmqCluster", "Cluster", "ScaledObject", "NetworkPolicy", "Ingress"} <= kinds


def test_every_resource_is_valid_for_kubernetes_or_its_operator(rendered):
    found = {f"{d['kind']}/{d['metadata']['name']}": problems(d) for d in rendered}
    assert {name: errors for name, errors in found.items() if errors} == {}


def test_validation_rejects_a_misspelled_field(rendered):
    deployment = copy.deepcopy(the(rendered, "Deployment", "plans"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/ready"}}
    broker = copy.deepcopy(the(rendered, "RabbitmqCluster", "binhdang-rabbitmq"))
    broker["spec"]["replica"] = 3
    scaler = copy.deepcopy(the(rendered, "ScaledObject", "reporting"))
    scaler["spec"]["minReplicas"] = 2
    assert all(problems(document) for document in (deployment, broker, scaler))


def test_everything_lives_in_the_provinces_namespace(rendered):
    assert the(rendered, "Namespace", NAMESPACE)
    assert {d["metadata"].get("namespace") for d in rendered if d["kind"] != "Namespace"} == {NAMESPACE}


def test_images_are_pinned(rendered):
    images = {c["image"] for c in containers_of_everything(rendered)}
    assert not [image for image in images if ":" not in image or image.endswith(":latest")]
    assert len({image for image in images if image.startswith("binhdang:")}) == 1


def containers_of_everything(rendered: list[dict]) -> list[dict]:
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("containers", "initContainers") and isinstance(value, list):
                    yield from (c for c in value if "image" in c)
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
    return list(walk(rendered))


# ---------------------------------------------------------------- the services

def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def environment(container: dict, secrets: dict[str, str]) -> dict[str, str]:
    """A container's environment as the kubelet makes it: $(VAR) of earlier variables expanded, values from
    binhdang-secrets as the overlay's, from the operators' Secrets as `<secret>.<key>`."""
    values: dict[str, str] = {}
    for entry in container.get("env", []):
        if "value" in entry:
            values[entry["name"]] = re.sub(r"\$\((\w+)\)", lambda m: values.get(m[1], m[0]), entry["value"])
        else:
            reference = entry["valueFrom"]["secretKeyRef"]
            values[entry["name"]] = (secrets[reference["key"]] if reference["name"] == SECRET
                                     else f"{reference['name']}.{reference['key']}")
    return values


def secret_keys(container: dict, secret: str = SECRET) -> set[str]:
    return {e["valueFrom"]["secretKeyRef"]["key"] for e in container.get("env", [])
            if "valueFrom" in e and e["valueFrom"]["secretKeyRef"]["name"] == secret}


def config_map(rendered: list[dict]) -> dict[str, str]:
    return the(rendered, "ConfigMap", "binhdang-config")["data"]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_is_a_deployment_with_probes_resources_and_least_privilege(rendered, service):
    deployment = the(rendered, "Deployment", service)
    spec = pod_spec(deployment)
    [container] = spec["containers"]
    assert container["args"] == ["run", service]
    assert [p["containerPort"] for p in container["ports"] if p["name"] == "http"] == [DEFAULT_PORTS[service]]
    # Prometheus scrapes the metrics port, which the API port is not
    metrics_port = DEFAULT_PORTS[service] + METRICS_PORT_OFFSET
    assert [p["containerPort"] for p in container["ports"] if p["name"] == "metrics"] == [metrics_port]
    assert deployment["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] == str(metrics_port)
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert deployment["spec"]["replicas"] >= 2
    assert spec["automountServiceAccountToken"] is False
    assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] == 10001
    for each in (*spec["initContainers"], container):
        assert {"cpu", "memory"} <= set(each["resources"]["requests"]) and "memory" in each["resources"]["limits"]
        assert each["securityContext"] == {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                           "capabilities": {"drop": ["ALL"]}}
    # what the service writes, with a read-only root: DATA_DIR and /tmp
    assert {m["mountPath"] for m in container["volumeMounts"]} == {config_map(rendered)["DATA_DIR"], "/tmp"}
    [migrate] = spec["initContainers"]
    assert migrate["args"] == ["migrate", service] and migrate["env"] == container["env"]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_has_a_disruption_budget_and_an_internal_service(rendered, service):
    labels = the(rendered, "Deployment", service)["spec"]["template"]["metadata"]["labels"]
    budget = the(rendered, "PodDisruptionBudget", service)
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert budget["spec"]["minAvailable"] < the(rendered, "Deployment", service)["spec"]["replicas"]
    internal = the(rendered, "Service", service)
    assert internal["spec"]["type"] == "ClusterIP" and internal["spec"]["selector"].items() <= labels.items()
    assert [p["port"] for p in internal["spec"]["ports"]] == [DEFAULT_PORTS[service]]


def test_the_shared_settings_are_declared_ones_for_production_on_a_cluster(rendered):
    shared = config_map(rendered)
    assert set(shared) <= SETTING_NAMES
    assert shared["ENVIRONMENT"] == "production" and shared["QUEUE_TYPE"] == "quorum"
    assert shared["AUTO_MIGRATE"] == "false" and shared["HTTP_HOST"] == "0.0.0.0"
    # the address users reach: the Ingress's host, over TLS
    ingress = the(rendered, "Ingress", "binhdang")["spec"]
    assert shared["PUBLIC_URL"] == f"https://{ingress['rules'][0]['host']}" and ingress["tls"][0]["hosts"] == [
        ingress["rules"][0]["host"]]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_gets_its_database_its_broker_user_and_only_its_secrets(rendered, secrets, service, tmp_path):
    [container] = pod_spec(the(rendered, "Deployment", service))["containers"]
    values = environment(container, secrets)
    names = set(values)
    # settings, and the parts the URLs are made of
    assert names - SETTING_NAMES == {"DATABASE_USER", "DATABASE_PASSWORD", "BROKER_USER"}
    database = urlsplit(values["DATABASE_URL"])
    assert (database.hostname, database.port, database.path) == ("binhdang-postgres-rw", 5432, f"/binhdang_{service}")
    assert values["DATABASE_URL"].startswith("postgresql+psycopg2://binhdang-postgres-app.username:")
    broker = urlsplit(values["AMQP_URI"])
    assert (broker.username, broker.password) == (f"binhdang-{service}", secrets[broker_password_setting(service)])
    assert broker.hostname == "binhdang-rabbitmq"
    needed = {setting.name for setting in secrets_of(service)} | {broker_password_setting(service)}
    if service in SERVICE_SIGNING_KEYS:  # its own signing key (not the web's), as JWT_PRIVATE_KEY
        needed.add(SERVICE_SIGNING_KEYS[service])
        assert values["JWT_PRIVATE_KEY"] == secrets[SERVICE_SIGNING_KEYS[service]]
    else:
        assert "JWT_PRIVATE_KEY" not in values, "only a signer holds a private key"
    assert secret_keys(container) == needed
    # the service would start in production with this configuration (no development secret left), listening
    # where the probes and the Service look
    config = nameko_config(service, {**config_map(rendered), **values, "DATA_DIR": str(tmp_path)})
    assert check_service(service, config) == []
    assert config["WEB_SERVER_ADDRESS"] == f"0.0.0.0:{DEFAULT_PORTS[service]}"


def test_the_secret_holds_what_make_secrets_makes_and_everything_refers_to_it(rendered, secrets):
    secret = the(rendered, "Secret", SECRET)
    assert set(secret["data"]) == set(secret_names()) == set(secrets)
    referred = {key for container in containers_of_everything(rendered) for key in secret_keys(container)}
    assert referred <= set(secret["data"])


# ---------------------------------------------------------------- jobs, broker, database

def test_the_migration_job_migrates_each_service_into_its_own_database(rendered, secrets):
    job = the(rendered, "Job", "binhdang-migrate")
    migrated = {}
    for container in pod_spec(job)["containers"]:
        assert container["args"][0] == "migrate"
        migrated[container["args"][1]] = urlsplit(environment(container, secrets)["DATABASE_URL"]).path
    assert migrated == {service: f"/binhdang_{service}" for service in SERVICE_NAMES}


def test_the_topology_job_declares_as_the_brokers_administrator(rendered, secrets):
    [container] = pod_spec(the(rendered, "Job", "binhdang-topology"))["containers"]
    assert container["args"] == ["declare-topology"]
    broker = urlsplit(environment(container, secrets)["AMQP_URI"])
    assert broker.username == "binhdang-rabbitmq-default-user.username" and broker.hostname == "binhdang-rabbitmq"
    assert {"name": "binhdang-config"} in [source["configMapRef"] for source in container["envFrom"]]


def test_the_broker_is_three_rabbitmq_nodes_that_load_the_services_users(rendered, secrets):
    broker = the(rendered, "RabbitmqCluster", "binhdang-rabbitmq")
    assert broker["spec"]["replicas"] == 3
    config = dict(re.findall(r"^\s*([\w.]+)\s*=\s*(\S+)", broker["spec"]["rabbitmq"]["additionalConfig"], re.M))
    template = broker["spec"]["override"]["statefulSet"]["spec"]["template"]["spec"]
    [writer] = template["initContainers"]
    assert writer["args"][:2] == ["broker-definitions", "--administrator"]
    assert writer["args"][writer["args"].index("--out") + 1] == config["load_definitions"]
    assert {broker_password_setting(s) for s in SERVICE_NAMES} | {"BROKER_SUBSCRIBERS"} == secret_keys(writer)
    # what the init container writes: every service's user, and the operator's user as the administrator
    vhost, accounts = broker_access.platform_accounts(environment(writer, secrets), with_administrator=True)
    assert vhost == "/" and {a.user for a in accounts} == {
        *(f"binhdang-{service}" for service in SERVICE_NAMES), "binhdang-rabbitmq-default-user.username"}
    [rabbitmq] = template["containers"]
    folder = str(Path(config["load_definitions"]).parent)
    shared = {m["name"] for m in writer["volumeMounts"] if m["mountPath"] == folder}
    assert shared and shared == {m["name"] for m in rabbitmq["volumeMounts"] if m["mountPath"] == folder}


def test_drains_take_the_broker_nodes_one_at_a_time(rendered):
    budget = the(rendered, "PodDisruptionBudget", "binhdang-rabbitmq")["spec"]
    assert budget["maxUnavailable"] == 1  # a quorum queue keeps working on two of its three replicas
    assert budget["selector"]["matchLabels"] == {"app.kubernetes.io/name": "binhdang-rabbitmq"}


def test_the_database_is_a_cloudnativepg_cluster_with_a_database_per_service(rendered):
    cluster = the(rendered, "Cluster", "binhdang-postgres")
    assert cluster["spec"]["instances"] == 3
    owner = cluster["spec"]["bootstrap"]["initdb"]["owner"]
    databases = {d["spec"]["name"]: d["spec"] for d in all_of(rendered, "Database")}
    assert set(databases) == {f"binhdang_{service}" for service in (*SERVICE_NAMES, "web")}
    assert {(d["owner"], d["cluster"]["name"]) for d in databases.values()} == {(owner, "binhdang-postgres")}


# ---------------------------------------------------------------- autoscaling

def test_consumers_scale_on_exactly_their_consumer_queues(rendered):
    topologies = consumer_topologies(default_settings())
    every_queue = {queue.name for topology in topologies for queue in topology.queues()}
    scaled = all_of(rendered, "ScaledObject")
    assert {s["spec"]["scaleTargetRef"]["name"] for s in scaled} == {"reporting", "notifications"}
    for scaler in scaled:
        service = scaler["spec"]["scaleTargetRef"]["name"]
        assert the(rendered, "Deployment", service)
        consumer_queues = {t.queue for t in topologies if t.queue.startswith(f"{service}.")}
        [trigger] = scaler["spec"]["triggers"]
        assert trigger["type"] == "rabbitmq" and trigger["metadata"]["useRegex"] == "true"
        pattern = re.compile(trigger["metadata"]["queueName"])
        assert {queue for queue in every_queue if pattern.search(queue)} == consumer_queues
        budget = the(rendered, "PodDisruptionBudget", service)["spec"]["minAvailable"]
        assert budget < scaler["spec"]["minReplicaCount"] <= scaler["spec"]["maxReplicaCount"]
        authentication = the(rendered, "TriggerAuthentication", trigger["authenticationRef"]["name"])
        assert {r["parameter"] for r in authentication["spec"]["secretTargetRef"]} == {"username", "password"}


# ---------------------------------------------------------------- network

def policies(rendered: list[dict]) -> dict[str, dict]:
    return {p["metadata"]["name"]: p["spec"] for p in all_of(rendered, "NetworkPolicy")}


def test_nothing_talks_unless_a_policy_lets_it(rendered):
    deny = [p for p in policies(rendered).values() if p["podSelector"] == {}
            and set(p["policyTypes"]) == {"Ingress", "Egress"} and not p.get("ingress") and not p.get("egress")]
    assert deny, "no default deny"
    for name, spec in policies(rendered).items():
        for rule in spec.get("ingress", []):
            assert rule.get("from") and rule.get("ports"), f"{name} lets anyone in"
        for rule in spec.get("egress", []):
            # only the database's instance managers reach out beyond a selector: to the Kubernetes API
            assert rule.get("to") or (name == "postgres" and {p["port"] for p in rule["ports"]} <= {443, 6443}), name


def test_the_services_are_reached_only_from_the_ingress_and_prometheus(rendered):
    for_services = [spec for spec in policies(rendered).values()
                    if spec["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component") == "service"]
    reached = {(peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] if "namespaceSelector" in peer
                else "pods:" + peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"]):
               {port["port"] for port in rule["ports"]}
               for spec in for_services for rule in spec["ingress"] for peer in rule["from"]}
    # the API from the ingress controller and the web pages, /metrics (a port of its own) from Prometheus only
    assert reached == {"ingress-nginx": set(DEFAULT_PORTS.values()), "pods:web": set(DEFAULT_PORTS.values()),
                       "monitoring": {port + METRICS_PORT_OFFSET for port in DEFAULT_PORTS.values()}}


def test_the_services_reach_the_broker_and_the_database_the_operators_make(rendered):
    egress = policies(rendered)["services-egress"]["egress"]
    reached = {(json.dumps(rule["to"][0]["podSelector"]["matchLabels"], sort_keys=True), rule["ports"][0]["port"])
               for rule in egress}
    broker = the(rendered, "RabbitmqCluster", "binhdang-rabbitmq")["metadata"]["name"]
    database = the(rendered, "Cluster", "binhdang-postgres")["metadata"]["name"]
    assert reached == {(json.dumps({"app.kubernetes.io/name": broker}), 5672),
                       (json.dumps({"cnpg.io/cluster": database}), 5432)}


# ---------------------------------------------------------------- the way in

def test_the_ingress_is_the_only_way_in_and_it_speaks_tls(rendered):
    assert {s["spec"].get("type", "ClusterIP") for s in all_of(rendered, "Service")} == {"ClusterIP"}
    [ingress] = all_of(rendered, "Ingress")
    [rule] = ingress["spec"]["rules"]
    [tls] = ingress["spec"]["tls"]
    assert tls["hosts"] == [rule["host"]] and tls["secretName"]
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"
    assert rule["host"].endswith(".gov.vn")  # the overlay's, not the base's example


def routed_to(ingress: dict, path: str) -> list[str]:
    """The services whose rules match the path, as ingress-nginx's regular-expression locations do."""
    return [route["backend"]["service"]["name"] for rule in ingress["spec"]["rules"]
            for route in rule["http"]["paths"] if re.match(route["path"], path, re.IGNORECASE)]


def test_each_api_path_reaches_its_service_and_nothing_else_is_routed(rendered):
    [ingress] = all_of(rendered, "Ingress")
    wrong = {}
    for path, service in documented_paths().items():
        expected = [] if path in OPERATIONAL_PATHS else [service]
        if routed_to(ingress, path) != expected:
            wrong[path] = routed_to(ingress, path)
    assert wrong == {}
    # each API route ends on a whole path segment: /v1/notificationsX is no one's
    assert all(route["path"].endswith("(/|$)") for rule in ingress["spec"]["rules"] for route in rule["http"]["paths"]
               if route["backend"]["service"]["name"] != "web")
    assert routed_to(ingress, "/v1/communes/07543/years/2026/report") == ["reporting"]
    assert routed_to(ingress, "/v1/planning") == []  # a prefix is a whole segment
    # the web pages: every other path, no probe
    for page in ("/", "/dang-nhap", "/bao-cao", "/hop-thu", "/static/site.css", "/healthy"):
        assert routed_to(ingress, page) == ["web"], page
    for probe in ("/health", "/ready", "/metrics", "/openapi.json"):
        assert routed_to(ingress, probe) == [], probe


# ---------------------------------------------------------------- the web pages

def test_the_web_runs_with_its_key_its_database_and_the_services_addresses(rendered, secrets, tmp_path):
    deployment = the(rendered, "Deployment", "web")
    spec = pod_spec(deployment)
    [container] = spec["containers"]
    [migrate] = spec["initContainers"]
    assert container["args"] == ["run", "web"] and migrate["args"] == ["migrate", "web"]
    assert migrate["env"] == container["env"] and deployment["spec"]["replicas"] >= 2
    assert [(p["name"], p["containerPort"]) for p in container["ports"]] == [("http", 8000), ("metrics", 9000)]
    assert deployment["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] == "9000"
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert spec["automountServiceAccountToken"] is False and spec["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    values = environment(container, secrets)
    assert values["JWT_PRIVATE_KEY"] == secrets["JWT_PRIVATE_KEY"] and values["JWT_JWKS"] == secrets["JWT_JWKS"]
    assert secret_keys(container) == {"JWT_PRIVATE_KEY", "JWT_JWKS"}
    assert secret_keys(container, "binhdang-web-oidc") == {"WEB_OIDC_ISSUER", "WEB_OIDC_CLIENT_ID",
                                                           "WEB_OIDC_CLIENT_SECRET"}
    assert "AMQP_URI" not in values, "the web reaches the services over HTTP only"
    assert values["WEB_TRUSTED_PROXIES"] == "1", "behind the ingress controller"
    urls = dict(pair.split("=", 1) for pair in values["WEB_API_URLS"].split(","))
    assert urls == {name: f"http://{name}:{DEFAULT_PORTS[name]}" for name in SERVICE_NAMES}
    for name in SERVICE_NAMES:
        assert [p["port"] for p in the(rendered, "Service", name)["spec"]["ports"]] == [DEFAULT_PORTS[name]]
    database = urlsplit(values["WEB_DATABASE_URL"])
    assert (database.hostname, database.port, database.path) == ("binhdang-postgres-rw", 5432, "/binhdang_web")
    assert set(values) - SETTING_NAMES == {"DATABASE_USER", "DATABASE_PASSWORD"}
    # it would start in production: its key is no development key, its settings pass the web's checks
    # (the optional Secret binhdang-web-oidc is the overlay's: absent, the provider is off)
    settings = {**config_map(rendered), **{k: v for k, v in values.items() if not k.startswith("WEB_OIDC_")},
                "DATA_DIR": str(tmp_path)}
    assert web_problems(settings) == [] and signing_key(settings)  # raises for a development or missing key
    internal = the(rendered, "Service", "web")
    assert internal["spec"]["type"] == "ClusterIP" and [p["port"] for p in internal["spec"]["ports"]] == [8000]
    assert the(rendered, "PodDisruptionBudget", "web")["spec"]["minAvailable"] < deployment["spec"]["replicas"]
    policy = policies(rendered)["web"]
    assert {peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]: {p["port"] for p in rule["ports"]}
            for rule in policy["ingress"] for peer in rule["from"]} == {"ingress-nginx": {8000}, "monitoring": {9000}}
    assert {port["port"] for rule in policy["egress"] for port in rule["ports"]} == {*DEFAULT_PORTS.values(), 5432}
