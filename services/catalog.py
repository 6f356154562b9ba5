"""Where each service's nameko class and migrations live."""
from __future__ import annotations

import importlib

SERVICE_CLASSES = {
    "plans": "services.plans.service:PlansService",
    "cases": "services.cases.service:CasesService",
    "notifications": "services.notifications.service:NotificationsService",
    "reporting": "services.reporting.service:ReportingService",
}


def service_class(name: str):
    module, _, attribute = SERVICE_CLASSES[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def entrypoints_of(name: str) -> list[tuple[str, object]]:
    """(method name, entrypoint) of every nameko entrypoint of a service's class."""
    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

    cls = service_class(name)
    return [(attribute, entrypoint) for attribute in dir(cls)
            for entrypoint in getattr(getattr(cls, attribute, None), ENTRYPOINT_EXTENSIONS_ATTR, ())]


def migrations_of(name: str) -> str:
    return f"services.{name}:migrations"


def models_of(name: str):
    return importlib.import_module(f"services.{name}.models")
