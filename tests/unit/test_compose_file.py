"""Static checks of the deployment files: docker-compose.yml, deploy/ and the Dockerfile.

No Docker needed. They catch what would otherwise only show up on a real `docker compose up`:
a port that does not match the service's, an environment variable the code never reads, a
Prometheus target nobody listens on, a mounted file that does not exist, a dashboard without
the metrics operators need (tests/unit/test_monitoring.py checks what the rules and dashboard name).
"""
import importlib.util
import json
import re
import shlex
import tomllib
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml

from services.common.config import (
    DEFAULT_PORTS,
    METRICS_PORT_OFFSET,
    SERVICE_NAMES,
    SETTING_NAMES,
    metrics_port_setting,
    port_setting,
)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
APP_SERVICES = SERVICE_NAMES  # plans, cases, notifications, reporting

# The metrics the Grafana dashboard must show (the operators' view of the reliability rules).
DASHBOARD_METRICS = (
    "binhdang_entrypoint_calls_total",
    "binhdang_entrypoint_latency_seconds",
    "binhdang_events_published_total",
    "binhdang_events_consumed_total",
    "binhdang_events_retried_total",
    "binhdang_events_dead_lettered_total",
    "binhdang_dead_letter_queue_messages",
    "binhdang_outbox_pending_events",
    "binhdang_outbox_oldest_pending_age_seconds",
)


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def environment_of(service: dict) -> dict:
    """`environment` as a dict, whether written as a mapping or as a list of NAME=value."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def published_addresses(service: dict) -> list[str | None]:
    """The host address each port is published on (None: every address of the host)."""
    addresses = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            addresses.append(entry.get("host_ip"))
        else:
            parts = str(entry).split("/")[0].split(":")
            addresses.append(parts[0] if len(parts) == 3 else None)
    return addresses


def networks_of(service: dict) -> set[str]:
    networks = service.get("networks")
    if networks is None:
        return {"default"}
    return set(networks)


def published_ports(service: dict) -> list[tuple[int, int]]:
    """(host port, container port) pairs, short ("8001:8001", "127.0.0.1:8001:8001") or long syntax."""
    pairs = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            pairs.append((int(entry["published"]), int(entry["target"])))
        else:
            parts = str(entry).split("/")[0].split(":")
            assert len(parts) >= 2, f"port {entry!r} is not published on the host"
            pairs.append((int(parts[-2]), int(parts[-1])))
    return pairs


def mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) of every volume, short ("src:target:ro") or long syntax."""
    result = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            result.append((entry["source"], entry["target"]))
        else:
            source, target = str(entry).split(":")[:2]
            result.append((source, target))
    return result


def bind_mounts(service: dict) -> dict[str, Path]:
    """Container path -> host path, for the files and folders mounted from the repository."""
    return {target: (ROOT / source).resolve() for source, target in mounts(service) if source.startswith(".")}


def mounted_file(service: dict, container_path: str) -> Path:
    binds = bind_mounts(service)
    assert container_path in binds, f"nothing from the repository is mounted at {container_path}"
    return binds[container_path]


def rabbitmq_settings(rabbitmq: dict) -> dict[str, str]:
    config = mounted_file(rabbitmq, "/etc/rabbitmq/rabbitmq.conf").read_text(encoding="utf-8")
    return dict(re.findall(r"^\s*([\w.]+)\s*=\s*(\S+)", config, re.M))


