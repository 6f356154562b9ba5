"""Request bodies of the cases HTTP API."""
from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field

from services.common.events.contracts import Authority, CaseType, IntakeChannel, RiskLevel


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Sex(str, enum.Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class VictimIn(Strict):
    full_name: str = Field(min_length=1, max_length=200)
    sex: Sex
    age: int | None = Field(None, ge=0, le=120)
    phone: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=500)


class ReportCase(Strict):
    case_type: CaseType
    risk_level: RiskLevel
    intake_channel: IntakeChannel
    village: str | None = Field(None, max_length=200, description="Thôn where the case was detected.")
    reported_at: dt.datetime | None = None
    victim: VictimIn


class EscalateCase(Strict):
    authority: Authority
    reason: str = Field(min_length=1, max_length=2000)
