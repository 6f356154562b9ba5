"""The README's main command, on SQLite: it starts everything, runs the scenario and stops cleanly."""
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_demo_runs_the_scenario_on_sqlite_and_stops_cleanly(tmp_path, amqp_uri):
    environ = dict(os.environ, AMQP_URI=amqp_uri, PLANS_PORT="18101", CASES_PORT="18102",
                   NOTIFICATIONS_PORT="18103", REPORTING_PORT="18104", DATABASE_URL="")
    done = subprocess.run([sys.executable, "-m", "services", "demo", "--once", "--data-dir", str(tmp_path)],
                          env=environ, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "issued it -> plan.issued.v1" in out
    assert "3 units expected, 1 reported, 2 missing (MTTQ, TYT), 1 late; cases recorded 1, escalated 1" in out
    assert "delivered to commune_leader: Vụ việc" in out
    assert "Stopped: plans (exit 0), cases (exit 0), notifications (exit 0), reporting (exit 0)" in out
    assert {p.name for p in tmp_path.glob("*.db")} == {"plans.db", "cases.db", "notifications.db", "reporting.db"}
    assert (tmp_path / "notifications.jsonl").read_text(encoding="utf-8").count("\n") >= 6
