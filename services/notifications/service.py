"""The notifications service: records notifications from events and delivers them."""
from __future__ import annotations

import logging

from nameko.extensions import DependencyProvider
from nameko.timer import timer
from pydantic import BaseModel, ConfigDict, Field

from services.common.auth import Role
from services.common.db import Database
from services.common.events.contracts import COMMUNE_CODE
from services.common.http import api
from services.common.service_base import ServiceBase
from services.common.subscriber import ReceivedEvent, subscribe
from services.notifications import operations, templates
from services.notifications.channels import channel_from_config
from services.notifications.models import Base

log = logging.getLogger(__name__)

SWEEP_SECONDS = 10


class NotificationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    commune_code: str | None = Field(None, pattern=COMMUNE_CODE)


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
    def on_plan_issued(self, event: ReceivedEvent):
        return self._notify(event, templates.for_plan_issued(event.data))

    @subscribe("plans", "plan.amended.v1")
    def on_plan_amended(self, event: ReceivedEvent):
        return self._notify(event, templates.for_plan_amended(event.data))

    @subscribe("plans", "unit_report.returned.v1")
    def on_unit_report_returned(self, event: ReceivedEvent):
        return self._notify(event, templates.for_unit_report_returned(event.data))

    @subscribe("cases", "case.reported.v1")
    def on_case_reported(self, event: ReceivedEvent):
        return self._notify(event, templates.for_urgent_case(event.data))

    @subscribe("cases", "case.risk_assessed.v1")
    def on_case_risk_assessed(self, event: ReceivedEvent):
        return self._notify(event, templates.for_risk_raised(event.data))

    @subscribe("cases", "case.overdue.v1")
    def on_case_overdue(self, event: ReceivedEvent):
        return self._notify(event, templates.for_case_overdue(event.data))

    @subscribe("cases", "case.escalated.v1")
    def on_case_escalated(self, event: ReceivedEvent):
        return self._notify(event, templates.for_case_escalated(event.data))

    @timer(interval=SWEEP_SECONDS)
    def deliver_pending(self):
        """Delivers what a crash or a channel failure left pending."""
        self._deliver_all()

    @api("GET", "/v1/notifications", roles={Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.CASE_WORKER,
                                            Role.UNIT_REPORTER, Role.OPERATOR}, query=NotificationQuery)
    def list_notifications(self, request, principal, query):
        """Notifications of the caller's commune (a unit reporter: its unit's; others: their role's)."""
        with self.db.transaction() as session:
            items = operations.list_notifications(session, principal, query.commune_code)
            return {"items": [operations.notification_view(n) for n in items]}

    def _notify(self, event: ReceivedEvent, messages) -> bool:
        now = self.clock.now()
        created = self.db.apply_once(
            event, lambda session, e: operations.record(session, e, messages, self.channel.name, now))
        self._deliver_all()
        return created

    def _deliver_all(self):
        with self.db.transaction() as session:
            ids = operations.pending_ids(session)
        for notification_id in ids:
            try:
                operations.deliver_one(self.db, self.channel, notification_id, self.clock.now)
            except Exception:
                log.exception("delivery failed; the sweep will try again", extra={"notification_id": notification_id})
