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


def migrations_of(name: str) -> str:
    return f"services.{name}:migrations"


def models_of(name: str):
    return importlib.import_module(f"services.{name}.models")
