"""Notifications reaches recipients through the contact points of plans' unit directory, asked by RPC with a
token of its own (never carried on the bus): a unit's notification goes to the unit's contacts, the chairman's
urgent case alert to the contact point of the commune_leader role; the listing shows them masked."""
from __future__ import annotations

import pytest

from services.common.auth import mint_token
from services.common.token_keys import DEVELOPMENT_SIGNING_KEY, SigningKey, new_key_pairs, signing_key
from services.notifications.service import NotificationsService
from services.plans.service import PlansService
from tests.support.broker import delete_consumer_queues
from tests.support.case_reports import COMMUNE
from tests.support.plan_events import plan_issued, publish
from tests.support.service_http import free_port, start_service
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

UNITS = [
    {"code": "VHXH", "name": "Phòng Văn hóa - Xã hội", "unit_type": "department", "contact_points": [
        {"role": "reporting_officer", "channel": "email", "address": "vhxh@sonhai.gov.vn"},
        {"role": "head", "channel": "zalo", "address": "0912345678"}]},
    {"code": "VP", "name": "Văn phòng HĐND và UBND", "unit_type": "office", "contact_points": [
        {"role": "commune_officer", "channel": "email", "address": "vanphong@sonhai.gov.vn"}]},
]


def development_keys() -> tuple[SigningKey, dict, dict]:
    return DEVELOPMENT_SIGNING_KEY, {}, {}


def deployment_keys() -> tuple[SigningKey, dict, dict]:
    """As `binhdang make-secrets` makes them: the web's key pair and notifications' own, both in the JWKS."""
    [web, own], jwks = new_key_pairs(2)
    return signing_key({"JWT_PRIVATE_KEY": web}), {"JWT_JWKS": jwks}, {"JWT_JWKS": jwks, "JWT_PRIVATE_KEY": own}


@pytest.mark.parametrize("keys", [development_keys, deployment_keys])
def test_a_units_notification_goes_to_the_units_contact_points(container_factory, postgres, amqp_uri, tmp_path,
                                                                keys):
    web, plans_keys, notifications_keys = keys()
    delete_consumer_queues(amqp_uri, "notifications")
    _, plans = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path,
                             **plans_keys)
    officer = mint_token(web, subject="tester", role="commune_officer", commune=COMMUNE)
    for unit in UNITS:
        response = plans.call("POST", f"/v1/communes/{COMMUNE}/units", officer, json=unit)
        assert response.status_code == 201, response.text
    channel_file = tmp_path / "channel.jsonl"
    # email to a port nobody listens on: its deliveries are recorded with their address and retried
    _, notifications = start_service(
        container_factory, NotificationsService, postgres.create("notifications"), amqp_uri, tmp_path,
        NOTIFICATION_FILE=str(channel_file), NOTIFICATION_CHANNELS="file,email", SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(free_port()), **notifications_keys)
    publish(amqp_uri, plan_issued(COMMUNE, ["VHXH", "TYT"]))

    def deliveries() -> dict:
        answer = notifications.call("GET", "/v1/notifications", officer).json()
        return {(n["recipient_role"], n["recipient_unit"]):
                sorted((d["channel"], d["address"]) for d in n["deliveries"]) for n in answer["items"]}

    wait_until(lambda: len(deliveries()) == 3, timeout=60)
    assert deliveries() == {
        ("unit_reporter", "VHXH"): [("email", "v***@sonhai.gov.vn"), ("file", None)],
        ("unit_reporter", "TYT"): [("file", None)],  # no contact points: the in-app inbox and the file only
        ("commune_officer", None): [("email", "v***@sonhai.gov.vn"), ("file", None)]}
    wait_until(lambda: channel_file.exists() and len(channel_file.read_text(encoding="utf-8").splitlines()) == 3,
               timeout=30)
    assert "vhxh@sonhai.gov.vn" not in channel_file.read_text(encoding="utf-8")
