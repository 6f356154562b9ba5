"""The cases service: thin nameko entrypoints over casework, protection, deadlines and retention."""
from __future__ import annotations

import logging
from urllib.parse import unquote

from eventlet import tpool
from nameko.extensions import DependencyProvider
from nameko.timer import timer

from services.cases import audit, casework, deadlines, decisions, protection, retention, statistics_query, views
from services.cases.models import Base
from services.cases.risk import RiskAssessment
from services.cases.schemas import (
    AuditLog,
    AuditQuery,
    AwaitingDecision,
    CaseList,
    CaseListQuery,
    CaseOut,
    ConsentIn,
    IncidentIn,
    LegalHoldIn,
    MeasureIn,
    MeasureOut,
    MeasureUpdate,
    ReferralIn,
    ReferralOut,
    ReferralResponse,
    ReportCase,
    Statistics,
    StatisticsQuery,
    TransitionIn,
    TrustedAddressIn,
    TrustedAddressList,
    TrustedAddressOut,
)
from services.cases.sealing import Sealer
from services.cases.timers import TimerPolicy
from services.common.config import value_of
from services.common.http import COMMUNE_URL, api
from services.common.providers import Database
from services.common.roles import Role
from services.common.service_base import ServiceBase

log = logging.getLogger(__name__)

CASE = "/v1/cases/<string(minlength=4,maxlength=32):case_code>"
TRUSTED = COMMUNE_URL + "/trusted-addresses"
WORKER = {Role.CASE_WORKER}
WORKER_OR_LEADER = {Role.CASE_WORKER, Role.COMMUNE_LEADER}
DEADLINE_SWEEP_SECONDS = 30
RETENTION_SWEEP_SECONDS = 3600


class VictimDataSealer(DependencyProvider):
    def setup(self):
        self.sealer = Sealer(self.container.config.get("CASES_ENCRYPTION_KEY"))

    def get_dependency(self, worker_ctx):
        return self.sealer


