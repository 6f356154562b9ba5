"""The reporting service: consumes plans and cases events into its projections; serves the communes'
reports, their workflow and documents, and the province's view."""
from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.errors import NotFound
from services.common.events.contracts import (
    FIRST_YEAR,
    LAST_YEAR,
    CaseEscalated,
    CaseMeasureRecorded,
    CaseReferred,
    CaseReported,
    CaseStatisticsConsentChanged,
    PlanAmended,
    PlanClosed,
    PlanIssued,
    UnitDissolved,
    UnitReportAttachmentAdded,
    UnitReportReturned,
    UnitReportRevised,
    UnitReportSubmitted,
)
from services.common.events.received import ReceivedEvent
from services.common.http import COMMUNE_URL, api
from services.common.providers import Database
from services.common.province_deadlines import ProvinceDeadlines
from services.common.roles import Role
from services.common.service_base import ServiceBase
from services.common.subscriber import subscribe
from services.reporting import (
    access,
    projections,
    province_summary,
    province_view,
    renderers,
    status,
    views,
    workflow,
)
from services.reporting.models import Base
from services.reporting.schemas import (
    CommuneReportAnswer,
    CommuneStatus,
    OfficerTextIn,
    ProvinceView,
    ReturnIn,
    SubmitIn,
    TextVersionList,
    TransitionList,
)

YEAR = f"<int(min={FIRST_YEAR},max={LAST_YEAR}):year>"
COMMUNE_YEAR = f"{COMMUNE_URL}/years/{YEAR}"
REPORT = COMMUNE_YEAR + "/report"
PROVINCE_YEAR = f"/v1/provinces/<string(length=2):province_code>/years/{YEAR}"
COMMUNE_STAFF = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}
READERS = COMMUNE_STAFF | {Role.PROVINCE_OFFICER}


