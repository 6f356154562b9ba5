"""The plans service: thin nameko entrypoints over the plans domain."""
from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.events.contracts import CommuneReportApproved, CommuneReportReturned
from services.common.events.received import ReceivedEvent
from services.common.http import COMMUNE_URL, api, parse_upload
from services.common.providers import Database
from services.common.roles import Role
from services.common.rpc import rpc
from services.common.service_base import ServiceBase
from services.common.subscriber import subscribe
from services.plans import attachments, directory, importing, indicators, lifecycle, unit_reports, views
from services.plans.importer import isolation
from services.plans.models import Base
from services.plans.schemas import (
    AmendPlan,
    AttachmentForm,
    AttachmentOut,
    CreatePlan,
    DiffQuery,
    EditDraft,
    ImportForm,
    ImportOut,
    IndicatorIn,
    IndicatorList,
    IndicatorOut,
    IndicatorQuery,
    PlanList,
    PlanOut,
    PlanQuery,
    ReturnReport,
    SubmitUnitReport,
    UnitChange,
    UnitDirectoryCall,
    UnitIn,
    UnitList,
    UnitOut,
    UnitQuery,
    UnitReportList,
    UnitReportOut,
    VersionDiff,
    VersionList,
)

EVERY_ROLE = set(Role)
COMMUNE_STAFF = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}
READERS = COMMUNE_STAFF | {Role.PROVINCE_OFFICER, Role.UNIT_REPORTER}
PLAN = "/v1/plans/<string(length=36):plan_id>"
REPORT = "/v1/unit-reports/<string(length=36):report_id>"
UNIT = COMMUNE_URL + "/units/<string(maxlength=64):code>"


