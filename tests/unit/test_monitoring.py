"""The alert rules (deploy/prometheus/rules/) and the Grafana dashboard (deploy/grafana/dashboards/) read only
series that exist: those the services register in their Prometheus registry (collected in-process, after
importing every service), RabbitMQ's that prometheus.yml scrapes, and Prometheus' own `up`."""
from pathlib import Path

import pytest
import yaml
from prometheus_client import REGISTRY

from services.catalog import service_classes
from tests.support.promql import metric_names

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = sorted((ROOT / "deploy/prometheus/rules").glob("*.yml"))
DASHBOARDS = sorted((ROOT / "deploy/grafana/dashboards").glob("*.json"))

# RabbitMQ's rabbitmq_prometheus plugin, /metrics/detailed with the families queue_coarse_metrics and
# queue_consumer_count (the rabbitmq-queues job of deploy/prometheus/prometheus.yml).
RABBITMQ_SERIES = {"rabbitmq_detailed_queue_messages_ready", "rabbitmq_detailed_queue_consumers"}
PROMETHEUS_SERIES = {"up"}  # one per scrape target
SERIES_SUFFIXES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count"),
                   "summary": ("", "_sum", "_count"), "info": ("_info",), "stateset": ("",), "enum": ("",),
                   "unknown": ("",)}


def exported_series() -> set[str]:
    """Every series name the services' and the web's processes expose at /metrics."""
    service_classes()  # imports every service and so every module that registers a metric
    import services.web.metrics  # noqa: F401  (the web's, served by `binhdang run web`)
    return {family.name + suffix for family in REGISTRY.collect() for suffix in SERIES_SUFFIXES[family.type]}


def unknown_series(exprs: list[str]) -> set[str]:
    known = exported_series() | RABBITMQ_SERIES | PROMETHEUS_SERIES
    return {name for expr in exprs for name in metric_names(expr)} - known


def rule_exprs(path: Path) -> list[str]:
    return [rule["expr"] for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
            for rule in group["rules"]]


def dashboard_exprs(path: Path) -> list[str]:
    import json

    def panels(container: dict):
        for panel in container.get("panels", []):
            yield panel
            yield from panels(panel)  # rows hold panels

    dashboard = json.loads(path.read_text(encoding="utf-8"))
    return [target["expr"] for panel in panels(dashboard) for target in panel.get("targets", []) if "expr" in target]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_alert_rules_read_only_series_that_exist(path):
    assert rule_exprs(path) and unknown_series(rule_exprs(path)) == set()


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_the_dashboard_reads_only_series_that_exist(path):
    assert dashboard_exprs(path) and unknown_series(dashboard_exprs(path)) == set()


def test_the_rabbitmq_series_are_the_ones_prometheus_scrapes():
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text(encoding="utf-8"))
    [job] = [job for job in config["scrape_configs"] if job.get("metrics_path") == "/metrics/detailed"]
    assert set(job["params"]["family"]) == {"queue_coarse_metrics", "queue_consumer_count"}
    assert {name.removeprefix("rabbitmq_detailed_") for name in RABBITMQ_SERIES} <= {
        "queue_messages_ready", "queue_messages_unacked", "queue_messages", "queue_consumers"}


def test_the_check_finds_a_series_no_one_exports():
    assert unknown_series(["rate(binhdang_events_published_total[5m])", "up == 0"]) == set()
    assert unknown_series(["binhdang_events_published", "binhdang_entrypoint_latency_seconds_bucket"]) == {
        "binhdang_events_published"}  # a counter's series ends in _total
    assert unknown_series(['sum(binhdang_made_up_total{service="x"})']) == {"binhdang_made_up_total"}


def test_reading_promql_finds_the_metrics_and_nothing_else():
    expr = ('histogram_quantile(0.95, sum by (service, le) (rate(binhdang_entrypoint_latency_seconds_bucket'
            '{outcome=~"a|b", x="sum(y)"}[5m] offset 1h)))\n / on (job) group_left(instance) up > bool 1e3'
            ' and max_over_time(rabbitmq_detailed_queue_consumers[$__rate_interval:1m]) unless nan')
    assert metric_names(expr) == {"binhdang_entrypoint_latency_seconds_bucket", "up",
                                  "rabbitmq_detailed_queue_consumers"}