class ReportingService(ServiceBase):
    name = "reporting"
    api_title = "Bình Đẳng — reporting"
    api_description = ("Projections of plans, unit reports and cases, built from events; each commune's yearly "
                       "report to Sở Nội vụ (assembled, written, approved, submitted, accepted or returned) and "
                       "the province's view of its communes.")
    db = Database(Base.metadata, "services.reporting:migrations")

    # events: every one goes through projections.apply (event log, projections, summaries) -----------
    @subscribe("plans", "plan.issued.v1")
    def on_plan_issued(self, event: ReceivedEvent[PlanIssued]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "plan.amended.v1")
    def on_plan_amended(self, event: ReceivedEvent[PlanAmended]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "plan.closed.v1")
    def on_plan_closed(self, event: ReceivedEvent[PlanClosed]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "unit.dissolved.v1")
    def on_unit_dissolved(self, event: ReceivedEvent[UnitDissolved]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "unit_report.submitted.v1")
    def on_unit_report_submitted(self, event: ReceivedEvent[UnitReportSubmitted]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "unit_report.revised.v1")
    def on_unit_report_revised(self, event: ReceivedEvent[UnitReportRevised]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "unit_report.returned.v1")
    def on_unit_report_returned(self, event: ReceivedEvent[UnitReportReturned]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("plans", "unit_report.attachment_added.v1")
    def on_unit_report_attachment_added(self, event: ReceivedEvent[UnitReportAttachmentAdded]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("cases", "case.reported.v1")
    def on_case_reported(self, event: ReceivedEvent[CaseReported]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("cases", "case.statistics_consent_changed.v1")
    def on_case_statistics_consent_changed(self, event: ReceivedEvent[CaseStatisticsConsentChanged]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("cases", "case.escalated.v1")
    def on_case_escalated(self, event: ReceivedEvent[CaseEscalated]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("cases", "case.referred.v1")
    def on_case_referred(self, event: ReceivedEvent[CaseReferred]):
        return self.db.apply_once(event, projections.apply)

    @subscribe("cases", "case.measure_recorded.v1")
    def on_case_measure_recorded(self, event: ReceivedEvent[CaseMeasureRecorded]):
        return self.db.apply_once(event, projections.apply)

    # a commune's year ------------------------------------------------------------------------------
    @api("GET", COMMUNE_YEAR + "/status", roles=READERS, response=CommuneStatus)
    def commune_status(self, request, principal, commune_code, year):
        """A commune's reporting status for a year: its plan (the open one issued last, else the closed one
        issued last), and that plan's expected, reported, missing, late and returned units."""
        access.require_report_reader(principal, commune_code)
        with self.db.transaction() as session:
            # the commune sees its own counts; anything leaving the commune is suppressed
            return views.commune_status_view(status.commune_status(
                session, commune_code, year, suppress_small_counts=principal.role is Role.PROVINCE_OFFICER))

    @api("POST", COMMUNE_YEAR + "/approval", roles={Role.COMMUNE_LEADER}, response=CommuneStatus, status=201)
    def approve_commune_report(self, request, principal, commune_code, year):
        """The commune leader approves the year's report (as `POST .../report/approval`), answered with the
        year's status."""
        with self.db.transaction() as session:
            workflow.approve(session, principal, commune_code, year, self.clock.now())
            return 201, views.commune_status_view(status.commune_status(session, commune_code, year,
                                                                        suppress_small_counts=False))

    # the commune's report ----------------------------------------------------------------------------
    @api("GET", REPORT, roles=READERS, response=CommuneReportAnswer)
    def get_report(self, request, principal, commune_code, year):
        """The commune's report of the year: while it is written, assembled from the latest events (a draft
        the commune staff preview); once submitted, the revision as submitted (Sở Nội vụ sees only that)."""
        with self.db.transaction() as session:
            return views.report_view(workflow.current_report(session, principal, commune_code, year,
                                                             self.clock.now()))

    @api("PUT", REPORT + "/text", roles={Role.COMMUNE_OFFICER}, body=OfficerTextIn, response=CommuneReportAnswer)
    def write_report_text(self, request, principal, commune_code, year, body):
        """The officer's sections V-VII, free text of I-IV, recipients and signature (a new version each time;
        only while the report is a draft or returned).

        `If-Match: "<version>"` (the `officer_text.version` the writer started from) makes the write
        conditional: when someone saved another version meanwhile it is refused (409 text_version_conflict,
        with the current `text_version`) and nothing is saved."""
        expected = workflow.expected_text_version(request.headers.get("If-Match"))
        with self.db.transaction() as session:
            return views.report_view(workflow.write_text(session, principal, commune_code, year, body,
                                                         self.clock.now(), expected_version=expected))

    @api("GET", REPORT + "/text/versions", roles=COMMUNE_STAFF, response=TextVersionList)
    def report_text_versions(self, request, principal, commune_code, year):
        """Every version of the officer's text, with who wrote it and when."""
        with self.db.transaction() as session:
            return views.text_versions_view(workflow.text_versions(session, principal, commune_code, year))

    @api("POST", REPORT + "/approval", roles={Role.COMMUNE_LEADER}, response=CommuneReportAnswer, status=201)
    def approve_report(self, request, principal, commune_code, year):
        """The leader approves the report (every expected unit must have reported); the units' reports lock."""
        with self.db.transaction() as session:
            return 201, views.report_view(workflow.approve(session, principal, commune_code, year,
                                                           self.clock.now()))

    @api("POST", REPORT + "/submission", roles=COMMUNE_STAFF, body=SubmitIn, response=CommuneReportAnswer,
         status=201)
    def submit_report(self, request, principal, commune_code, year, body):
        """Send the approved report to Sở Nội vụ with its number: its documents are stored as produced; after
        the province's deadline it is taken and flagged late."""
        deadlines = ProvinceDeadlines.from_config(self.config)
        with self.db.transaction() as session:
            return 201, views.report_view(workflow.submit(session, principal, commune_code, year, body,
                                                          self.clock.now(), deadlines))

    @api("POST", REPORT + "/acceptance", roles={Role.PROVINCE_OFFICER}, response=CommuneReportAnswer, status=201)
    def accept_report(self, request, principal, commune_code, year):
        """Sở Nội vụ accepts the submitted report."""
        with self.db.transaction() as session:
            return 201, views.report_view(workflow.accept(session, principal, commune_code, year,
                                                          self.clock.now()))

    @api("POST", REPORT + "/return", roles={Role.PROVINCE_OFFICER}, body=ReturnIn, response=CommuneReportAnswer,
         status=201)
    def return_report(self, request, principal, commune_code, year, body):
        """Sở Nội vụ sends the report back with a reason: the units' reports unlock and the next submission is
        a new revision."""
        with self.db.transaction() as session:
            return 201, views.report_view(workflow.send_back(session, principal, commune_code, year, body,
                                                             self.clock.now()))

    @api("GET", REPORT + "/transitions", roles=READERS, response=TransitionList)
    def report_transitions(self, request, principal, commune_code, year):
        """Every change of the report's state: who, when, from what to what, why."""
        with self.db.transaction() as session:
            return views.transitions_view(workflow.transitions(session, principal, commune_code, year))

    @api("GET", REPORT + "/revisions/<int(min=1,max=1000):revision>/<string(maxlength=8):format_name>",
         roles=READERS, media_types=tuple(r.media_type for r in renderers.RENDERERS))
    def report_document(self, request, principal, commune_code, year, revision, format_name):
        """A submitted revision's document as stored: json, docx (Nghị định 30 layout) or xlsx (the annex)."""
        with self.db.transaction() as session:
            stored, filename = workflow.document(session, principal, commune_code, year, revision, format_name)
            return Response(stored.content, status=200, content_type=stored.media_type, headers={
                "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-SHA256": stored.sha256,
                "X-Content-Type-Options": "nosniff"})

    # the province -------------------------------------------------------------------------------------
    @api("GET", PROVINCE_YEAR + "/communes", roles={Role.PROVINCE_OFFICER}, response=ProvinceView)
    def province_communes(self, request, principal, province_code, year):
        """Every commune of the province (official list): plan, units' completeness, report state and link;
        the province's totals (indicators by sex, GBV figures protected against differencing, rates)."""
        deadlines = ProvinceDeadlines.from_config(self.config)
        with self.db.transaction() as session:
            return province_view.view(session, principal, province_code, year, deadlines)

    @api("GET", PROVINCE_YEAR + "/summary/<string(maxlength=8):format_name>", roles={Role.PROVINCE_OFFICER},
         media_types=tuple({r.media_type: None for r in renderers.PROVINCE_RENDERERS}))
    def province_summary_document(self, request, principal, province_code, year, format_name):
        """Sở Nội vụ's summary of the province's year, produced now from the latest events: json (the content),
        xlsx (a row per commune and the totals) or docx (the report to UBND tỉnh, Nghị định 30 layout)."""
        renderer = renderers.PROVINCE_FORMATS.get(format_name)
        deadlines = ProvinceDeadlines.from_config(self.config)
        with self.db.transaction() as session:
            content = province_summary.summary(session, principal, province_code, year, deadlines,
                                               self.clock.now())
        if renderer is None:
            raise NotFound("Không có định dạng này (json, docx, xlsx).", code="format_not_found")
        return Response(renderer.render(content), status=200, content_type=renderer.media_type, headers={
            "Content-Disposition": f'attachment; filename="tong-hop-{province_code}-{year}.{renderer.extension}"',
            "X-Content-Type-Options": "nosniff"})
