"""The operator's operations page: each service's health, readiness, outbox backlog, consumer queues and dead
letters, from the answers of its public endpoints (/health, /ready, /v1/operations/...), and the replay form's
checks. Dead letters are shown by their metadata only; the services never send their bodies."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.common.config import SERVICE_NAMES
from services.web import dates

SERVICE_LABELS = {"plans": "Kế hoạch", "cases": "Vụ việc", "notifications": "Thông báo", "reporting": "Báo cáo"}
REASONS = {"handler_failed": "Xử lý lỗi sau các lần thử lại", "invalid_payload": "Nội dung sự kiện không hợp lệ",
           "untrusted": "Không đến từ nguồn phát tin cậy", "delivery_limit": "Vượt giới hạn số lần giao"}
# what the page asks each service, by key: (path)
PROBES = {"health": "/health", "ready": "/ready", "outbox": "/v1/operations/outbox",
          "consumers": "/v1/operations/consumers", "dead_letters": "/v1/operations/dead-letters"}
CONFIRM = "xac_nhan"
NOT_CONFIRMED = "Vui lòng đánh dấu ô xác nhận trước khi phát lại."


@dataclass
class ServiceView:
    name: str
    label: str
    alive: bool
    ready: bool
    problems: list[str] = field(default_factory=list)
    outbox: dict[str, Any] | None = None
    consumers: list[dict[str, Any]] | None = None
    dead_letter_queues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(item["ready"] or 0 for item in self.consumers or [])

    @property
    def dead_letters(self) -> int | None:
        return None if self.consumers is None else sum(item["dead_letters"] or 0 for item in self.consumers)


def age(seconds: float | None) -> str:
    """A duration as a person reads it, in Vietnamese."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    for unit, size in (("ngày", 86400), ("giờ", 3600), ("phút", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} giây"


def service_view(name: str, answers: dict[str, tuple[int, Any]]) -> ServiceView:
    """What the page shows of one service, from (status, body) of each probe (503, None: unreachable)."""
    ready_status, ready = answers["ready"]
    problems = []
    if ready_status != 200:
        found = ready.get("problems") if isinstance(ready, dict) else None
        problems = ([f"{what}: {why}" for what, why in found.items()] if isinstance(found, dict) and found
                    else ["không truy cập được"])
    view = ServiceView(name, SERVICE_LABELS.get(name, name), alive=answers["health"][0] == 200,
                       ready=ready_status == 200, problems=problems)
    outbox_status, outbox = answers["outbox"]
    if outbox_status == 200:
        view.outbox = {**outbox, "age": age(outbox.get("oldest_pending_seconds"))}
    consumers_status, consumers = answers["consumers"]
    if consumers_status == 200:
        view.consumers = consumers["items"]
    letters_status, letters = answers["dead_letters"]
    if letters_status == 200:
        view.dead_letter_queues = [{**queue, "items": [shown(item) for item in queue["items"]]}
                                   for queue in letters["queues"] if queue["count"] or queue["items"]]
    return view


def shown(letter: dict[str, Any]) -> dict[str, Any]:
    """A dead letter with its reason and time (Vietnam's clock) as a person reads them."""
    return {**letter, "reason_text": REASONS.get(letter["reason"] or "", letter["reason"] or ""),
            "failed_text": dates.time_text(letter["failed_at"])}


@dataclass(frozen=True)
class Replay:
    service: str
    queue: str
    event_id: str | None

    @property
    def key(self) -> str:
        """Which form on the page asked (its errors are shown next to it)."""
        return f"{self.service}|{self.queue}|{self.event_id or ''}"


def replay_of(form: dict[str, str]) -> tuple[Replay | None, dict[str, str]]:
    """The replay a form asks for, and the errors by field (the confirmation box must be ticked)."""
    service, queue = form.get("service", ""), form.get("queue", "").strip()[:255]
    event_id = form.get("event_id", "").strip()[:64] or None
    if service not in SERVICE_NAMES or not queue:
        return None, {}
    replay = Replay(service, queue, event_id)
    if form.get(CONFIRM) != "1":
        return replay, {CONFIRM: NOT_CONFIRMED}
    return replay, {}
