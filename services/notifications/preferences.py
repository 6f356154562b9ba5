"""How each recipient wants to be told: channels in order, quiet hours, a daily digest for what is not urgent.

A recipient is a role of a commune (and, for unit reporters, a unit): the people notifications reach are
role-based contact points, never named persons. The caller sets the preferences of the recipient it is.
Urgent case alerts ignore quiet hours and the digest: they go out at once.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.clock import VIETNAM
from services.common.roles import Role
from services.notifications.models import Preference
from services.notifications.schemas import PreferencesIn

DEFAULT_CHANNELS = ("email",)
DEFAULT_URGENT_CHANNELS = ("sms", "email")
DIGEST_AT = dt.time(7, 30)  # Vietnam time: the start of the working day


def recipient_key(principal: Principal) -> tuple[str, str, str]:
    """The recipient the caller is: (commune, role, unit or "")."""
    assert principal.commune_code is not None, "only commune roles have preferences (the endpoint's roles)"
    return principal.commune_code, principal.role.value, principal.unit_code or ""


def get(session: Session, principal: Principal) -> Preference | None:
    return session.get(Preference, recipient_key(principal))


def put(session: Session, principal: Principal, body: PreferencesIn, now: dt.datetime) -> Preference:
    key = recipient_key(principal)
    preference = session.get(Preference, key)
    if preference is None:
        preference = Preference(commune_code=key[0], recipient_role=key[1], recipient_unit=key[2])
        session.add(preference)
    preference.channels = list(body.channels)
    preference.quiet_from = body.quiet_hours.start if body.quiet_hours else None
    preference.quiet_to = body.quiet_hours.end if body.quiet_hours else None
    preference.daily_digest = body.daily_digest
    preference.updated_at = now
    preference.updated_by = principal.subject
    return preference


class CommunePreferences:
    """The preferences of a commune's recipients, read once for all the notifications of one event or run."""

    def __init__(self, session: Session, commune_code: str):
        self._by_recipient = {(p.recipient_role, p.recipient_unit): p for p in session.scalars(
            sa.select(Preference).where(Preference.commune_code == commune_code))}

    def timing(self, role: Role, unit_code: str | None, *, urgent: bool,
               now: dt.datetime) -> tuple[dt.datetime | None, bool]:
        return timing(self._by_recipient.get((role.value, unit_code or "")), urgent=urgent, now=now)

    def channels(self, role: Role, unit_code: str | None, *, urgent: bool) -> tuple[str, ...]:
        """The recipient's channels in order of preference; without preferences: email, and for urgent
        notices sms first."""
        preference = self._by_recipient.get((role.value, unit_code or ""))
        if preference is not None:
            return tuple(preference.channels)
        return DEFAULT_URGENT_CHANNELS if urgent else DEFAULT_CHANNELS


def timing(preference: Preference | None, *, urgent: bool, now: dt.datetime) -> tuple[dt.datetime | None, bool]:
    """When a notification to the recipient may go out (None: at once), and whether it is part of a digest."""
    if urgent or preference is None:
        return None, False
    return send_after(now, preference.quiet_from, preference.quiet_to, preference.daily_digest), \
        preference.daily_digest


def send_after(now: dt.datetime, quiet_from: dt.time | None, quiet_to: dt.time | None,
               daily_digest: bool) -> dt.datetime | None:
    """The first moment from `now` that is outside the quiet hours (and, for a digest, the next digest time)."""
    moment = _next_at(now, DIGEST_AT) if daily_digest else now
    if quiet_from is not None and quiet_to is not None and _quiet(moment, quiet_from, quiet_to):
        moment = _next_at(moment, quiet_to)
    return None if moment == now else moment


def _quiet(moment: dt.datetime, start: dt.time, end: dt.time) -> bool:
    local = moment.astimezone(VIETNAM).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # over midnight: 22:00-06:00


def _next_at(moment: dt.datetime, at: dt.time) -> dt.datetime:
    """The next moment (from `moment` on) that is `at` o'clock in Vietnam."""
    local = moment.astimezone(VIETNAM)
    candidate = dt.datetime.combine(local.date(), at, VIETNAM)
    if candidate < local:
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)
