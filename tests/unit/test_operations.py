"""The operators' endpoints' helpers (services.common.operations): which queues a service has, and a dead letter's
description whatever its headers carry."""
from services.common import operations
from services.plans.service import PlansService


def test_a_services_consumer_queues_come_from_its_subscribers():
    assert operations.consumers_of(PlansService, "plans") == [
        ("plans.on_commune_report_approved", "commune_report.approved.v1"),
        ("plans.on_commune_report_returned", "commune_report.returned.v1")]
    queues = ["plans.on_commune_report_approved"]
    assert operations.consumer_queue_of("plans.on_commune_report_approved.dlq", queues) == queues[0]
    assert operations.consumer_queue_of("plans.on_commune_report_approved", queues) == queues[0]
    assert operations.consumer_queue_of("reporting.on_plan_issued", queues) is None


def test_a_dead_letter_with_headers_of_the_wrong_types_is_still_described():
    described = operations.describe({"event_id": 7, "event_type": None, "reason": "handler_failed", "error": "x" * 900,
                                     "attempts": True, "failed_at": b"?", "consumer_queue": None, "body_bytes": 12},
                                    "plans.on_commune_report_approved")
    assert described.event_id == "7" and described.attempts is None and len(described.error or "") == 500
    assert described.consumer_queue == "plans.on_commune_report_approved" and described.body_bytes == 12
