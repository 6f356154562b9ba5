"""`binhdang run web`: the web pages served by eventlet's WSGI server (the process the services' images run)."""
from __future__ import annotations

import logging

from services.common.config import as_bool, value_of
from services.common.token_keys import signing_key
from services.web.app import WebApp, migrate
from services.web.config import web_config

log = logging.getLogger("binhdang.web")


def serve() -> None:
    import eventlet
    import eventlet.wsgi

    config = web_config()
    signing_key(config.values)  # refuses a missing or development key in production, before listening
    if config.production and not config.values.get("WEB_DATABASE_URL"):
        log.warning("WEB_DATABASE_URL is not set: accounts are kept in a SQLite file under DATA_DIR")
    if as_bool(value_of("AUTO_MIGRATE", config.values)):
        migrate(config)
    log.info("starting", extra={"http": f"{config.host}:{config.port}"})
    eventlet.wsgi.server(eventlet.listen((config.host, config.port)), WebApp(config), log=log,
                         log_output=False)
