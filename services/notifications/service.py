"""The notifications service: records notifications from events and from the plan's dates, and sends them on
their channels."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import eventlet
from nameko.extensions import DependencyProvider
from nameko.timer import timer
from sqlalchemy.orm import Session

from services.common import admin_units
from services.common.auth import mint_token
from services.common.config import value_of
from services.common.events.contracts import (
    CaseEscalated,
    CaseOverdue,
    CaseReferred,
    CaseReported,
    CaseRiskAssessed,
    CommuneReportAccepted,
    CommuneReportApproved,
    CommuneReportReturned,
    CommuneReportSubmitted,
    PlanAmended,
    PlanClosed,
    PlanIssued,
    UnitDissolved,
    UnitReportReturned,
    UnitReportRevised,
    UnitReportSubmitted,
)
from services.common.events.received import ReceivedEvent
from services.common.http import api
from services.common.leases import Lease
from services.common.providers import Database
from services.common.province_deadlines import ProvinceDeadlines
from services.common.roles import COMMUNE_ROLES, Role
from services.common.rpc import CallerRpcProxy
from services.common.service_base import ServiceBase
from services.common.subscriber import subscribe
from services.common.token_keys import signing_key
from services.notifications import (
    dispatch,
    in_app,
    notices,
    operations,
    preferences,
    reminders,
    schedule,
    views,
    webhook_subscriptions,
)
from services.notifications.channels import channels_from_config
from services.notifications.dispatch import Contacts, Dispatcher, Policy
from services.notifications.models import Base
from services.notifications.recipients import Directory, contacts_for
from services.notifications.schemas import (
    Inbox,
    InboxQuery,
    MarkedRead,
    NotificationList,
    NotificationQuery,
    PreferencesIn,
    PreferencesOut,
    WebhookSubscriptionCreated,
    WebhookSubscriptionIn,
    WebhookSubscriptionList,
    WebhookSubscriptionOut,
)

SWEEP_SECONDS = 5
SUBSCRIPTION = "/v1/webhook-subscriptions/<string(length=36):subscription_id>"
REMINDER_SECONDS = 15
INBOX = "/v1/inbox"
DIRECTORY_RPC_TIMEOUT_SECONDS = 10
DIRECTORY_TOKEN_SECONDS = 60
DIRECTORY_SUBJECT = "service:notifications"


def ask_plans(config: Mapping[str, Any]) -> Callable[[str], list[dict]]:
    """The RPC call: plans' unit directory of a commune, asked with a token that reads that commune only."""
    def fetch(commune_code: str) -> list[dict]:
        token = mint_token(signing_key(config), subject=DIRECTORY_SUBJECT, role=Role.COMMUNE_OFFICER,
                           commune=commune_code, issuer=value_of("JWT_ISSUER", config),
                           ttl_seconds=DIRECTORY_TOKEN_SECONDS)
        with CallerRpcProxy(config["AMQP_URI"], NotificationsService.name, token,
                            timeout=DIRECTORY_RPC_TIMEOUT_SECONDS) as cluster:
            return cluster.plans.unit_directory(commune_code)
    return fetch


class Dispatch(DependencyProvider):
    """The enabled channels and the delivery policy, built once from the config."""

    def setup(self):
        config = self.container.config
        self.dispatcher = Dispatcher(channels_from_config(config), Policy.from_config(config))

    def get_dependency(self, worker_ctx):
        return self.dispatcher


