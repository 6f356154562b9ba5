"""The reporting service: consumes plans and cases events into its projections; serves status."""
from __future__ import annotations

from services.common.auth import Role
from services.common.db import Database
from services.common.http import api
from services.common.service_base import ServiceBase
from services.common.subscriber import ReceivedEvent, subscribe
from services.reporting import approval, projections, status, views
from services.reporting.models import Base
from services.reporting.schemas import CommuneStatus

COMMUNE = "<string(length=5):commune_code>"
YEAR = "<int(min=2000,max=2100):year>"


class ReportingService(ServiceBase):
    name = "reporting"
    api_title = "Bình Đẳng — reporting"
    api_description = "Projections of plans, unit reports and cases; communes' reporting status and approval."
    db = Database(Base.metadata, "services.reporting:migrations")

    @subscribe("plans", "plan.issued.v1")
    def on_plan_issued(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_plan_version)

    @subscribe("plans", "plan.amended.v1")
    def on_plan_amended(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_plan_version)

    @subscribe("plans", "plan.closed.v1")
    def on_plan_closed(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_plan_closed)

    @subscribe("plans", "unit.dissolved.v1")
    def on_unit_dissolved(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_unit_dissolved)

    @subscribe("plans", "unit_report.submitted.v1")
    def on_unit_report_submitted(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_unit_report)

    @subscribe("plans", "unit_report.revised.v1")
    def on_unit_report_revised(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_unit_report)

    @subscribe("plans", "unit_report.returned.v1")
    def on_unit_report_returned(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_unit_report_returned)

    @subscribe("cases", "case.reported.v1")
    def on_case_reported(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_case_reported)

    @subscribe("cases", "case.escalated.v1")
    def on_case_escalated(self, event: ReceivedEvent):
        return self.db.apply_once(event, projections.record_case_escalated)

    @api("GET", f"/v1/communes/{COMMUNE}/years/{YEAR}/status",
         roles={Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER}, response=CommuneStatus)
    def commune_status(self, request, principal, commune_code, year):
        """A commune's reporting status for a year: its plan (the open one issued last, else the closed one
        issued last), and that plan's expected, reported, missing, late and returned units."""
        principal.require_readable_commune(commune_code)
        with self.db.transaction() as session:
            # the commune sees its own counts; anything leaving the commune is suppressed
            return views.commune_status_view(status.commune_status(
                session, commune_code, year, suppress_small_counts=principal.province_wide))

    @api("POST", f"/v1/communes/{COMMUNE}/years/{YEAR}/approval", roles={Role.COMMUNE_LEADER},
         response=CommuneStatus, status=201)
    def approve_commune_report(self, request, principal, commune_code, year):
        """The commune leader approves the year's report (its plan's); those unit reports are locked from then on."""
        with self.db.transaction() as session:
            return 201, views.commune_status_view(approval.approve(session, principal, commune_code, year,
                                                                   self.clock.now()))
