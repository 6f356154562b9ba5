"""The cases service: thin nameko entrypoints over `operations`."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from services.cases import operations
from services.cases.models import Base
from services.cases.schemas import EscalateCase, ReportCase
from services.cases.sealing import Sealer
from services.common.auth import Role
from services.common.db import Database
from services.common.http import api
from services.common.service_base import ServiceBase

CASE_CODE = "<string(minlength=4,maxlength=32):case_code>"


class VictimDataSealer(DependencyProvider):
    def setup(self):
        self.sealer = Sealer(self.container.config.get("CASES_ENCRYPTION_KEY"))

    def get_dependency(self, worker_ctx):
        return self.sealer


class CasesService(ServiceBase):
    name = "cases"
    api_title = "Bình Đẳng — cases"
    api_description = "Gender-based violence cases: intake, escalation; victims' data encrypted, every access audited."
    db = Database(Base.metadata, "services.cases:migrations")
    sealer = VictimDataSealer()

    @api("POST", "/v1/cases", roles={Role.CASE_WORKER}, body=ReportCase, status=201)
    def report_case(self, request, principal, body):
        """Record a reported case; the victim's data is encrypted at rest."""
        with self.db.transaction() as session:
            case = operations.report_case(session, principal, body, self.sealer, self.clock.now())
            return 201, operations.case_view(case, principal, self.sealer)

    @api("GET", "/v1/cases", roles={Role.CASE_WORKER, Role.COMMUNE_LEADER})
    def list_cases(self, request, principal):
        """The commune's cases by pseudonymous code (no personal data)."""
        with self.db.transaction() as session:
            cases = operations.list_cases(session, principal, self.clock.now())
            return {"items": [{"case_code": c.case_code, "case_type": c.case_type, "risk_level": c.risk_level,
                               "status": c.status, "reported_at": c.reported_at.isoformat()} for c in cases]}

    @api("GET", f"/v1/cases/{CASE_CODE}", roles={Role.CASE_WORKER, Role.COMMUNE_LEADER})
    def get_case(self, request, principal, case_code):
        """One case; the victim's data only for case workers. `X-Access-Reason` is audited."""
        reason = (request.headers.get("X-Access-Reason") or "").replace("\x00", "")[:500] or None
        with self.db.transaction() as session:
            case = operations.read_case(session, principal, case_code, self.clock.now(), reason)
            return operations.case_view(case, principal, self.sealer)

    @api("POST", f"/v1/cases/{CASE_CODE}/escalations", roles={Role.CASE_WORKER}, body=EscalateCase)
    def escalate_case(self, request, principal, case_code, body):
        """Escalate a case to a competent authority."""
        with self.db.transaction() as session:
            case = operations.escalate_case(session, principal, case_code, body, self.clock.now())
            return operations.case_view(case, principal, self.sealer)
