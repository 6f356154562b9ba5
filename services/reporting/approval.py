"""The commune leader approves the commune's yearly report once every expected unit has reported.

The approval is of the plan that defines the year (`status.plan_of_year`): its unit reports, and
only those, are locked in the plans service (`commune_report.approved` carries the plan id).
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal
from services.common.db import lock_key
from services.common.errors import Conflict
from services.common.events.contracts import CommuneReportApproved
from services.reporting.models import CommuneApproval
from services.reporting.status import commune_status, plan_of_year

SERVICE = "reporting"


def approve(session: Session, principal: Principal, commune_code: str, year: int, now: dt.datetime) -> dict:
    principal.require_commune(commune_code)
    # one approval of a commune's year at a time: a concurrent one waits here, then finds this one's
    lock_key(session, f"approval:{commune_code}:{year}")
    plan = plan_of_year(session, commune_code, year)
    if plan is None:
        raise Conflict(f"Chưa có kế hoạch năm {year} được ban hành: không có gì để phê duyệt.", code="no_plan")
    if session.get(CommuneApproval, plan.plan_id) is not None:
        raise Conflict(f"Báo cáo năm {year} của xã đã được phê duyệt.", code="already_approved")
    status = commune_status(session, commune_code, year, suppress_small_counts=False)
    if not status["units"]:
        raise Conflict(f"Kế hoạch năm {year} không giao đơn vị nào báo cáo: không có gì để phê duyệt.",
                       code="no_units")
    waiting = [u["unit_code"] for u in status["units"] if not u["reported"]]
    if waiting:
        raise Conflict("Chưa thể phê duyệt: còn đơn vị chưa báo cáo hoặc báo cáo đang bị trả lại: "
                       + ", ".join(waiting) + ".", code="units_missing",
                       fields=[{"field": "units", "problem": f"{code} chưa có báo cáo hợp lệ"} for code in waiting])
    session.add(CommuneApproval(plan_id=plan.plan_id, commune_code=commune_code, year=year, approved_at=now,
                                approved_by=principal.subject))
    outbox.add_event(session, service=SERVICE, subject=f"{commune_code}/{year}", commune_code=commune_code,
                     data=CommuneReportApproved(plan_id=uuid.UUID(plan.plan_id), commune_code=commune_code,
                                                year=year, units_expected=status["counts"]["expected"],
                                                units_reported=status["counts"]["reported"], approved_at=now))
    session.flush()
    return commune_status(session, commune_code, year, suppress_small_counts=False)
