"""A commune's report assembled from the latest projections and what its officer wrote.

Sections I-IV, the units' completeness and the header come from events (the plan's content, the units'
reports, the cases) and the official list of administrative units; sections V-VII, the free text of I-IV,
the recipients and the signature from the officer's latest text. Nothing generated can be edited by
hand: a figure is corrected at its source (a unit revises its report) and the next read shows it.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.common import admin_units
from services.reporting import figures, gbv, wording
from services.reporting.models import Plan
from services.reporting.report_content import (
    AssessmentSection,
    CommuneReport,
    ContentAreaResult,
    DocumentHeader,
    DocumentReference,
    IndicatorsSection,
    KeyDate,
    LeadershipSection,
    Locality,
    NarrativeSection,
    OfficerText,
    ReportState,
    ResultsSection,
    SignatureBlock,
    Submission,
    TaskCounts,
    TaskResult,
    TaskStatus,
    UnitTaskOutcome,
)

PLAN_KIND = "Kế hoạch"


@dataclass(frozen=True)
class Workflow:
    """Where the report stands, as its own records say (see `workflow`)."""
    report_id: uuid.UUID
    state: ReportState
    revision: int
    officer_text: dict
    officer_text_info: OfficerText
    submission: Submission | None = None
    document_number: str | None = None
    document_date: dt.date | None = None


def locality(commune_code: str) -> Locality:
    commune = admin_units.commune(commune_code)
    province = admin_units.province_of(commune_code)
    if commune is None or province is None:
        raise LookupError(f"commune {commune_code} is not in the official list")
    return Locality(commune_code=commune.code, commune_name=commune.name, kind=commune.kind,
                    short_name=commune.short_name, province_code=province.code, province_name=province.short_name)


def default_recipients(place: Locality) -> list[str]:
    kind = wording.KIND_WORDS[place.kind]
    province = admin_units.province(place.province_code)
    return [f"Sở Nội vụ {province.in_words if province else ''};".replace(" ;", ";"),
            f"Thường trực Đảng ủy, HĐND {kind} (b/c);", f"Chủ tịch, các Phó Chủ tịch UBND {kind};", "Lưu: VT."]


def assemble(session: Session, plan: Plan, flow: Workflow, now: dt.datetime) -> CommuneReport:
    place = locality(plan.commune_code)
    content = plan.content or {}
    units = figures.unit_records(session, plan)
    text = flow.officer_text
    header = DocumentHeader(
        issuing_body=wording.issuing_body(place.kind, place.short_name),
        issuing_body_lines=wording.issuing_body_lines(place.kind, place.short_name),
        number=flow.document_number, number_line=wording.number_line(flow.document_number),
        place=place.short_name, date=flow.document_date,
        place_date_line=wording.place_date_line(place.short_name, flow.document_date, plan.year),
        summary=wording.report_summary(plan.year, place.kind, place.short_name))
    signature = text.get("signature") or content.get("signature") or {}
    return CommuneReport(
        report_id=flow.report_id, commune=place, year=plan.year, plan_id=uuid.UUID(plan.plan_id), state=flow.state,
        revision=flow.revision, generated_at=now, header=header,
        leadership=_leadership(plan, content, units, text.get("leadership", [])),
        results=_results(content, units, text.get("results", [])),
        indicators=_indicators(plan, units, text.get("indicators", [])),
        gbv=gbv.section(figures.gbv_counts(session, plan.commune_code, plan.year), text.get("gbv", [])),
        assessment=AssessmentSection(achievements=text.get("achievements", []),
                                     shortcomings=text.get("shortcomings", []), causes=text.get("causes", [])),
        next_year=NarrativeSection(heading=f"VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {plan.year + 1}",
                                   paragraphs=text.get("next_year", [])),
        proposals=NarrativeSection(heading="VII. ĐỀ XUẤT, KIẾN NGHỊ", paragraphs=text.get("proposals", [])),
        completeness=figures.completeness(plan, units),
        recipients=text.get("recipients") or default_recipients(place),
        signature=SignatureBlock(on_behalf_of=signature.get("on_behalf_of") or "TM. ỦY BAN NHÂN DÂN",
                                 deputy_for=signature.get("deputy_for"), title=signature.get("title") or "CHỦ TỊCH",
                                 signer_name=signature.get("signer_name")),
        officer_text=flow.officer_text_info, submission=flow.submission)


def _reference(ref: dict | None, fallback_body: str | None = None, fallback_title: str | None = None
               ) -> DocumentReference:
    ref = ref or {}
    day = dt.date.fromisoformat(ref["date"]) if ref.get("date") else None
    body = ref.get("issuing_body") or fallback_body
    kind = ref.get("kind") or PLAN_KIND
    return DocumentReference(kind=kind, number=ref.get("number"), symbol=ref.get("symbol"), date=day,
                             issuing_body=body, title=ref.get("title") or fallback_title,
                             citation=wording.citation(kind, ref.get("number"), ref.get("symbol"), day, body))


def _plan_tasks(content: dict, units: list[figures.UnitRecord]) -> list[dict]:
    """The plan's unit tasks in the plan's order, each with the units assigned to it (by their `task_ids`) and
    its text; from events before texts were carried, its code stands for its text."""
    assigned: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        for code in unit.task_ids:
            assigned[code].append(unit.unit_code)
    worded = {task["code"]: task for task in content.get("tasks") or []}
    order = list(worded) + sorted(code for code in assigned if code not in worded)
    return [{"code": code, "text": worded.get(code, {}).get("text", code),
             "content_area": worded.get(code, {}).get("content_area"), "unit_codes": assigned.get(code, [])}
            for code in order]


def _leadership(plan: Plan, content: dict, units: list[figures.UnitRecord], free_text: list[str]
                ) -> LeadershipSection:
    return LeadershipSection(
        plan=_reference(content.get("document"), plan.issuing_body, plan.title), plan_version=max(plan.version, 1),
        implements=[_reference(ref) for ref in content.get("implements") or []], units_assigned=len(units),
        tasks_assigned=len(_plan_tasks(content, units)), report_deadline=plan.report_deadline,
        key_dates=[KeyDate(**day) for day in content.get("key_dates") or []], free_text=free_text)


def _results(content: dict, units: list[figures.UnitRecord], free_text: list[str]) -> ResultsSection:
    expected = {unit.unit_code: unit for unit in units}
    reported = figures.reported_tasks(units)
    by_area: dict[int | None, list[TaskResult]] = defaultdict(list)
    for task in _plan_tasks(content, units):
        outcomes = []
        for unit_code in task["unit_codes"]:
            unit = expected.get(unit_code)
            if unit is None:  # dissolved before the deadline, or no longer in the plan
                continue
            given = reported.get((unit_code, task["code"]))
            status = TaskStatus(given["status"]) if given else TaskStatus.NOT_REPORTED
            outcomes.append(UnitTaskOutcome(unit_code=unit_code, unit_name=unit.name, status=status,
                                            status_label=figures.status_label(status),
                                            summary=given.get("summary", "") if given else "",
                                            revision=given["revision"] if given else None))
        status = figures.overall_status([o.status for o in outcomes])
        leads = [code for code in task["unit_codes"] if code in expected and expected[code].role == "lead"]
        by_area[task.get("content_area")].append(TaskResult(
            task_code=task["code"], text=task["text"], lead_unit_code=leads[0] if leads else None, status=status,
            status_label=figures.status_label(status), outcomes=outcomes))
    statuses = [t.status for tasks in by_area.values() for t in tasks]
    return ResultsSection(
        content_areas=[ContentAreaResult(number=area["number"], title=area["title"],
                                         planned=[t["text"] for t in area.get("tasks", [])],
                                         tasks=by_area.get(area["number"], []))
                       for area in content.get("content_areas") or []],
        other_tasks=[t for area, tasks in by_area.items()
                     if area is None or area not in {a["number"] for a in content.get("content_areas") or []}
                     for t in tasks],
        task_counts=TaskCounts(total=len(statuses), **{s.value: statuses.count(s) for s in TaskStatus}),
        free_text=free_text)


def _indicators(plan: Plan, units: list[figures.UnitRecord], free_text: list[str]) -> IndicatorsSection:
    rows = figures.indicator_rows(plan, units)
    return IndicatorsSection(rows=rows, met=sum(1 for r in rows if r.met is True),
                             not_met=sum(1 for r in rows if r.met is False),
                             not_assessed=sum(1 for r in rows if r.met is None), free_text=free_text)


