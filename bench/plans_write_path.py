"""Benchmark: unit report submissions over HTTP, and from each 201 to reporting's projection.

    .venv/bin/python -m bench.plans_write_path [--rate 150] [--seconds 20] [--communes 20] [--profile DIR]

Plans and reporting run as separate `binhdang run` processes on PostgreSQL (a fresh database each) in
a RabbitMQ vhost of their own, as deployed. `--communes` communes of Bắc Ninh each get their unit
directory and an issued plan with indicator targets; then unit reports (first submissions and
revisions, spread over the communes' reporting units) are sent at `--rate` per second for `--seconds`
on a schedule (open loop: a slow answer does not slow the sending, so queueing shows in the latency,
measured from each request's scheduled time). Printed, each next to its target (issue 12):

* submissions/s answered 201 and their p99 latency;
* SQL statements per submission: every statement plans sent during the load (the request, the outbox
  relay, housekeeping) over the submissions; the request alone is held to 5 by
  tests/integration/plans/test_write_path_statements.py;
* plans CPU ms per submission (user + system of its process over the load);
* end to end, HTTP 201 → reporting applied the event (its event log's `applied_at`): p50, p99;
* reporting CPU ms per event, and the RSS of each process at the end.
"""
import eventlet

eventlet.monkey_patch()  # as in the services

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common import admin_units  # noqa: E402
from services.common.token_keys import DEVELOPMENT_JWKS  # noqa: E402
from services.processes import ServiceProcesses  # noqa: E402
from tests.support.broker import private_vhost  # noqa: E402
from tests.support.plan_documents import DIRECTORY, INDICATOR_TARGETS, document  # noqa: E402
from tests.support.service_http import free_port, token  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
PROVINCE = "24"  # Bắc Ninh
# what each reporting unit of the test plan reports (its tasks; the lead unit also its indicators)
REPORTS = {
    "VHXH": {"tasks": [{"task_code": "TC-1.1", "status": "done", "summary": "Đã tham mưu ban hành kế hoạch."},
                       {"task_code": "TC-1.2", "status": "in_progress", "summary": "Đã tổ chức 3 buổi."}],
             "indicator_values": [{"indicator_code": "BDG-CS-01", "female": 820, "male": 640},
                                  {"indicator_code": "BDG-CS-03", "value": 4}]},
    "TYT": {"tasks": [{"task_code": "TC-2.1", "status": "done", "summary": "Tư vấn cho 120 lượt người."}]},
    "THON-DONG": {"tasks": [{"task_code": "TC-3.1", "status": "done", "summary": "Không phát hiện vụ việc."}]},
    "THON-DOAI": {"tasks": [{"task_code": "TC-3.1", "status": "done", "summary": "Đã báo cáo 1 vụ việc."}]},
}
TARGETS = {"rate": 150.0, "p99_ms": 200.0, "statements": 5.0, "cpu_ms": 4.0, "e2e_p99_ms": 100.0, "rss_mib": 120.0}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def statements_sent(pid: int, count_file: Path) -> int:
    count_file.unlink(missing_ok=True)
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if count_file.exists() and count_file.read_text():
            return int(count_file.read_text())
        time.sleep(0.05)
    raise TimeoutError("the plans process did not write its statement count")


