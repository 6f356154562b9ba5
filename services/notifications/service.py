"""The notifications service: records notifications from events and delivers them on their channels."""
from __future__ import annotations

import eventlet
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
from services.notifications import dispatch, notices, operations, views, webhook_subscriptions
from services.notifications.channels import channels_from_config
from services.notifications.dispatch import Contacts, Dispatcher, Notice, Policy, Recipient
from services.notifications.models import Base
from services.notifications.schemas import (
    NotificationList,
    NotificationQuery,
    WebhookSubscriptionCreated,
    WebhookSubscriptionIn,
    WebhookSubscriptionList,
    WebhookSubscriptionOut,
)

SWEEP_SECONDS = 5
URGENT_KINDS = {"case_urgent", "case_overdue"}
SUBSCRIPTION = "/v1/webhook-subscriptions/<string(length=36):subscription_id>"


class Dispatch(DependencyProvider):
    """The enabled channels and the delivery policy, built once from the config."""

    def setup(self):
        self.dispatcher = Dispatcher(channels_from_config(self.container.config),
                                     Policy.from_config(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.dispatcher


class NotificationsService(ServiceBase):
    name = "notifications"
    api_title = "Bình Đẳng — notifications"
    api_description = "Notifications to role-based recipients about plans, reports and cases."
    db = Database(Base.metadata, "services.notifications:migrations")
    dispatcher = Dispatch()

    @subscribe("plans", "plan.issued.v1")
    def on_plan_issued(self, event: ReceivedEvent[PlanIssued]):
        return self._notify(event, notices.for_plan_issued(event.data))

    @subscribe("plans", "plan.amended.v1")
    def on_plan_amended(self, event: ReceivedEvent[PlanAmended]):
        return self._notify(event, notices.for_plan_amended(event.data))

    @subscribe("plans", "unit_report.returned.v1")
    def on_unit_report_returned(self, event: ReceivedEvent[UnitReportReturned]):
        return self._notify(event, notices.for_unit_report_returned(event.data))

    @subscribe("cases", "case.reported.v1")
    def on_case_reported(self, event: ReceivedEvent[CaseReported]):
        return self._notify(event, notices.for_urgent_case(event.data))

    @subscribe("cases", "case.risk_assessed.v1")
    def on_case_risk_assessed(self, event: ReceivedEvent[CaseRiskAssessed]):
        return self._notify(event, notices.for_risk_raised(event.data))

    @subscribe("cases", "case.overdue.v1")
    def on_case_overdue(self, event: ReceivedEvent[CaseOverdue]):
        return self._notify(event, notices.for_case_overdue(event.data))

    @subscribe("cases", "case.escalated.v1")
    def on_case_escalated(self, event: ReceivedEvent[CaseEscalated]):
        return self._notify(event, notices.for_case_escalated(event.data))

    @timer(interval=SWEEP_SECONDS)
    def send_due(self):
        """Sends what is due (new, to retry, left by a crash), each channel on its own so that one provider's
        outage holds up no other channel."""
        names = list(self.dispatcher.channels)
        list(eventlet.GreenPool(len(names)).imap(lambda name: self.dispatcher.sweep(self.db, name), names))
        with self.db.transaction() as session:
            self.dispatcher.measure_backlog(session)

    @api("GET", "/v1/notifications", roles={Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.CASE_WORKER,
                                            Role.UNIT_REPORTER, Role.OPERATOR}, query=NotificationQuery,
         response=NotificationList)
    def list_notifications(self, request, principal, query):
        """Notifications of the caller's commune (a unit reporter: its unit's; others: their role's)."""
        with self.db.transaction() as session:
            items = operations.list_notifications(session, principal, query.commune_code)
            deliveries = operations.deliveries_of(session, items)
            return NotificationList(items=[views.notification_view(n, deliveries[n.id]) for n in items])

    @api("POST", "/v1/webhook-subscriptions", roles={Role.OPERATOR}, body=WebhookSubscriptionIn,
         response=WebhookSubscriptionCreated, status=201)
    def create_webhook_subscription(self, request, principal, body):
        """Subscribe a provincial system's URL to an event type; the answer shows the signing secret, once."""
        with self.db.transaction() as session:
            return 201, views.created_subscription_view(
                webhook_subscriptions.create(session, body, dispatch.wall_clock()))

    @api("GET", "/v1/webhook-subscriptions", roles={Role.OPERATOR}, response=WebhookSubscriptionList)
    def list_webhook_subscriptions(self, request, principal):
        """Every webhook subscription (without secrets) and the event types one can subscribe to."""
        with self.db.transaction() as session:
            return WebhookSubscriptionList(
                items=[views.subscription_view(s) for s in webhook_subscriptions.list_all(session)],
                event_types=list(webhook_subscriptions.FORWARDED_EVENT_TYPES))

    @api("POST", SUBSCRIPTION + "/enable", roles={Role.OPERATOR}, response=WebhookSubscriptionOut)
    def enable_webhook_subscription(self, request, principal, subscription_id):
        """Re-enable a subscription disabled after repeated failures."""
        with self.db.transaction() as session:
            return views.subscription_view(webhook_subscriptions.enable(session, subscription_id))

    def _notify(self, event: ReceivedEvent[notices.NotifyingEvent], addressed: list[notices.Addressed]) -> bool:
        """Record the event's notifications and webhook deliveries with the inbox row; send them after the commit
        (what this worker cannot send, the timer's sweep will)."""
        d = self.dispatcher
        lease = Lease.starting(dispatch.wall_clock(), d.policy.lease_seconds)
        channels = tuple(name for name in d.channels if name != "webhook")
        recorded: list = []

        def record(session, e):
            for item in addressed:
                notice = Notice(kind=item.kind, commune_code=e.data.commune_code, source_key=str(e.id),
                                source_type=e.type, urgent=item.kind in URGENT_KINDS, context=item.context)
                # role-based recipients until contacts come from the unit directory
                recipient = Recipient(key=f"role:{item.recipient_role.value}:{item.recipient_unit or ''}",
                                      role=item.recipient_role, unit_code=item.recipient_unit, contacts=Contacts(),
                                      channels=channels)
                recorded.extend(d.enqueue(session, notice, [recipient], now=self.clock.now(), lease=lease))
            recorded.extend(d.enqueue_webhooks(session, str(e.id), e.type, e.envelope.to_json_bytes().decode(),
                                               lease=lease))

        created = self.db.apply_once(event, record)
        d.send(self.db, recorded, lease.token)
        return created
