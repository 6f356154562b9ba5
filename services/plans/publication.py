"""What a plan's events say of the plan: its content areas and tasks with their units, its indicators with
targets and baselines, its dates and its signature block (the optional content of plan.issued.v1 and
plan.amended.v1). Reporting builds the commune's report from this, never from plans' database.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.common.events.contracts import (
    TASK_TEXT_CHARS,
    DocumentRef,
    IndicatorValueType,
    PlanContentArea,
    PlanIndicator,
    PlanKeyDate,
    PlanTask,
    SignatureLines,
    TargetDirection,
)
from services.plans.document import DocumentReference, KeyDate, PlanDocument
from services.plans.indicators import catalogue_for

PLAN_KIND = "Kế hoạch"


def plan_content(session: Session, commune_code: str, year: int, document: PlanDocument,
                 indicator_targets: list[dict]) -> dict:
    """The optional `PlanContent` fields of a plan event, for one version of the plan."""
    reporting = document.reporting
    return {
        "document": _reference(document.reference, document.issuing_body, document.title),
        "implements": [_reference(document.parent_plan)] if document.parent_plan else [],
        "content_areas": [PlanContentArea(number=area.number, title=_cut(area.title, 1000))
                          for area in document.content_areas],
        "tasks": [PlanTask(code=task.code, text=_cut(task.text, TASK_TEXT_CHARS), content_area=task.content_area)
                  for entry in document.organisation for task in entry.tasks],
        "indicators": _indicators(session, commune_code, indicator_targets),
        "key_dates": [day for day in (_key_date(key, year) for key in document.key_dates) if day is not None],
        "signature": SignatureLines(**document.signature.model_dump()),
        "place": document.place,
        "compiled_for": reporting.compiled_for if reporting else None,
    }


def _cut(text: str, most: int) -> str:
    """A text as the event carries it: whole, or its first characters ending in "…"."""
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


def _reference(reference: DocumentReference, issuing_body: str | None = None,
               title: str | None = None) -> DocumentRef:
    return DocumentRef(kind=PLAN_KIND, number=reference.number, symbol=reference.symbol, date=reference.date,
                       issuing_body=reference.issuing_body or issuing_body, title=reference.title or title)


def _indicators(session: Session, commune_code: str, targets: list[dict]) -> list[PlanIndicator]:
    catalogue = catalogue_for(session, commune_code)
    indicators = []
    for target in targets:
        indicator = catalogue.get(target["indicator_code"])
        if indicator is None:  # checked when the version was made; a catalogue entry is never removed
            continue
        indicators.append(PlanIndicator(
            indicator_code=indicator.code, name=indicator.name, unit_of_measure=indicator.unit_of_measure,
            value_type=IndicatorValueType(indicator.value_type), sex_disaggregated=indicator.sex_disaggregated,
            baseline=target.get("baseline"), baseline_year=target.get("baseline_year"), target=target.get("target"),
            direction=TargetDirection(target.get("direction") or TargetDirection.AT_LEAST.value),
            reported_by_units=target.get("reported_by_units", []),
            reported_by_tasks=target.get("reported_by_tasks", [])))
    return indicators


def _key_date(key: KeyDate, year: int) -> PlanKeyDate | None:
    """A key date of the plan in its year; a period that ends in an earlier month ends the next year."""
    try:
        start = dt.date(year, key.start_month, key.start_day)
        end = None
        if key.end_day is not None:
            end_month = key.end_month or key.start_month
            end = dt.date(year + (end_month < key.start_month), end_month, key.end_day)
    except ValueError:  # a day the month does not have (e.g. 29/2 of a common year): not a date of this year
        return None
    return PlanKeyDate(name=key.name, start=start, end=end)