class LegalTimers(DependencyProvider):
    """The deadlines policy from configuration (verification by risk level, no-contact orders)."""

    def setup(self):
        self.policy = TimerPolicy.from_config(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.policy


def _reason(request) -> str | None:
    """Why the case is read: the `X-Access-Reason` header, percent-encoded UTF-8 (headers are ASCII)."""
    return unquote(request.headers.get("X-Access-Reason") or "").replace("\x00", "")[:500] or None


class CasesService(ServiceBase):
    name = "cases"
    api_title = "Bình Đẳng — cases"
    api_description = ("Gender-based violence cases: intake, verification, protection and support, escalation "
                       "and referral, legal timers, retention. Victims' data is encrypted at rest, shown only to "
                       "the commune's case workers, and every access is audited.")
    db = Database(Base.metadata, "services.cases:migrations")
    sealer = VictimDataSealer()
    timers = LegalTimers()

    # cases ----------------------------------------------------------------------------
    @api("POST", "/v1/cases", roles=WORKER, body=ReportCase, response=CaseOut, status=201,
         other_statuses={200: "The Idempotency-Key was used before (same worker, same commune): the case it recorded"})
    def report_case(self, request, principal, body):
        """Record a reported case; the victim's data is encrypted at rest. `Idempotency-Key` makes retries safe."""
        key = request.headers.get("Idempotency-Key")
        with self.db.transaction() as session:
            case, created = casework.report_case(session, principal, body, self.sealer, self.timers,
                                                 self.clock.now(), key)
            return 201 if created else 200, views.case_view(session, case, principal, self.sealer, self.clock.now())

    @api("GET", "/v1/cases", roles=WORKER_OR_LEADER, query=CaseListQuery, response=CaseList)
    def list_cases(self, request, principal, query):
        """The commune's cases by pseudonymous code (no personal data), with their running legal timers."""
        now = self.clock.now()
        with self.db.transaction() as session:
            cases = casework.list_cases(session, principal, now, query.status)
            deadlines = views.open_deadlines(session, cases)
            return CaseList(items=[views.case_summary(c, deadlines.get(c.id, []), now) for c in cases])

    @api("GET", COMMUNE_URL + "/awaiting-decision", roles={Role.COMMUNE_LEADER}, response=AwaitingDecision)
    def awaiting_decision(self, request, principal, commune_code):
        """What awaits the chairman: open cases of high or critical risk or escalated, and undecided no-contact
        orders with their decision time (case codes, levels and times only; each case listed is audited)."""
        now = self.clock.now()
        with self.db.transaction() as session:
            return views.awaiting_decision_view(decisions.awaiting_decision(session, principal, commune_code, now),
                                                now)

    @api("GET", CASE, roles=WORKER_OR_LEADER, response=CaseOut)
    def get_case(self, request, principal, case_code):
        """One case; the victim's data only for case workers. `X-Access-Reason` (percent-encoded) is audited."""
        with self.db.transaction() as session:
            case = casework.read_case(session, principal, case_code, self.clock.now(), _reason(request), self.sealer)
            answer = views.case_view(session, case, principal, self.sealer, self.clock.now()) if case else None
        if answer is None:  # raised after the commit, which keeps the refused read in the audit log
            raise casework.case_not_found()
        return answer

    @api("POST", CASE + "/incidents", roles=WORKER, body=IncidentIn, response=CaseOut, status=201)
    def add_incident(self, request, principal, case_code, body):
        """Record another incident of the case."""
        with self.db.transaction() as session:
            case = casework.add_incident(session, principal, case_code, body, self.sealer, self.clock.now())
            return 201, views.case_view(session, case, principal, self.sealer, self.clock.now())

    @api("POST", CASE + "/risk-assessments", roles=WORKER, body=RiskAssessment, response=CaseOut, status=201)
    def assess_risk(self, request, principal, case_code, body):
        """Re-assess the risk from the structured questions."""
        with self.db.transaction() as session:
            case = casework.reassess_risk(session, principal, case_code, body, self.sealer, self.timers,
                                          self.clock.now())
            return 201, views.case_view(session, case, principal, self.sealer, self.clock.now())

    @api("PUT", CASE + "/consent", roles=WORKER, body=ConsentIn, response=CaseOut)
    def set_consent(self, request, principal, case_code, body):
        """The victim's consents: to services, to sharing/referral, to statistics."""
        with self.db.transaction() as session:
            case = casework.set_consent(session, principal, case_code, body, self.clock.now())
            return views.case_view(session, case, principal, self.sealer, self.clock.now())

    @api("POST", CASE + "/transitions", roles=WORKER, body=TransitionIn, response=CaseOut)
    def change_status(self, request, principal, case_code, body):
        """Move the case along its lifecycle (verify, unfounded, support, follow-up, close, reopen)."""
        with self.db.transaction() as session:
            case = casework.change_status(session, principal, case_code, body, self.sealer, self.clock.now())
            return views.case_view(session, case, principal, self.sealer, self.clock.now())

    @api("PUT", CASE + "/legal-hold", roles={Role.COMMUNE_LEADER}, body=LegalHoldIn, response=CaseOut)
    def set_legal_hold(self, request, principal, case_code, body):
        """Keep (or stop keeping) a case's personal data past the retention period."""
        with self.db.transaction() as session:
            case = casework.set_legal_hold(session, principal, case_code, body, self.sealer, self.clock.now())
            return views.case_view(session, case, principal, self.sealer, self.clock.now())

    # protection and support ----------------------------------------------------------------
    @api("POST", CASE + "/measures", roles=WORKER, body=MeasureIn, response=MeasureOut, status=201)
    def add_measure(self, request, principal, case_code, body):
        """Record a protection measure or support service (a no-contact order starts its decision timer)."""
        with self.db.transaction() as session:
            return 201, views.measure_view(protection.add_measure(
                session, principal, case_code, body, self.sealer, self.timers, self.clock.now()))

    @api("PATCH", CASE + "/measures/<string(length=36):measure_id>", roles=WORKER_OR_LEADER, body=MeasureUpdate,
         response=MeasureOut)
    def update_measure(self, request, principal, case_code, measure_id, body):
        """Decide on a measure, set its period, record its outcome. `X-Access-Reason` (percent-encoded) is audited."""
        with self.db.transaction() as session:
            return views.measure_view(protection.update_measure(
                session, principal, case_code, measure_id, body, self.sealer, self.timers, self.clock.now(),
                _reason(request)))

    @api("POST", CASE + "/escalations", roles=WORKER, body=ReferralIn, response=ReferralOut, status=201)
    def escalate_case(self, request, principal, case_code, body):
        """Escalate the case to a competent authority."""
        with self.db.transaction() as session:
            return 201, views.referral_view(protection.refer(
                session, principal, case_code, "escalation", body, self.sealer, self.clock.now()))

    @api("POST", CASE + "/referrals", roles=WORKER, body=ReferralIn, response=ReferralOut, status=201)
    def refer_case(self, request, principal, case_code, body):
        """Refer the case to an agency or service (needs sharing consent, or an audited override)."""
        with self.db.transaction() as session:
            return 201, views.referral_view(protection.refer(
                session, principal, case_code, "referral", body, self.sealer, self.clock.now()))

    @api("POST", CASE + "/referrals/<string(length=36):referral_id>/<any(accept,reject,done):action>",
         roles=WORKER_OR_LEADER, body=ReferralResponse, response=ReferralOut)
    def respond_to_referral(self, request, principal, case_code, referral_id, action, body):
        """Record the receiver's answer to an escalation or referral: accept, reject (with reason), done."""
        with self.db.transaction() as session:
            return views.referral_view(protection.respond(
                session, principal, case_code, referral_id, action, body, self.sealer, self.clock.now()))

    @api("POST", TRUSTED, roles=WORKER, body=TrustedAddressIn, response=TrustedAddressOut, status=201)
    def add_trusted_address(self, request, principal, commune_code, body):
        """Register a trusted address (địa chỉ tin cậy) of the commune."""
        with self.db.transaction() as session:
            address = protection.add_trusted_address(session, principal, commune_code, body, self.sealer,
                                                     self.clock.now())
            return 201, views.trusted_address_view(address, self.sealer)

    @api("GET", TRUSTED, roles=WORKER, response=TrustedAddressList)
    def list_trusted_addresses(self, request, principal, commune_code):
        """The commune's register of trusted addresses."""
        with self.db.transaction() as session:
            addresses = protection.list_trusted_addresses(session, principal, commune_code, self.clock.now())
            items = [views.trusted_address_view(a, self.sealer) for a in addresses]
            return TrustedAddressList(items=sorted(items, key=lambda a: a.name))

    # audit and statistics --------------------------------------------------------------------
    @api("GET", "/v1/audit", roles={Role.AUDITOR}, query=AuditQuery, response=AuditLog)
    def audit_log(self, request, principal, query):
        """Who read or wrote which case, when and why (read-only)."""
        with self.db.transaction() as session:
            entries = audit.query(session, query.commune_code, query.case_code, query.limit)
            return AuditLog(items=[views.audit_entry_view(e, self.sealer) for e in entries])

    @api("GET", "/v1/statistics", roles={Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER},
         query=StatisticsQuery, response=Statistics)
    def statistics(self, request, principal, query):
        """Counts by type, status, channel, age band and support, with consent only; counts below 5 hidden."""
        commune = query.commune_code
        if not principal.province_wide:
            commune = commune or principal.commune_code
            principal.require_commune(commune)
        with self.db.transaction() as session:
            year_cases = statistics_query.year_records(session, query.start.year)
        # the year's release is CPU work: in a thread, so that HTTP, consumers and heartbeats go on meanwhile
        counts = tpool.execute(statistics_query.statistics, year_cases, commune, query.start, query.end)
        return views.statistics_view(counts)

    # timers ------------------------------------------------------------------------------------
    @timer(interval=DEADLINE_SWEEP_SECONDS)
    def publish_overdue(self):
        """Publishes case.overdue for every legal deadline missed since the last sweep."""
        with self.db.transaction() as session:
            count = deadlines.publish_overdue(session, self.clock.now())
        if count:
            log.warning("deadlines missed", extra={"count": count})

    @timer(interval=RETENTION_SWEEP_SECONDS)
    def erase_expired(self):
        """Erases the personal data of closed cases past the retention period (legal holds excepted)."""
        with self.db.transaction() as session:
            erased = retention.anonymise_expired(session, self.clock.now(),
                                                 int(value_of("CASES_RETENTION_DAYS", self.config)), self.sealer)
        if erased:
            log.info("personal data erased", extra={"cases": len(erased)})