def profile(pid: int, out: Path, seconds: float) -> subprocess.Popen:
    """py-spy sampling a service during the load (summarise with `python -m bench.support.profile_summary`)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--format",
                             "raw", "--rate", "100", "--duration", str(int(seconds)), "--nonblocking", "--output",
                             str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def call(session: requests.Session, method: str, url: str, bearer: str, **kwargs) -> requests.Response:
    return session.request(method, url, headers={"Authorization": f"Bearer {bearer}", **kwargs.pop("headers", {})},
                           timeout=60, **kwargs)


def prepare(plans_url: str, communes: list[str]) -> list[tuple[str, str, str]]:
    """Each commune's directory and issued plan; the (commune, plan, unit) that will report."""
    session, pairs = requests.Session(), []
    for commune in communes:
        officer = token("commune_officer", commune)
        for unit in DIRECTORY:
            response = call(session, "POST", f"{plans_url}/v1/communes/{commune}/units", officer, json=unit)
            assert response.status_code == 201, response.text
        created = call(session, "POST", f"{plans_url}/v1/plans", officer, json={
            "commune_code": commune, "year": 2026, "document": document(), "indicator_targets": INDICATOR_TARGETS})
        assert created.status_code == 201, created.text
        plan_id = created.json()["id"]
        assert call(session, "POST", f"{plans_url}/v1/plans/{plan_id}/issue", officer).status_code == 200
        pairs += [(commune, plan_id, unit) for unit in REPORTS]
    return pairs


def load(plans_url: str, pairs: list, rate: float, seconds: float) -> tuple[list[float], dict[str, float], int]:
    """Send on schedule; (latencies in s from the scheduled time, report id → wall time of its 201, failures)."""
    sessions: eventlet.queue.LightQueue = eventlet.queue.LightQueue()
    for _ in range(64):
        sessions.put(requests.Session())
    tokens = {(commune, unit): token("unit_reporter", commune, unit) for commune, _, unit in pairs}
    latencies, answered, failures = [], {}, [0]
    start = time.monotonic() + 0.5
    total = int(rate * seconds)

    def send(index: int) -> None:
        commune, plan_id, unit = pairs[index % len(pairs)]
        scheduled = start + index / rate
        eventlet.sleep(max(0.0, scheduled - time.monotonic()))
        session = sessions.get()
        try:
            response = call(session, "POST", f"{plans_url}/v1/plans/{plan_id}/unit-reports", tokens[(commune, unit)],
                            json=REPORTS[unit], headers={"Idempotency-Key": uuid.uuid4().hex})
        finally:
            sessions.put(session)
        if response.status_code != 201:
            failures[0] += 1
            return
        answered[response.json()["id"]] = time.time()
        latencies.append(time.monotonic() - scheduled)

    pool = eventlet.GreenPool(2000)
    for index in range(total):
        pool.spawn_n(send, index)
    pool.waitall()
    return latencies, answered, failures[0]


def applied_at(reporting_url: str, answered: dict[str, float], timeout: float = 120) -> dict[str, float]:
    """When reporting applied each report's event (its event log), waiting until it has them all."""
    engine = sa.create_engine(reporting_url, poolclass=sa.pool.NullPool)
    deadline, found = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            found = {report_id: at.timestamp() for report_id, at in connection.execute(sa.text(
                "SELECT body::json->'data'->>'report_id', applied_at FROM event_log "
                "WHERE event_type LIKE 'unit_report.%'"))}
        if all(report_id in found for report_id in answered):
            break
        time.sleep(0.5)
    engine.dispose()
    return found


