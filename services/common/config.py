"""Configuration from environment variables.

Every setting the code reads is declared here, once, with its default and meaning;
the README's configuration reference and the compose-file test are checked against
``SETTINGS``. Services see the values through the nameko container config, under the
same names as the environment variables.
"""
from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The platform's services and the HTTP port each listens on unless <SERVICE>_PORT says otherwise.
# The one list: service names, the port settings, the CLI's choices and the service catalog
# (services/catalog.py) all follow from it.
DEFAULT_PORTS = {"plans": 8001, "cases": 8002, "notifications": 8003, "reporting": 8004}
SERVICE_NAMES = tuple(DEFAULT_PORTS)

# Development-only secrets, so that the demo's data survive restarts. Anyone can read them here:
# production refuses them (services.common.production). The development token keys are in services.common.token_keys.
DEV_CASES_ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"binhdang-development-only").digest()).decode()


# A service's metrics port, unless <SERVICE>_METRICS_PORT says otherwise: its HTTP port + 1000.
METRICS_PORT_OFFSET = 1000


def port_setting(service: str) -> str:
    """The name of the setting that holds a service's HTTP port, e.g. PLANS_PORT."""
    return f"{service.upper()}_PORT"


def broker_password_setting(service: str) -> str:
    """The name of the setting that holds the password of a service's own broker user, e.g. BROKER_PLANS_PASSWORD."""
    return f"BROKER_{service.upper()}_PASSWORD"


