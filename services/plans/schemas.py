"""Request and response bodies of the plans HTTP API."""
from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field

from services.common.events.contracts import COMMUNE_CODE, UnitRole

CODE = r"^[A-Za-z0-9._-]{1,64}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TaskIn(Strict):
    code: str = Field(pattern=CODE, description="Task code within the plan, e.g. II.1.a")
    title: str = Field(min_length=1, max_length=4000)


class UnitIn(Strict):
    unit_code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=300)
    role: UnitRole
    task_codes: list[str] = Field(default_factory=list)


class CreatePlan(Strict):
    commune_code: str = Field(pattern=COMMUNE_CODE)
    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=500)
    report_deadline: dt.date = Field(description="Units report before this date (trước ngày ...).")
    tasks: list[TaskIn] = Field(min_length=1)
    units: list[UnitIn] = Field(min_length=1)


class PlanQuery(Strict):
    commune_code: str | None = Field(None, pattern=COMMUNE_CODE)
    year: int | None = Field(None, ge=2000, le=2100)


class TaskStatus(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TaskResultIn(Strict):
    task_code: str = Field(pattern=CODE)
    status: TaskStatus
    summary: str = Field("", max_length=4000, description="What was done.")


class SubmitUnitReport(Strict):
    tasks: list[TaskResultIn] = Field(min_length=1)
