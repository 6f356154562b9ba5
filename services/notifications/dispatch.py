"""Delivering notifications on their channels: the seam the rest of the service hands messages to.

`Dispatcher.enqueue` (in the caller's transaction) records one `notifications` row per recipient and one
`deliveries` row per channel, each under a stable idempotency key (source, recipient, channel): enqueuing the
same thing twice adds nothing. Sending happens after the commit, outside any transaction (a channel may be
slow), by the worker that holds a delivery's lease: the one that enqueued it, or a sweep that leases what is
due. Only the lease holder records the outcome, and the `notification.delivered` / `notification.failed`
event goes in that same transaction. A worker killed between the channel's answer and that record can send
one twice (never zero times); the email's Message-ID, the webhook-id and Zalo's tracking id are the delivery's
id, so a receiver that deduplicates can drop the copy.

A failure is retried with back-off (`NOTIFICATION_RETRY_SECONDS`, doubling) until `NOTIFICATION_MAX_ATTEMPTS`;
a provider's refusal of a message is final. One failing provider holds up only its own channel: sweeps run per
channel, and a sweep stops at the channel's first failure that is not the message's, leaving the rest for later
without spending their attempts. An urgent notice falls back, at its first failure, to the next channel of
`NOTIFICATION_URGENT_FALLBACK` the recipient can be reached on (kept on standby from the start).
"""
from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import leases, outbox
from services.common.config import env, value_of
from services.common.events.contracts import NotificationDelivered, NotificationFailed, WebhookSubscriptionDisabled
from services.common.leases import Lease
from services.common.metrics import NOTIFICATION_BACKLOG as BACKLOG
from services.common.metrics import NOTIFICATION_DELIVERIES as DELIVERIES
from services.common.metrics import NOTIFICATION_SEND_SECONDS as SEND_SECONDS
from services.common.roles import Role
from services.notifications import templates
from services.notifications.channels import Batching, Channel, DeliveryError
from services.notifications.models import Delivery, Notification, WebhookSubscription

log = logging.getLogger(__name__)

SERVICE = "notifications"
SWEEP_BATCH = 100
MAX_RETRY_DELAY = timedelta(hours=1)
DEVELOPMENT_PUBLIC_URL = "http://localhost:8000"  # the links of notifications where PUBLIC_URL is unset
STANDBY, QUEUED, RETRYING, SENT, FAILED, GIVEN_UP = "standby", "queued", "retrying", "sent", "failed", "given_up"
DUE = (QUEUED, RETRYING)
# notification ids and delivery ids are derived from the idempotency key, so a second enqueue finds the first
_IDS = uuid.UUID("6f1d7a52-2c1e-4a8e-9a57-6d1f0b1c7e11")


@dataclass(frozen=True)
class Contacts:
    """How a recipient is reached. From plans' directory by RPC; never on the bus, stored only on deliveries."""
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Recipient:
    key: str  # stable: who this is, e.g. "unit:<unit code>:unit_reporter" or a directory contact's id
    role: Role
    unit_code: str | None
    contacts: Contacts
    channels: tuple[str, ...]  # to send on now, in preference order


@dataclass(frozen=True)
class Notice:
    kind: str  # a key of templates.KINDS
    commune_code: str
    source_key: str  # the event's id, or "schedule:<row id>"
    source_type: str  # the event's type, or "schedule"
    urgent: bool
    context: Mapping[str, Any] = field(default_factory=dict)
    # not sent before then (quiet hours, the digest hour), on the same clock as `enqueue`'s `now`
    not_before: datetime | None = None
    # part of a digest: one recipient's digest emails due together go out as one email
    digest: bool = False


@dataclass(frozen=True)
class Policy:
    max_attempts: int
    retry_seconds: float
    urgent_fallback: tuple[str, ...]
    webhook_max_failures: int
    public_url: str
    lease_seconds: float
    send_timeout: float = 10.0  # the channels' time-out: the longest one send may hold a lease

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        return cls(max_attempts=int(value_of("NOTIFICATION_MAX_ATTEMPTS", config)),
                   retry_seconds=float(value_of("NOTIFICATION_RETRY_SECONDS", config)),
                   urgent_fallback=tuple(c.strip() for c in value_of("NOTIFICATION_URGENT_FALLBACK", config)
                                         .split(",") if c.strip()),
                   webhook_max_failures=int(value_of("WEBHOOK_MAX_FAILURES", config)),
                   public_url=env("PUBLIC_URL", config) or DEVELOPMENT_PUBLIC_URL,
                   lease_seconds=float(value_of("NOTIFICATION_LEASE_SECONDS", config)),
                   send_timeout=float(value_of("NOTIFICATION_SEND_TIMEOUT_SECONDS", config)))

    def retry_delay(self, attempts: int) -> timedelta:
        """After the n-th failed attempt: base, 2 × base, 4 × base, ... at most an hour."""
        return min(timedelta(seconds=self.retry_seconds * 2 ** (attempts - 1)), MAX_RETRY_DELAY)


