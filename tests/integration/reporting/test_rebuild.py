"""`binhdang reporting rebuild` after a full season consumed live: the projections it builds from the event
log are the ones the consumers built, and the reports' own records are left as they were."""
import pytest
import sqlalchemy as sa

from services import cli
from services.common.clock import FixedClock
from services.common.db import TransactionRunner, make_engine
from services.common.events import registry
from services.reporting import rebuild
from services.reporting.models import EventRecord, ReportDocument
from services.reporting.service import ReportingService
from tests.support.broker import delete_queues, publish_raw
from tests.support.plan_events import wire
from tests.support.season_events import season
from tests.support.service_http import start_service, token
from tests.support.waiting import wait_until
from tests.unit.reporting.test_workflow import ON_TIME

pytestmark = pytest.mark.integration

COMMUNES = ("07543", "07531")


def test_the_rebuilt_projections_equal_the_live_ones_after_a_full_season(container_factory, postgres, amqp_uri,
                                                                         tmp_path, capsys):
    handlers = [name for name in dir(ReportingService) if name.startswith("on_")]
    delete_queues(amqp_uri, [f"reporting.{name}" for name in handlers])
    url = postgres.create("reporting")
    _, api = start_service(container_factory, ReportingService, url, amqp_uri, tmp_path, FixedClock(ON_TIME))
    seasons = [season(code, units=15, tasks=20, indicators=10, cases=30, seed=n) for n, code in enumerate(COMMUNES)]
    events = [event for s in seasons for event in s.events]
    sent = [(registry.for_model(type(event)), *wire(event)) for event in events]
    for kind, event_id, body in sent + sent[:10]:  # a redelivery changes nothing
        publish_raw(amqp_uri, kind.exchange, kind.routing_key, body, message_id=str(event_id))
    engine = make_engine(url)
    runner = TransactionRunner(engine)

    def applied() -> int:
        with runner.transaction() as session:
            return session.scalar(sa.select(sa.func.count()).select_from(EventRecord))

    wait_until(lambda: applied() >= len(events), timeout=120)
    # the commune's own records: a report of the season, written, approved and submitted
    leader, officer = token("commune_leader", COMMUNES[1]), token("commune_officer", COMMUNES[1])
    report = f"/v1/communes/{COMMUNES[1]}/years/2026/report"
    assert api.call("PUT", report + "/text", officer, json={"achievements": ["Hoàn thành."]}).status_code == 200
    unit_missing = seasons[1].missing[0]
    assert api.call("POST", report + "/approval", leader).json()["error"]["fields"] == [
        {"field": "units", "problem": f"{unit_missing} chưa có báo cáo hợp lệ"}]
    before = api.call("GET", report, officer).json()
    live = rebuild.projection_state(runner)
    assert applied() == len(events) and sum(len(rows) for rows in live.values()) > 200

    assert cli.main(["reporting", "rebuild", "--database-url", url]) == 0
    assert f"rebuilt from {len(events)} events" in capsys.readouterr().out
    rebuilt = rebuild.projection_state(runner)
    for name in live:
        for old, new in zip(live[name], rebuilt[name], strict=True):
            assert old == new, (name, {k: (old[k], new[k]) for k in old if old[k] != new[k]})
    after = api.call("GET", report, officer).json()
    assert {**after, "generated_at": None} == {**before, "generated_at": None}
    with runner.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ReportDocument)) == 0
    engine.dispose()
