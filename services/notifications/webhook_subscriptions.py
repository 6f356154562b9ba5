"""Webhook subscriptions of provincial systems: created, listed and re-enabled by operators.

A subscription names one event type and a URL; its secret (Standard Webhooks: "whsec_" and 32 random bytes
in base64) is made here and shown once. Events of that type are forwarded by `dispatch.Dispatcher`.
"""
from __future__ import annotations

import base64
import datetime as dt
import secrets
import urllib.parse
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.errors import NotFound, Unprocessable
from services.notifications.models import WebhookSubscription
from services.notifications.schemas import WebhookSubscriptionIn

# the events the notifications service receives, and so can forward (a test compares with its handlers)
FORWARDED_EVENT_TYPES = (
    "plan.issued.v1", "plan.amended.v1", "plan.closed.v1", "unit.dissolved.v1", "unit_report.submitted.v1",
    "unit_report.revised.v1", "unit_report.returned.v1", "commune_report.approved.v1", "commune_report.submitted.v1",
    "commune_report.returned.v1", "commune_report.accepted.v1", "case.reported.v1", "case.risk_assessed.v1",
    "case.overdue.v1", "case.escalated.v1", "case.referred.v1",
)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def create(session: Session, body: WebhookSubscriptionIn, now: dt.datetime) -> WebhookSubscription:
    if body.event_type not in FORWARDED_EVENT_TYPES:
        raise Unprocessable("Loại sự kiện này không được chuyển tiếp qua webhook.",
                            fields=[{"field": "event_type", "problem": "not one of the forwarded event types"}])
    url = urllib.parse.urlsplit(body.url)
    if url.scheme not in ("http", "https") or not url.hostname or url.username or url.password:
        raise Unprocessable("Địa chỉ webhook không hợp lệ.",
                            fields=[{"field": "url", "problem": "must be an http or https URL without credentials"}])
    subscription = WebhookSubscription(
        id=str(uuid.uuid4()), event_type=body.event_type, url=body.url, secret=new_secret(),
        description=body.description, active=True, consecutive_failures=0, created_at=now, disabled_at=None)
    session.add(subscription)
    return subscription


def list_all(session: Session) -> list[WebhookSubscription]:
    return list(session.scalars(sa.select(WebhookSubscription).order_by(WebhookSubscription.created_at)))


def enable(session: Session, subscription_id: str) -> WebhookSubscription:
    """Re-enable a disabled subscription (the subscriber's system is back), with its failures forgotten."""
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound("Không tìm thấy đăng ký webhook.")
    subscription.active, subscription.consecutive_failures, subscription.disabled_at = True, 0, None
    return subscription
