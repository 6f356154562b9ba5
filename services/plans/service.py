"""The plans service: thin nameko entrypoints over `operations`."""
from __future__ import annotations

from services.common.auth import Role
from services.common.db import Database
from services.common.http import api, parse_json, parse_query
from services.common.service_base import ServiceBase
from services.plans import operations
from services.plans.models import Base
from services.plans.schemas import CreatePlan, PlanQuery, SubmitUnitReport

COMMUNE_STAFF = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}
READERS = COMMUNE_STAFF | {Role.PROVINCE_OFFICER, Role.UNIT_REPORTER}


class PlansService(ServiceBase):
    name = "plans"
    db = Database(Base.metadata, "services.plans:migrations")

    @api("POST", "/v1/plans", roles={Role.COMMUNE_OFFICER})
    def create_plan(self, request, principal):
        body = parse_json(request, CreatePlan)
        with self.db.transaction() as session:
            plan = operations.create_plan(session, principal, body, self.clock.now())
            return 201, operations.plan_view(plan)

    @api("GET", "/v1/plans", roles=READERS)
    def list_plans(self, request, principal):
        query = parse_query(request, PlanQuery)
        with self.db.transaction() as session:
            return {"items": [operations.plan_view(p) for p in operations.list_plans(session, principal, query)]}

    @api("GET", "/v1/plans/<string(length=36):plan_id>", roles=READERS)
    def get_plan(self, request, principal, plan_id):
        with self.db.transaction() as session:
            return operations.plan_view(operations.get_plan(session, principal, plan_id))

    @api("POST", "/v1/plans/<string(length=36):plan_id>/issue", roles=COMMUNE_STAFF)
    def issue_plan(self, request, principal, plan_id):
        with self.db.transaction() as session:
            return operations.plan_view(operations.issue_plan(session, principal, plan_id, self.clock.now()))

    @api("POST", "/v1/plans/<string(length=36):plan_id>/unit-reports", roles={Role.UNIT_REPORTER})
    def submit_unit_report(self, request, principal, plan_id):
        body = parse_json(request, SubmitUnitReport)
        key = request.headers.get("Idempotency-Key")
        with self.db.transaction() as session:
            report, created = operations.submit_unit_report(session, principal, plan_id, body,
                                                            self.clock.now(), key)
            return (201 if created else 200), operations.report_view(report)

    @api("GET", "/v1/plans/<string(length=36):plan_id>/unit-reports", roles=READERS)
    def list_unit_reports(self, request, principal, plan_id):
        with self.db.transaction() as session:
            return {"items": [operations.report_view(r)
                              for r in operations.list_unit_reports(session, principal, plan_id)]}
