"""The README's main command, on SQLite: it starts everything, runs the scenario and stops cleanly."""
import os
import subprocess
import sys

import pytest

from services.common.config import SERVICE_NAMES, port_setting
from tests.support.service_http import free_port

pytestmark = pytest.mark.e2e


def test_demo_runs_the_scenario_on_sqlite_and_stops_cleanly(tmp_path, amqp_uri):
    ports = {port_setting(name): str(free_port()) for name in SERVICE_NAMES}
    environ = dict(os.environ, AMQP_URI=amqp_uri, **ports)
    done = subprocess.run([sys.executable, "-m", "services", "demo", "--once", "--data-dir", str(tmp_path)],
                          env=environ, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "imported ke-hoach-binh-dang-gioi-2026-son-hai.txt as draft" in out
    assert "6 content areas, 8 implementing units, 15 warnings to review" in out
    assert "issued it -> plan.issued.v1 (14 units must report before 2026-11-20)" in out
    assert "14 units expected, 1 reported, 13 missing (DTN, HPN, KT, MN, MTTQ, ...), 1 late; " \
           "cases recorded 1, escalated 1" in out
    assert "delivered 14 × to unit_reporter: Kế hoạch năm 2026 đã được ban hành" in out
    assert "delivered 1 × to commune_leader: KHẨN: vụ việc" in out
    assert "delivered 2 × to case_worker, commune_leader: Vụ việc" in out
    assert "Stopped: plans (exit 0), cases (exit 0), notifications (exit 0), reporting (exit 0)" in out
    assert {p.name for p in tmp_path.glob("*.db")} == {"plans.db", "cases.db", "notifications.db", "reporting.db"}
    assert (tmp_path / "notifications.jsonl").read_text(encoding="utf-8").count("\n") == 18
