"""Recipients' contacts come from plans' unit directory: a unit reporter's unit's contact points, commune staff
the contact points of their role; masked wherever they are shown."""
from __future__ import annotations

from services.common.roles import Role
from services.notifications.recipients import Contact, Directory, contacts_of

UNITS: list[dict] = [
    {"code": "VHXH", "contact_points": [
        {"role": "reporting_officer", "channel": "email", "address": "vhxh@sonhai.gov.vn"},
        {"role": "head", "channel": "zalo", "address": "0912345678"},
        {"role": "head", "channel": "in_app", "address": None}]},
    {"code": "VP", "contact_points": [{"role": "commune_leader", "channel": "sms", "address": "0987654321"},
                                      {"role": "case_worker", "channel": "email", "address": "bvgd@sonhai.gov.vn"}]},
]


def test_a_unit_is_reached_through_its_contact_points_and_staff_through_those_of_their_role():
    assert contacts_of(UNITS, Role.UNIT_REPORTER, "VHXH") == (Contact("email", "vhxh@sonhai.gov.vn"),
                                                              Contact("zalo", "0912345678"))
    assert contacts_of(UNITS, Role.COMMUNE_LEADER, None) == (Contact("sms", "0987654321"),)
    assert contacts_of(UNITS, Role.CASE_WORKER, None) == (Contact("email", "bvgd@sonhai.gov.vn"),)
    assert contacts_of(UNITS, Role.COMMUNE_OFFICER, None) == ()
    assert contacts_of(UNITS, Role.UNIT_REPORTER, "TYT") == ()


def test_the_directory_is_asked_once_a_while_and_again_soon_after_a_failure():
    calls: list[str] = []
    clock = [0.0]
    answers: list = [RuntimeError("plans is down"), UNITS, UNITS]

    def fetch(commune: str) -> list[dict]:
        calls.append(commune)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    directory = Directory(fetch, cache_seconds=60, monotonic=lambda: clock[0])
    assert directory.contacts("07543", Role.COMMUNE_LEADER, None) == ()  # plans down: no contacts, no error
    assert directory.contacts("07543", Role.COMMUNE_LEADER, None) == ()  # not asked again at once
    clock[0] = 6
    assert directory.contacts("07543", Role.COMMUNE_LEADER, None) == (Contact("sms", "0987654321"),)
    clock[0] = 30
    assert directory.contacts("07543", Role.UNIT_REPORTER, "VHXH")  # from the copy
    assert len(calls) == 2
    clock[0] = 70
    directory.contacts("07543", Role.UNIT_REPORTER, "VHXH")
    assert len(calls) == 3
