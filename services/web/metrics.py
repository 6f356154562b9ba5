"""The web's Prometheus metrics. Labels stay bounded: a page is its route's pattern (`/vu-viec/<case_code>`, never a
code), an outcome one of a few words; never a username or an address."""
from __future__ import annotations

from prometheus_client import Counter, Histogram

PAGE_REQUESTS = Counter(
    "binhdang_web_requests_total", "Page requests by route pattern, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["route", "method", "status"])
PAGE_LATENCY = Histogram(
    "binhdang_web_request_seconds", "Time to answer a page, the services' calls included.", ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SIGN_INS = Counter(
    "binhdang_web_sign_ins_total",
    "Sign-in steps by outcome: signed_in, second_factor_asked, refused (wrong password or code), locked "
    "(the account is locked), throttled (too many failures from the address).",
    ["outcome"])
