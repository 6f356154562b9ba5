"""Why a session may show a case: the reason the case worker gave, kept for a short while (`GRANT_MINUTES`) in the
web's own table, tied to the browser's session. Every read of the case during that time sends the reason to the
cases service, which audits the read with it; when the time is up, or the session ends, the page asks again."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.web.models import CaseAccessGrant, SignInSession

GRANT_MINUTES = 15


def grant(db: Session, row: SignInSession, case_code: str, reason: str, now: dt.datetime) -> None:
    """Open `case_code` for the session with `reason` (replacing an earlier reason); ended grants are removed."""
    db.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.expires_at <= now))
    db.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.session_id_hash == row.id_hash,
                                                CaseAccessGrant.case_code == case_code))
    db.add(CaseAccessGrant(session_id_hash=row.id_hash, case_code=case_code, reason=reason,
                           expires_at=now + dt.timedelta(minutes=GRANT_MINUTES)))


def reason_for(db: Session, row: SignInSession | None, case_code: str, now: dt.datetime) -> str | None:
    """The reason the session gave to open the case, while its grant lasts."""
    if row is None:
        return None
    return db.scalars(sa.select(CaseAccessGrant.reason).where(
        CaseAccessGrant.session_id_hash == row.id_hash, CaseAccessGrant.case_code == case_code,
        CaseAccessGrant.expires_at > now).order_by(CaseAccessGrant.id.desc())).first()


def revoke(db: Session, row: SignInSession, case_code: str) -> None:
    db.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.session_id_hash == row.id_hash,
                                                CaseAccessGrant.case_code == case_code))