def metrics_port_setting(service: str) -> str:
    """The name of the setting that holds the port of a service's /metrics, e.g. PLANS_METRICS_PORT."""
    return f"{service.upper()}_METRICS_PORT"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    # A secret production must set: its default, if any, is for development only. A secret named after a
    # service (CASES_...) is that service's; the others every service needs.
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("ENVIRONMENT", "development",
            "development or production (any other value refuses to start). In production a service refuses "
            "development secrets or token keys, development broker passwords and a PUBLIC_URL that is not https."),
    Setting("PUBLIC_URL", None, "The https:// address users reach the platform at (required in production); "
            "the links in notifications start with it (development: http://localhost:8000)."),
    Setting("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/",
            "RabbitMQ connection URI (vhost included); for a cluster, one per node separated by ';'."),
    Setting("AMQP_HEARTBEAT_SECONDS", "20",
            "AMQP heartbeat of consumer connections: a node that stops answering is left after twice this."),
    Setting("DATABASE_URL", None,
            "SQLAlchemy URL of this service's own database. Empty: SQLite file DATA_DIR/<service>.db."),
    Setting("DATA_DIR", "./var", "Folder for SQLite files and file-channel notifications."),
    Setting("HTTP_HOST", "127.0.0.1", "Address the HTTP API listens on (0.0.0.0 in containers)."),
    *(Setting(port_setting(service), str(port), f"HTTP port of the {service} service.")
      for service, port in DEFAULT_PORTS.items()),
    *(Setting(metrics_port_setting(service), str(port + METRICS_PORT_OFFSET),
              f"Port of the {service} service's /metrics (on HTTP_HOST), for the monitoring network only; "
              f"the API port does not serve metrics.")
      for service, port in DEFAULT_PORTS.items()),
    Setting("HTTP_HEADER_TIMEOUT_SECONDS", "10",
            "Longest a request's headers may take to arrive after its first line; then 408 and the connection "
            "is closed."),
    Setting("HTTP_IDLE_TIMEOUT_SECONDS", "75",
            "Longest a connection may wait for (or take to send) a request line, the first or the next on a "
            "kept-alive connection; then it is closed."),
    Setting("HTTP_IO_TIMEOUT_SECONDS", "30", "Longest each read of a request body or write of a response may wait."),
    Setting("HTTP_MAX_CONNECTIONS", "1000",
            "Connections one service process serves at once (per port); more are answered 503 and closed."),
    # Public keys, but kept with the deployment's secrets: `binhdang make-secrets` makes them with their private half.
    Setting("JWT_JWKS", None,
            "Public keys that verify bearer tokens (EdDSA, Ed25519): a JWKS as JSON, or the path of a file holding it. "
            "Empty (and no JWT_JWKS_URL): the development key pair.", secret=True),
    Setting("JWT_JWKS_URL", None, "Address of the JWKS to verify bearer tokens with, instead of JWT_JWKS."),
    Setting("JWT_PRIVATE_KEY", None,
            "The private key this component signs tokens with (a private Ed25519 JWK as JSON): the web's, and "
            "notifications' own (for plans' directory); no other service holds one. Empty: the development key pair."),
    Setting("JWT_ISSUER", "binhdang", "Expected `iss` claim of bearer tokens."),
    Setting("WEB_PORT", "8000", "HTTP port of the web pages (`binhdang run web`)."),
    Setting("WEB_METRICS_PORT", "9000", "Port of the web's /metrics (on HTTP_HOST), for the monitoring network only."),
    Setting("WEB_DATABASE_URL", None,
            "SQLAlchemy URL of the web's accounts database. Empty: SQLite file DATA_DIR/web.db."),
    Setting("WEB_MAX_BODY_MB", "30",
            "Largest request the web reads, in MB (a plan document or an attachment with its form); more: 413."),
    Setting("WEB_IDLE_MINUTES", "30", "Minutes without a request after which a web session ends."),
    Setting("WEB_TRUSTED_PROXIES", "0",
            "Reverse proxies in front of the web that each append the address they were reached from to "
            "X-Forwarded-For (nginx's $proxy_add_x_forwarded_for): the client is that many addresses from its end, "
            "for the sign-in throttle and the audit. 0: the connection's address (X-Forwarded-For is ignored)."),
    Setting("WEB_API_URLS", None,
            "Where the web reaches the services: plans=http://...,cases=... Empty: http://HTTP_HOST:<SERVICE>_PORT."),
    Setting("WEB_OIDC_ISSUER", None,
            "The province's OpenID Connect provider (its issuer URL; https in production). Empty: sign-in with "
            "passwords only, no button for the provider."),
    Setting("WEB_OIDC_CLIENT_ID", None, "The web's client id at the OpenID Connect provider."),
    Setting("WEB_OIDC_CLIENT_SECRET", None,
            "The web's client secret at the OpenID Connect provider (client_secret_basic). Empty: a public client "
            "(PKCE only)."),
    Setting("AUTO_MIGRATE", "true", "Apply Alembic migrations when a service starts (development)."),
    Setting("QUEUE_TYPE", "classic", "RabbitMQ queue type for consumer queues: classic or quorum."),
    Setting("QUEUE_DELIVERY_LIMIT", "20",
            "Quorum queues: times a message may return unacknowledged (its consumer died or gave it back) "
            "before the broker moves it to <queue>.dlq."),
    Setting("RETRY_DELAYS_SECONDS", "1,5,30",
            "Back-off before each retry of a failed event handler; after the last, the dead-letter queue."),
    Setting("OUTBOX_POLL_SECONDS", "0.5", "How often the outbox relay looks for pending events."),
    Setting("OUTBOX_BATCH_SIZE", "200", "Events the relay claims and publishes per batch."),
    Setting("OUTBOX_COALESCE_SECONDS", "0.02",
            "Shortest time between two batches of the outbox relay that are not full: commits meanwhile join "
            "the next batch."),
    Setting("OUTBOX_LEASE_SECONDS", "30",
            "How long a relay's claim on outbox rows lasts before another may take them."),
    Setting("MAX_WORKERS", "10", "Concurrent workers per service process (nameko max_workers)."),
    Setting("LOG_LEVEL", "INFO", "Log level."),
    Setting("LOG_FORMAT", "json", "json (one JSON object per line) or text."),
    Setting("NOTIFICATION_CHANNELS", "file",
            "Channels the notifications service sends on, comma-separated: email, sms, zalo, file, console "
            "(webhooks go to their subscribers whatever this says)."),
    Setting("NOTIFICATION_FILE", None, "File the file channel appends to. Empty: DATA_DIR/notifications.jsonl."),
    Setting("NOTIFICATION_LEASE_SECONDS", "30",
            "How long a worker holds the deliveries it sends before another may take them."),
    Setting("NOTIFICATION_MAX_ATTEMPTS", "6", "Attempts of a delivery before it is given up."),
    Setting("NOTIFICATION_RETRY_SECONDS", "30",
            "Delay before a failed delivery's second attempt; it doubles with each attempt, up to an hour."),
    Setting("NOTIFICATION_URGENT_FALLBACK", "sms,email,zalo",
            "For urgent notices: the channels, in order, that take over when a channel fails or gives up."),
    Setting("NOTIFICATION_SEND_TIMEOUT_SECONDS", "10", "Longest wait for an SMTP server, gateway or webhook."),
    Setting("SMTP_HOST", "localhost", "SMTP server of the email channel."),
    Setting("SMTP_PORT", "25", "Its port (587 with STARTTLS, usually)."),
    Setting("SMTP_STARTTLS", "false", "true: upgrade the connection with STARTTLS before anything else."),
    Setting("SMTP_USERNAME", None, "Login on the SMTP server; empty: none."),
    Setting("SMTP_PASSWORD", None, "Its password."),
    Setting("SMTP_FROM", "thongbao@binhdang.local", "Sender address of the emails."),
    Setting("SMTP_FROM_NAME", "Hệ thống Bình Đẳng", "Sender name of the emails."),
    Setting("SMTP_CA_FILE", None, "CA certificates to check the SMTP server with; empty: the system's."),
    Setting("SMS_GATEWAY_URL", None, "The SMS brandname gateway's URL (the sms channel needs it)."),
    Setting("SMS_BODY_FORMAT", "json", "json or form: how the gateway takes its fields."),
    Setting("SMS_FIELDS", "",
            "The gateway's field names, where they differ from phone=phone,text=message,brand=brandname,"
            "username=username,password=password (e.g. phone=Phone,text=Content,brand=Brandname)."),
    Setting("SMS_USERNAME", None, "Gateway account (sent in its username field)."),
    Setting("SMS_PASSWORD", None, "Gateway password or API secret (sent in its password field)."),
    Setting("SMS_BRAND_NAME", "UBND XA", "Brand name registered with the gateway."),
    Setting("SMS_STRIP_DIACRITICS", "true", "true: send Vietnamese without diacritics (đ → d)."),
    Setting("SMS_MAX_LENGTH", "160", "Longest text the gateway takes in one message."),
    Setting("SMS_LONG_TEXT", "split", "split: a longer text goes as numbered parts; shorten: cut with \"...\"."),
    Setting("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template", "Zalo ZNS endpoint."),
    Setting("ZALO_ACCESS_TOKEN", None, "The Official Account's access token (the zalo channel needs it)."),
    Setting("ZALO_TEMPLATE_IDS", "",
            "ZNS template id per notification kind, e.g. default=123456,case_urgent=234567."),
    Setting("WEBHOOK_MAX_FAILURES", "10",
            "Consecutive failed attempts after which a webhook subscription is disabled."),
    Setting("REMINDER_HOUR", "8", "Hour of the day (Vietnam time) at which reminders from the plan's dates fall due."),
    Setting("REMINDER_GRACE_HOURS", "36",
            "A reminder found due longer ago than this (after an outage) is stale and not sent."),
    Setting("IMPORT_TIMEOUT_SECONDS", "30",
            "Longest a plan document import may parse (in a child process) before it is refused with a 422."),
    Setting("IMPORT_MEMORY_MB", "1024", "Address space limit of the child process that parses an imported document."),
    Setting("CASES_VERIFICATION_HOURS", "critical=2,high=12,medium=48,low=72",
            "Hours to verify a reported case, by risk level; a missed one publishes case.overdue."),
    Setting("CASES_NO_CONTACT_DECISION_HOURS", "12",
            "Hours to decide on a requested no-contact order (Law 13/2022/QH15)."),
    Setting("CASES_NO_CONTACT_MAX_DAYS", "3", "Longest a no-contact order may last, in days."),
    Setting("CASES_RETENTION_DAYS", "1825",
            "Days after closing before a case's personal data is erased (unless under legal hold)."),
    Setting("CLOCK_FILE", None,
            "Development only (ignored in production): a file holding an ISO 8601 moment every service takes as "
            "now; `./dev demo` moves its reporting season through the year with it. Empty: the system's time."),
    Setting("REPORTING_PROVINCE_DEADLINE", "12-15",
            "Day (MM-DD of the report's year) by which communes submit their yearly report to Sở Nội vụ; "
            "later submissions are taken and flagged late."),
    Setting("REPORTING_PROVINCE_DEADLINES", None,
            "Deadlines a province sets for a year, overriding the default: '24/2026=2026-12-10,01/2026=2026-12-20'."),
    Setting("CASES_ENCRYPTION_KEY", None,
            "Fernet key (urlsafe base64, 32 bytes) encrypting victims' data at rest. Empty: a development key.",
            secret=True),
    *(Setting(broker_password_setting(name), None,
              f"Password of the {name} service's own RabbitMQ user, for `binhdang broker-definitions`.")
      for name in SERVICE_NAMES),
    Setting("GRAFANA_ADMIN_PASSWORD", None,
            "Grafana's administrator password; `binhdang check-production` refuses a development one."),
    Setting("BROKER_SUBSCRIBERS", None,
            "Outside subscribers' RabbitMQ users for `binhdang broker-definitions`: name=password, comma-separated. "
            "Each may use queues named <name>.* bound to the public exchanges, and publish nowhere."),
)
SETTING_NAMES = frozenset(s.name for s in SETTINGS)


