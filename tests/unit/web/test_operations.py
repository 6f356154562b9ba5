"""The operations page's helpers: a service's answers as the page shows them, and the replay form's checks."""
from services.web import operations

UP = {"health": (200, {"status": "ok"}), "ready": (200, {"status": "ready"}),
      "outbox": (200, {"service": "reporting", "pending": 3, "failing": 1, "oldest_pending_at": "2026-11-30T00:00:00Z",
                       "oldest_pending_seconds": 125.0}),
      "consumers": (200, {"service": "reporting", "items": [
          {"queue": "reporting.on_plan_issued", "event_type": "plan.issued.v1", "ready": 4, "consumers": 1,
           "dead_letters": 2},
          {"queue": "reporting.on_plan_closed", "event_type": "plan.closed.v1", "ready": None, "consumers": None,
           "dead_letters": None}]}),
      "dead_letters": (200, {"service": "reporting", "queues": [
          {"queue": "reporting.on_plan_issued.dlq", "consumer_queue": "reporting.on_plan_issued", "count": 2,
           "items": [{"event_id": "e1", "event_type": "plan.issued.v1", "reason": "handler_failed", "error": "x",
                      "attempts": 3, "failed_at": "2026-11-30T00:00:00Z", "consumer_queue": "reporting.on_plan_issued",
                      "body_bytes": 10},
                     {"event_id": "e2", "event_type": "plan.issued.v1", "reason": "something_new", "error": None,
                      "attempts": None, "failed_at": None, "consumer_queue": "reporting.on_plan_issued",
                      "body_bytes": 10}]},
          {"queue": "reporting.on_plan_closed.dlq", "consumer_queue": "reporting.on_plan_closed", "count": 0,
           "items": []}]})}


def test_a_running_service_with_a_backlog_and_dead_letters():
    view = operations.service_view("reporting", UP)
    assert (view.label, view.alive, view.ready, view.problems) == ("Báo cáo", True, True, [])
    assert view.outbox is not None and (view.outbox["pending"], view.outbox["age"]) == (3, "2 phút")
    assert (view.waiting, view.dead_letters) == (4, 2)
    [queue] = view.dead_letter_queues  # the empty one is left out
    assert [item["reason_text"] for item in queue["items"]] == ["Xử lý lỗi sau các lần thử lại", "something_new"]
    assert [item["failed_text"] for item in queue["items"]] == ["30/11/2026 07:00", ""]


def test_an_unreachable_or_unready_service():
    down = operations.service_view("cases", dict.fromkeys(operations.PROBES, (503, None)))
    assert (down.alive, down.ready, down.problems, down.outbox, down.consumers) == (False, False,
                                                                                  ["không truy cập được"], None, None)
    assert down.dead_letters is None and down.dead_letter_queues == []
    unready = operations.service_view("plans", {**UP, "ready": (503, {"status": "unavailable", "problems": {
        "database": "unreachable: OperationalError"}})})
    assert (unready.alive, unready.ready) == (True, False)
    assert unready.problems == ["database: unreachable: OperationalError"]


def test_ages_in_vietnamese():
    assert [operations.age(s) for s in (None, 0, 59, 61, 7200, 90000)] == ["", "0 giây", "59 giây", "1 phút",
                                                                           "2 giờ", "1 ngày"]


def test_a_replay_needs_a_known_service_a_queue_and_the_confirmation():
    assert operations.replay_of({"service": "billing", "queue": "q", "xac_nhan": "1"}) == (None, {})
    assert operations.replay_of({"service": "reporting", "queue": " ", "xac_nhan": "1"}) == (None, {})
    asked, errors = operations.replay_of({"service": "reporting", "queue": "reporting.on_plan_issued",
                                          "event_id": "e1"})
    assert asked == operations.Replay("reporting", "reporting.on_plan_issued", "e1")
    assert errors == {"xac_nhan": operations.NOT_CONFIRMED}
    assert asked.key == "reporting|reporting.on_plan_issued|e1"
    asked, errors = operations.replay_of({"service": "reporting", "queue": "reporting.on_plan_issued",
                                          "event_id": "", "xac_nhan": "1"})
    assert asked is not None and asked.event_id is None and errors == {}
