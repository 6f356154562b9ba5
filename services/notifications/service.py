"""The notifications service: records notifications from events and delivers them."""
from __future__ import annotations

from nameko.extensions import DependencyProvider
from nameko.timer import timer

from services.common.events.contracts import (
    CaseEscalated,
    CaseOverdue,
    CaseReported,
    CaseRiskAssessed,
    PlanAmended,
    PlanIssued,
    UnitReportReturned,
)
from services.common.events.received import ReceivedEvent
from services.common.http import api
from services.common.leases import Lease
from services.common.providers import Database
from services.common.roles import Role
from services.common.service_base import ServiceBase
from services.common.subscriber import subscribe
from services.notifications import delivery, operations, templates, views
from services.notifications.channels import channel_from_config
from services.notifications.models import Base
from services.notifications.schemas import NotificationList, NotificationQuery

SWEEP_SECONDS = 10


class DeliveryChannel(DependencyProvider):
    def setup(self):
        self.channel = channel_from_config(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.channel


class NotificationsService(ServiceBase):
    name = "notifications"
    api_title = "Bình Đẳng — notifications"
    api_description = "Notifications to role-based recipients about plans, reports and cases."
    db = Database(Base.metadata, "services.notifications:migrations")
    channel = DeliveryChannel()

    @subscribe("plans", "plan.issued.v1")
    def on_plan_issued(self, event: ReceivedEvent[PlanIssued]):
        return self._notify(event, templates.for_plan_issued(event.data))

    @subscribe("plans", "plan.amended.v1")
    def on_plan_amended(self, event: ReceivedEvent[PlanAmended]):
        return self._notify(event, templates.for_plan_amended(event.data))

    @subscribe("plans", "unit_report.returned.v1")
    def on_unit_report_returned(self, event: ReceivedEvent[UnitReportReturned]):
        return self._notify(event, templates.for_unit_report_returned(event.data))

    @subscribe("cases", "case.reported.v1")
    def on_case_reported(self, event: ReceivedEvent[CaseReported]):
        return self._notify(event, templates.for_urgent_case(event.data))

    @subscribe("cases", "case.risk_assessed.v1")
    def on_case_risk_assessed(self, event: ReceivedEvent[CaseRiskAssessed]):
        return self._notify(event, templates.for_risk_raised(event.data))

    @subscribe("cases", "case.overdue.v1")
    def on_case_overdue(self, event: ReceivedEvent[CaseOverdue]):
        return self._notify(event, templates.for_case_overdue(event.data))

    @subscribe("cases", "case.escalated.v1")
    def on_case_escalated(self, event: ReceivedEvent[CaseEscalated]):
        return self._notify(event, templates.for_case_escalated(event.data))

    @timer(interval=SWEEP_SECONDS)
    def deliver_pending(self):
        """Delivers what a crash or a channel failure left pending."""
        delivery.sweep(self.db, self.channel, lease_seconds=self._lease_seconds(), delivered_at=self.clock.now)

    @api("GET", "/v1/notifications", roles={Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.CASE_WORKER,
                                            Role.UNIT_REPORTER, Role.OPERATOR}, query=NotificationQuery,
         response=NotificationList)
    def list_notifications(self, request, principal, query):
        """Notifications of the caller's commune (a unit reporter: its unit's; others: their role's)."""
        with self.db.transaction() as session:
            items = operations.list_notifications(session, principal, query.commune_code)
            return NotificationList(items=[views.notification_view(n) for n in items])

    def _notify(self, event: ReceivedEvent[templates.NotifyingEvent], messages: list[templates.Message]) -> bool:
        lease = Lease.starting(delivery.wall_clock(), self._lease_seconds())
        recorded = []
        created = self.db.apply_once(event, lambda session, e: recorded.extend(
            operations.record(session, e, messages, self.channel.name, self.clock.now(), lease)))
        delivery.deliver(self.db, self.channel, recorded, lease.token, self.clock.now)
        return created

    def _lease_seconds(self) -> float:
        return float(self.config["NOTIFICATION_LEASE_SECONDS"])
