"""The main job until the reporting season is built: start the four services and drive a short scenario.

A commune officer creates and issues the commune's plan, a unit submits its result
report, a case worker reports a case and escalates it; then the demo shows what each
service did. Ctrl-C stops everything cleanly.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from services.common.auth import mint_token
from services.common.config import env
from services.processes import ServiceProcesses, http_json

COMMUNE = "27154"  # an example administrative unit code for Sơn Hải


def scenario_plan(year: int) -> dict:
    return {
        "commune_code": COMMUNE, "year": year,
        "title": f"Triển khai thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm {year}",
        "report_deadline": f"{year}-11-20",
        "tasks": [
            {"code": "II.1", "title": "Triển khai các chương trình, kế hoạch, chiến lược quốc gia về bình đẳng giới"},
            {"code": "II.2", "title": "Tuyên truyền, nâng cao nhận thức về bình đẳng giới"},
            {"code": "II.5", "title": "Tổ chức Tháng hành động vì bình đẳng giới (15/11–15/12)"},
        ],
        "units": [
            {"unit_code": "VHXH", "name": "Phòng Văn hoá - Xã hội", "role": "lead", "task_codes": ["II.1", "II.5"]},
            {"unit_code": "TYT", "name": "Trạm y tế", "role": "coordinating", "task_codes": ["II.2"]},
            {"unit_code": "MTTQ", "name": "Ủy ban MTTQ xã", "role": "coordinating", "task_codes": ["II.2", "II.5"]},
        ],
    }


class Scenario:
    def __init__(self, processes: ServiceProcesses, environ: dict, year: int = 2026):
        self.p = processes
        self.year = year
        secret, issuer = env("JWT_SECRET", environ), env("JWT_ISSUER", environ)
        self.officer = mint_token(secret, subject="can-bo-xa", role="commune_officer", commune=COMMUNE, issuer=issuer)
        self.reporter = mint_token(secret, subject="bao-cao-vhxh", role="unit_reporter", commune=COMMUNE,
                                   unit="VHXH", issuer=issuer)
        self.case_worker = mint_token(secret, subject="can-bo-vu-viec", role="case_worker", commune=COMMUNE,
                                      issuer=issuer)
        self.leader = mint_token(secret, subject="chu-tich-xa", role="commune_leader", commune=COMMUNE, issuer=issuer)

    def _call(self, method, service, path, body=None, token=None, expect=(200, 201)):
        status, payload = http_json(method, self.p.url(service) + path, body, token)
        if status not in expect:
            raise RuntimeError(f"{method} {service}{path} answered {status}: {payload}")
        return payload

    def run(self, out=print) -> dict:
        plan = self._call("POST", "plans", "/v1/plans", scenario_plan(self.year), self.officer)
        out(f"plans         created plan {plan['id']} ({plan['status']}) for commune {COMMUNE}, year {self.year}")
        plan = self._call("POST", "plans", f"/v1/plans/{plan['id']}/issue", None, self.officer)
        out(f"plans         issued it -> plan.issued.v1 ({len(plan['units'])} units must report "
            f"before {plan['report_deadline']})")
        report = self._call("POST", "plans", f"/v1/plans/{plan['id']}/unit-reports", {"tasks": [
            {"task_code": "II.1", "status": "done", "summary": "Đã ban hành văn bản hướng dẫn các thôn."},
            {"task_code": "II.5", "status": "in_progress", "summary": "Đang tổ chức mít tinh hưởng ứng."},
        ]}, self.reporter)
        out(f"plans         unit VHXH submitted report revision {report['revision']} "
            f"({'late' if report['late'] else 'on time'}) -> unit_report.submitted.v1")
        case = self._call("POST", "cases", "/v1/cases", {
            "case_type": "domestic_violence_physical", "risk_level": "high", "intake_channel": "village_head",
            "village": "Thôn Đông", "victim": {"full_name": "Người bị hại (dữ liệu mẫu)", "sex": "female", "age": 34},
        }, self.case_worker)
        out(f"cases         reported case {case['case_code']} (victim data encrypted) -> case.reported.v1")
        self._call("POST", "cases", f"/v1/cases/{case['case_code']}/escalations",
                   {"authority": "commune_police", "reason": "Nguy cơ cao, cần can thiệp ngay."}, self.case_worker)
        out(f"cases         escalated {case['case_code']} to the commune police -> case.escalated.v1")

        status = self._wait(lambda: self._call("GET", "reporting", f"/v1/communes/{COMMUNE}/years/{self.year}/status",
                                               None, self.officer),
                            lambda s: s["counts"]["reported"] >= 1 and s["cases"]["escalated"] >= 1)
        counts = status["counts"]
        out(f"reporting     {COMMUNE}/{self.year}: {counts['expected']} units expected, {counts['reported']} reported, "
            f"{counts['missing']} missing ({', '.join(u['unit_code'] for u in status['units'] if not u['reported'])}), "
            f"{counts['late']} late; cases recorded {status['cases']['recorded']}, "
            f"escalated {status['cases']['escalated']}")
        notes = self._wait(lambda: self._call("GET", "notifications", "/v1/notifications", None, self.leader),
                           lambda n: {"case_escalated", "plan_issued_unit", "plan_issued_commune"} <= {
                               i["template"] for i in n["items"] if i["status"] == "delivered"})
        for item in notes["items"]:
            recipient = item["recipient_role"] + (f"/{item['recipient_unit']}" if item["recipient_unit"] else "")
            out(f"notifications {item['status']} to {recipient}: {item['title']}")
        return {"plan": plan, "report": report, "case_code": case["case_code"], "status": status,
                "notifications": notes["items"]}

    @staticmethod
    def _wait(fetch, done, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while True:
            value = fetch()
            if done(value) or time.monotonic() > deadline:
                return value
            time.sleep(0.3)


def main(keep_running: bool = True, data_dir: str = "./var/demo") -> int:
    environ = dict(os.environ)
    environ.setdefault("DATA_DIR", str(Path(data_dir).resolve()))
    environ.setdefault("LOG_FORMAT", "json")
    processes = ServiceProcesses(environ, Path(environ["DATA_DIR"]) / "logs")
    print(f"Starting plans, cases, notifications and reporting (SQLite in {environ['DATA_DIR']}, "
          f"RabbitMQ at {env('AMQP_URI', environ).rsplit('@', 1)[-1]}) ...")
    processes.start()
    try:
        for service in processes.services:
            print(f"  {service:<13} {processes.url(service)}  (/health /ready /metrics)")
        print()
        result = Scenario(processes, environ).run()
        print()
        print(f"Service logs: {processes.log_dir}; notifications file: "
              f"{Path(environ['DATA_DIR']) / 'notifications.jsonl'}")
        if keep_running:
            print("The services keep running; try `binhdang token --role commune_officer --commune "
                  f"{COMMUNE}` and curl. Ctrl-C stops everything.")
            while all(p.poll() is None for p in processes.processes.values()):
                time.sleep(1)
            print("a service stopped; shutting down")
        else:
            print(json.dumps({"ok": True, "case_code": result["case_code"]}))
    except KeyboardInterrupt:
        print("\nStopping ...")
    finally:
        codes = processes.stop()
        print("Stopped: " + ", ".join(f"{name} (exit {code})" for name, code in codes.items()))
    return 0
