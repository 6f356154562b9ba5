"""The email channel against a real SMTP server in the test process (aiosmtpd)."""
import time

import pytest

from services.notifications.channels import DeliveryError
from services.notifications.channels.email import EmailChannel, SmtpSettings
from tests.support.local_servers import SmtpServer
from tests.support.service_http import free_port

CONTENT = {"subject": "Nhắc hạn báo cáo: còn 7 ngày (hạn 20/11/2026)",
           "text": "Đề nghị Trạm y tế gửi báo cáo trước ngày 20/11/2026.",
           "html": "<p>Đề nghị Trạm y tế gửi báo cáo trước ngày 20/11/2026.</p>",
           "message_id": "0b7c4a2e-8d3f-4c55-9a0e-3f1b2c4d5e6f"}


def channel(port: int, **overrides) -> EmailChannel:
    settings = dict(host="127.0.0.1", port=port, sender="thongbao@sonhai.gov.vn", sender_name="UBND xã Sơn Hải",
                    starttls=False, username=None, password=None, timeout=5.0)
    return EmailChannel(SmtpSettings(**{**settings, **overrides}))


def test_a_message_arrives_with_a_utf8_subject_and_plain_and_html_parts():
    with SmtpServer() as server:
        answer = channel(server.port).send("tram.yte@sonhai.gov.vn", CONTENT)
    [message] = server.messages
    assert message["Subject"] == CONTENT["subject"]  # decoded from its RFC 2047 encoding
    assert message["To"] == "tram.yte@sonhai.gov.vn"
    assert message["From"].addresses[0].display_name == "UBND xã Sơn Hải"
    assert b"Subject: =?utf-8?" in server.mailbox.raw[0]  # 7-bit headers, UTF-8 inside (RFC 2047)
    assert message["Message-ID"] == "<0b7c4a2e-8d3f-4c55-9a0e-3f1b2c4d5e6f@sonhai.gov.vn>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == "utf-8" and plain.get_content().strip() == CONTENT["text"]
    assert html.get_content().strip() == CONTENT["html"]
    assert "0b7c4a2e" in answer


def test_starttls_and_login(tmp_path):
    with SmtpServer(tls_dir=tmp_path, user="xa07543", secret="mat-khau-2026") as server:
        secure = channel(server.port, starttls=True, username="xa07543", password="mat-khau-2026",
                         ca_file=server.ca_file)
        secure.send("tram.yte@sonhai.gov.vn", CONTENT)
        assert len(server.messages) == 1
        with pytest.raises(DeliveryError) as refused:  # the server requires STARTTLS before anything
            channel(server.port).send("tram.yte@sonhai.gov.vn", CONTENT)
        assert not refused.value.permanent
        with pytest.raises(DeliveryError) as wrong:  # a wrong password is the account's problem: kept, retried
            channel(server.port, starttls=True, username="xa07543", password="sai", ca_file=server.ca_file,
                    timeout=1.0).send(
                "tram.yte@sonhai.gov.vn", CONTENT)
        assert not wrong.value.permanent
    assert len(server.messages) == 1


def test_a_permanent_refusal_is_final_and_a_temporary_one_is_retried_without_echoing_the_address():
    with SmtpServer(reply="554 5.7.1 <tram.yte@sonhai.gov.vn> message rejected") as server:
        with pytest.raises(DeliveryError) as final:
            channel(server.port).send("tram.yte@sonhai.gov.vn", CONTENT)
    assert final.value.permanent and "554" in final.value.answer
    assert "sonhai.gov.vn" not in final.value.answer and "[email]" in final.value.answer
    with SmtpServer(reply="451 4.3.0 try again later") as server:
        with pytest.raises(DeliveryError) as later:
            channel(server.port).send("tram.yte@sonhai.gov.vn", CONTENT)
    assert not later.value.permanent and "451" in later.value.answer


def test_a_server_that_is_down_or_silent_is_a_temporary_failure():
    with pytest.raises(DeliveryError) as down:
        channel(free_port()).send("tram.yte@sonhai.gov.vn", CONTENT)
    assert not down.value.permanent
    import socket
    with socket.socket() as silent:  # accepts the connection, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        with pytest.raises(DeliveryError) as timed_out:
            channel(silent.getsockname()[1], timeout=0.5).send("tram.yte@sonhai.gov.vn", CONTENT)
    assert not timed_out.value.permanent and time.monotonic() - started < 3


def test_consecutive_messages_of_a_batch_share_one_session_and_others_do_not():
    with SmtpServer() as server:
        email = channel(server.port)
        with email.batch():
            for n in range(3):
                email.send(f"don-vi-{n}@sonhai.gov.vn", CONTENT)
        assert (len(server.messages), server.mailbox.sessions) == (3, 1)
        for n in range(2):
            email.send(f"don-vi-{n}@sonhai.gov.vn", CONTENT)
        assert (len(server.messages), server.mailbox.sessions) == (5, 3)
    assert [m["To"] for m in server.messages[:3]] == [f"don-vi-{n}@sonhai.gov.vn" for n in range(3)]


def test_a_failed_message_in_a_batch_does_not_spoil_the_next():
    with SmtpServer(reply="554 5.7.1 rejected") as server:
        email = channel(server.port)
        with email.batch():
            with pytest.raises(DeliveryError):
                email.send("a@sonhai.gov.vn", CONTENT)
            server.mailbox.reply = "250 OK"
            email.send("b@sonhai.gov.vn", CONTENT)
    assert [m["To"] for m in server.messages] == ["b@sonhai.gov.vn"]
