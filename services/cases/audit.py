"""The audit log of case access: every read and write, by whom, when, why. Append-only through the API.

A reason is free text that may name the victim: callers pass it sealed (`Sealer.seal_text`)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import AuditEntry, Case
from services.common.auth import Principal

ALLOWED, DENIED, NOT_FOUND = "allowed", "denied", "not_found"


def record(session: Session, principal: Principal, case: Case | None, action: str, now: dt.datetime,
           sealed_reason: bytes | None = None, commune_code: str | None = None) -> None:
    session.add(AuditEntry(case_id=case.id if case else None, case_code=case.case_code if case else None,
                           commune_code=case.commune_code if case else (commune_code or principal.commune_code
                                                                        or "province"),
                           actor=principal.subject, actor_role=principal.role.value, action=action,
                           outcome=ALLOWED, reason_sealed=sealed_reason, at=now))


def record_refused_read(session: Session, principal: Principal, case_code: str, case: Case | None,
                        now: dt.datetime, sealed_reason: bytes | None) -> None:
    """A read of a case the caller may not see: another commune's (`case`), or none by that code.

    Filed under the caller's commune with the code asked for, so that an auditor sees who probed for
    what; the caller gets the same answer either way."""
    session.add(AuditEntry(case_id=case.id if case else None, case_code=case_code,
                           commune_code=principal.commune_code or "province", actor=principal.subject,
                           actor_role=principal.role.value, action="case.read",
                           outcome=NOT_FOUND if case is None else DENIED, reason_sealed=sealed_reason, at=now))


def query(session: Session, commune_code: str | None, case_code: str | None, limit: int) -> list[AuditEntry]:
    statement = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if commune_code:
        statement = statement.where(AuditEntry.commune_code == commune_code)
    if case_code:
        statement = statement.where(AuditEntry.case_code == case_code)
    return list(session.scalars(statement))
