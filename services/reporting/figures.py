"""The figures of a commune's year, read from the projections: the units' completeness, the tasks' and
indicators' results, the GBV counts. The commune's report prints them (`assembly`), and a summary per
commune keeps them for the province view (`summaries`), so both say the same.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import VIETNAM
from services.common.events.contracts import (
    AgeBand,
    Authority,
    CaseType,
    GbvimsType,
    MeasureDecision,
    MeasureKind,
    ReferralStatus,
    Sex,
)
from services.common.labels import UNKNOWN
from services.reporting.models import (
    CaseFact,
    CaseMeasure,
    CaseReferral,
    DissolvedUnit,
    ExpectedUnit,
    Plan,
    ReturnedRevision,
    UnitAttachment,
    UnitSubmission,
)
from services.reporting.report_content import (
    TASK_STATUS_LABELS,
    UNIT_STATE_LABELS,
    AttachmentNote,
    Completeness,
    IndicatorRow,
    IndicatorValue,
    ReturnNote,
    TargetDirection,
    TaskStatus,
    UnitCompleteness,
    UnitIndicatorValue,
    UnitReportState,
)


def plan_of_year(session: Session, commune_code: str, year: int) -> Plan | None:
    """The plan that defines a commune's year: its open plan issued last, else its closed plan issued last
    (plans closes one before issuing another, but the close may be consumed after the new issue; a plan
    carried over from before issue times were kept has none, and any plan issued since comes first).
    None before any is issued."""
    return session.scalars(sa.select(Plan).where(
        Plan.commune_code == commune_code, Plan.year == year, Plan.version > 0)
        .order_by(Plan.closed_at.is_not(None), Plan.issued_at.desc().nulls_last())).first()


# the units ------------------------------------------------------------------------------------
@dataclass
class UnitRecord:
    """What the projections know of one expected unit under a plan."""
    unit_code: str
    name: str
    role: str
    task_ids: list[str]
    submission: UnitSubmission | None
    returns: list[ReturnedRevision] = field(default_factory=list)
    attachments: list[UnitAttachment] = field(default_factory=list)

    @property
    def sent_back(self) -> bool:
        """Its latest revision was returned by the commune."""
        return self.submission is not None and any(r.revision == self.submission.revision for r in self.returns)

    @property
    def current(self) -> UnitSubmission | None:
        """Its report as it counts: the latest revision, unless sent back."""
        return None if self.sent_back else self.submission

    @property
    def state(self) -> UnitReportState:
        if self.submission is None:
            return UnitReportState.MISSING
        if self.sent_back:
            return UnitReportState.RETURNED
        return UnitReportState.LATE if self.submission.late else UnitReportState.ON_TIME


def unit_records(session: Session, plan: Plan) -> list[UnitRecord]:
    """The plan's units: those of its latest version, less those dissolved before the deadline without
    having reported (a dissolution is a fact of the directory, applied here so that it holds for plans
    whose events come after it)."""
    submitted = {s.unit_code: s for s in session.scalars(
        sa.select(UnitSubmission).where(UnitSubmission.plan_id == plan.plan_id))}
    returns: dict[str, list[ReturnedRevision]] = defaultdict(list)
    for returned in session.scalars(sa.select(ReturnedRevision).where(ReturnedRevision.plan_id == plan.plan_id)
                                    .order_by(ReturnedRevision.revision)):
        returns[returned.unit_code].append(returned)
    attachments: dict[tuple[str, int], list[UnitAttachment]] = defaultdict(list)
    for attachment in session.scalars(sa.select(UnitAttachment).where(UnitAttachment.plan_id == plan.plan_id)
                                      .order_by(UnitAttachment.filename)):
        attachments[(attachment.unit_code, attachment.revision)].append(attachment)
    dissolved = set()
    if plan.report_deadline is not None:
        dissolved = set(session.scalars(sa.select(DissolvedUnit.unit_code).where(
            DissolvedUnit.commune_code == plan.commune_code, DissolvedUnit.active_to < plan.report_deadline)))
    records = []
    for unit in session.scalars(sa.select(ExpectedUnit).where(ExpectedUnit.plan_id == plan.plan_id)
                                .order_by(ExpectedUnit.unit_code)):
        submission = submitted.get(unit.unit_code)
        if submission is None and unit.unit_code in dissolved:
            continue
        records.append(UnitRecord(
            unit_code=unit.unit_code, name=unit.name, role=unit.role, task_ids=list(unit.task_ids or []),
            submission=submission, returns=returns.get(unit.unit_code, []),
            attachments=attachments.get((unit.unit_code, submission.revision), []) if submission else []))
    return records


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def completeness(plan: Plan, units: list[UnitRecord]) -> Completeness:
    states = Counter(unit.state for unit in units)
    on_time, late = states[UnitReportState.ON_TIME], states[UnitReportState.LATE]
    return Completeness(
        deadline=plan.report_deadline, expected=len(units), submitted=on_time + late, on_time=on_time, late=late,
        missing=states[UnitReportState.MISSING], returned=states[UnitReportState.RETURNED],
        reporting_rate=_rate(on_time + late, len(units)), on_time_rate=_rate(on_time, len(units)),
        units=[UnitCompleteness(
            unit_code=unit.unit_code, unit_name=unit.name, role=unit.role, state=unit.state,
            state_label=UNIT_STATE_LABELS[unit.state],
            revision=unit.submission.revision if unit.submission else None,
            first_submitted_at=unit.submission.first_submitted_at if unit.submission else None,
            last_submitted_at=unit.submission.last_submitted_at if unit.submission else None,
            returns=[ReturnNote(revision=r.revision, returned_at=r.returned_at, reason=r.reason)
                     for r in unit.returns if r.returned_at is not None],
            attachments=[AttachmentNote(name=a.filename, size=a.size) for a in unit.attachments])
            for unit in units])


# tasks ----------------------------------------------------------------------------------------
def reported_tasks(units: list[UnitRecord]) -> dict[tuple[str, str], dict]:
    """(unit code, task code) -> the task as the unit's current report gives it (status, summary, revision)."""
    reported = {}
    for unit in units:
        current = unit.current
        if current is None:
            continue
        for task in current.tasks or []:
            reported[(unit.unit_code, task["task_code"])] = {**task, "revision": current.revision}
    return reported


