"""The registry of every published event type: who produces it, its data model, what it means."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from services.common.events import contracts as c
from services.common.events.envelope import exchange_for


@dataclass(frozen=True)
class EventType:
    name: str            # versioned type, also the routing key, e.g. "case.escalated.v1"
    producer: str        # service whose exchange carries it
    model: type[BaseModel]
    summary: str

    @property
    def exchange(self) -> str:
        return exchange_for(self.producer)

    @property
    def routing_key(self) -> str:
        return self.name


EVENT_TYPES: tuple[EventType, ...] = (
    EventType("plan.issued.v1", "plans", c.PlanIssued,
              "A commune plan was issued; its units, tasks, content areas, indicators, dates and deadline."),
    EventType("plan.amended.v1", "plans", c.PlanAmended,
              "An issued plan was amended; the new version's units, tasks and deadline replace the old."),
    EventType("plan.closed.v1", "plans", c.PlanClosed, "A plan was closed; it takes no more reports."),
    EventType("unit.dissolved.v1", "plans", c.UnitDissolved,
              "A unit of a commune's directory was dissolved; it reports no more after that day."),
    EventType("unit_report.submitted.v1", "plans", c.UnitReportSubmitted,
              "A unit submitted its yearly result report (first revision)."),
    EventType("unit_report.revised.v1", "plans", c.UnitReportRevised,
              "A unit resubmitted its report; the new revision replaces the previous one."),
    EventType("unit_report.returned.v1", "plans", c.UnitReportReturned,
              "The commune returned a unit's report for correction, with the reason."),
    EventType("unit_report.attachment_added.v1", "plans", c.UnitReportAttachmentAdded,
              "A file was attached to a unit report revision (its name and size, not its bytes)."),
    EventType("case.reported.v1", "cases", c.CaseReported,
              "A gender-based violence case was reported (pseudonymous)."),
    EventType("case.risk_assessed.v1", "cases", c.CaseRiskAssessed,
              "A case's risk was re-assessed; urgent when it rose to high or critical (pseudonymous)."),
    EventType("case.verified.v1", "cases", c.CaseVerified, "A case was verified (pseudonymous)."),
    EventType("case.escalated.v1", "cases", c.CaseEscalated,
              "A case was escalated to a competent authority, or the authority answered (pseudonymous)."),
    EventType("case.referred.v1", "cases", c.CaseReferred,
              "A case was referred to an agency or service, or the receiver answered (pseudonymous)."),
    EventType("case.closed.v1", "cases", c.CaseClosed, "A case was closed (pseudonymous)."),
    EventType("case.measure_recorded.v1", "cases", c.CaseMeasureRecorded,
              "A protection measure or support service was recorded for a case, or decided (its kind only)."),
    EventType("case.statistics_consent_changed.v1", "cases", c.CaseStatisticsConsentChanged,
              "A victim gave or withdrew consent to statistics; counts follow (no personal data)."),
    EventType("case.overdue.v1", "cases", c.CaseOverdue,
              "A legal deadline of a case was missed: verification, or a no-contact order decision."),
    EventType("commune_report.approved.v1", "reporting", c.CommuneReportApproved,
              "The commune leader approved the commune's yearly report; the plan's unit reports are locked."),
    EventType("commune_report.submitted.v1", "reporting", c.CommuneReportSubmitted,
              "A commune submitted its yearly report to Sở Nội vụ (document number, content hash, late flag)."),
    EventType("commune_report.accepted.v1", "reporting", c.CommuneReportAccepted,
              "Sở Nội vụ accepted a commune's report revision."),
    EventType("commune_report.returned.v1", "reporting", c.CommuneReportReturned,
              "Sở Nội vụ sent a commune's report back with a reason; the units' reports are unlocked."),
    EventType("notification.delivered.v1", "notifications", c.NotificationDelivered,
              "A notification was delivered to a role-based recipient on one channel."),
    EventType("notification.failed.v1", "notifications", c.NotificationFailed,
              "A notification could not be delivered on one channel (refused, or given up after its attempts)."),
    EventType("webhook_subscription.disabled.v1", "notifications", c.WebhookSubscriptionDisabled,
              "A webhook subscription was disabled after repeated failed deliveries."),
)

_BY_NAME = {e.name: e for e in EVENT_TYPES}
_BY_MODEL = {e.model: e for e in EVENT_TYPES}


class UnknownEventType(KeyError):
    pass


def get(name: str) -> EventType:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownEventType(name) from None


def for_model(model: type[BaseModel]) -> EventType:
    return _BY_MODEL[model]


def producers() -> list[str]:
    return sorted({e.producer for e in EVENT_TYPES})
