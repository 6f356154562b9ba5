"""The rest of Sơn Hải's reporting year, after the demo's opening (`demo.Scenario`: the plan issued, the first
unit report, the first case): cases through the year, every expected unit reporting (some late, one sent back
and revised), the officer's assessment, the leader's approval, the submission to Sở Nội vụ, its return with a
reason, the second submission and its acceptance. Then the accepted revision's DOCX, XLSX and JSON and the
province's summary are written to files, and Sở Nội vụ's view of Bắc Ninh is printed.

The services read the time from the demo's clock file (`CLOCK_FILE`), which moves forward step by step, so
deadlines and lateness are those of the real year, whenever the demo runs.
"""
from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from services.common.clock import FileClock

if TYPE_CHECKING:  # the demo's opening imports this module
    from services.demo import Scenario

VIETNAM = dt.timezone(dt.timedelta(hours=7))
LATE_UNITS = 3  # the last units of the directory report after the deadline
RETURNED_UNIT = "TYT"  # its report is sent back for correction, and revised
# (month, day, case type, victim's sex and age, consent to statistics)
CASES = [(7, 14, "domestic_violence_psychological", "female", 41, True),
         (8, 20, "domestic_violence_economic", "female", 52, True),
         (9, 9, "sexual_harassment", "female", 17, True),
         (10, 21, "domestic_violence_physical", "female", 29, True),
         (11, 3, "domestic_violence_physical", "male", 67, False)]
TEXT = {
    "achievements": ["UBND xã đã ban hành kế hoạch đúng thời hạn; các cơ quan, đơn vị, các thôn triển khai các nhiệm "
                     "vụ được giao, tổ chức Tháng hành động vì bình đẳng giới năm 2026."],
    "shortcomings": ["Một số đơn vị gửi báo cáo chậm so với thời hạn; số liệu phân tách theo giới tính chưa đầy đủ."],
    "causes": ["Cán bộ làm công tác bình đẳng giới ở các đơn vị kiêm nhiệm nhiều việc."],
    "next_year": ["Tiếp tục tuyên truyền, phổ biến pháp luật về bình đẳng giới; nâng cao chất lượng số liệu."],
    "proposals": ["Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ thống kê giới cho cán bộ cấp xã."],
}
# National indicators the officer adds to the plan before issuing it (the plan as written sets no figures):
# code -> (baseline, target, direction, {reporting unit: its values})
INDICATORS: dict[str, tuple[float, float, str, dict[str, dict[str, float]]]] = {
    "BDG-CS-01": (1500, 2000, "at_least", {"VHXH": {"female": 1240, "male": 905}, "HPN": {"female": 310, "male": 42}}),
    "BDG-CS-02": (30, 40, "at_least", {"VP": {"female": 21, "male": 16}}),
    "BDG-CS-03": (6, 8, "at_least", {"VHXH": {"value": 9}}),
    "NQ28-YT-01": (112.0, 109.0, "at_most", {"TYT": {"value": 110.4}}),
}
RETURN_REASON = "Đề nghị bổ sung đánh giá kết quả phòng, chống bạo lực trên cơ sở giới tại mục V."


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VIETNAM)


def indicator_targets() -> list[dict]:
    return [{"indicator_code": code, "baseline": baseline, "baseline_year": 2025, "target": target,
             "direction": direction, "reported_by_units": sorted(values)}
            for code, (baseline, target, direction, values) in INDICATORS.items()]


def indicator_values(unit: str) -> list[dict]:
    """What the unit reports of the indicators it was given."""
    return [{"indicator_code": code, **values[unit]} for code, (_, _, _, values) in INDICATORS.items()
            if unit in values]


def case_body(case_type: str, sex: str, age: int, statistics: bool, *, high_risk: bool = False) -> dict:
    """A case as a case worker records it (sample data: no real person)."""
    return {
        "case_type": case_type, "intake_channel": "village_head", "village": "Thôn Đông",
        "intake": {"reporter_description": "Trưởng thôn Đông"},
        "victim": {"full_name": "Người bị hại (dữ liệu mẫu)", "sex": sex, "age": age},
        "consent": {"services": True, "sharing": True, "statistics": statistics},
        "risk_assessment": {"threats_to_kill": high_risk, "weapon_used_or_threatened": False,
                            "strangulation_or_choking": False, "injury_needing_care": high_risk,
                            "violence_increasing": high_risk, "sexual_violence": False, "victim_is_child": age < 16,
                            "victim_pregnant": False, "victim_has_disability": False,
                            "victim_fears_for_life": high_risk, "perpetrator_lives_with_victim": True,
                            "perpetrator_substance_abuse": high_risk, "previous_incidents": 2 if high_risk else 0},
        "incident": {"incident_type": case_type, "perpetrator_relationship": "spouse",
                     "narrative": "Nội dung vụ việc (dữ liệu mẫu)."},
    }