def default(name: str) -> str | None:
    """The default of a declared setting."""
    setting = next((s for s in SETTINGS if s.name == name), None)
    if setting is None:
        raise KeyError(f"undeclared setting {name}")
    return setting.default


def env(name: str, environ: Mapping[str, Any] | None = None) -> str | None:
    """The value of a declared setting from the environment (or a config built from it), or its default."""
    fallback = default(name)  # raises for an undeclared setting
    value = (os.environ if environ is None else environ).get(name)
    return str(value) if value not in (None, "") else fallback


def value_of(name: str, environ: Mapping[str, Any] | None = None) -> str:
    """The value of a setting that has a default (so there always is one)."""
    value = env(name, environ)
    if value is None:
        raise KeyError(f"setting {name} has no default and is not set")
    return value


def settings(environ: dict | None = None) -> dict[str, str | None]:
    """Every declared setting's value from the environment, or its default."""
    return {s.name: env(s.name, environ) for s in SETTINGS}


def port_of(service: str, environ: dict | None = None) -> int:
    return int(value_of(port_setting(service), environ))


def default_database_url(service: str, data_dir: str) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / (service + '.db')}"


def nameko_config(service: str, environ: dict | None = None) -> dict:
    """Build the nameko container config for one service from the environment."""
    if service not in SERVICE_NAMES:
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SERVICE_NAMES)}")
    values: dict = settings(environ)
    data_dir = values["DATA_DIR"]
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    values["DATABASE_URL"] = values["DATABASE_URL"] or default_database_url(service, data_dir)
    values["NOTIFICATION_FILE"] = values["NOTIFICATION_FILE"] or str(Path(data_dir) / "notifications.jsonl")
    values["SERVICE_NAME"] = service
    values["HEARTBEAT"] = int(values["AMQP_HEARTBEAT_SECONDS"])  # nameko's consumers (events, RPC)
    values["WEB_SERVER_ADDRESS"] = f"{values['HTTP_HOST']}:{port_of(service, environ)}"
    values["METRICS_SERVER_ADDRESS"] = f"{values['HTTP_HOST']}:{value_of(metrics_port_setting(service), environ)}"
    values["max_workers"] = int(values["MAX_WORKERS"])
    values["serializer"] = "json"
    return values


# The services that sign tokens, each with a key pair of its own (its public key in JWT_JWKS beside the web's):
# the deployment's secret named here is given to the service as JWT_PRIVATE_KEY, which production requires of it.
SERVICE_SIGNING_KEYS = {"notifications": "NOTIFICATIONS_JWT_PRIVATE_KEY"}


def secrets_of(service: str) -> list[Setting]:
    """The secrets a service needs: its own (named after it) and those of no service in particular."""
    def owner(setting: Setting) -> str | None:
        return next((name for name in SERVICE_NAMES if setting.name.startswith(f"{name.upper()}_")), None)

    return [s for s in SETTINGS if s.secret and owner(s) in (None, service)]


def as_bool(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def retry_delays(config: Mapping[str, Any]) -> tuple[float, ...]:
    """RETRY_DELAYS_SECONDS of a config (or the environment), in seconds."""
    raw = value_of("RETRY_DELAYS_SECONDS", config)
    return tuple(float(part) for part in raw.split(",") if part.strip())