def overall_status(statuses: list[TaskStatus]) -> TaskStatus:
    """A task's status over its units: done when all are; not reported when none reported; not started while
    no unit has started; else in progress."""
    kinds = set(statuses)
    if not kinds or kinds == {TaskStatus.NOT_REPORTED}:
        return TaskStatus.NOT_REPORTED
    if kinds == {TaskStatus.DONE}:
        return TaskStatus.DONE
    if kinds <= {TaskStatus.NOT_STARTED, TaskStatus.NOT_REPORTED}:
        return TaskStatus.NOT_STARTED
    return TaskStatus.IN_PROGRESS


def status_label(status: TaskStatus) -> str:
    return TASK_STATUS_LABELS[status]


# indicators -----------------------------------------------------------------------------------
MET_LABELS = {True: "Đạt", False: "Không đạt", None: "Chưa đánh giá"}


def indicator_rows(plan: Plan, units: list[UnitRecord]) -> list[IndicatorRow]:
    """The plan's indicators with what the units' current reports give for each (see `combine`)."""
    names = {unit.unit_code: unit.name for unit in units}
    values: dict[str, list[UnitIndicatorValue]] = defaultdict(list)
    for unit in units:
        current = unit.current
        for value in (current.indicator_values or []) if current else []:
            values[value["indicator_code"]].append(UnitIndicatorValue(
                unit_code=unit.unit_code, unit_name=names[unit.unit_code], value=_whole(value),
                female=value.get("female"), male=value.get("male")))
    rows = []
    for indicator in (plan.content or {}).get("indicators") or []:
        reported = values.get(indicator["indicator_code"], [])
        result = combine(indicator["value_type"], indicator["sex_disaggregated"], reported)
        met = is_met(result.value, indicator.get("target"), TargetDirection(indicator.get("direction", "at_least")))
        rows.append(IndicatorRow(
            indicator_code=indicator["indicator_code"], name=indicator["name"],
            unit_of_measure=indicator["unit_of_measure"], value_type=indicator["value_type"],
            sex_disaggregated=indicator["sex_disaggregated"], baseline=indicator.get("baseline"),
            baseline_year=indicator.get("baseline_year"), target=indicator.get("target"),
            direction=indicator.get("direction", "at_least"), result=result, met=met, met_label=MET_LABELS[met],
            units=reported))
    return rows


def _whole(value: dict) -> float | None:
    if value.get("value") is not None:
        return value["value"]
    if value.get("female") is not None or value.get("male") is not None:
        return (value.get("female") or 0) + (value.get("male") or 0)
    return None


def _sum(parts: list[float | None]) -> float | None:
    known = [part for part in parts if part is not None]
    return round(sum(known), 6) if known else None


