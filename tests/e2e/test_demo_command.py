"""The README's main command, on SQLite: it starts everything, plays Sơn Hải's reporting year and stops cleanly;
the commune's report ends accepted at its second revision, and the documents it wrote open."""
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter

import docx
import openpyxl
import pytest

from services.common.config import SERVICE_NAMES
from tests.support.broker import private_vhost
from tests.support.service_http import free_ports

pytestmark = pytest.mark.e2e


def test_demo_plays_the_reporting_season_on_sqlite_and_stops_cleanly(tmp_path):
    ports = free_ports(*SERVICE_NAMES)
    # a vhost of its own, as a newcomer's broker would be: the session's vhost keeps queues (reporting's, declared
    # by the web's completeness board test) holding plans that earlier tests issued for Sơn Hải, which the demo's
    # reporting would take for its own
    with private_vhost("demo") as amqp_uri:
        environ = dict(os.environ, AMQP_URI=amqp_uri, **ports)
        done = subprocess.run([sys.executable, "-m", "services", "demo", "--once", "--data-dir", str(tmp_path)],
                              env=environ, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    # the opening
    assert "imported ke-hoach-binh-dang-gioi-2026-son-hai.txt as draft" in out
    assert "6 content areas, 8 implementing units, 15 warnings to review" in out
    assert "issued it -> plan.issued.v1 (14 units must report before 2026-11-20)" in out
    assert "unit VHXH submitted report revision 1 (on time)" in out
    assert "delivered 14 × to unit_reporter: Kế hoạch bình đẳng giới năm 2026 của UBND xã Sơn Hải đã được ban hành" \
        in out
    assert "delivered 2 × to case_worker, commune_leader: KHẨN: vụ việc" in out  # the chairman and case workers
    # the year: some units late, one returned and revised, cases through the year
    assert "07543/2026: 14 units expected, 14 reported, 3 late, 0 missing; cases recorded 5" in out
    assert "TYT revised it: revision 2 -> unit_report.revised.v1" in out
    # 6/11: the 14-day deadline reminder, to the 13 units that had not reported (VHXH had)
    assert "notifications 06/11 reminder (kind reminder) sent to 13 units that have not reported" in out
    assert "03/11 reported case" in out and "no consent to statistics" in out
    # the report: submitted, returned once with a reason, accepted at the second submission
    assert "submitted to Sở Nội vụ as Số: 125/BC-UBND, revision 1" in out
    assert "Sở Nội vụ returned it: Đề nghị bổ sung" in out
    assert "Sở Nội vụ accepted revision 2 -> commune_report.accepted.v1" in out
    # the province's view of Bắc Ninh, Sơn Hải's row filled
    assert "99 communes, 1 plan issued, 1 report received, 1 accepted" in out
    son_hai = next(line for line in out.splitlines() if line.strip().startswith("07543 Xã Sơn Hải"))
    assert son_hai.split()[-2:] == ["accepted", "2"]
    # the notifications reached the demo's own SMTP server and SMS gateway (the units' and staff's demo contacts)
    arrived = re.search(r"local SMTP server received (\d+) emails; local SMS gateway received (\d+) SMS", out)
    assert arrived and int(arrived[1]) >= 1 and int(arrived[2]) >= 1, out
    assert re.search(r"email to \S+@sonhai\.demo: \S", out) and re.search(r"SMS to 0912\*+\d\d: \S", out), out
    assert "Stopped: plans (exit 0), cases (exit 0), notifications (exit 0), reporting (exit 0)" in out

    outcome = json.loads(next(line for line in out.splitlines() if line.startswith('{"ok"')))
    assert (outcome["report_state"], outcome["revision"]) == ("accepted", 2)
    files = {name: tmp_path / "reports" / path.rsplit("/", 1)[-1] for name, path in outcome["files"].items()}
    report = json.loads(files["report_json"].read_text(encoding="utf-8"))
    assert (report["revision"], report["header"]["number_line"]) == (2, "Số: 131/BC-UBND")
    assert report["completeness"]["late"] == 3 and report["gbv"]["total_cases"]["value"] == 5
    indicators = {row["indicator_code"]: row for row in report["indicators"]["rows"]}
    assert indicators["BDG-CS-01"]["result"] == {"value": 2497.0, "female": 1550.0, "male": 947.0}
    assert (report["indicators"]["met"], report["indicators"]["not_met"]) == (2, 2)
    word = docx.Document(io.BytesIO(files["report_docx"].read_bytes()))
    assert word.tables[0].cell(1, 0).text == "Số: 131/BC-UBND"
    assert "Số: 131/BC-UBND" in openpyxl.load_workbook(files["report_xlsx"])["Tổng hợp"]["A2"].value
    province = openpyxl.load_workbook(files["province_xlsx"])["Các xã"]
    assert any(row[1] == "07543" and row[13] == "Đã tiếp nhận" for row in province.iter_rows(values_only=True))
    assert docx.Document(io.BytesIO(files["province_docx"].read_bytes())).paragraphs
    assert {p.name for p in tmp_path.glob("*.db")} == {"plans.db", "cases.db", "notifications.db", "reporting.db"}
    channel = (tmp_path / "notifications.jsonl").read_text(encoding="utf-8").splitlines()
    # reminders from the plan's dates depend on where the demo's clock stands when the 15 s timer runs; the
    # rest: the plan's, the cases' (urgent: the chairman and the case workers), the commune report's steps
    # (officer and leader; Sở Nội vụ for each submission)
    templates = Counter(n["template"] for n in map(json.loads, channel) if n["trigger_event_type"] != "reminder")
    assert templates["commune_report_received"] == 2 and sum(templates.values()) == 34, templates


def test_the_demos_web_prints_accounts_a_newcomer_signs_in_with(tmp_path):
    import pyotp
    import requests

    from services.demo import WEB_ACCOUNTS, start_web

    lines: list[str] = []
    environ = dict(os.environ, DATA_DIR=str(tmp_path), **free_ports("web"), LOG_FORMAT="json")
    web = start_web(environ, out=lines.append)
    try:
        printed = "\n".join(lines)
        assert f"Web pages: {web.url('web')}/dang-nhap" in printed
        accounts = {m[1]: (m[2], m[3]) for m in re.finditer(r"^  (\S+) +(\S+)  \S+(?:  TOTP secret (\S+))?$",
                                                            printed, re.M)}
        assert set(accounts) == {username for username, *_ in WEB_ACCOUNTS}
        password, secret = accounts["can-bo-vu-viec"]
        assert secret, "the case worker needs a second factor"
        browser = requests.Session()
        page = browser.get(web.url("web") + "/dang-nhap", timeout=10).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]  # type: ignore[index]
        step = browser.post(web.url("web") + "/dang-nhap", timeout=10, allow_redirects=False,
                            data={"csrf_token": csrf, "username": "can-bo-vu-viec", "password": password})
        assert step.headers["Location"].endswith("/dang-nhap/ma-xac-thuc")
        page = browser.get(web.url("web") + "/dang-nhap/ma-xac-thuc", timeout=10).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]  # type: ignore[index]
        home = browser.post(web.url("web") + "/dang-nhap/ma-xac-thuc", timeout=10,
                            data={"csrf_token": csrf, "code": pyotp.TOTP(secret).now()})
        assert home.status_code == 200 and "Lê Thị Hoa" in home.text
    finally:
        web.stop()
