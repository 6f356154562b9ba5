"""One HTTP POST for the HTTP channels (SMS gateway, Zalo, webhooks), with their shared reading of the answer."""
from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from services.notifications.channels.base import DeliveryError

# answers that say "later": the request timed out, too many requests, the server is down or overloaded
TRANSIENT_STATUSES = {408, 425, 429}


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST and return a 2xx answer; DeliveryError otherwise (permanent for a 4xx refusal, else transient)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, _text(response.read()))
    except urllib.error.HTTPError as error:
        answer = f"HTTP {error.code}: {_text(error.read())}"
        raise DeliveryError(answer, permanent=400 <= error.code < 500 and error.code not in TRANSIENT_STATUSES) \
            from None
    except TimeoutError:
        raise DeliveryError(f"no answer within {timeout:g} s", permanent=False) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"unreachable: {type(reason).__name__}", permanent=False) from None


def _text(raw: bytes) -> str:
    return raw[:300].decode("utf-8", errors="replace")
