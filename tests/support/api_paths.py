"""The services' documented API paths and who serves each, for the checks of what routes them from outside
(the Kubernetes Ingress, the compose file's nginx)."""
import json
import re
from pathlib import Path

from services.common.config import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
# served by every service for its own probes and tools (and the operators' page, services.common.operations),
# routed to none from outside
OPERATIONAL_PATHS = ("/health", "/ready", "/metrics", "/openapi.json", "/v1/operations/outbox",
                     "/v1/operations/consumers", "/v1/operations/dead-letters", "/v1/operations/dead-letters/replay")


def documented_paths() -> dict[str, str]:
    """Every path of the services' OpenAPI documents, with sample values in its parameters -> its service."""
    owners = {}
    for service in SERVICE_NAMES:
        document = json.loads((ROOT / "docs" / "openapi" / f"{service}.json").read_text(encoding="utf-8"))
        for path in document["paths"]:
            owners[re.sub(r"\{[^}]+\}", "07543", path)] = service
    return owners