def run(args, amqp_uri: str, admin: sa.Engine, base: Path) -> dict:
    urls = {}
    for service in ("plans", "reporting"):
        name = f"bd_bench_{service}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        urls[service] = admin.url.set(database=name).render_as_string(hide_password=False)
    ports = {"PLANS_PORT": str(free_port()), "REPORTING_PORT": str(free_port())}
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(base), LOG_FORMAT="json", LOG_LEVEL="WARNING",
                   JWT_JWKS=DEVELOPMENT_JWKS, **ports)
    count_file = base / "plans-statements"
    reporting = ServiceProcesses(dict(environ, DATABASE_URL=urls["reporting"]), base / "logs", ("reporting",))
    plans = ServiceProcesses(dict(environ, DATABASE_URL=urls["plans"]), base / "logs", ("plans",),
                             launcher=(sys.executable, "-m", "bench.support.counted_service", str(count_file)))
    try:
        reporting.start()  # first: its queues must exist before plans publishes
        plans.start()
        plans_pid, reporting_pid = plans.processes["plans"].pid, reporting.processes["reporting"].pid
        communes = [c.code for c in admin_units.communes_of(PROVINCE)][:args.communes]
        pairs = prepare(plans.url("plans"), communes)
        time.sleep(2)  # the plans' events applied before the load starts
        statements_before, plans_cpu, reporting_cpu = (statements_sent(plans_pid, count_file),
                                                       cpu_seconds(plans_pid), cpu_seconds(reporting_pid))
        profilers = [profile(pid, args.profile / f"{service}.txt", args.seconds)
                     for service, pid in (("plans", plans_pid), ("reporting", reporting_pid))] if args.profile else []
        started = time.monotonic()
        latencies, answered, failures = load(plans.url("plans"), pairs, args.rate, args.seconds)
        elapsed = time.monotonic() - started
        for profiler in profilers:
            profiler.wait()
        plans_cpu = cpu_seconds(plans_pid) - plans_cpu
        applied = applied_at(urls["reporting"], answered)
        reporting_cpu = cpu_seconds(reporting_pid) - reporting_cpu
        statements = statements_sent(plans_pid, count_file) - statements_before
        rss = {"plans": rss_mib(plans_pid), "reporting": rss_mib(reporting_pid)}
    finally:
        plans.stop()
        reporting.stop()
        for url in urls.values():
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)'))
    done = max(len(answered), 1)
    end_to_end = [applied[r] - at for r, at in answered.items() if r in applied]
    return {"answered": len(answered), "failures": failures, "elapsed": elapsed, "latencies": latencies,
            "statements": statements / done, "plans_cpu_ms": 1000 * plans_cpu / done,
            "reporting_cpu_ms": 1000 * reporting_cpu / max(len(end_to_end), 1), "end_to_end": end_to_end,
            "missing_in_reporting": len(answered) - len(end_to_end), "rss": rss}


def line(name: str, value: float, unit: str, target: float, higher_is_better: bool = False) -> str:
    ratio = value / target
    met = ratio >= 1 if higher_is_better else ratio <= 1
    return f"  {name:<40} {value:9.1f} {unit:<8} target {target:g} {unit}: {ratio:5.2f}x {'met' if met else 'NOT met'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=150.0, help="submissions offered per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--profile", type=Path, help="a folder: py-spy profiles of plans and reporting during the load")
    args = parser.parse_args()
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with private_vhost("bench") as amqp_uri, tempfile.TemporaryDirectory(prefix="bd-bench-") as base:
        result = run(args, amqp_uri, admin, Path(base))
    rate = result["answered"] / result["elapsed"]
    print(f"{result['answered']} unit reports over HTTP at {args.rate:g}/s offered for {args.seconds:g}s "
          f"({args.communes} communes; {result['failures']} not 201), plans and reporting as processes, "
          f"PostgreSQL; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
    print(line("plans: submissions/s (201)", rate, "/s", min(TARGETS["rate"], args.rate), higher_is_better=True))
    print(line("plans: p99 from the scheduled send", 1000 * percentile(result["latencies"], 0.99), "ms",
               TARGETS["p99_ms"]))
    print(line("plans: statements per submission (all)", result["statements"], "", TARGETS["statements"]))
    print(line("plans: CPU per submission", result["plans_cpu_ms"], "ms", TARGETS["cpu_ms"]))
    print(line("end to end 201 -> projection, p99", 1000 * percentile(result["end_to_end"], 0.99), "ms",
               TARGETS["e2e_p99_ms"]))
    print(f"  {'end to end, p50':<40} {1000 * percentile(result['end_to_end'], 0.5):9.1f} ms "
          f"({result['missing_in_reporting']} not applied in time)")
    print(f"  {'reporting: CPU per event':<40} {result['reporting_cpu_ms']:9.1f} ms")
    for service, mib in result["rss"].items():
        print(line(f"{service}: RSS after the load", mib, "MiB", TARGETS["rss_mib"]))
    print(json.dumps({k: v for k, v in result.items() if k not in ("latencies", "end_to_end")}))


if __name__ == "__main__":
    main()
