"""The web component's configuration, from the same environment as the services'."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.common.config import default_database_url, env, settings, value_of
from services.common.production import PRODUCTION, environment


@dataclass(frozen=True)
class WebConfig:
    database_url: str
    host: str
    port: int
    idle: dt.timedelta
    production: bool
    max_body_bytes: int  # the largest request the web reads (an upload with its form)
    trusted_proxies: int  # proxies that append to X-Forwarded-For (services.web.page.client_address)
    values: Mapping[str, Any]


def web_config(environ: Mapping[str, Any] | None = None) -> WebConfig:
    values = settings(dict(environ) if environ is not None else None)
    data_dir = value_of("DATA_DIR", values)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    return WebConfig(database_url=env("WEB_DATABASE_URL", values) or default_database_url("web", data_dir),
                     host=value_of("HTTP_HOST", values), port=int(value_of("WEB_PORT", values)),
                     idle=dt.timedelta(minutes=float(value_of("WEB_IDLE_MINUTES", values))),
                     production=environment(values) == PRODUCTION,  # a typo refuses to start
                     max_body_bytes=int(value_of("WEB_MAX_BODY_MB", values)) * 2**20,
                     trusted_proxies=int(value_of("WEB_TRUSTED_PROXIES", values)), values=values)
