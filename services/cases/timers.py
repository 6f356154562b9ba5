"""Legal and policy timers of a case: when a report must be verified, when a no-contact request must
be decided, and how long a no-contact measure may last.

Law on Domestic Violence Prevention and Control 2022 (13/2022/QH15), Article 25: the commune
chairman decides on a requested no-contact measure (cấm tiếp xúc) within 12 hours of receiving the
request, and each measure lasts no more than 3 days. The verification times per risk level are this
platform's policy, not law; all values are configurable so that a change of law or policy is a
change of configuration.

Every moment is timezone-aware: a naive datetime cannot say which instant it means, and a deadline
computed from one would be off by the server's offset (7 hours for Vietnam against UTC).
Deadlines are returned in UTC; elapsed hours are absolute, whatever the zone shown to users.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from services.common.config import default, value_of
from services.common.events.contracts import RiskLevel

# From the most to the least urgent: a more urgent level may never get more time than a less urgent one.
_URGENCY = (RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)


class TimerPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    verification_hours: dict[RiskLevel, int]
    no_contact_decision_hours: int = Field(ge=1)
    no_contact_max_days: int = Field(ge=1)

    @field_validator("verification_hours")
    @classmethod
    def _every_level_has_a_sensible_time(cls, hours: dict[RiskLevel, int]) -> dict[RiskLevel, int]:
        missing = [level.value for level in RiskLevel if level not in hours]
        if missing:
            raise ValueError(f"verification hours are missing for: {', '.join(missing)}")
        not_positive = [level.value for level, value in hours.items() if value < 1]
        if not_positive:
            raise ValueError(f"verification hours must be at least 1 for: {', '.join(not_positive)}")
        for more_urgent, less_urgent in zip(_URGENCY, _URGENCY[1:], strict=False):
            if hours[more_urgent] > hours[less_urgent]:
                raise ValueError(f"verification hours for {more_urgent.value} ({hours[more_urgent]}) exceed "
                                 f"those for {less_urgent.value} ({hours[less_urgent]})")
        return hours

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> TimerPolicy:
        """The policy from configuration values given as strings, as environment variables are.

        Keys (their defaults are the settings' defaults in `services.common.config`):
        CASES_VERIFICATION_HOURS ("critical=2,high=12,medium=48,low=72"; levels left out keep their
        default), CASES_NO_CONTACT_DECISION_HOURS, CASES_NO_CONTACT_MAX_DAYS. A malformed value raises
        ValueError naming the key, so a bad deployment fails at start-up rather than computing wrong
        deadlines.
        """
        hours = "CASES_VERIFICATION_HOURS"
        settings: dict[str, object] = {"verification_hours": {
            **_parse_verification_hours(hours, default(hours) or ""),
            **_parse_verification_hours(hours, value_of(hours, config))}}
        for key, field in (("CASES_NO_CONTACT_DECISION_HOURS", "no_contact_decision_hours"),
                           ("CASES_NO_CONTACT_MAX_DAYS", "no_contact_max_days")):
            settings[field] = _parse_positive_int(key, value_of(key, config))
        try:
            return cls(**settings)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, problem['loc']))}: "
                                 f"{problem['msg'].removeprefix('Value error, ')}" for problem in error.errors())
            raise ValueError(f"invalid cases timer configuration: {problems}") from None


def _parse_positive_int(key: str, text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{key} must be a whole number, got {text!r}") from None
    if value < 1:
        raise ValueError(f"{key} must be at least 1, got {value}")
    return value


def _parse_verification_hours(key: str, text: str) -> dict[RiskLevel, int]:
    hours: dict[RiskLevel, int] = {}
    for item in text.split(","):
        name, separator, value = item.partition("=")
        name = name.strip()
        if not separator or not name:
            raise ValueError(f"{key} must look like 'critical=2,high=12,medium=48,low=72', got {text!r}")
        try:
            level = RiskLevel(name)
        except ValueError:
            known = ", ".join(level.value for level in RiskLevel)
            raise ValueError(f"{key}: unknown risk level {name!r} (known: {known})") from None
        if level in hours:
            raise ValueError(f"{key}: risk level {name!r} is given twice")
        hours[level] = _parse_positive_int(f"{key} ({name})", value)
    return hours


def _require_aware(moment: dt.datetime, name: str) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got the naive datetime {moment.isoformat()}")
    return moment


def _after(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    # In UTC, adding hours adds elapsed time; in a zone with daylight saving, wall-clock
    # arithmetic would not (Vietnam has none, but a caller's datetime may be in any zone).
    return moment.astimezone(dt.UTC) + delta


def verification_due(reported_at: dt.datetime, risk: RiskLevel | str, policy: TimerPolicy) -> dt.datetime:
    """When a report of this risk level must have been verified."""
    _require_aware(reported_at, "reported_at")
    return _after(reported_at, dt.timedelta(hours=policy.verification_hours[RiskLevel(risk)]))




def no_contact_decision_due(requested_at: dt.datetime, policy: TimerPolicy) -> dt.datetime:
    """When the chairman must have decided on a no-contact request (Article 25(2): 12 hours)."""
    _require_aware(requested_at, "requested_at")
    return _after(requested_at, dt.timedelta(hours=policy.no_contact_decision_hours))


def no_contact_latest_end(starts_at: dt.datetime, policy: TimerPolicy) -> dt.datetime:
    """The latest end of a no-contact measure starting then (Article 25(1): at most 3 days each time)."""
    _require_aware(starts_at, "starts_at")
    return _after(starts_at, dt.timedelta(days=policy.no_contact_max_days))


def check_no_contact_period(starts_at: dt.datetime, ends_at: dt.datetime, policy: TimerPolicy) -> None:
    """Raises ValueError, in Vietnamese for the user, if the period is empty, reversed or too long."""
    _require_aware(starts_at, "starts_at")
    _require_aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValueError("Thời điểm kết thúc cấm tiếp xúc phải sau thời điểm bắt đầu.")
    if ends_at > no_contact_latest_end(starts_at, policy):
        raise ValueError(f"Mỗi lần cấm tiếp xúc không được quá {policy.no_contact_max_days} ngày.")


VERIFICATION = "verification"
NO_CONTACT_DECISION = "no_contact_decision"
DEADLINE_KINDS = (VERIFICATION, NO_CONTACT_DECISION)
