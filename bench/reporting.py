"""Benchmark: Sở Nội vụ's view and summary workbook of Bắc Ninh (99 communes), and the national roll-up (every
province's summary, 3,321 communes), on PostgreSQL, over a synthetic season generated through reporting's real
write paths.

    ./dev bench reporting [--scope province|national [--light]] [--regenerate] [--runs 3] [--workers 2]

The season: every commune of Bắc Ninh (`--scope national`: of the official list) issues a plan of 15
units, 20 tasks and 10 indicators; its units report (some late, one returned and revised, one missing); 30 cases
through the year with measures, referrals, escalations and a withdrawn consent (tests/support/season_events.py).
These are the events plans and cases publish, as they cross the wire; reporting takes each commune's events as
its consumers do (decoded, recorded in the inbox under the consumer's name, kept in the event log and applied
by `projections.apply_many`), one transaction per commune. Bắc Ninh's communes then go through the report's
workflow (`services/reporting/workflow.py`): the missing unit reports, and the leader approves and submits
(documents rendered and stored), Sở Nội vụ accepts or returns; a few stay drafts or approved.

`--light` gives the communes outside Bắc Ninh a lighter season (10 units, 10 tasks, 10 indicators, 3 cases): the
national roll-up reads one summary row per commune, whose shape (every indicator, every GBV breakdown) is the
same, from a third of the events.

The database is kept as a pg_dump in var/bench/ (gitignored) and restored on later runs; `--regenerate`
builds it again. Figures are the best of `--runs` (the machine is shared).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common import admin_units, inbox  # noqa: E402
from services.common.auth import Principal  # noqa: E402
from services.common.db import TransactionRunner, make_engine  # noqa: E402
from services.common.events import registry  # noqa: E402
from services.common.events.contracts import ReturnCategory, UnitReportSubmitted  # noqa: E402
from services.common.events.received import decode_event  # noqa: E402
from services.common.migrations import upgrade_to_head  # noqa: E402
from services.common.province_deadlines import ProvinceDeadlines  # noqa: E402
from services.common.roles import Role  # noqa: E402
from services.ops.topology import subscriptions  # noqa: E402
from services.reporting import projections, province_summary, province_view, workflow  # noqa: E402
from services.reporting.documents import render_province_docx, render_province_xlsx  # noqa: E402
from services.reporting.schemas import ReturnIn, SubmitIn  # noqa: E402
from services.reporting.service import ReportingService  # noqa: E402
from tests.support.plan_events import wire  # noqa: E402
from tests.support.season_events import Season, season  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
CACHE = Path(__file__).resolve().parents[1] / "var" / "bench"
PROVINCE, YEAR = "24", 2026  # Bắc Ninh
DEADLINES = ProvinceDeadlines.from_config({})  # 15 December
ON_TIME = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 12, 17, 2, 0, tzinfo=dt.UTC)
# Bắc Ninh's communes in turn: how far each one's report goes
WORKFLOW = ("accepted", "submitted", "late", "returned", "approved", "draft")
CONSUMERS = {entrypoint.event_type: inbox.consumer_name(cls.name, handler)
             for cls, handler, entrypoint in subscriptions() if cls is ReportingService}


def database_url(scope: str) -> str:
    return sa.engine.make_url(ADMIN_URL).set(database=f"bd_bench_reporting_{scope}").render_as_string(
        hide_password=False)


def libpq_url(url: str) -> str:
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def recreate(url: str) -> None:
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = sa.engine.make_url(url).database
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


# generation ------------------------------------------------------------------------------------
def consume(runner: TransactionRunner, the_season: Season) -> int:
    """Hand a commune's season to reporting as its consumers take it, in one transaction: each event from its
    wire form, at most once per consumer (inbox), into the event log and the projections."""
    events = [decode_event(wire(data)[1], registry.for_model(type(data)).name) for data in the_season.events]
    with runner.transaction() as session:
        kept = [e for e in events if inbox.first_delivery(session, CONSUMERS[e.type], e.id)]
        projections.apply_many(session, kept)
    return len(kept)


def generate_communes(url: str, codes: list[str], light: bool) -> int:
    """One worker's share of the communes (a process of its own: its own connection); Bắc Ninh's communes
    always get the full season."""
    engine = make_engine(url)
    runner = TransactionRunner(engine)
    applied = 0
    for code in codes:
        in_province = admin_units.province_of(code) == admin_units.province(PROVINCE)
        applied += consume(runner, commune_season(code, light=light and not in_province))
    engine.dispose()
    return applied


def commune_season(code: str, light: bool = False) -> Season:
    """The commune's season: 15 units, 20 tasks, 10 indicators, 30 cases (its own, seeded by its code); light:
    10 units, 10 tasks, 10 indicators, 3 cases, which leaves a summary of the same shape (every indicator, every
    GBV breakdown) from a third of the events."""
    if light:
        return season(code, YEAR, units=10, tasks=10, indicators=10, cases=3, seed=int(code))
    return season(code, YEAR, units=15, tasks=20, indicators=10, cases=30, seed=int(code))


def leader(code: str) -> Principal:
    return Principal(subject=f"chu-tich-{code}", role=Role.COMMUNE_LEADER, commune_code=code)


PROVINCE_OFFICER = Principal(subject="so-noi-vu", role=Role.PROVINCE_OFFICER, province_code=PROVINCE)


def run_workflow(runner: TransactionRunner, code: str, outcome: str) -> None:
    """The commune's missing unit reports (an event, as plans publishes it), then its report goes as far as
    `outcome`."""
    if outcome == "draft":
        return
    the_season = commune_season(code)
    late_report = UnitReportSubmitted(
        report_id=uuid.uuid4(), plan_id=the_season.plan_id, commune_code=code, year=YEAR,
        unit_code=the_season.missing[0], revision=1, submitted_at=dt.datetime(YEAR, 11, 25, 2, tzinfo=dt.UTC),
        late=True, tasks_reported=0, tasks_done=0)
    consume(runner, Season(commune_code=code, year=YEAR, plan_id=the_season.plan_id,
                           deadline=the_season.deadline, events=[late_report]))
    at = LATE if outcome == "late" else ON_TIME
    with runner.transaction() as session:
        workflow.approve(session, leader(code), code, YEAR, at)
        if outcome == "approved":
            return
        workflow.submit(session, leader(code), code, YEAR, SubmitIn(document_number=code[-3:]), at, DEADLINES)
        if outcome == "accepted":
            workflow.accept(session, PROVINCE_OFFICER, code, YEAR, at)
        elif outcome == "returned":
            workflow.send_back(session, PROVINCE_OFFICER, code, YEAR, ReturnIn(
                category=ReturnCategory.INCOMPLETE, reason="Bổ sung số liệu phân tách theo giới tính."), at)


def generate(url: str, scope: str, workers: int, light: bool) -> None:
    recreate(url)
    engine = make_engine(url)
    upgrade_to_head(engine, "services.reporting:migrations")
    communes = [c.code for c in (admin_units.communes_of(PROVINCE) if scope == "province"
                                 else admin_units.all_communes())]
    started = time.perf_counter()
    shares = [communes[n::workers] for n in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        applied = sum(pool.map(generate_communes, [url] * workers, shares, [light] * workers))
    print(f"generated {len(communes):,} communes' seasons: {applied:,} events through reporting's consumers in "
          f"{time.perf_counter() - started:.0f} s ({workers} workers)")
    started = time.perf_counter()
    runner = TransactionRunner(engine)
    for n, commune in enumerate(admin_units.communes_of(PROVINCE)):
        run_workflow(runner, commune.code, WORKFLOW[n % len(WORKFLOW)])
    print(f"Bắc Ninh's reports through the workflow in {time.perf_counter() - started:.0f} s")
    engine.dispose()


def prepared(scope: str, regenerate: bool, workers: int, light: bool) -> str:
    """The scope's database: restored from its dump, or generated and dumped."""
    name = f"{scope}-light" if light and scope == "national" else scope
    url = database_url(name.replace("-", "_"))
    dump = CACHE / f"reporting-{name}.dump"
    if dump.exists() and not regenerate:
        recreate(url)
        subprocess.run(["pg_restore", "--no-owner", "--dbname", libpq_url(url), str(dump)], check=True)
        print(f"restored {dump}")
        return url
    generate(url, scope, workers, light)
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), libpq_url(url)], check=True)
    print(f"kept the database as {dump}")
    return url