class UnitDirectory(DependencyProvider):
    """Recipients' contacts from plans' unit directory (by RPC, kept a minute), one for the service's workers."""

    def setup(self):
        self.directory = Directory(ask_plans(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.directory


class NotificationsService(ServiceBase):
    name = "notifications"
    api_title = "Bình Đẳng — notifications"
    api_description = "Notifications to role-based recipients about plans, reports and cases."
    db = Database(Base.metadata, "services.notifications:migrations")
    rpc_calls = ("plans.unit_directory",)  # contacts of recipients (see ask_plans)
    dispatcher = Dispatch()
    directory = UnitDirectory()

    @subscribe("plans", "plan.issued.v1")
    def on_plan_issued(self, event: ReceivedEvent[PlanIssued]):
        return self._notify(event, notices.for_plan_issued(event.data), also=self._reschedule(event.data))

    @subscribe("plans", "plan.amended.v1")
    def on_plan_amended(self, event: ReceivedEvent[PlanAmended]):
        return self._notify(event, notices.for_plan_amended(event.data), also=self._reschedule(event.data))

    @subscribe("plans", "plan.closed.v1")
    def on_plan_closed(self, event: ReceivedEvent[PlanClosed]):
        return self._notify(event, [], also=lambda session: reminders.cancel_plan(
            session, str(event.data.plan_id), self.clock.now()))

    @subscribe("plans", "unit.dissolved.v1")
    def on_unit_dissolved(self, event: ReceivedEvent[UnitDissolved]):
        first_day_gone = schedule.due_at(event.data.active_to + dt.timedelta(days=1), 0)
        return self._notify(event, [], also=lambda session: reminders.cancel_unit(
            session, event.data.commune_code, event.data.unit_code, first_day_gone, self.clock.now()))

    @subscribe("plans", "unit_report.submitted.v1")
    def on_unit_report_submitted(self, event: ReceivedEvent[UnitReportSubmitted]):
        return self._notify(event, [], also=lambda session: reminders.mark_reported(
            session, str(event.data.plan_id), event.data.unit_code, self.clock.now()))

    @subscribe("plans", "unit_report.revised.v1")
    def on_unit_report_revised(self, event: ReceivedEvent[UnitReportRevised]):
        return self._notify(event, [], also=lambda session: reminders.mark_reported(
            session, str(event.data.plan_id), event.data.unit_code, self.clock.now()))

    @subscribe("plans", "unit_report.returned.v1")
    def on_unit_report_returned(self, event: ReceivedEvent[UnitReportReturned]):
        data = event.data
        return self._notify(event, notices.for_unit_report_returned(data), also=lambda session: (
            reminders.mark_returned(session, str(data.plan_id), data.unit_code)))

    @subscribe("reporting", "commune_report.approved.v1")
    def on_commune_report_approved(self, event: ReceivedEvent[CommuneReportApproved]):
        return self._notify(event, notices.for_commune_report_approved(event.data))

    @subscribe("reporting", "commune_report.submitted.v1")
    def on_commune_report_submitted(self, event: ReceivedEvent[CommuneReportSubmitted]):
        data = event.data
        return self._notify(event, notices.for_commune_report_submitted(data), also=lambda session: (
            reminders.mark_reported(session, str(data.plan_id), schedule.COMMUNE, self.clock.now())))

    @subscribe("reporting", "commune_report.returned.v1")
    def on_commune_report_returned(self, event: ReceivedEvent[CommuneReportReturned]):
        data = event.data
        return self._notify(event, notices.for_commune_report_returned(data), also=lambda session: (
            reminders.mark_returned(session, str(data.plan_id), schedule.COMMUNE)))

    @subscribe("reporting", "commune_report.accepted.v1")
    def on_commune_report_accepted(self, event: ReceivedEvent[CommuneReportAccepted]):
        return self._notify(event, notices.for_commune_report_accepted(event.data))

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

    @subscribe("cases", "case.referred.v1")
    def on_case_referred(self, event: ReceivedEvent[CaseReferred]):
        return self._notify(event, notices.for_case_referred(event.data))

    @timer(interval=REMINDER_SECONDS)
    def send_due_reminders(self):
        """Turns the reminders due by now into notifications and their deliveries (once each, whichever replica
        runs this); `send_due` sends them."""
        reminders.send_due(self.db, now=self.clock.now, wall=dispatch.wall_clock,
                           lease_seconds=self.dispatcher.policy.lease_seconds,
                           grace=dt.timedelta(hours=float(value_of("REMINDER_GRACE_HOURS", self.config))),
                           notify=operations.reminder_notifier(self.dispatcher, self._contacts))

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

    @api("GET", INBOX, roles=COMMUNE_ROLES | {Role.PROVINCE_OFFICER}, query=InboxQuery, response=Inbox)
    def inbox(self, request, principal, query):
        """The caller's in-app notifications (its role in its commune; a unit reporter: its unit's; a province
        officer: those to Sở Nội vụ), newest first, with the unread count."""
        with self.db.transaction() as session:
            return Inbox(items=[views.inbox_item(n, read) for n, read in
                                in_app.items(session, principal, query.unread_only)],
                         unread=in_app.unread(session, principal))

    @api("POST", INBOX + "/<string(length=36):notification_id>/read", roles=COMMUNE_ROLES | {Role.PROVINCE_OFFICER},
         response=MarkedRead)
    def mark_read(self, request, principal, notification_id):
        """Mark one of the caller's notifications read (again: no change)."""
        with self.db.transaction() as session:
            in_app.mark_read(session, principal, notification_id, self.clock.now())
            return MarkedRead(unread=in_app.unread(session, principal))

    @api("GET", "/v1/preferences", roles=COMMUNE_ROLES, response=PreferencesOut)
    def get_preferences(self, request, principal):
        """How the caller's recipient (its role in its commune, a unit reporter's unit) is told."""
        with self.db.transaction() as session:
            return views.preferences_view(principal, preferences.get(session, principal))

    @api("PUT", "/v1/preferences", roles=COMMUNE_ROLES, body=PreferencesIn, response=PreferencesOut)
    def put_preferences(self, request, principal, body):
        """Set the channels, quiet hours and daily digest of the caller's recipient."""
        with self.db.transaction() as session:
            return views.preferences_view(principal, preferences.put(session, principal, body, self.clock.now()))

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

    def _notify(self, event: ReceivedEvent[notices.NotifyingEvent], addressed: list[notices.Addressed],
                also: Callable[[Session], None] | None = None) -> bool:
        """Record the event's notifications, their deliveries and webhook deliveries (and `also` its other
        effect) once, with the inbox row; send those due at once after the commit (what this worker cannot send,
        the timer's sweep will)."""
        d = self.dispatcher
        lease = Lease.starting(dispatch.wall_clock(), d.policy.lease_seconds)
        commune = event.data.commune_code
        # plans is asked before the transaction: no database transaction waits on an RPC
        contacts = {(a.recipient_role, a.recipient_unit): self._contacts(commune, a.recipient_role, a.recipient_unit)
                    for a in addressed}
        recorded: list = []

        def effect(session: Session, e: ReceivedEvent[notices.NotifyingEvent]) -> None:
            recorded.extend(operations.record(session, d, commune, addressed, source_key=str(e.id),
                                              source_type=e.type, contacts=contacts, now=self.clock.now(),
                                              lease=lease))
            recorded.extend(d.enqueue_webhooks(session, str(e.id), e.type, e.envelope.to_json_bytes().decode(),
                                               lease=lease))
            if also:
                also(session)

        created = self.db.apply_once(event, effect)
        d.send(self.db, recorded, lease.token)
        return created

    def _contacts(self, commune_code: str, role: Role, unit_code: str | None) -> Contacts:
        return contacts_for(self.directory.contacts(commune_code, role, unit_code))

    def _reschedule(self, plan: PlanIssued | PlanAmended) -> Callable[[Session], None]:
        province = admin_units.province_of(plan.commune_code)
        deadlines = ProvinceDeadlines.from_config(self.config)
        province_deadline = deadlines.of(province.code if province else "", plan.year)
        hour = int(value_of("REMINDER_HOUR", self.config))
        return lambda session: schedule.reschedule(session, plan, province_deadline, hour)
