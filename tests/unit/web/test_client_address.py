"""Whose address the sign-in throttle counts: the connection's, or behind trusted proxies the one they appended."""
from services.web.page import client_address


def test_without_proxies_x_forwarded_for_is_not_believed():
    assert client_address("203.0.113.9", "198.51.100.1", 0) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_is_the_clients():
    # the client wrote "1.2.3.4" itself; nginx appended the address it was reached from
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7", 1) == "198.51.100.7"
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5", 2) == "198.51.100.7"


def test_a_request_that_did_not_pass_the_proxies_is_its_connections():
    assert client_address("10.0.0.2", None, 1) == "10.0.0.2"
    assert client_address("10.0.0.2", "198.51.100.7", 2) == "10.0.0.2"
    assert client_address(None, "", 1) == "unknown"
    assert len(client_address("10.0.0.2", "x" * 500, 1)) == 64