# measurements --------------------------------------------------------------------------------
def best_of(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scope", choices=("province", "national"), default="province",
                        help="Bắc Ninh's 99 communes (minutes to generate), or the country's 3,321 (much longer)")
    parser.add_argument("--light", action="store_true",
                        help="national: outside Bắc Ninh, the light season (the roll-up reads one summary row per "
                             "commune, of the same shape either way)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = prepared(args.scope, args.regenerate, args.workers, args.light)
    engine = make_engine(url)
    runner = TransactionRunner(engine)
    now = dt.datetime.now(dt.UTC)
    bac_ninh = admin_units.province(PROVINCE)
    assert bac_ninh is not None

    def view() -> bytes:
        with runner.transaction() as session:
            return province_view.province_view(session, PROVINCE, YEAR, DEADLINES).model_dump_json().encode()

    def summary_document(render: Callable) -> Callable[[], bytes]:
        def produce() -> bytes:
            with runner.transaction() as session:
                content = province_summary.assemble(session, bac_ninh, YEAR, DEADLINES, now)
            return render(content)
        return produce

    def national() -> int:
        communes = 0
        for province in admin_units.provinces():
            with runner.transaction() as session:
                communes += len(province_summary.assemble(session, province, YEAR, DEADLINES, now).communes)
        return communes

    with runner.transaction() as session:
        summarised = session.scalar(sa.text("SELECT count(*) FROM commune_summaries WHERE plan_id IS NOT NULL"))
        events = session.scalar(sa.text("SELECT count(*) FROM event_log"))
    print(f"\n{summarised:,} communes with a season, {events:,} events in the log (PostgreSQL, best of {args.runs})")
    print(f"{'measure':<58}{'seconds':>9}{'target':>8}")
    figures: list[tuple[str, Callable[[], object], float | None]] = [
        ("Bắc Ninh: province view (99 communes, JSON)", view, 2.0),
        ("Bắc Ninh: province summary XLSX", summary_document(render_province_xlsx), 2.0),
        ("Bắc Ninh: Sở Nội vụ's report DOCX", summary_document(render_province_docx), None)]
    if args.scope == "national":
        figures.append(("national roll-up: 34 provinces' summaries (3,321 communes)", national, 15.0))
    for name, work, target in figures:
        seconds = best_of(args.runs, work)
        print(f"{name:<58}{seconds:>9.3f}{f'≤ {target:.0f}' if target else '':>8}")
    engine.dispose()


if __name__ == "__main__":
    main()