def healthcheck_command(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def prometheus_config(services) -> dict:
    path = mounted_file(services["prometheus"], "/etc/prometheus/prometheus.yml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("#"):
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip():
            keyword, _, args = current.strip().partition(" ")
            instructions.append((keyword.upper(), args.strip()))
        current = ""
    return instructions


def instruction_args(keyword: str) -> list[str]:
    return [args for kw, args in dockerfile_instructions() if kw == keyword]


# ---------------------------------------------------------------- docker-compose.yml

def test_compose_declares_the_whole_stack(services):
    expected = {"rabbitmq", "postgres", "prometheus", "grafana", "nginx", *APP_SERVICES}
    assert expected <= set(services)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_itself_from_the_shared_image(services, name):
    service = services[name]
    assert service["command"] == ["run", name]
    assert service["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile"}
    assert service["image"] == "binhdang:latest"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_listens_on_its_own_ports_and_publishes_none(services, name):
    service, port = services[name], DEFAULT_PORTS[name]
    env = environment_of(service)
    assert env.get(port_setting(name)) == str(port), "the port the service listens on"
    assert env.get(metrics_port_setting(name)) == str(port + METRICS_PORT_OFFSET), "where Prometheus scrapes it"
    assert env.get("HTTP_HOST") == "0.0.0.0", "127.0.0.1 is unreachable from outside the container"
    assert published_ports(service) == [], "reached through nginx only"
    assert {"edge", "monitoring"} <= networks_of(service)


def test_nginx_is_the_only_published_http_port_and_reaches_no_broker_or_database(services, compose):
    assert published_ports(services["nginx"]) == [(443, 443)]
    assert published_addresses(services["nginx"]) == [None]
    everywhere = {(name, port) for name, service in services.items()
                  for (port, _), address in zip(published_ports(service), published_addresses(service), strict=True)
                  if address not in ("127.0.0.1", "::1")}
    # AMQP stays open to the outside subscribers (each with a user of its own); all else is for this host
    assert everywhere == {("nginx", 443), ("rabbitmq", 5672)}
    assert networks_of(services["nginx"]) == {"edge"}
    for backend in ("rabbitmq", "postgres"):
        assert not networks_of(services[backend]) & networks_of(services["nginx"])
    assert {"tls_certificate", "tls_key"} <= set(services["nginx"]["secrets"]) <= set(compose["secrets"])
    assert mounted_file(services["nginx"], "/etc/nginx/nginx.conf").exists()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_healthcheck_hits_its_health_endpoint(services, name):
    command = healthcheck_command(services[name])
    urls = re.findall(r"https?://(?:127\.0\.0\.1|localhost):(\d+)(/[\w/]*)", command)
    assert urls == [(str(DEFAULT_PORTS[name]), "/health")], command


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_sets_only_declared_settings(services, name):
    undeclared = set(environment_of(services[name])) - SETTING_NAMES
    assert not undeclared, f"{name} sets variables the code never reads: {sorted(undeclared)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_uses_its_own_postgres_database_created_by_the_init_script(services, name):
    url = urlsplit(environment_of(services[name])["DATABASE_URL"])
    assert url.scheme == "postgresql+psycopg2"
    assert (url.hostname, url.port) == ("postgres", 5432)
    database = url.path.lstrip("/")
    assert database == f"binhdang_{name}"
    init_sql = mounted_file(services["postgres"], "/docker-entrypoint-initdb.d/10-binhdang.sql")
    created = re.findall(r"CREATE DATABASE\s+(\w+)\s+OWNER\s+(\w+)", init_sql.read_text(encoding="utf-8"), re.I)
    assert (database, url.username) in created
    assert url.username == services["postgres"]["environment"]["POSTGRES_USER"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_reaches_the_broker_as_its_own_user_and_requires_real_token_keys(services, name):
    env = environment_of(services[name])
    amqp = urlsplit(env["AMQP_URI"])
    assert (amqp.scheme, amqp.hostname, amqp.port) == ("amqp", "rabbitmq", 5672)
    # the user `binhdang broker-definitions` makes for it, with the password it is given there
    assert amqp.username == f"binhdang-{name}"
    assert amqp.password == f"${{BROKER_{name.upper()}_PASSWORD:-}}"
    access = environment_of(services["broker-access"])
    assert access[f"BROKER_{name.upper()}_PASSWORD"] == amqp.password
    assert urlsplit(access["AMQP_URI"]).path == amqp.path, "the vhost the definitions are for"
    # production mode makes the service refuse to start without it, instead of using the dev secret
    assert env["ENVIRONMENT"] == "production"
    assert env["JWT_JWKS"] == "${JWT_JWKS:-}"
    if name == "notifications":  # its own signing key, not the web's
        assert env["JWT_PRIVATE_KEY"] == "${NOTIFICATIONS_JWT_PRIVATE_KEY:-}"
    else:
        assert "JWT_PRIVATE_KEY" not in env, "only a signer holds a private key"


def test_the_broker_loads_the_users_broker_access_writes_and_the_administrator_declares_the_topology(services):
    access, rabbitmq, topology = services["broker-access"], services["rabbitmq"], services["topology"]
    command = access["command"]
    assert command[0] == "broker-definitions" and "--administrator" in command
    written = PurePosixPath(command[command.index("--out") + 1])
    [volume] = [source for source, target in mounts(access) if PurePosixPath(target) == written.parent]
    [loaded_from] = [target for source, target in mounts(rabbitmq) if source == volume]
    assert rabbitmq_settings(rabbitmq)["load_definitions"] == str(PurePosixPath(loaded_from) / written.name)
    assert rabbitmq["depends_on"]["broker-access"]["condition"] == "service_completed_successfully"
    assert "environment" not in rabbitmq, "with definitions loaded at boot RabbitMQ creates no default user"
    assert not set(environment_of(access)) - SETTING_NAMES
    # the administrator the definitions create is the one that declares the topology
    assert environment_of(topology)["AMQP_URI"] == environment_of(access)["AMQP_URI"]


def test_preflight_checks_the_passwords_every_other_part_starts_with(services):
    preflight = services["preflight"]
    assert preflight["command"] == ["check-production"]
    env = environment_of(preflight)
    assert env["ENVIRONMENT"] == "production" and not set(env) - SETTING_NAMES
    # the very values the broker's users, its administrator and Grafana are given
    access = environment_of(services["broker-access"])
    assert env["AMQP_URI"] == access["AMQP_URI"]
    assert all(env[name] == value for name, value in access.items() if name.startswith("BROKER_")
               and name != "BROKER_SUBSCRIBERS")
    assert env["GRAFANA_ADMIN_PASSWORD"] == environment_of(services["grafana"])["GF_SECURITY_ADMIN_PASSWORD"]
    assert env["PUBLIC_URL"] == environment_of(services["plans"])["PUBLIC_URL"]
    assert env["JWT_JWKS"] == environment_of(services["plans"])["JWT_JWKS"]  # the keys every service verifies with
    for name in ("broker-access", "grafana"):  # the broker, and so every service, waits for broker-access
        assert services[name]["depends_on"]["preflight"]["condition"] == "service_completed_successfully"


def test_cases_requires_its_own_encryption_key(services):
    assert environment_of(services["cases"])["CASES_ENCRYPTION_KEY"] == "${CASES_ENCRYPTION_KEY:-}"
    others = [name for name in APP_SERVICES if name != "cases"
              if "CASES_ENCRYPTION_KEY" in environment_of(services[name])]
    assert not others, "only the cases service may hold the victims' data key"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_broker_and_database(services, name):
    depends_on = services[name]["depends_on"]
    for dependency in ("rabbitmq", "postgres"):
        assert depends_on[dependency]["condition"] == "service_healthy"
        assert "healthcheck" in services[dependency]


def test_rabbitmq_enables_management_and_prometheus_plugins(services):
    rabbitmq = services["rabbitmq"]
    assert rabbitmq["image"].startswith("rabbitmq:3.13")
    text = mounted_file(rabbitmq, "/etc/rabbitmq/enabled_plugins").read_text(encoding="utf-8")
    match = re.fullmatch(r"\s*\[([\w\s,]*)\]\.\s*", text)  # an Erlang list term: [a,b].
    assert match, f"enabled_plugins is not an Erlang list term: {text!r}"
    plugins = {p.strip() for p in match.group(1).split(",") if p.strip()}
    assert {"rabbitmq_management", "rabbitmq_prometheus"} <= plugins


def test_rabbitmq_config_ports_are_the_published_ones(services):
    rabbitmq = services["rabbitmq"]
    settings = rabbitmq_settings(rabbitmq)
    published = {container for _, container in published_ports(rabbitmq)}
    assert {5672, 15672, 15692} <= published
    for key, default in (("listeners.tcp.default", 5672), ("management.tcp.port", 15672),
                         ("prometheus.tcp.port", 15692)):
        assert int(settings.get(key, default)) in published, key
    assert "rabbitmq-diagnostics" in healthcheck_command(rabbitmq)


def test_postgres_healthcheck_uses_pg_isready(services):
    assert "pg_isready" in healthcheck_command(services["postgres"])


def test_data_lives_in_named_volumes(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, data_path in (("postgres", "/var/lib/postgresql/data"), ("rabbitmq", "/var/lib/rabbitmq")):
        sources = {source for source, target in mounts(services[name]) if target == data_path}
        assert sources and sources <= declared, f"{name} keeps its data outside a named volume"


def test_every_file_mounted_from_the_repository_exists(services):
    missing = [f"{name}: {path}" for name, service in services.items()
               for path in bind_mounts(service).values() if not path.exists()]
    assert not missing


# ---------------------------------------------------------------- Prometheus

def test_prometheus_scrapes_every_service_on_the_port_compose_gives_it(services):
    config = prometheus_config(services)
    scraped = {}
    for job in config["scrape_configs"]:
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, port = target.rsplit(":", 1)
                scraped[host] = (int(port), job.get("metrics_path", "/metrics"))
    for name in APP_SERVICES:
        metrics_port = int(environment_of(services[name])[metrics_port_setting(name)])
        assert scraped.get(name) == (metrics_port, "/metrics"), name
        assert str(metrics_port) in services[name]["expose"]
    for host in scraped:
        assert host in services, f"scrape target {host} is not a compose service"
        assert "monitoring" in networks_of(services[host]) & networks_of(services["prometheus"]), host
    assert scraped["rabbitmq"][0] == 15692


def test_prometheus_loads_alert_rules_that_are_mounted_next_to_it(services):
    """rule_files are globs relative to /etc/prometheus; each must find rule files in what compose mounts."""
    config = prometheus_config(services)
    binds = bind_mounts(services["prometheus"])
    assert config.get("rule_files"), "no alert rules"
    for rule_file in config["rule_files"]:
        container_path = PurePosixPath("/etc/prometheus") / rule_file
        folder = str(container_path.parent)
        assert folder in binds, f"{rule_file}: {folder} is not mounted"
        found = sorted(binds[folder].glob(container_path.name))
        assert found, f"{rule_file} matches no file in {binds[folder]}"
        for path in found:
            for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
                for rule in group["rules"]:
                    assert rule.get("alert") and rule.get("expr"), rule


# ---------------------------------------------------------------- Grafana

def test_grafana_datasource_points_at_the_compose_prometheus(services):
    grafana = services["grafana"]
    folder = mounted_file(grafana, "/etc/grafana/provisioning/datasources")
    sources = yaml.safe_load((folder / "prometheus.yml").read_text(encoding="utf-8"))["datasources"]
    [prometheus] = [s for s in sources if s["type"] == "prometheus"]
    url = urlsplit(prometheus["url"])
    assert url.hostname == "prometheus" and url.hostname in services
    assert url.port in {container for _, container in published_ports(services["prometheus"])}


def test_grafana_loads_the_dashboard_with_all_metrics(services):
    grafana = services["grafana"]
    folder = mounted_file(grafana, "/etc/grafana/provisioning/dashboards")
    providers = yaml.safe_load((folder / "binhdang.yml").read_text(encoding="utf-8"))["providers"]
    dashboards_path = providers[0]["options"]["path"]
    dashboards_dir = mounted_file(grafana, dashboards_path)
    dashboard = json.loads((dashboards_dir / "binhdang.json").read_text(encoding="utf-8"))

    exprs = "\n".join(t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", []))
    missing = [name for name in DASHBOARD_METRICS if name not in exprs]
    assert not missing, f"no panel shows {missing}"
    assert "binhdang_entrypoint_latency_seconds_bucket" in exprs, "latency is a histogram: use its buckets"

    datasources = yaml.safe_load(
        (mounted_file(grafana, "/etc/grafana/provisioning/datasources") / "prometheus.yml").read_text(encoding="utf-8"))
    uids = {s["uid"] for s in datasources["datasources"]}
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] in uids, panel["title"]


# ---------------------------------------------------------------- Dockerfile

def test_dockerfile_installs_the_project_with_pip_under_its_pins():
    runs = " ".join(instruction_args("RUN"))
    assert re.search(r"pip install --no-cache-dir \.(\s|$)", runs), "install the project from pyproject.toml"
    # `nameko run` imports pkg_resources, gone in setuptools 81: the pin in pyproject must hold,
    # so nothing may upgrade setuptools past it.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(re.fullmatch(r"setuptools\s*<\s*81", dep) for dep in pyproject["project"]["dependencies"])
    assert not re.search(r"pip install[^&;]*(-U|--upgrade)[^&;]*setuptools", runs)
    assert not re.search(r"setuptools\s*(>=?|==)\s*(8[1-9]|9\d|\d{3,})", runs)


def test_dockerfile_copies_what_pip_install_needs():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    copied = {source.rstrip("/") for args in instruction_args("COPY")
              for source in shlex.split(args)[:-1] if not source.startswith("--")}
    assert {"pyproject.toml", pyproject["project"]["readme"], "services"} <= copied


def test_dockerfile_runs_binhdang_as_a_non_root_user():
    [base] = instruction_args("FROM")
    assert base.startswith("python:3.11-slim")
    users = instruction_args("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "binhdang" in pyproject["project"]["scripts"]
    assert json.loads(instruction_args("ENTRYPOINT")[-1]) == ["binhdang"]
    assert json.loads(instruction_args("CMD")[-1]) == ["run", "plans"]


def test_dockerfile_exposes_every_service_port_and_metrics_port():
    exposed: set[int] = set()
    for args in instruction_args("EXPOSE"):
        for item in args.split():
            low, _, high = item.split("/")[0].partition("-")
            exposed.update(range(int(low), int(high or low) + 1))
    assert set(DEFAULT_PORTS.values()) <= exposed
    assert {port + METRICS_PORT_OFFSET for port in DEFAULT_PORTS.values()} <= exposed


def test_dockerfile_healthcheck_script_is_copied_and_checks_health():
    [healthcheck] = instruction_args("HEALTHCHECK")
    script_in_image = json.loads(healthcheck.split("CMD", 1)[1])[-1]
    sources = {shlex.split(args)[-1]: shlex.split(args)[0] for args in instruction_args("COPY")}
    assert script_in_image in sources, "the HEALTHCHECK script is not copied into the image"
    script = (ROOT / sources[script_in_image]).read_text(encoding="utf-8")
    assert "urllib" in script and "/health" in script


def _healthcheck_module():
    spec = importlib.util.spec_from_file_location("deploy_healthcheck", ROOT / "deploy" / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("args, expected", [
    (["/usr/local/bin/python", "/usr/local/bin/binhdang", "run", "cases", ""], "cases"),
    (["/sbin/docker-init", "--", "binhdang", "run", "reporting", ""], "reporting"),
    (["/usr/local/bin/python", "/usr/local/bin/binhdang", "migrate", "plans", ""], None),
    (["binhdang", "run", "nosuchservice"], None),
])
def test_image_healthcheck_finds_the_service_pid_1_runs(args, expected):
    assert _healthcheck_module().service_from_args(args) == expected


def test_dockerignore_keeps_local_state_out_of_the_build_context():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", "var"} <= ignored
    assert not ignored & {"services", "pyproject.toml", "README.md", "deploy"}


# ---------------------------------------------------------------- the web pages

def test_the_web_runs_behind_nginx_with_its_key_database_and_the_services_addresses(services):
    web = services["web"]
    env = environment_of(web)
    assert web["command"] == ["run", "web"] and web["image"] == "binhdang:latest"
    assert env["WEB_PORT"] == "8000" and env["HTTP_HOST"] == "0.0.0.0" and env["ENVIRONMENT"] == "production"
    assert env["WEB_TRUSTED_PROXIES"] == "1", "behind nginx: the client is the address nginx appended"
    assert env["JWT_PRIVATE_KEY"] == "${JWT_PRIVATE_KEY:-}" and env["JWT_JWKS"] == "${JWT_JWKS:-}"
    assert not set(env) - SETTING_NAMES
    urls = dict(pair.split("=", 1) for pair in env["WEB_API_URLS"].split(","))
    assert urls == {name: f"http://{name}:{DEFAULT_PORTS[name]}" for name in SERVICE_NAMES}
    database = urlsplit(env["WEB_DATABASE_URL"])
    assert (database.hostname, database.path) == ("postgres", "/binhdang_web")
    init_sql = mounted_file(services["postgres"], "/docker-entrypoint-initdb.d/10-binhdang.sql")
    assert "CREATE DATABASE binhdang_web OWNER binhdang;" in init_sql.read_text(encoding="utf-8")
    assert published_ports(web) == [] and "edge" in networks_of(web) and "web" in services["nginx"]["depends_on"]
    # /metrics on its own port, for Prometheus on the monitoring network
    assert env["WEB_METRICS_PORT"] == "9000" and "9000" in web["expose"] and "monitoring" in networks_of(web)
    targets = [target for job in prometheus_config(services)["scrape_configs"] if job["job_name"] == "web"
               for static in job["static_configs"] for target in static["targets"]]
    assert targets == ["web:9000"]
    assert "AMQP_URI" not in env, "the web reaches the services over HTTP only"
    assert re.findall(r"127\.0\.0\.1:(\d+)(/\w+)", healthcheck_command(web)) == [("8000", "/health")]
