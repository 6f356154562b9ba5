"""A commune's reporting season as the events its producers publish (plans' and cases'), built as data:
a plan with content areas, unit tasks and indicators; units reporting (some late, one returned and
revised, one missing); cases through the year, with measures, referrals, escalations and one change of
consent. For the consumers' tests (reporting's unit tier, the rebuild test) and benchmarks.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from pydantic import BaseModel

from services.common.events.contracts import (
    AgeBand,
    Authority,
    CaseEscalated,
    CaseMeasureRecorded,
    CaseReferred,
    CaseReported,
    CaseStatisticsConsentChanged,
    CaseType,
    DocumentRef,
    IndicatorValueType,
    IntakeChannel,
    IssuedUnit,
    MeasureDecision,
    MeasureKind,
    PlanContentArea,
    PlanIndicator,
    PlanIssued,
    PlanKeyDate,
    PlanTask,
    ReferralStatus,
    ReportedTask,
    ReportedValue,
    RiskLevel,
    Sex,
    SignatureLines,
    StatisticsFacts,
    TargetDirection,
    TaskStatus,
    UnitReportAttachmentAdded,
    UnitReportReturned,
    UnitReportRevised,
    UnitReportSubmitted,
    UnitRole,
)

UTC = dt.UTC
GBVIMS_OF = {CaseType.DOMESTIC_VIOLENCE_PHYSICAL: "physical_assault",
             CaseType.DOMESTIC_VIOLENCE_PSYCHOLOGICAL: "psychological_abuse",
             CaseType.DOMESTIC_VIOLENCE_ECONOMIC: "denial_of_resources",
             CaseType.SEXUAL_HARASSMENT: "psychological_abuse"}


@dataclass
class Season:
    """The events, oldest first, and what a test asserts against."""
    commune_code: str
    year: int
    plan_id: uuid.UUID
    deadline: dt.date
    events: list[BaseModel] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    returned_and_revised: list[str] = field(default_factory=list)
    counted_cases: int = 0


def season(commune_code: str, year: int = 2026, *, units: int = 15, tasks: int = 20, indicators: int = 10,
           cases: int = 30, seed: int = 1, plan_id: uuid.UUID | None = None) -> Season:
    rng = random.Random(seed)
    plan_id = plan_id or uuid.UUID(int=rng.getrandbits(128), version=4)
    deadline = dt.date(year, 11, 20)
    issued_at = dt.datetime(year, 5, 28, 2, tzinfo=UTC)
    codes = [f"DV{n:02d}" for n in range(1, units + 1)]
    areas = [PlanContentArea(number=n, title=f"Nội dung thực hiện số {n}") for n in range(1, 7)]
    plan_tasks = [PlanTask(code=f"TC-{n}.1", text=f"Nhiệm vụ số {n} được giao cho các đơn vị.",
                           content_area=(n % 7) or None) for n in range(1, tasks + 1)]
    by_unit: dict[str, list[str]] = {code: [] for code in codes}
    for n, task in enumerate(plan_tasks):
        by_unit[codes[n % units]].append(task.code)
    plan_indicators = [PlanIndicator(
        indicator_code=f"CT-{n:02d}", name=f"Chỉ tiêu số {n}", unit_of_measure="người" if n % 3 else "%",
        value_type=IndicatorValueType.COUNT if n % 3 else IndicatorValueType.PERCENT, sex_disaggregated=n % 2 == 1,
        baseline=float(10 * n), baseline_year=year - 1, target=float(12 * n) if n % 4 else None,
        direction=TargetDirection.AT_MOST if n == 6 else TargetDirection.AT_LEAST,
        reported_by_units=[codes[(n - 1) % units]]) for n in range(1, indicators + 1)]
    result = Season(commune_code=commune_code, year=year, plan_id=plan_id, deadline=deadline, units=codes)
    result.events.append(PlanIssued(
        plan_id=plan_id, commune_code=commune_code, year=year, version=1,
        title=f"Triển khai thực hiện công tác bình đẳng giới năm {year}", report_deadline=deadline,
        units=[IssuedUnit(unit_code=code, name=f"Đơn vị {code}", role=UnitRole.LEAD if i == 0 else
                          UnitRole.COORDINATING, task_ids=by_unit[code]) for i, code in enumerate(codes)],
        issued_at=issued_at, issuing_body="UBND xã", locality_type="xa",
        document=DocumentRef(number="45", symbol="KH-UBND", date=issued_at.date(), issuing_body="UBND xã"),
        implements=[DocumentRef(number="169", symbol="KH-UBND", date=dt.date(year, 5, 14),
                                issuing_body="UBND tỉnh")],
        content_areas=areas, tasks=plan_tasks, indicators=plan_indicators,
        key_dates=[PlanKeyDate(name="Tháng hành động vì bình đẳng giới", start=dt.date(year, 11, 15),
                               end=dt.date(year, 12, 15))],
        signature=SignatureLines(on_behalf_of="TM. ỦY BAN NHÂN DÂN", deputy_for="KT. CHỦ TỊCH",
                                 title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn An"),
        place="Sơn Hải", compiled_for="Sở Nội vụ"))
    result.missing = [codes[-1]]
    result.late = codes[1:3]
    result.returned_and_revised = [codes[3]]
    for i, code in enumerate(codes):
        if code in result.missing:
            continue
        at = dt.datetime(year, 11, 19 if code not in result.late else 22, 1 + i % 12, tzinfo=UTC)
        values = [ReportedValue(indicator_code=ind.indicator_code, value=None if ind.sex_disaggregated else
                                float(rng.randint(5, 90)),
                                female=float(rng.randint(5, 50)) if ind.sex_disaggregated else None,
                                male=float(rng.randint(5, 50)) if ind.sex_disaggregated else None)
                  for ind in plan_indicators if code in ind.reported_by_units]
        reported = [ReportedTask(task_code=task, status=rng.choice(list(TaskStatus)),
                                 summary=f"Đơn vị {code} đã thực hiện {task}.") for task in by_unit[code]]
        report_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        facts = dict(report_id=report_id, plan_id=plan_id, commune_code=commune_code, year=year, unit_code=code,
                     revision=1, submitted_at=at, late=code in result.late, tasks_reported=len(reported),
                     tasks_done=sum(1 for t in reported if t.status is TaskStatus.DONE), tasks=reported,
                     indicator_values=values)
        result.events.append(UnitReportSubmitted(**facts))
        if i == 0:
            result.events.append(UnitReportAttachmentAdded(
                report_id=report_id, plan_id=plan_id, commune_code=commune_code, year=year, unit_code=code,
                revision=1, attachment_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                filename="bien-ban-tuyen-truyen.pdf", size=182_344, content_type="application/pdf",
                added_at=at + dt.timedelta(minutes=5)))
        if code in result.returned_and_revised:
            result.events.append(UnitReportReturned(
                report_id=report_id, plan_id=plan_id, commune_code=commune_code, year=year, unit_code=code,
                revision=1, returned_at=at + dt.timedelta(hours=2), reason="Thiếu số liệu phân tách theo giới tính."))
            result.events.append(UnitReportRevised(**{**facts, "revision": 2, "late": True,
                                                      "submitted_at": at + dt.timedelta(days=4),
                                                      "report_id": uuid.UUID(int=rng.getrandbits(128), version=4)},
                                                   previous_report_id=report_id))
    result.events.extend(_cases(rng, result, cases))
    result.events.sort(key=_when)
    return result


def _cases(rng: random.Random, result: Season, count: int) -> list[BaseModel]:
    events: list[BaseModel] = []
    types = list(GBVIMS_OF)
    for n in range(count):
        case_code = f"VV{result.year % 100:02d}-{rng.randrange(16**8):08X}"
        case_type = types[rng.randrange(len(types)) if n % 5 else 0]
        reported_at = dt.datetime(result.year, 1 + n % 11, 1 + n % 27, 3, tzinfo=UTC)
        consent = n % 6 != 5
        facts = dict(case_code=case_code, commune_code=result.commune_code, case_type=case_type,
                     risk_level=RiskLevel.HIGH, status="reported")
        statistics = StatisticsFacts(gbvims_type=GBVIMS_OF[case_type], victim_sex=Sex.FEMALE if n % 7 else Sex.MALE,
                                     victim_age_band=list(AgeBand)[n % 5])
        events.append(CaseReported(**facts, intake_channel=IntakeChannel.VILLAGE_HEAD, reported_at=reported_at,
                                   statistics_consent=consent, statistics=statistics if consent else None))
        counted = consent
        if n == 2:  # the victim withdraws her consent: the case is no longer counted
            events.append(CaseStatisticsConsentChanged(**facts, statistics_consent=False,
                                                       changed_at=reported_at + dt.timedelta(days=3)))
            counted = False
        result.counted_cases += counted
        if n % 3 == 0:
            measure_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            events.append(CaseMeasureRecorded(**facts, measure_id=measure_id, kind=MeasureKind.NO_CONTACT_ORDER,
                                              recorded_at=reported_at + dt.timedelta(hours=1),
                                              status_changed_at=reported_at + dt.timedelta(hours=1)))
            events.append(CaseMeasureRecorded(**facts, measure_id=measure_id, kind=MeasureKind.NO_CONTACT_ORDER,
                                              decision=MeasureDecision.GRANTED,
                                              recorded_at=reported_at + dt.timedelta(hours=1),
                                              status_changed_at=reported_at + dt.timedelta(hours=5)))
        if n % 4 == 1:
            events.append(CaseMeasureRecorded(**facts, measure_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                              kind=MeasureKind.SHELTER, recorded_at=reported_at + dt.timedelta(hours=2),
                                              status_changed_at=reported_at + dt.timedelta(hours=2)))
        if n % 2 == 0:
            referral_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            escalated = reported_at + dt.timedelta(days=1)
            for k, status in enumerate([ReferralStatus.PENDING, ReferralStatus.ACCEPTED][:1 + n % 4 // 2]):
                events.append(CaseEscalated(**{**facts, "status": "escalated"}, escalated_to=Authority.COMMUNE_POLICE,
                                            escalated_at=escalated, referral_id=referral_id, referral_status=status,
                                            status_changed_at=escalated + dt.timedelta(hours=k)))
        if n % 5 == 3:
            events.append(CaseReferred(**{**facts, "status": "referred"}, referred_to=Authority.HEALTH_FACILITY,
                                       referred_at=reported_at + dt.timedelta(days=2),
                                       referral_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                       referral_status=ReferralStatus.PENDING,
                                       status_changed_at=reported_at + dt.timedelta(days=2), consent_override=False))
    return events


def _when(event: BaseModel) -> dt.datetime:
    for name in ("issued_at", "submitted_at", "returned_at", "added_at", "reported_at", "changed_at",
                 "status_changed_at"):
        moment = getattr(event, name, None)
        if moment is not None:
            return moment
    raise ValueError(type(event).__name__)
