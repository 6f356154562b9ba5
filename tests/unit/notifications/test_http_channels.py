"""The SMS gateway, Zalo ZNS and webhook channels against a local HTTP server that records what it gets."""
import json
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.notifications.channels import DeliveryError
from services.notifications.channels.sms import DEFAULT_FIELDS, SmsChannel, SmsSettings, fit, strip_diacritics
from services.notifications.channels.webhook import WebhookChannel
from services.notifications.channels.zalo import ZaloChannel, ZaloSettings
from services.notifications.webhook_subscriptions import new_secret
from tests.support.local_servers import HttpEndpoint, Script
from tests.support.service_http import free_port

TEXT = "UBND xã Sơn Hải: Trạm y tế chưa gửi báo cáo bình đẳng giới năm 2026. Hạn 20/11/2026 (còn 7 ngày)."


def sms(url: str, **overrides) -> SmsChannel:
    settings = dict(url=url, body_format="json", fields=DEFAULT_FIELDS, username="xa07543", password="api-secret",
                    brand="UBND SONHAI", strip_diacritics=True, max_length=160, long_text="split", timeout=2.0)
    return SmsChannel(SmsSettings(**{**settings, **overrides}))


def test_vietnamese_loses_its_diacritics_including_d_with_stroke():
    assert strip_diacritics("Đề nghị đơn vị gửi báo cáo; Ủy ban, Hạnh phúc") == \
        "De nghi don vi gui bao cao; Uy ban, Hanh phuc"


def test_a_long_text_is_split_into_numbered_parts_or_shortened_within_the_limit():
    long = " ".join(["Đề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo đúng hạn."] * 6)
    parts = fit(long, 160, "split")
    assert len(parts) == 3 and all(len(p) <= 160 for p in parts)
    assert parts[0].startswith("(1/3) ") and parts[2].startswith("(3/3) ")
    assert " ".join(p[6:] for p in parts) == " ".join(long.split())
    [short] = fit(long, 160, "shorten")
    assert len(short) <= 160 and short.endswith("...")
    assert fit("ngắn", 160, "split") == ["ngắn"]


def test_sms_as_json_with_brand_credentials_and_no_diacritics():
    with HttpEndpoint() as gateway:
        sms(gateway.url + "/send").send("0912345678", {"text": TEXT})
    [request] = gateway.received
    assert request.path == "/send" and request.headers["content-type"].startswith("application/json")
    assert request.json() == {"phone": "0912345678", "message": strip_diacritics(TEXT), "brandname": "UBND SONHAI",
                              "username": "xa07543", "password": "api-secret"}


def test_sms_as_a_form_with_the_providers_field_names_keeping_diacritics_and_split():
    fields = {**DEFAULT_FIELDS, "phone": "Phone", "text": "Content", "brand": "Brandname"}
    with HttpEndpoint() as gateway:
        sms(gateway.url, body_format="form", fields=fields, strip_diacritics=False, max_length=70).send(
            "0912345678", {"text": TEXT})
    assert len(gateway.received) == 2
    first, second = (r.form() for r in gateway.received)
    assert first["Phone"] == "0912345678" and first["Brandname"] == "UBND SONHAI"
    assert first["Content"].startswith("(1/2) UBND xã Sơn Hải") and second["Content"].startswith("(2/2) ")
    assert all(len(r.form()["Content"]) <= 70 for r in gateway.received)


@pytest.mark.parametrize("status,permanent", [(400, True), (401, True), (429, False), (500, False), (503, False)])
def test_gateway_errors_are_final_for_a_refusal_and_retried_for_an_outage(status, permanent):
    with HttpEndpoint(Script([(status, '{"error": "số 0912345678 không hợp lệ"}')])) as gateway:
        with pytest.raises(DeliveryError) as error:
            sms(gateway.url).send("0912345678", {"text": TEXT})
    assert error.value.permanent is permanent and str(status) in error.value.answer
    assert "0912345678" not in error.value.answer  # the provider's answer is kept without the contact


def test_a_gateway_that_does_not_answer_in_time_or_at_all_is_retried():
    with HttpEndpoint(Script(delay=3)) as slow:
        started = time.monotonic()
        with pytest.raises(DeliveryError) as timed_out:
            sms(slow.url, timeout=0.5).send("0912345678", {"text": TEXT})
        assert not timed_out.value.permanent and time.monotonic() - started < 2.5
    with pytest.raises(DeliveryError) as down:
        sms(f"http://127.0.0.1:{free_port()}").send("0912345678", {"text": TEXT})
    assert not down.value.permanent


def zalo(url: str) -> ZaloChannel:
    return ZaloChannel(ZaloSettings(url=url, access_token="oa-token", template_ids={"default": "231456",
                                                                                   "case_urgent": "231999"},
                                    timeout=2.0))


ZNS = {"kind": "case_urgent", "params": {"tieu_de": "KHẨN: vụ việc VV26-ABCDEFGH"}, "message_id": "d-1"}


def test_zns_sends_the_kinds_template_with_the_access_token_to_an_84_number():
    with HttpEndpoint(Script([(200, '{"error": 0, "message": "Success", "data": {"msg_id": "zns-77"}}')])) as zns:
        answer = zalo(zns.url).send("0912345678", ZNS)
    [request] = zns.received
    assert request.headers["access_token"] == "oa-token"
    assert request.json() == {"phone": "84912345678", "template_id": "231999", "template_data": ZNS["params"],
                              "tracking_id": "d-1"}
    assert "zns-77" in answer


@pytest.mark.parametrize("code,permanent", [(-118, True), (-124, False)])
def test_a_zns_error_code_is_a_refusal_unless_it_is_about_the_token_or_the_rate(code, permanent):
    with HttpEndpoint(Script([(200, json.dumps({"error": code, "message": "lỗi"}))])) as zns:
        with pytest.raises(DeliveryError) as error:
            zalo(zns.url).send("0912345678", ZNS)
    assert error.value.permanent is permanent and str(code) in error.value.answer
    with HttpEndpoint(Script([(502, "bad gateway")])) as zns, pytest.raises(DeliveryError) as outage:
        zalo(zns.url).send("0912345678", ZNS)
    assert not outage.value.permanent


def test_a_webhook_is_signed_so_that_the_standard_webhooks_library_verifies_it():
    secret = new_secret()
    body = json.dumps({"specversion": "1.0", "type": "case.overdue.v1", "data": {"case_code": "VV26-ABCDEFGH"}})
    with HttpEndpoint() as receiver:
        WebhookChannel(timeout=2.0).send(receiver.url + "/hook", {"body": body, "message_id": "msg_1",
                                                                  "secret": secret})
    [request] = receiver.received
    assert Webhook(secret).verify(request.body, request.headers) == json.loads(body)
    assert request.headers["webhook-id"] == "msg_1"
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body.replace(b"VV26", b"VV27"), request.headers)
