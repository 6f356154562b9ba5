"""Deliveries on PostgreSQL against real servers of each protocol: an SMTP server that is down does not hold
up the SMS gateway, and an urgent notice falls back from email to SMS at once; a gateway that answers too
late is retried, and the message goes out when it is back."""
import json
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from services.common.db import TransactionRunner, make_engine
from services.common.migrations import upgrade_to_head
from services.common.roles import Role
from services.common.tables import outbox_table
from services.notifications.channels import build
from services.notifications.dispatch import Contacts, Dispatcher, Notice, Policy, Recipient
from services.notifications.models import Delivery
from tests.support.local_servers import HttpEndpoint, Script, SmtpServer
from tests.support.service_http import free_port

pytestmark = pytest.mark.integration

LEADER = Recipient(key="commune_leader", role=Role.COMMUNE_LEADER, unit_code=None,
                   contacts=Contacts(email="chu.tich@sonhai.gov.vn", phone="0912345678"), channels=("email",))
CONTEXT = {"commune_name": "xã Sơn Hải", "year": 2026, "link": "/cases/VV26-ABCDEFGH", "case_code": "VV26-ABCDEFGH",
           "case_type_name": "bạo lực gia đình (thể chất)", "risk_name": "rất nghiêm trọng"}


@pytest.fixture
def db(postgres):
    engine = make_engine(postgres.create("notifications"))
    upgrade_to_head(engine, "services.notifications:migrations")
    yield TransactionRunner(engine), engine
    engine.dispose()


def dispatcher(smtp_port: int, gateway_url: str, timeout: str = "2") -> Dispatcher:
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "SMS_GATEWAY_URL": gateway_url,
              "NOTIFICATION_SEND_TIMEOUT_SECONDS": timeout}
    policy = Policy(max_attempts=3, retry_seconds=0, urgent_fallback=("sms", "email"), webhook_max_failures=10,
                    public_url="https://binhdang.bacninh.gov.vn", lease_seconds=30)
    return Dispatcher({name: build(name, config) for name in ("email", "sms")}, policy)


def urgent_case() -> Notice:
    return Notice(kind="case_urgent", commune_code="07543", source_key=str(uuid.uuid4()),
                  source_type="case.reported.v1", urgent=True, context=CONTEXT)


def statuses(engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(Delivery.channel, Delivery.status)).all())


def test_an_urgent_case_alert_reaches_the_sms_gateway_when_the_smtp_server_is_down(db):
    runner, engine = db
    with HttpEndpoint() as gateway:
        d = dispatcher(free_port(), gateway.url)  # nothing listens on the SMTP port
        with runner.transaction() as session:
            d.enqueue(session, urgent_case(), [LEADER], now=datetime.now(UTC))
        assert d.sweep(runner, "email") == 0
        assert statuses(engine) == {"email": "retrying", "sms": "queued"}
        assert d.sweep(runner, "sms") == 1
    [sms] = gateway.received
    assert sms.json()["phone"] == "0912345678" and "VV26-ABCDEFGH" in sms.json()["message"]
    assert "KHAN" in sms.json()["message"]  # without diacritics, as brandname routes want
    with engine.connect() as connection:
        events = [json.loads(b) for b in connection.scalars(sa.select(outbox_table.c.body))]
    assert [e["data"]["channel"] for e in events if e["type"] == "notification.delivered.v1"] == ["sms"]
    assert "0912345678" not in json.dumps(events) and "chu.tich" not in json.dumps(events)


def test_a_slow_gateway_is_retried_and_the_message_goes_out_once_it_answers(db):
    runner, engine = db
    with SmtpServer() as smtp, HttpEndpoint(Script([(200, "{}")], delay=2)) as gateway:
        d = dispatcher(smtp.port, gateway.url, timeout="0.5")
        person = Recipient(key="u", role=Role.UNIT_REPORTER, unit_code="TYT", channels=("sms", "email"),
                           contacts=Contacts(email="tram.yte@sonhai.gov.vn", phone="0912345678"))
        notice = Notice(kind="commune_report_accepted", commune_code="07543", source_key=str(uuid.uuid4()),
                        source_type="commune_report.accepted.v1", urgent=False,
                        context={"commune_name": "xã Sơn Hải", "year": 2026, "link": "/"})
        with runner.transaction() as session:
            d.enqueue(session, notice, [person], now=datetime.now(UTC))
        assert d.sweep(runner, "sms") == 0 and d.sweep(runner, "email") == 1  # email is not held up
        assert statuses(engine) == {"sms": "retrying", "email": "sent"}
        gateway.script.delay = 0
        assert d.sweep(runner, "sms") == 1
    assert statuses(engine) == {"sms": "sent", "email": "sent"}
    assert len(smtp.messages) == 1