class ReportingSeason:
    """Drives the season through the services' HTTP APIs, as the people of the commune and of Sở Nội vụ do.

    `scenario` is the demo's opening: its calls, its tokens, the services' URLs."""

    def __init__(self, scenario: Scenario, clock: FileClock, out_dir: Path, out: Callable[[str], None] = print):
        self.s, self.clock, self.out_dir, self.out = scenario, clock, out_dir, out
        self.report = f"/v1/communes/{scenario.commune}/years/{scenario.year}/report"

    def run(self, plan: dict) -> dict:
        self._cases()
        self._deadline_reminders(plan)
        self._unit_reports(plan)
        first = self._first_submission()
        self._return_and_resubmit(first)
        files = self._write_documents()
        view = self._province_view()
        return {"report": self._get(self.report, self.s.officer), "files": files, "province_view": view}

    # the year ----------------------------------------------------------------------------------
    def _cases(self) -> None:
        for month, day, case_type, sex, age, statistics in CASES:
            self.clock.set(at(month, day))
            case = self.s.call("POST", "cases", "/v1/cases", case_body(case_type, sex, age, statistics),
                                self.s.case_worker)
            self.out(f"cases         {day:02d}/{month:02d} reported case {case['case_code']} ({case_type}, "
                     f"{'counted in statistics' if statistics else 'no consent to statistics'}) -> case.reported.v1")

    def _deadline_reminders(self, plan: dict) -> None:
        """6/11, an hour after the first deadline reminder fell due (14 days before 20/11): the clock stays
        there until the notifications service's reminder timer (every 15 s) has sent it to every unit that has
        not reported yet, so the demo shows the same reminders each time."""
        self.clock.set(at(11, 6))
        waiting = len(plan["assigned_tasks"]) - 1  # VHXH reported in June: its reminder is cancelled

        def reminders(notes: dict) -> list[dict]:
            return [n for n in notes["items"] if n["trigger_event_type"] == "reminder"
                    and n["template"] == "reminder_before_deadline"]  # only the 14-day one by 6/11

        notes = self.s.wait(lambda: self.s.call("GET", "notifications", "/v1/notifications", None, self.s.leader),
                            lambda n: len(reminders(n)) >= waiting, timeout=40)
        sent = reminders(notes)
        units = sorted({n["recipient_unit"] for n in sent if n.get("recipient_unit")})
        self.out(f"notifications 06/11 reminder (kind reminder) sent to {len(sent)} units that have not reported "
                 f"({', '.join(units[:4])}, ...): {sent[0]['title'] if sent else 'none yet'}")

    def _unit_reports(self, plan: dict) -> None:
        units = sorted(unit for unit in plan["assigned_tasks"] if unit != "VHXH")  # VHXH reported in June
        late = set(units[-LATE_UNITS:])
        reports = {}
        for n, unit in enumerate(units):
            self.clock.set(at(11, 23) if unit in late else at(11, 10 + n % 8))
            reports[unit] = self._submit_unit(plan, unit, "done")
        on_time = [u for u in units if u not in late]
        self.out(f"plans         {len(on_time)} more units reported before 20/11 ({', '.join(on_time[:4])}, ...); "
                 f"{', '.join(sorted(late))} after it (late) -> unit_report.submitted.v1")
        self.clock.set(at(11, 24))
        returned = self.s.call("POST", "plans", f"/v1/unit-reports/{reports[RETURNED_UNIT]['id']}/return",
                                {"reason": "Thiếu số liệu phân tách theo giới tính."}, self.s.officer)
        self.out(f"plans         the officer sent {RETURNED_UNIT}'s report back (revision {returned['revision']}): "
                 "thiếu số liệu phân tách theo giới tính -> unit_report.returned.v1")
        self.clock.set(at(11, 25))
        revised = self._submit_unit(plan, RETURNED_UNIT, "done")
        self.out(f"plans         {RETURNED_UNIT} revised it: revision {revised['revision']} -> unit_report.revised.v1")
        expected = len(plan["assigned_tasks"])
        status = self.s.wait(lambda: self._get(f"/v1/communes/{self.s.commune}/years/{self.s.year}/status",
                                                self.s.officer),
                              lambda st: st["counts"]["reported"] == expected and st["cases"]["recorded"] >= 5
                              and next(u for u in st["units"] if u["unit_code"] == RETURNED_UNIT)["revision"] == 2)
        counts = status["counts"]
        self.out(f"reporting     {self.s.commune}/{self.s.year}: {counts['expected']} units expected, "
                 f"{counts['reported']} reported, {counts['late']} late, {counts['missing']} missing; "
                 f"cases recorded {status['cases']['recorded']}")

    def _submit_unit(self, plan: dict, unit: str, status: str) -> dict:
        tasks = [{"task_code": task, "status": status, "summary": f"Đơn vị {unit} đã thực hiện nhiệm vụ {task}."}
                 for task in plan["assigned_tasks"][unit]]
        return self.s.call("POST", "plans", f"/v1/plans/{plan['id']}/unit-reports",
                            {"tasks": tasks, "indicator_values": indicator_values(unit)}, self.s.reporter_of(unit))

    # the report ----------------------------------------------------------------------------------
    def _first_submission(self) -> dict:
        self.clock.set(at(11, 26))
        text = self.s.call("PUT", "reporting", self.report + "/text", TEXT, self.s.officer)
        self.out(f"reporting     the officer wrote sections V-VII (text version {text['officer_text']['version']})")
        self.clock.set(at(11, 27))
        self.s.call("POST", "reporting", self.report + "/approval", None, self.s.leader)
        self.out("reporting     the leader approved the report -> commune_report.approved.v1 (units' reports locked)")
        self.clock.set(at(11, 28))
        first = self.s.call("POST", "reporting", self.report + "/submission", {"document_number": "125"},
                             self.s.leader)
        self.out(f"reporting     submitted to Sở Nội vụ as {first['header']['number_line']}, revision "
                 f"{first['revision']} -> commune_report.submitted.v1")
        return first

    def _return_and_resubmit(self, first: dict) -> None:
        self.clock.set(at(12, 2))
        back = self.s.call("POST", "reporting", self.report + "/return",
                            {"category": "incomplete", "reason": RETURN_REASON}, self.s.province)
        self.out(f"reporting     Sở Nội vụ returned it: {RETURN_REASON} -> commune_report.returned.v1 "
                 f"(next: revision {back['revision']})")
        self.clock.set(at(12, 3))
        text = dict(TEXT, achievements=TEXT["achievements"] + [
            "Các vụ việc bạo lực trên cơ sở giới được tiếp nhận, xác minh và hỗ trợ kịp thời; người bị hại được "
            "bảo vệ thông tin."])
        self.s.call("PUT", "reporting", self.report + "/text", text, self.s.officer)
        self.clock.set(at(12, 4))
        self.s.call("POST", "reporting", self.report + "/approval", None, self.s.leader)
        second = self.s.call("POST", "reporting", self.report + "/submission", {"document_number": "131"},
                              self.s.leader)
        self.out(f"reporting     the officer completed section V, the leader approved again and submitted "
                 f"{second['header']['number_line']}, revision {second['revision']}")
        self.clock.set(at(12, 8))
        accepted = self.s.call("POST", "reporting", self.report + "/acceptance", None, self.s.province)
        self.out(f"reporting     Sở Nội vụ accepted revision {accepted['revision']} -> commune_report.accepted.v1")

    def _write_documents(self) -> dict[str, Path]:
        """The accepted revision's documents as stored, and the province's summary, into the demo's folder."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        files = {}
        revision = self._get(self.report, self.s.officer)["revision"]
        for name in ("docx", "xlsx", "json"):
            path = self.out_dir / f"bao-cao-{self.s.commune}-{self.s.year}-lan-{revision}.{name}"
            path.write_bytes(self._download(f"{self.report}/revisions/{revision}/{name}", self.s.officer))
            files[f"report_{name}"] = path
        for name in ("xlsx", "docx"):
            path = self.out_dir / f"tong-hop-24-{self.s.year}.{name}"
            path.write_bytes(self._download(f"/v1/provinces/24/years/{self.s.year}/summary/{name}", self.s.province))
            files[f"province_{name}"] = path
        self.out(f"reporting     revision {revision} as submitted (DOCX in the Nghị định 30 layout, XLSX annex, JSON):")
        for key in ("report_docx", "report_xlsx", "report_json"):
            self.out(f"                {files[key]}")
        self.out(f"reporting     Sở Nội vụ's summary of Bắc Ninh: {files['province_xlsx']}, {files['province_docx']}")
        return files

    def _province_view(self) -> dict:
        view = self._get(f"/v1/provinces/24/years/{self.s.year}/communes", self.s.province)
        totals = view["totals"]
        self.out(f"\nSở Nội vụ {view['province_name']}, năm {view['year']} (hạn {view['deadline']}): "
                 f"{totals['communes']} communes, {totals['plans_issued']} plan issued, "
                 f"{totals['reports_submitted']} report received, {totals['reports_accepted']} accepted")
        self.out(f"  {'code':<6}{'commune':<24}{'plan':<6}{'units':>7}{'on time':>9}{'rate':>7}  {'report':<10}rev.")
        rows = view["communes"]
        shown = [i for i, row in enumerate(rows) if row["commune_code"] == self.s.commune]
        around = sorted({i for s in shown for i in range(max(0, s - 2), min(len(rows), s + 3))} | {0, 1})
        last = -1
        for i in around:
            if i > last + 1:
                self.out(f"  ... {i - last - 1} more communes")
            row = rows[i]
            rate = f"{row['reporting_rate']:.0%}" if row["reporting_rate"] is not None else "-"
            self.out(f"  {row['commune_code']:<6}{row['commune_name']:<24}{'yes' if row['plan_issued'] else 'no':<6}"
                     f"{row['expected']:>7}{row['on_time']:>9}{rate:>7}  {row['report_state']:<10}"
                     f"{row['report_revision'] or '-'}")
            last = i
        if last < len(rows) - 1:
            self.out(f"  ... {len(rows) - 1 - last} more communes")
        return view

    # HTTP ------------------------------------------------------------------------------------------
    def _get(self, path: str, token: str) -> dict:
        return self.s.call("GET", "reporting", path, None, token)

    def _download(self, path: str, token: str) -> bytes:
        request = urllib.request.Request(self.s.p.url("reporting") + path,
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()