def wall_clock() -> datetime:
    """Leases and retries are about workers and providers, so they run on real time, not the domain clock."""
    return datetime.now(UTC)


def derived_id(key: str) -> str:
    return str(uuid.uuid5(_IDS, key))


def trigger_id(source_key: str) -> str:
    """The event's id as it is; a scheduled reminder's, derived from its schedule key."""
    try:
        return str(uuid.UUID(source_key))
    except ValueError:
        return derived_id(source_key)


def mask_address(address: str | None) -> str | None:
    """What a listing may show of a contact: 'n***@sonhai.gov.vn', '*******567', 'https://host/…'."""
    if not address:
        return None
    if "://" in address:
        scheme, _, rest = address.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}/…"
    if "@" in address:
        name, _, domain = address.rpartition("@")
        return f"{name[:1]}***@{domain}"
    return "*" * max(len(address) - 3, 0) + address[-3:]


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


class Dispatcher:
    """The enabled channels and the delivery policy: what enqueues, sends and sweeps deliveries."""

    def __init__(self, channels: Mapping[str, Channel], policy: Policy,
                 now: Callable[[], datetime] = wall_clock):
        self.channels = channels
        self.policy = policy
        self.now = now

    # -- enqueueing (in the caller's transaction) --------------------------------------------------------------

    def enqueue(self, session: Session, notice: Notice, recipients: Iterable[Recipient], *, now: datetime,
                lease: Lease | None = None) -> list[Delivery]:
        """Record the notice for each recipient and its deliveries (see the module's docstring).

        `now` is the service's (domain) clock: the notification's time. Deliveries are timed on the
        dispatcher's own clock (real time: leases and retries are about workers and providers), so a
        `not_before` counts as a delay from `now`. With `lease`, the new deliveries are the caller's to `send`
        after its commit (unless held by `not_before`). Returns the deliveries this call added.
        """
        rendered = templates.render(notice.kind, notice.context, self.policy.public_url)
        at = now
        first_attempt = self.now() + max(notice.not_before - now, timedelta(0)) if notice.not_before else self.now()
        if notice.not_before and notice.not_before > now:
            lease = None  # held: the sweep sends it when it is due
        added: list[Delivery] = []
        for recipient in recipients:
            notification_id = derived_id(f"{notice.source_key}|{recipient.key}")
            with session.no_autoflush:  # what is added goes to the database in one flush, at the commit
                if session.get(Notification, notification_id) is not None:
                    continue  # enqueued before: a redelivered event, a retried job
            notification = Notification(
                id=notification_id, commune_code=notice.commune_code, template=notice.kind,
                recipient_role=recipient.role.value, recipient_unit=recipient.unit_code,
                title=_fit(rendered.title, 300), body=rendered.body, trigger_event_id=trigger_id(notice.source_key),
                trigger_event_type=notice.source_type, urgent=notice.urgent, status="pending", created_at=at)
            session.add(notification)
            deliveries = [self._delivery(notification, notice, rendered, recipient, channel, status, lease,
                                         first_attempt) for channel, status in self._plan(notice, recipient)]
            if not deliveries:  # nothing to send on: the inbox is where it is read
                notification.status, notification.delivered_at = "delivered", at
            session.add_all(deliveries)
            added.extend(deliveries)
        return added

    def _plan(self, notice: Notice, recipient: Recipient) -> list[tuple[str, str]]:
        """(channel, status) of each delivery: the recipient's channels now; for urgent notices, the fallback
        channels the recipient can be reached on, on standby."""
        reachable = [name for name in dict.fromkeys(recipient.channels) if self._reachable(name, recipient)]
        plan = [(name, QUEUED) for name in reachable]
        if notice.urgent:
            plan += [(name, STANDBY) for name in self.policy.urgent_fallback
                     if name not in reachable and self._reachable(name, recipient)]
        return plan

    def _reachable(self, name: str, recipient: Recipient) -> bool:
        channel = self.channels.get(name)
        if channel is None or name == "webhook":
            return False
        return channel.contact is None or bool(getattr(recipient.contacts, channel.contact))

    def _delivery(self, notification: Notification, notice: Notice, rendered: templates.Rendered,
                  recipient: Recipient, channel: str, status: str, lease: Lease | None,
                  first_attempt: datetime) -> Delivery:
        key = f"{notice.source_key}|{recipient.key}|{channel}"
        delivery_id = derived_id(key)
        contact = self.channels[channel].contact
        return Delivery(
            id=delivery_id, idempotency_key=key[:300], notification=notification,
            commune_code=notice.commune_code, channel=channel,
            address=getattr(recipient.contacts, contact) if contact else None,
            content=json.dumps(self._content(channel, rendered, notification, delivery_id), ensure_ascii=False,
                               default=_json),
            urgent=notice.urgent, digest=notice.digest and channel == "email", status=status, attempts=0,
            next_attempt_at=first_attempt,
            created_at=notification.created_at,
            claimed_by=lease.token if lease and status == QUEUED else None,
            claimed_until=lease.until if lease and status == QUEUED else None)

    @staticmethod
    def _content(channel: str, rendered: templates.Rendered, n: Notification, message_id: str) -> dict[str, Any]:
        if channel == "email":  # title, body and link also for a digest that folds it with others
            return {**templates.email(rendered), "message_id": message_id, "title": rendered.title,
                    "body": rendered.body, "link": rendered.link, "commune_name": rendered.commune_name}
        if channel == "sms":
            return {"text": rendered.sms}
        if channel == "zalo":
            return {"kind": rendered.kind, "params": templates.zalo_params(rendered), "message_id": message_id}
        return {"notification": {
            "id": n.id, "commune_code": n.commune_code, "template": n.template, "recipient_role": n.recipient_role,
            "recipient_unit": n.recipient_unit, "title": n.title, "body": n.body, "link": rendered.link,
            "urgent": n.urgent, "trigger_event_type": n.trigger_event_type, "created_at": n.created_at}}

    def enqueue_webhooks(self, session: Session, event_id: str, event_type: str, body: str, *,
                         lease: Lease | None = None) -> list[Delivery]:
        """One delivery of the event (its CloudEvents JSON) to each active subscription of its type."""
        at = self.now()
        subscriptions = session.scalars(sa.select(WebhookSubscription).where(
            WebhookSubscription.event_type == event_type, WebhookSubscription.active.is_(True))).all()
        added = []
        for subscription in subscriptions:
            key = f"{event_id}|webhook:{subscription.id}"
            if session.scalar(sa.select(Delivery.id).where(Delivery.idempotency_key == key)) is not None:
                continue
            delivery_id = derived_id(key)
            added.append(Delivery(
                id=delivery_id, idempotency_key=key, notification_id=None, subscription_id=subscription.id,
                commune_code=None, channel="webhook", address=subscription.url,
                content=json.dumps({"body": body, "message_id": f"msg_{delivery_id}"}), urgent=False, digest=False,
                status=QUEUED, attempts=0, next_attempt_at=at, created_at=at,
                claimed_by=lease.token if lease else None, claimed_until=lease.until if lease else None))
        session.add_all(added)
        return added

    # -- sending (outside transactions) -----------------------------------------------------------------------

    def send(self, db, deliveries: Iterable[Delivery], token: str) -> tuple[int, int]:
        """Send deliveries leased to `token`; (sent, not sent). After a channel's first failure that is not the
        message's fault, that channel's other deliveries are released untouched, for a later sweep. A channel
        that can share a session between messages (email: one SMTP session) does so for these, and one
        recipient's digest emails among them go out as one email."""
        sent = unsent = 0
        broken: set[str] = set()
        with ExitStack() as batches:
            batching: set[str] = set()
            for group in _grouped(deliveries):
                first = group[0]
                # webhooks: one subscriber's outage is its own, not the other subscribers'
                route = first.address or "" if first.channel == "webhook" else first.channel
                if route in broken or self._lease_too_short(first):
                    with db.transaction() as session:
                        for delivery in group:
                            _release(session, delivery.id, token)
                    unsent += len(group)
                    continue
                channel = self.channels.get(first.channel)
                if first.channel not in batching and isinstance(channel, Batching):
                    batches.enter_context(channel.batch())
                    batching.add(first.channel)
                ok, transient = self._attempt(db, group, token)
                sent += len(group) if ok else 0
                unsent += 0 if ok else len(group)
                if transient:
                    broken.add(route)
        return sent, unsent

    def _lease_too_short(self, delivery: Delivery) -> bool:
        """Whether what is left of the lease might not cover one more send (at most the send time-out): then
        another worker may already be free to take the delivery when its outcome is recorded, and send it too."""
        return delivery.claimed_until is not None and \
            self.now() + timedelta(seconds=self.policy.send_timeout) >= delivery.claimed_until

    def _attempt(self, db, group: list[Delivery], token: str) -> tuple[bool, bool]:
        """One attempt (of one delivery, or one digest of several), its outcome recorded for each;
        (sent, failed for a reason that is not the message's)."""
        first = group[0]
        channel = self.channels.get(first.channel)
        contents = [json.loads(delivery.content) for delivery in group]
        content = contents[0] if len(group) == 1 else {
            **templates.digest_email(contents, self.now()), "message_id": first.id}
        started = time.monotonic()
        try:
            if channel is None:
                raise DeliveryError(f"channel {first.channel} is not enabled", permanent=False)
            if first.subscription_id:
                with db.transaction() as session:
                    subscription = session.get(WebhookSubscription, first.subscription_id)
                    if subscription is None or not subscription.active:
                        raise DeliveryError("subscription disabled", permanent=True)
                    content["secret"] = subscription.secret
            answer = channel.send(first.address, content)
        except Exception as exc:
            if isinstance(exc, DeliveryError):
                error = exc
                log.warning("delivery attempt failed", extra={"delivery_id": first.id, "channel": first.channel,
                                                             "permanent": error.permanent})
            else:
                error = DeliveryError("internal error", permanent=False)
                log.exception("channel raised unexpectedly", extra={"delivery_id": first.id,
                                                                    "channel": first.channel})
            SEND_SECONDS.labels(first.channel).observe(time.monotonic() - started)
            with db.transaction() as session:
                for delivery in group:
                    self._record_failure(session, delivery, token, error)
            return False, not error.permanent
        SEND_SECONDS.labels(first.channel).observe(time.monotonic() - started)
        with db.transaction() as session:
            for delivery in group:
                self._record_sent(session, delivery, token, answer)
        return True, False

    def _take(self, session: Session, delivery: Delivery, token: str) -> Delivery | None:
        """The delivery as the database has it, if our lease still holds (else another worker owns it now)."""
        row = session.scalar(sa.select(Delivery).where(Delivery.id == delivery.id, Delivery.claimed_by == token,
                                                       Delivery.status.in_(DUE)).with_for_update())
        if row is None:
            log.warning("lease lost before the outcome was recorded", extra={"delivery_id": delivery.id})
        return row

    def _record_sent(self, session: Session, delivery: Delivery, token: str, answer: str) -> None:
        """Three statements (the hot path): the delivery marked while our lease holds, the notification marked
        and read back, the event."""
        now = self.now()
        # an UPDATE's result is a CursorResult (it has rowcount); Session.execute is typed for any statement
        marked = cast(sa.CursorResult[Any], session.execute(
            sa.update(Delivery)
            .where(Delivery.id == delivery.id, Delivery.claimed_by == token, Delivery.status.in_(DUE))
            .values(status=SENT, sent_at=now, attempts=Delivery.attempts + 1, provider_answer=answer[:500],
                    claimed_by=None, claimed_until=None)))
        if marked.rowcount != 1:
            log.warning("lease lost before the outcome was recorded", extra={"delivery_id": delivery.id})
            return
        DELIVERIES.labels(delivery.channel, "sent").inc()
        if delivery.subscription_id:
            session.execute(sa.update(WebhookSubscription).where(WebhookSubscription.id == delivery.subscription_id)
                            .values(consecutive_failures=0))
            return
        n = session.execute(
            sa.update(Notification).where(Notification.id == delivery.notification_id)
            .values(status="delivered", delivered_at=sa.func.coalesce(Notification.delivered_at, now))
            .returning(Notification.id, Notification.commune_code, Notification.template,
                       Notification.recipient_role, Notification.recipient_unit, Notification.trigger_event_id)
            .execution_options(synchronize_session=False)).one()
        outbox.add_event(session, service=SERVICE, subject=n.id, commune_code=n.commune_code,
                         data=NotificationDelivered(
                             notification_id=uuid.UUID(n.id), commune_code=n.commune_code, template=n.template,
                             channel=delivery.channel, recipient_role=n.recipient_role,
                             recipient_unit=n.recipient_unit, trigger_event_id=uuid.UUID(n.trigger_event_id),
                             delivered_at=now, attempts=delivery.attempts + 1))

    def _record_failure(self, session: Session, delivery: Delivery, token: str, error: DeliveryError) -> None:
        row = self._take(session, delivery, token)
        if row is None:
            return
        now = self.now()
        row.attempts += 1
        row.provider_answer, row.claimed_by, row.claimed_until = error.answer, None, None
        final = error.permanent or row.attempts >= self.policy.max_attempts
        if not final:
            row.status, row.next_attempt_at = RETRYING, now + self.policy.retry_delay(row.attempts)
            DELIVERIES.labels(row.channel, "retried").inc()
        else:
            row.status = FAILED if error.permanent else GIVEN_UP
            DELIVERIES.labels(row.channel, "failed" if error.permanent else "given_up").inc()
        if row.subscription_id:
            self._count_webhook_failure(session, row, now)
            return
        fallback = self._fall_back(session, row, now) if row.urgent else None
        if final:
            self._announce_failure(session, row, fallback, now)

    def _fall_back(self, session: Session, row: Delivery, now: datetime) -> Delivery | None:
        """An urgent notice's next standby channel, queued now (one per failure of another channel)."""
        standby = session.scalars(sa.select(Delivery).where(
            Delivery.notification_id == row.notification_id, Delivery.status == STANDBY)).all()
        order = {name: i for i, name in enumerate(self.policy.urgent_fallback)}
        if not standby:
            return None
        chosen = min(standby, key=lambda d: order.get(d.channel, len(order)))
        chosen.status, chosen.next_attempt_at = QUEUED, now
        log.info("urgent notice falls back to another channel", extra={"delivery_id": row.id,
                                                                      "channel": chosen.channel})
        return chosen

    def _announce_failure(self, session: Session, row: Delivery, fallback: Delivery | None, now: datetime) -> None:
        notification = session.get(Notification, row.notification_id)
        assert notification is not None
        open_ = session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(
            Delivery.notification_id == notification.id, Delivery.status.in_((*DUE, SENT))))
        if not open_:
            notification.status = "failed"
        n = notification
        outbox.add_event(session, service=SERVICE, subject=n.id, commune_code=n.commune_code,
                         data=NotificationFailed(
                             notification_id=uuid.UUID(n.id), commune_code=n.commune_code, template=n.template,
                             channel=row.channel, recipient_role=n.recipient_role, recipient_unit=n.recipient_unit,
                             trigger_event_id=uuid.UUID(n.trigger_event_id),
                             outcome="failed" if row.status == FAILED else "given_up", attempts=row.attempts,
                             fallback_channel=fallback.channel if fallback else None, failed_at=now))

    def _count_webhook_failure(self, session: Session, row: Delivery, now: datetime) -> None:
        """Consecutive failures of a subscription; at WEBHOOK_MAX_FAILURES it is disabled, and its queue emptied."""
        subscription = session.get(WebhookSubscription, row.subscription_id, with_for_update=True)
        if subscription is None or not subscription.active:
            return
        subscription.consecutive_failures += 1
        if subscription.consecutive_failures < self.policy.webhook_max_failures:
            return
        subscription.active, subscription.disabled_at = False, now
        session.execute(sa.update(Delivery).where(Delivery.subscription_id == subscription.id,
                                                  Delivery.status.in_(DUE), Delivery.id != row.id)
                        .values(status=GIVEN_UP, provider_answer="subscription disabled"))
        log.warning("webhook subscription disabled", extra={"subscription_id": subscription.id})
        outbox.add_event(session, service=SERVICE, subject=subscription.id, commune_code=None,
                         data=WebhookSubscriptionDisabled(
                             subscription_id=uuid.UUID(subscription.id), event_type=subscription.event_type,
                             consecutive_failures=subscription.consecutive_failures, disabled_at=now))

    # -- sweeping ---------------------------------------------------------------------------------------------

    def claim_due(self, session: Session, channel: str, *, token: str, limit: int) -> list[Delivery]:
        """Lease up to `limit` of the channel's due deliveries that no live lease holds, oldest due first."""
        now = self.now()
        leases.claim(session, Delivery, key=Delivery.id, token_column=Delivery.claimed_by,
                     until_column=Delivery.claimed_until,
                     claimable=sa.and_(Delivery.channel == channel, Delivery.status.in_(DUE),
                                       Delivery.next_attempt_at <= now),
                     order_by=Delivery.next_attempt_at, limit=limit, lease_seconds=self.policy.lease_seconds,
                     now=now, token=token)
        return list(session.scalars(sa.select(Delivery).where(
            Delivery.claimed_by == token, Delivery.status.in_(DUE)).order_by(Delivery.next_attempt_at)))

    def sweep(self, db, channel: str, *, batch: int = SWEEP_BATCH) -> int:
        """Send the channel's due deliveries, batch after batch, until none is left or the channel fails;
        how many went out (or were found already sent: see `_only_unsent`)."""
        total = 0
        while True:
            token = str(uuid.uuid4())
            with db.transaction() as session:
                expired = self._expired_leases(session, channel)
                claimed = self.claim_due(session, channel, token=token, limit=batch)
            to_send = self._only_unsent(db, channel, claimed, expired, token)
            sent, unsent = self.send(db, to_send, token)
            total += sent + len(claimed) - len(to_send)
            if unsent or len(claimed) < batch:
                return total

    def _expired_leases(self, session: Session, channel: str) -> set[str]:
        """The channel's due deliveries under a lease that expired: the worker that held it died (or was slower
        than its lease), perhaps after the channel had taken them."""
        return set(session.scalars(sa.select(Delivery.id).where(
            Delivery.channel == channel, Delivery.status.in_(DUE), Delivery.claimed_by.is_not(None),
            Delivery.claimed_until < self.now())))

    def _only_unsent(self, db, channel: str, claimed: list[Delivery], expired: set[str],
                     token: str) -> list[Delivery]:
        """Of the deliveries taken over from a dead worker, those the channel can tell it already has (the file
        channel) are recorded sent without sending them again; the others are returned, to send."""
        already_sent = getattr(self.channels.get(channel), "already_sent", None)
        taken_over = {d.notification_id for d in claimed if d.id in expired and d.notification_id}
        if not already_sent or not taken_over:
            return claimed
        written = already_sent(taken_over)
        with db.transaction() as session:
            for delivery in claimed:
                if delivery.id in expired and delivery.notification_id in written:
                    self._record_sent(session, delivery, token, "already written")
        return [d for d in claimed if not (d.id in expired and d.notification_id in written)]

    def measure_backlog(self, session: Session) -> dict[str, int]:
        """Due and unsent deliveries per channel (also set on the backlog gauge)."""
        counts = {channel: count for channel, count in session.execute(
            sa.select(Delivery.channel, sa.func.count()).where(
                Delivery.status.in_(DUE), Delivery.next_attempt_at <= self.now()).group_by(Delivery.channel))}
        for name in self.channels:
            BACKLOG.labels(name).set(counts.get(name, 0))
        return counts


def _fit(text: str, most: int) -> str:
    """The text, or as much of it as fits in `most` characters, ending with "…"."""
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


def _grouped(deliveries: Iterable[Delivery]) -> list[list[Delivery]]:
    """Each delivery on its own, but a recipient's digest emails together (in the place of the first)."""
    groups: list[list[Delivery]] = []
    digests: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        if delivery.digest and delivery.address:
            if delivery.address in digests:
                digests[delivery.address].append(delivery)
                continue
            digests[delivery.address] = [delivery]
            groups.append(digests[delivery.address])
        else:
            groups.append([delivery])
    return groups


def _release(session: Session, delivery_id: str, token: str) -> None:
    """Give a delivery back untouched (no attempt spent), for the next sweep."""
    session.execute(sa.update(Delivery).where(Delivery.id == delivery_id, Delivery.claimed_by == token)
                    .values(claimed_by=None, claimed_until=None))
