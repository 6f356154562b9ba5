"""The audit log of case access: every read and write, by whom, when, why. Append-only through the API."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import AuditEntry, Case
from services.common.auth import Principal


def record(session: Session, principal: Principal, case: Case | None, action: str, now: dt.datetime,
           reason: str | None = None, commune_code: str | None = None) -> None:
    session.add(AuditEntry(case_id=case.id if case else None, case_code=case.case_code if case else None,
                           commune_code=case.commune_code if case else (commune_code or principal.commune_code
                                                                        or "province"),
                           actor=principal.subject, actor_role=principal.role.value, action=action,
                           reason=reason, at=now))


def query(session: Session, commune_code: str | None, case_code: str | None, limit: int) -> list[AuditEntry]:
    statement = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if commune_code:
        statement = statement.where(AuditEntry.commune_code == commune_code)
    if case_code:
        statement = statement.where(AuditEntry.case_code == case_code)
    return list(session.scalars(statement))
