"""Prometheus metrics shared by every service.

Label sets stay bounded: service, entrypoint, event type, consumer, queue and a
small set of outcomes. Never a commune code, case code or id.
"""
from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, disable_created_metrics, generate_latest

from services.common.errors import AppError
from services.common.transient import is_transient

disable_created_metrics()  # the _created series double the output and nobody reads them

ENTRYPOINT_CALLS = Counter(
    "binhdang_entrypoint_calls_total", "Entrypoint calls by outcome (ok, client_error, unavailable, server_error).",
    ["service", "entrypoint", "outcome"])
ENTRYPOINT_ERRORS = Counter(
    "binhdang_entrypoint_errors_total", "Entrypoint calls that raised, by exception class.",
    ["service", "entrypoint", "error"])
ENTRYPOINT_LATENCY = Histogram(
    "binhdang_entrypoint_latency_seconds", "Entrypoint latency.", ["service", "entrypoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))

EVENTS_PUBLISHED = Counter(
    "binhdang_events_published_total", "Events published to the broker (confirmed).", ["service", "event_type"])
EVENTS_CONSUMED = Counter(
    "binhdang_events_consumed_total", "Events consumed, by outcome (processed, duplicate).",
    ["service", "consumer", "event_type", "outcome"])
EVENTS_RETRIED = Counter(
    "binhdang_events_retried_total", "Event deliveries scheduled for a retry after a handler failure.",
    ["service", "consumer"])
EVENTS_DEFERRED = Counter(
    "binhdang_events_deferred_total",
    "Event deliveries kept for later because a dependency was unavailable (not counted as attempts).",
    ["service", "consumer"])
EVENT_MOVES_FAILED = Counter(
    "binhdang_event_moves_failed_total",
    "Failed attempts to copy a message to its retry or dead-letter queue; each is tried again after a delay.",
    ["service", "consumer"])
EVENTS_DEAD_LETTERED = Counter(
    "binhdang_events_dead_lettered_total", "Events sent to a dead-letter queue, by reason.",
    ["service", "consumer", "reason"])
DEAD_LETTER_DEPTH = Gauge(
    "binhdang_dead_letter_queue_messages", "Messages waiting in a consumer's dead-letter queue.",
    ["service", "queue"])
OUTBOX_PENDING = Gauge(
    "binhdang_outbox_pending_events", "Outbox events not yet confirmed by the broker.", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "binhdang_outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox event (0 when none).",
    ["service"])
OUTBOX_PUBLISH_FAILURES = Counter(
    "binhdang_outbox_publish_failures_total", "Relay batches that failed to publish (broker unreachable, nack).",
    ["service"])

# the notifications service's channels (email, sms, zalo, webhook, file, console)
NOTIFICATION_DELIVERIES = Counter(
    "binhdang_notification_deliveries_total",
    "Delivery attempts by channel and outcome (sent, retried, failed: refused by the provider, given_up).",
    ["channel", "outcome"])
NOTIFICATION_SEND_SECONDS = Histogram(
    "binhdang_notification_send_seconds", "Time a channel took to accept (or fail) one message.", ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
NOTIFICATION_BACKLOG = Gauge(
    "binhdang_notification_backlog", "Deliveries due and not yet sent, by channel.", ["channel"])

REMINDERS_SETTLED = Counter(
    "binhdang_reminders_total",
    "Reminders from the plan's dates settled, by outcome: sent, cancelled (the recipient had reported, the plan "
    "closed), superseded (a later one of the series was due too), expired (stale after an outage).",
    ["outcome"])
REMINDERS_OVERDUE = Gauge(
    "binhdang_reminders_overdue",
    "Reminders due more than 5 minutes ago and not yet settled: the scheduler is behind or stopped.")

AMQP_CONNECTIONS_OPENED = Counter(
    "binhdang_amqp_connections_opened_total", "Publishing connections opened to the broker, by purpose.",
    ["service", "purpose"])
DEPENDENCY_UNAVAILABLE = Gauge(
    "binhdang_dependency_unavailable", "1 while a dependency (database, broker) is unreachable, else 0.",
    ["service", "dependency"])
DEPENDENCY_FAILURES = Counter(
    "binhdang_dependency_failures_total",
    "Failures that were not the input's fault: a dependency unreachable, busy or timing out.",
    ["service", "dependency"])

HTTP_OPEN_CONNECTIONS = Gauge(
    "binhdang_http_open_connections", "HTTP connections being served, by server (api, metrics).",
    ["service", "server"])
HTTP_CONNECTIONS_REFUSED = Counter(
    "binhdang_http_connections_refused_total",
    "HTTP connections answered 503 and closed because the server had HTTP_MAX_CONNECTIONS open.",
    ["service", "server"])
HTTP_ACCEPT_ERRORS = Counter(
    "binhdang_http_accept_errors_total",
    "Failed accept() calls (out of file descriptors or memory); the server pauses and accepts again.",
    ["service", "server"])


def render_metrics() -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": CONTENT_TYPE_LATEST}, generate_latest()


def classify(exc_info) -> str:
    if exc_info is None:
        return "ok"
    exc = exc_info[1]
    if isinstance(exc, AppError) or type(exc).__name__ == "ValidationError":
        return "client_error"
    if is_transient(exc):
        return "unavailable"
    return "server_error"