class PlansService(ServiceBase):
    name = "plans"
    api_title = "Bình Đẳng — plans"
    api_description = ("Communes' yearly gender-equality plans: unit directory, indicators, plans and their "
                       "versions, import from Word or text, and units' result reports.")
    db = Database(Base.metadata, "services.plans:migrations")

    # unit directory -------------------------------------------------------------
    @api("POST", COMMUNE_URL + "/units", roles={Role.COMMUNE_OFFICER}, body=UnitIn, response=UnitOut, status=201)
    def create_unit(self, request, principal, commune_code, body):
        """Add a unit to the commune's directory."""
        with self.db.transaction() as session:
            return 201, views.unit_view(directory.create_unit(session, principal, commune_code, body,
                                                                  self.clock.now()))

    @api("GET", COMMUNE_URL + "/units", roles=READERS, query=UnitQuery, response=UnitList)
    def list_units(self, request, principal, commune_code, query):
        """The commune's units, optionally only those active on a day."""
        with self.db.transaction() as session:
            units = directory.list_units(session, principal, commune_code, query.active_on)
            return UnitList(items=[views.unit_view(u) for u in units])

    @api("GET", UNIT, roles=READERS, response=UnitOut)
    def get_unit(self, request, principal, commune_code, code):
        """One unit of the directory."""
        with self.db.transaction() as session:
            return views.unit_view(directory.get_unit(session, principal, commune_code, code))

    @api("PATCH", UNIT, roles={Role.COMMUNE_OFFICER}, body=UnitChange, response=UnitOut)
    def change_unit(self, request, principal, commune_code, code, body):
        """Rename a unit, change its contact points, or dissolve it (active_to)."""
        with self.db.transaction() as session:
            return views.unit_view(directory.change_unit(session, principal, commune_code, code, body,
                                                             self.clock.now()))

    # indicators -----------------------------------------------------------------
    @api("GET", "/v1/indicators", roles=EVERY_ROLE, query=IndicatorQuery, response=IndicatorList)
    def list_indicators(self, request, principal, query):
        """National reference indicators and the commune's own."""
        with self.db.transaction() as session:
            found = indicators.list_indicators(session, principal, query.commune_code)
            return IndicatorList(items=[views.indicator_view(i) for i in found])

    @api("POST", COMMUNE_URL + "/indicators", roles={Role.COMMUNE_OFFICER}, body=IndicatorIn, response=IndicatorOut,
         status=201)
    def create_indicator(self, request, principal, commune_code, body):
        """Define an indicator of the commune's own."""
        with self.db.transaction() as session:
            return 201, views.indicator_view(indicators.create_indicator(session, principal, commune_code, body))

    # plans ------------------------------------------------------------------------
    @api("POST", "/v1/plans", roles={Role.COMMUNE_OFFICER}, body=CreatePlan, response=PlanOut, status=201)
    def create_plan(self, request, principal, body):
        """Create a draft plan from its document."""
        with self.db.transaction() as session:
            return 201, views.plan_view(*lifecycle.create_plan(session, principal, body, self.clock.now()))

    @api("POST", "/v1/plans/import", roles={Role.COMMUNE_OFFICER}, upload=ImportForm, response=ImportOut,
         status=201, other_statuses={200: "dry_run: the document read, no draft created"})
    def import_plan(self, request, principal):
        """Import a plan from a Word (.docx) or text file into a draft, with warnings for each anomaly."""
        form, filename, _, data = parse_upload(request, ImportForm, importing.MAX_DOCUMENT_BYTES)
        with self.db.transaction() as session:
            options = importing.options_for(session, principal, form)
        result = importing.read_document(filename, data, options, isolation.ChildLimits(
            timeout_seconds=float(self.config["IMPORT_TIMEOUT_SECONDS"]),
            memory_mb=int(self.config["IMPORT_MEMORY_MB"])))
        with self.db.transaction() as session:
            return (200 if form.dry_run else 201), importing.save_draft(session, principal, form, result,
                                                                        self.clock.now())

    @api("GET", "/v1/plans", roles=READERS, query=PlanQuery, response=PlanList)
    def list_plans(self, request, principal, query):
        """Plans of the caller's commune (province officers: any commune)."""
        with self.db.transaction() as session:
            return PlanList(items=[views.plan_summary(plan, version)
                                   for plan, version in lifecycle.list_plans(session, principal, query)])

    @api("GET", PLAN, roles=READERS, response=PlanOut)
    def get_plan(self, request, principal, plan_id):
        """A plan in its current version."""
        with self.db.transaction() as session:
            plan = lifecycle.get_plan(session, principal, plan_id)
            return views.plan_view(plan, lifecycle.get_version(session, plan))

    @api("PUT", PLAN + "/draft", roles={Role.COMMUNE_OFFICER}, body=EditDraft, response=PlanOut)
    def edit_draft(self, request, principal, plan_id, body):
        """Replace the document of a draft plan (issued plans change only by amendment)."""
        with self.db.transaction() as session:
            return views.plan_view(*lifecycle.edit_draft(session, principal, plan_id, body, self.clock.now()))

    @api("POST", PLAN + "/issue", roles=COMMUNE_STAFF, response=PlanOut)
    def issue_plan(self, request, principal, plan_id):
        """Issue (ban hành) a draft plan: units may report against it from now on."""
        with self.db.transaction() as session:
            return views.plan_view(*lifecycle.issue_plan(session, principal, plan_id, self.clock.now()))

    @api("POST", PLAN + "/amendments", roles=COMMUNE_STAFF, body=AmendPlan, response=PlanOut, status=201)
    def amend_plan(self, request, principal, plan_id, body):
        """Amend an issued plan: creates a new version; the previous one is kept."""
        with self.db.transaction() as session:
            return 201, views.plan_view(*lifecycle.amend_plan(session, principal, plan_id, body,
                                                                  self.clock.now()))

    @api("POST", PLAN + "/close", roles=COMMUNE_STAFF, response=PlanOut)
    def close_plan(self, request, principal, plan_id):
        """Close an issued plan: it takes no more reports."""
        with self.db.transaction() as session:
            return views.plan_view(*lifecycle.close_plan(session, principal, plan_id, self.clock.now()))

    @api("GET", PLAN + "/versions", roles=READERS, response=VersionList)
    def list_versions(self, request, principal, plan_id):
        """Every version of a plan, oldest first."""
        with self.db.transaction() as session:
            return VersionList(items=[views.version_summary(v)
                                      for v in lifecycle.list_versions(session, principal, plan_id)])

    @api("GET", PLAN + "/versions/<int(min=1,max=100000):version>", roles=READERS, response=PlanOut)
    def get_version(self, request, principal, plan_id, version):
        """A plan as it was in one version."""
        with self.db.transaction() as session:
            plan = lifecycle.get_plan(session, principal, plan_id)
            return views.plan_view(plan, lifecycle.get_version(session, plan, version))

    @api("GET", PLAN + "/versions/<int(min=1,max=100000):version>/diff", roles=READERS, query=DiffQuery,
         response=VersionDiff)
    def diff_versions(self, request, principal, plan_id, version, query):
        """What changed in a version, against the previous one (or `against`)."""
        with self.db.transaction() as session:
            return lifecycle.diff_versions(session, principal, plan_id, version, query.against)

    # unit reports -------------------------------------------------------------------
    @api("POST", PLAN + "/unit-reports", roles={Role.UNIT_REPORTER}, body=SubmitUnitReport,
         response=UnitReportOut, status=201,
         other_statuses={200: "The Idempotency-Key was used before: the revision it submitted"})
    def submit_unit_report(self, request, principal, plan_id, body):
        """Submit the unit's result report (again: a new revision). `Idempotency-Key` makes retries safe."""
        key = request.headers.get("Idempotency-Key")
        with self.db.transaction() as session:
            report, created = unit_reports.submit(session, principal, plan_id, body, self.clock.now(), key)
            if created:
                return 201, views.new_report_view(report)
            return 200, views.report_view(session, report)

    @api("GET", PLAN + "/unit-reports", roles=READERS, response=UnitReportList)
    def list_unit_reports(self, request, principal, plan_id):
        """Every revision of the plan's unit reports (a reporter: its own unit's)."""
        with self.db.transaction() as session:
            reports = unit_reports.list_reports(session, principal, plan_id)
            return UnitReportList(items=[views.report_view(session, r) for r in reports])

    @api("GET", REPORT, roles=READERS, response=UnitReportOut)
    def get_unit_report(self, request, principal, report_id):
        """One revision of a unit report."""
        with self.db.transaction() as session:
            return views.report_view(session, unit_reports.get_report(session, principal, report_id))

    @api("POST", REPORT + "/return", roles={Role.COMMUNE_OFFICER}, body=ReturnReport, response=UnitReportOut)
    def return_unit_report(self, request, principal, report_id, body):
        """Return a unit's report for correction, with the reason."""
        with self.db.transaction() as session:
            report = unit_reports.return_report(session, principal, report_id, body, self.clock.now())
            return views.report_view(session, report)

    @api("POST", REPORT + "/attachments", roles={Role.UNIT_REPORTER}, upload=AttachmentForm,
         response=AttachmentOut, status=201)
    def add_attachment(self, request, principal, report_id):
        """Attach a file (PDF, image, Word, Excel, text; at most 10 MB) to the current report revision."""
        _, filename, content_type, data = parse_upload(request, AttachmentForm, attachments.MAX_ATTACHMENT_BYTES)
        with self.db.transaction() as session:
            attachment = unit_reports.add_attachment(session, principal, report_id, filename, content_type, data,
                                                     self.clock.now())
            return 201, views.attachment_view(attachment)

    @api("GET", REPORT + "/attachments/<string(length=36):attachment_id>", roles=READERS,
         media_types=attachments.MEDIA_TYPES)
    def get_attachment(self, request, principal, report_id, attachment_id):
        """Download an attachment."""
        with self.db.transaction() as session:
            attachment = unit_reports.get_attachment(session, principal, report_id, attachment_id)
            return Response(attachment.data, status=200, content_type=attachment.content_type, headers={
                "Content-Disposition": attachments.content_disposition(attachment.filename),
                "X-Content-Type-Options": "nosniff"})

    # events and RPC -------------------------------------------------------------------
    @subscribe("reporting", "commune_report.approved.v1")
    def on_commune_report_approved(self, event: ReceivedEvent[CommuneReportApproved]):
        return self.db.apply_once(event, unit_reports.lock_reports)

    @subscribe("reporting", "commune_report.returned.v1")
    def on_commune_report_returned(self, event: ReceivedEvent[CommuneReportReturned]):
        return self.db.apply_once(event, unit_reports.unlock_reports)

    @rpc(roles=READERS)
    def unit_directory(self, principal, commune_code: str) -> list[dict]:
        """The commune's unit directory (codes, names, types, contacts, active periods), for the services that
        need it now (notifications will, for contact details); the same rules as GET .../units."""
        call = UnitDirectoryCall(commune_code=commune_code)
        with self.db.transaction() as session:
            return [views.unit_view(u).model_dump(mode="json")
                    for u in directory.list_units(session, principal, call.commune_code, None)]
