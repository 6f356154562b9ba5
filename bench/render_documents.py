"""How long the report documents take to render (prints figures): a commune's DOCX and XLSX, and the province
summary's XLSX and DOCX for a province of 99 communes (Bắc Ninh) and for all 3,321 communes of the country.

Bắc Ninh is the example summary; the country's summary gives every commune of the official list the standing of
an example commune (the renderers' time depends on the number of rows, not on what they say).
Run: .venv/bin/python -m bench.render_documents
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from services.common import admin_units
from services.reporting.documents import render_docx, render_province_docx, render_province_xlsx, render_xlsx
from services.reporting.province_content import ProvinceSummary
from tests.support.commune_reports import example_commune_report
from tests.support.province_summaries import example_province_summary

COMMUNES = (99, 3_321)
RUNS = 3


def province_of(communes: int) -> ProvinceSummary:
    example = example_province_summary()
    if communes == len(example.communes):
        return example
    rows = [example.communes[n % len(example.communes)].model_copy(
        update={"commune_code": commune.code, "commune_name": commune.name, "kind": commune.kind})
        for n, commune in enumerate(admin_units.all_communes()[:communes])]
    return example.model_copy(update={"communes": rows})


def best_of(render: Callable[[Any], bytes], content: Any) -> tuple[float, int]:
    """The fastest of a few runs (the machine is shared), and the document's size."""
    timings, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(render(content))
        timings.append(time.perf_counter() - start)
    return min(timings), size


def main() -> None:
    report = example_commune_report()
    print(f"{'document':<38}{'seconds':>9}{'bytes':>12}")
    for name, render in (("commune report DOCX", render_docx), ("commune report XLSX", render_xlsx)):
        seconds, size = best_of(render, report)
        print(f"{name:<38}{seconds:>9.3f}{size:>12,}")
    for communes in COMMUNES:
        summary = province_of(communes)
        for name, render_summary in (("XLSX", render_province_xlsx), ("DOCX", render_province_docx)):
            seconds, size = best_of(render_summary, summary)
            print(f"{f'province summary {name}, {communes:,} communes':<38}{seconds:>9.3f}{size:>12,}")


if __name__ == "__main__":
    main()
