"""Each service's code, for the services named in `config.SERVICE_NAMES`.

A service `<name>` is the package `services/<name>/`, whose `service.py` holds its nameko class
`<Name>Service`; that class's `db` names the service's tables and Alembic migrations. This module
sits above the shared kernel: nothing in `services/common/` imports it or any service.
"""
from __future__ import annotations

import importlib

import sqlalchemy as sa

from services.common.config import SERVICE_NAMES
from services.common.service_base import ServiceBase


def service_class(name: str) -> type[ServiceBase]:
    if name not in SERVICE_NAMES:
        raise ValueError(f"unknown service {name!r}; expected one of {', '.join(SERVICE_NAMES)}")
    module = importlib.import_module(f"services.{name}.service")
    return getattr(module, f"{name.capitalize()}Service")


def service_classes() -> dict[str, type[ServiceBase]]:
    """Every service's nameko class, by service name."""
    return {name: service_class(name) for name in SERVICE_NAMES}


def entrypoints_of(name: str) -> list[tuple[str, object]]:
    """(method name, entrypoint) of every nameko entrypoint of a service's class."""
    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

    cls = service_class(name)
    return [(attribute, entrypoint) for attribute in dir(cls)
            for entrypoint in getattr(getattr(cls, attribute, None), ENTRYPOINT_EXTENSIONS_ATTR, ())]


def migrations_of(name: str) -> str:
    """The Alembic script location of a service, e.g. "services.plans:migrations"."""
    return service_class(name).db.migrations


def metadata_of(name: str) -> sa.MetaData:
    """The tables a service's models describe (without the shared outbox and inbox)."""
    return service_class(name).db.metadata