def combine(value_type: str, by_sex: bool, reported: list[UnitIndicatorValue]) -> IndicatorValue:
    """The commune's result from its units' values: counts and numbers add up; a percentage or a yes/no is
    the one unit's where one reports it, else the mean of the percentages / yes only if every unit says yes."""
    if not reported:
        return IndicatorValue()
    if value_type in ("count", "number") or len(reported) == 1:
        female = _sum([v.female for v in reported]) if by_sex else None
        male = _sum([v.male for v in reported]) if by_sex else None
        return IndicatorValue(value=_sum([v.value for v in reported]), female=female, male=male)
    if value_type == "boolean":
        return IndicatorValue(value=1.0 if all(v.value for v in reported) else 0.0)
    def mean(parts: list[float | None]) -> float | None:
        known = [p for p in parts if p is not None]
        return round(sum(known) / len(known), 2) if known else None
    return IndicatorValue(value=mean([v.value for v in reported]),
                          female=mean([v.female for v in reported]) if by_sex else None,
                          male=mean([v.male for v in reported]) if by_sex else None)


def is_met(result: float | None, target: float | None, direction: TargetDirection) -> bool | None:
    if result is None or target is None:
        return None
    return result >= target if direction is TargetDirection.AT_LEAST else result <= target


# gender-based violence ------------------------------------------------------------------------
PARTITIONS = {
    "by_case_type": [t.value for t in CaseType],
    "by_gbvims_type": [t.value for t in GbvimsType] + [UNKNOWN],  # unknown: from events before it was carried
    "victims_by_sex": [s.value for s in Sex] + [UNKNOWN],
    "victims_by_age_band": [b.value for b in AgeBand],
}
MEASURE_KINDS = [k.value for k in MeasureKind]
AUTHORITIES = [a.value for a in Authority]
OUTCOMES = [s.value for s in ReferralStatus]


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in Vietnam, as UTC moments [start, end)."""
    return (dt.datetime(year, 1, 1, tzinfo=VIETNAM).astimezone(dt.UTC),
            dt.datetime(year + 1, 1, 1, tzinfo=VIETNAM).astimezone(dt.UTC))


def no_cases() -> dict:
    """The counts of a commune without cases."""
    return {"total": 0, "escalated": 0, **{name: dict.fromkeys(keys, 0) for name, keys in PARTITIONS.items()},
            "measures": dict.fromkeys(MEASURE_KINDS, 0), "referrals": dict.fromkeys(AUTHORITIES, 0),
            "escalations_by_outcome": dict.fromkeys(OUTCOMES, 0)}


def gbv_counts(session: Session, commune_code: str, year: int) -> dict:
    """Raw counts of the cases reported in the commune in the year whose victim consents to statistics:
    each breakdown in `PARTITIONS` and `escalations_by_outcome` adds up to its total; cases with each kind of
    measure and each kind of referral do not (a case may have several or none)."""
    facts = list(session.scalars(sa.select(CaseFact).where(
        CaseFact.commune_code == commune_code, CaseFact.year == year, CaseFact.counted.is_(True),
        CaseFact.reported_at.is_not(None))))
    codes = [fact.case_code for fact in facts]
    measures: list[CaseMeasure] = list(session.scalars(sa.select(CaseMeasure).where(
        CaseMeasure.case_code.in_(codes)))) if codes else []
    referrals = list(session.scalars(sa.select(CaseReferral).where(CaseReferral.case_code.in_(codes))
                                     .order_by(CaseReferral.changed_at))) if codes else []
    counts: dict = {
        "total": len(facts),
        "by_case_type": Counter(f.case_type for f in facts),
        "by_gbvims_type": Counter(f.gbvims_type or UNKNOWN for f in facts),
        "victims_by_sex": Counter(f.victim_sex or UNKNOWN for f in facts),
        "victims_by_age_band": Counter(f.victim_age_band or AgeBand.UNKNOWN.value for f in facts),
    }
    with_measure: dict[str, set[str]] = defaultdict(set)
    for measure in measures:
        # an order counts once granted; any other measure once recorded
        if measure.kind != MeasureKind.NO_CONTACT_ORDER.value or measure.decision == MeasureDecision.GRANTED.value:
            with_measure[measure.kind].add(measure.case_code)
    referred: dict[str, set[str]] = defaultdict(set)
    latest_escalation: dict[str, str] = {}
    for referral in referrals:  # oldest first: the latest answer of the latest escalation wins
        if referral.kind == "escalation":
            latest_escalation[referral.case_code] = referral.status
        else:
            referred[referral.authority].add(referral.case_code)
    counts["measures"] = {kind: len(with_measure[kind]) for kind in MEASURE_KINDS}
    counts["referrals"] = {authority: len(referred[authority]) for authority in AUTHORITIES}
    counts["escalated"] = len(latest_escalation)
    counts["escalations_by_outcome"] = Counter(latest_escalation.values())
    for name, keys in {**PARTITIONS, "escalations_by_outcome": OUTCOMES}.items():
        counts[name] = {key: int(counts[name].get(key, 0)) for key in keys}
    return counts
