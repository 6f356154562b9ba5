"""The commune leader approves the commune's yearly report once every expected unit has reported."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal
from services.common.errors import Conflict
from services.common.events.contracts import CommuneReportApproved
from services.reporting.models import CommuneApproval
from services.reporting.status import commune_status

SERVICE = "reporting"


def approve(session: Session, principal: Principal, commune_code: str, year: int, now: dt.datetime) -> dict:
    principal.require_commune(commune_code)
    if session.get(CommuneApproval, (commune_code, year)) is not None:
        raise Conflict(f"Báo cáo năm {year} của xã đã được phê duyệt.", code="already_approved")
    status = commune_status(session, commune_code, year, suppress_small_counts=False)
    if not status["units"]:
        raise Conflict(f"Chưa có kế hoạch năm {year} được ban hành: không có gì để phê duyệt.", code="no_plan")
    waiting = [u["unit_code"] for u in status["units"] if not u["reported"]]
    if waiting:
        raise Conflict("Chưa thể phê duyệt: còn đơn vị chưa báo cáo hoặc báo cáo đang bị trả lại: "
                       + ", ".join(waiting) + ".", code="units_missing",
                       fields=[{"field": "units", "problem": f"{code} chưa có báo cáo hợp lệ"} for code in waiting])
    session.add(CommuneApproval(commune_code=commune_code, year=year, approved_at=now, approved_by=principal.subject))
    outbox.add_event(session, service=SERVICE, subject=f"{commune_code}/{year}", commune_code=commune_code,
                     data=CommuneReportApproved(commune_code=commune_code, year=year,
                                                units_expected=status["counts"]["expected"],
                                                units_reported=status["counts"]["reported"], approved_at=now))
    session.flush()
    return commune_status(session, commune_code, year, suppress_small_counts=False)
