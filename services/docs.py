"""Everything in docs/ that is generated from code: the event contract, the HTTP APIs and the report JSON.

`binhdang docs` writes it; tests/unit/test_contract_docs.py fails when a committed file is stale.
"""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from services.catalog import service_classes
from services.common.events import docs as event_docs
from services.common.service_base import openapi_for
from services.reporting.province_content import ProvinceSummary
from services.reporting.report_content import CommuneReport


def render_all() -> dict[str, str]:
    files = event_docs.render_all()
    for name, service_cls in service_classes().items():
        document = openapi_for(service_cls)
        files[f"openapi/{name}.json"] = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    for name, model in REPORT_MODELS.items():
        files[f"reports/{name}.schema.json"] = json.dumps(report_schema(name, model), ensure_ascii=False,
                                                          indent=2) + "\n"
    return files


# the reports' JSON outputs, for systems that take them as data: a commune's report, a province's summary
REPORT_MODELS: dict[str, type[BaseModel]] = {"commune-report": CommuneReport, "province-summary": ProvinceSummary}


def report_schema(name: str, model: type[BaseModel]) -> dict:
    return {"$schema": event_docs.JSON_SCHEMA_DIALECT, "$id": f"urn:binhdang:report-schema:{name}:1",
            **model.model_json_schema()}


def write_all(out_dir: str | Path) -> list[str]:
    out = Path(out_dir)
    changed = []
    for relative, content in render_all().items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed.append(str(path))
    return changed
