"""The main job: start the four services and drive Sơn Hải's reporting year through their HTTP APIs.

The opening (`Scenario`): a commune officer imports and issues the commune's plan, a unit submits its result
report, a case worker reports a case and escalates it, and the demo shows what each service did. The rest of
the year (`demo_season.ReportingSeason`): cases, every unit's report, the commune's report to Sở Nội vụ from
draft to acceptance, its documents written to files, and the province's view. The services read the time
from the demo's clock file, which the demo moves through the year. Ctrl-C stops everything cleanly.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Protocol

from services.common.auth import mint_token
from services.common.clock import FileClock
from services.common.config import SERVICE_NAMES, value_of
from services.common.roles import COMMUNE_ROLES, Role
from services.common.token_keys import signing_key
from services.demo_inboxes import LocalMailServer, LocalSmsGateway, channel_settings, contact_points, summary
from services.demo_season import ReportingSeason, at, case_body, indicator_targets, indicator_values
from services.plans.directory_file import read_units
from services.processes import ServiceProcesses, http_json, http_upload

COMMUNE = "07543"  # Xã Sơn Hải, Bắc Ninh, in the official list after 1 July 2025


SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PLAN_DOCUMENT = SAMPLES / "ke-hoach-binh-dang-gioi-2026-son-hai.txt"  # the commune's real plan, as written
DIRECTORY = SAMPLES / "directory-son-hai.json"


def delivered(notifications: dict, template: str) -> list[dict]:
    return [i for i in notifications["items"] if i["template"] == template and i["status"] == "delivered"]


class ServiceUrls(Protocol):
    """Where each service answers: the demo's processes, or the end-to-end tests' stack."""

    def url(self, service: str) -> str: ...


class Scenario:
    """The opening of the year. With a clock (the demo's), the plan is issued on 28/5, VHXH reports in June and
    the case comes in on 20/6; without one (the end-to-end tests), all happens now."""

    def __init__(self, processes: ServiceUrls, environ: dict, year: int = 2026, clock: FileClock | None = None,
                 with_contacts: bool = False):
        self.p = processes
        self.with_contacts = with_contacts  # the demo's units get a mailbox and a number its local servers take
        self.year = year
        self.commune = COMMUNE
        self.clock = clock
        signer, issuer = signing_key(environ), value_of("JWT_ISSUER", environ)

        def token(subject: str, role: Role, unit: str | None = None) -> str:
            return mint_token(signer, subject=subject, role=role, commune=COMMUNE, unit=unit, issuer=issuer)

        self._token = token
        self.officer = token("can-bo-xa", Role.COMMUNE_OFFICER)
        self.reporter = self.reporter_of("VHXH")
        self.case_worker = token("can-bo-vu-viec", Role.CASE_WORKER)
        self.leader = token("chu-tich-xa", Role.COMMUNE_LEADER)
        self.province = mint_token(signer, subject="so-noi-vu-bac-ninh", role=Role.PROVINCE_OFFICER, province="24",
                                   issuer=issuer)

    def reporter_of(self, unit: str) -> str:
        return self._token(f"bao-cao-{unit.lower()}", Role.UNIT_REPORTER, unit)

    def _moment(self, month: int, day: int) -> None:
        if self.clock is not None:
            self.clock.set(at(month, day))

    def call(self, method, service, path, body=None, token=None, expect=(200, 201)):
        status, payload = http_json(method, self.p.url(service) + path, body, token)
        if status not in expect:
            raise RuntimeError(f"{method} {service}{path} answered {status}: {payload}")
        return payload

    def run(self, out=print) -> dict:
        self._moment(5, 28)
        units = read_units(DIRECTORY)
        for index, unit in enumerate(units):
            body = unit.model_dump(mode="json")
            if self.with_contacts:
                body["contact_points"] = contact_points(unit.code, index)
            self.call("POST", "plans", f"/v1/communes/{COMMUNE}/units", body, self.officer, expect=(201, 409))
        out(f"plans         directory of commune {COMMUNE}: {len(units)} units (departments, schools, thôn, ...)")
        status, imported = http_upload(self.p.url("plans") + "/v1/plans/import", PLAN_DOCUMENT.name,
                                       PLAN_DOCUMENT.read_bytes(), {"commune_code": COMMUNE}, self.officer)
        if status != 201:
            raise RuntimeError(f"import answered {status}: {imported}")
        plan, warnings = imported["plan"], imported["warnings"]
        out(f"plans         imported {PLAN_DOCUMENT.name} as draft {plan['id']}: "
            f"{len(plan['document']['content_areas'])} content areas, {len(plan['document']['organisation'])} "
            f"implementing units, {len(warnings)} warnings to review, e.g.")
        for warning in warnings[:4]:
            out(f"                line {warning['line']:>3}: {warning['message']}")
        targets = indicator_targets()
        self.call("PUT", "plans", f"/v1/plans/{plan['id']}/draft", {
            "document": plan["document"], "report_deadline": plan["report_deadline"], "indicator_targets": targets},
            self.officer)
        out(f"plans         the officer added {len(targets)} national indicators with their targets and the units "
            "that report them")
        plan = self.call("POST", "plans", f"/v1/plans/{plan['id']}/issue", None, self.officer)
        out(f"plans         issued it -> plan.issued.v1 ({len(plan['assigned_tasks'])} units must report "
            f"before {plan['report_deadline']})")
        self._moment(6, 15)
        tasks = plan["assigned_tasks"]["VHXH"]
        report = self.call("POST", "plans", f"/v1/plans/{plan['id']}/unit-reports", {"tasks": [
            {"task_code": tasks[0], "status": "done", "summary": "Đã tham mưu ban hành văn bản hướng dẫn các thôn."},
            {"task_code": tasks[1], "status": "in_progress", "summary": "Đang tổ chức mít tinh hưởng ứng."},
        ], "indicator_values": indicator_values("VHXH")}, self.reporter)
        out(f"plans         unit VHXH submitted report revision {report['revision']} "
            f"({'late' if report['late'] else 'on time'}) -> unit_report.submitted.v1")
        self._moment(6, 20)
        case = self.call("POST", "cases", "/v1/cases", case_body("domestic_violence_physical", "female", 34, True,
                                                                  high_risk=True), self.case_worker)
        out(f"cases         reported case {case['case_code']}, risk {case['risk_level']} (victim data encrypted) "
            f"-> case.reported.v1")
        self.call("POST", "cases", f"/v1/cases/{case['case_code']}/escalations",
                   {"authority": "commune_police", "reason": "Nguy cơ cao, cần can thiệp ngay."}, self.case_worker)
        out(f"cases         escalated {case['case_code']} to the commune police -> case.escalated.v1")
        status = self.wait(lambda: self.call("GET", "reporting", f"/v1/communes/{COMMUNE}/years/{self.year}/status",
                                               None, self.officer),
                            lambda s: s["counts"]["expected"] == len(plan["assigned_tasks"])
                            and s["counts"]["reported"] >= 1 and s["cases"]["escalated"] >= 1)
        counts = status["counts"]
        missing = [u["unit_code"] for u in status["units"] if not u["reported"]]
        out(f"reporting     {COMMUNE}/{self.year}: {counts['expected']} units expected, {counts['reported']} reported, "
            f"{counts['missing']} missing ({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}), "
            f"{counts['late']} late; cases recorded {status['cases']['recorded']}, "
            f"escalated {status['cases']['escalated']}")
        notes = self.wait(lambda: self.call("GET", "notifications", "/v1/notifications", None, self.leader),
                           lambda n: len(delivered(n, "plan_issued_unit")) == len(plan["assigned_tasks"])
                           # the leader's and the case workers' (delivered one after the other)
                           and len(delivered(n, "case_escalated")) == 2 and len(delivered(n, "case_urgent")) == 2
                           and delivered(n, "plan_issued_commune"))
        for template in ("plan_issued_unit", "plan_issued_commune", "case_urgent", "case_escalated"):
            items = delivered(notes, template)
            if items:
                roles = sorted({i["recipient_role"] for i in items})
                out(f"notifications delivered {len(items)} × to {', '.join(roles)}: {items[0]['title']}")
        return {"plan": plan, "report": report, "case_code": case["case_code"], "status": status,
                "notifications": notes["items"]}

    @staticmethod
    def wait(fetch, done, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while True:
            value = fetch()
            if done(value) or time.monotonic() > deadline:
                return value
            time.sleep(0.3)


def reset_demo_data(data_dir: Path) -> None:
    """Each demo starts from empty databases: remove what an earlier demo left (only its own files)."""
    for service in SERVICE_NAMES:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"{service}.db{suffix}").unlink(missing_ok=True)
    (data_dir / "notifications.jsonl").unlink(missing_ok=True)
    (data_dir / "clock").unlink(missing_ok=True)
    for document in (data_dir / "reports").glob("*.*"):
        document.unlink()
    for log in (data_dir / "logs").glob("*.log"):
        log.unlink()


# The demo's web accounts: (username, name, role, unit); all in the demo commune but Sở Nội vụ's and the operator's.
WEB_ACCOUNTS = (
    ("can-bo-xa", "Nguyễn Thị Lan (công chức VH-XH)", Role.COMMUNE_OFFICER, None),
    ("bao-cao-vhxh", "Trần Văn Minh (Phòng VH-XH)", Role.UNIT_REPORTER, "VHXH"),
    ("can-bo-vu-viec", "Lê Thị Hoa (xử lý vụ việc)", Role.CASE_WORKER, None),
    ("chu-tich-xa", "Phạm Văn Hùng (Chủ tịch UBND xã)", Role.COMMUNE_LEADER, None),
    ("so-noi-vu", "Đỗ Thu Trang (Sở Nội vụ)", Role.PROVINCE_OFFICER, None),
    ("quan-tri", "Quản trị hệ thống", Role.OPERATOR, None),
)


def start_web(environ: dict, out=print) -> ServiceProcesses:
    """The web pages over the demo's services, with fresh sample accounts whose passwords (and TOTP secrets) are
    printed: a newcomer signs in and looks around while the services keep running."""
    import datetime as dt
    import secrets

    from sqlalchemy.orm import sessionmaker

    from services.common.db import make_engine
    from services.web.accounts import NewAccount, bootstrap_account
    from services.web.app import migrate
    from services.web.config import web_config

    config = web_config(environ)
    Path(config.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    migrate(config)
    lines = []
    with sessionmaker(make_engine(config.database_url)).begin() as session:
        for username, name, role, unit in WEB_ACCOUNTS:
            password = secrets.token_urlsafe(9)
            account = bootstrap_account(session, NewAccount(
                username=username, display_name=name, password=password, role=role,
                commune=COMMUNE if role in COMMUNE_ROLES else None, unit=unit,
                province="24" if role is Role.PROVINCE_OFFICER else None), dt.datetime.now(dt.UTC))
            second = f"  TOTP secret {account.totp_secret}" if account.totp_secret else ""
            lines.append(f"  {username:<15} {password}  {role.value}{second}")
    web = ServiceProcesses(environ, Path(environ["DATA_DIR"]) / "logs", services=("web",))
    web.start()
    out(f"Web pages: {web.url('web')}/dang-nhap — sample accounts (username, password, role):")
    for line in lines:
        out(line)
    out("  (add the TOTP secret to an authenticator app, or: python -c 'import pyotp; "
        "print(pyotp.TOTP(\"SECRET\").now())')")
    return web


def main(keep_running: bool = True, data_dir: str = "./var/demo") -> int:
    environ = dict(os.environ)
    environ["DATA_DIR"] = str(Path(data_dir).resolve())
    environ.pop("DATABASE_URL", None)  # the demo runs on SQLite files in its data dir
    environ.setdefault("LOG_FORMAT", "json")
    environ["CLOCK_FILE"] = str(Path(environ["DATA_DIR"]) / "clock")  # the year moves as the demo says
    Path(environ["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    reset_demo_data(Path(environ["DATA_DIR"]))
    clock = FileClock(environ["CLOCK_FILE"])
    clock.set(at(5, 28))
    mail, sms = LocalMailServer(), LocalSmsGateway()
    mail.start()
    sms.start()
    environ.update(channel_settings(mail, sms))
    processes = ServiceProcesses(environ, Path(environ["DATA_DIR"]) / "logs")
    print(f"Starting plans, cases, notifications and reporting (SQLite in {environ['DATA_DIR']}, "
          f"RabbitMQ at {value_of('AMQP_URI', environ).rsplit('@', 1)[-1]}) ...")
    processes.start()
    try:
        for service in processes.services:
            print(f"  {service:<13} {processes.url(service)}  (/health /ready; metrics: "
                  f"{processes.metrics_url(service)})")
        print()
        scenario = Scenario(processes, environ, clock=clock, with_contacts=True)
        result = scenario.run()
        season = ReportingSeason(scenario, clock, Path(environ["DATA_DIR"]) / "reports").run(result["plan"])
        print()
        for line in summary(mail, sms):
            print(line)
        print()
        print(f"Service logs: {processes.log_dir}; notifications file: "
              f"{Path(environ['DATA_DIR']) / 'notifications.jsonl'}")
        if keep_running:
            web = start_web(environ)
            processes.processes.update(web.processes)
            print("The services keep running; try `binhdang token --role commune_officer --commune "
                  f"{COMMUNE}` and curl. Ctrl-C stops everything.")
            while all(p.poll() is None for p in processes.processes.values()):
                time.sleep(1)
            print("a service stopped; shutting down")
        else:
            report = season["report"]
            print(json.dumps({"ok": True, "case_code": result["case_code"], "report_state": report["state"],
                              "revision": report["revision"],
                              "files": {name: str(path) for name, path in season["files"].items()}}))
    except KeyboardInterrupt:
        print("\nStopping ...")
    finally:
        codes = processes.stop()
        mail.stop()
        sms.stop()
        print("Stopped: " + ", ".join(f"{name} (exit {code})" for name, code in codes.items()))
    return 0
