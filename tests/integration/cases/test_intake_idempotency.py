"""`Idempotency-Key` on POST /v1/cases: a retried intake (a double click, a lost answer) is the first case, with
one case.reported event and one audit of the intake; the key belongs to the commune and the worker."""
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from services.cases import casework
from services.cases.schemas import ReportCase
from services.cases.sealing import Sealer
from services.cases.service import CasesService
from services.cases.timers import TimerPolicy
from services.common.auth import Principal
from services.common.db import make_engine
from services.common.migrations import upgrade_to_head
from services.common.roles import Role
from services.common.tables import outbox_table
from tests.integration.cases.conftest import NOW
from tests.support.case_reports import COMMUNE, report_body
from tests.support.service_http import refusal, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

WORKER = token("case_worker", COMMUNE, subject="cb-vu-viec")
OTHER_WORKER_SAME_COMMUNE = token("case_worker", COMMUNE, subject="cb-vu-viec-2")


@pytest.fixture
def database(postgres):
    engine = make_engine(postgres.create("cases"))
    yield engine
    engine.dispose()


@pytest.fixture
def cases(container_factory, database, amqp_uri, tmp_path, clock):
    return start_service(container_factory, CasesService, database.url.render_as_string(hide_password=False),
                         amqp_uri, tmp_path, clock)[1]


def intake(cases, caller=WORKER, key=None):
    return cases.call("POST", "/v1/cases", caller, json=report_body(),
                      headers={"Idempotency-Key": key} if key is not None else {})


def counts(database) -> tuple[int, int, int]:
    """Cases, case.reported events in the outbox, audits of an intake."""
    with database.connect() as connection:
        return (connection.scalar(sa.text("SELECT count(*) FROM cases")),
                connection.scalar(sa.select(sa.func.count()).select_from(outbox_table)
                                  .where(outbox_table.c.event_type.like("case.reported%"))),
                connection.scalar(sa.text("SELECT count(*) FROM case_audit_log WHERE action = 'case.report'")))


def test_the_same_key_again_answers_with_the_first_case(cases, database):
    first = intake(cases, key="mau-tiep-nhan-1")
    again = intake(cases, key="mau-tiep-nhan-1")
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["case_code"] == first.json()["case_code"]
    assert again.json()["victim"] == first.json()["victim"]
    assert counts(database) == (1, 1, 1)


def test_another_caller_or_no_key_makes_another_case(cases, database):
    assert intake(cases, key="mau-tiep-nhan-1").status_code == 201
    other = intake(cases, OTHER_WORKER_SAME_COMMUNE, key="mau-tiep-nhan-1")
    elsewhere = intake(cases, token("case_worker", "07531", subject="cb-vu-viec"), key="mau-tiep-nhan-1")
    without = [intake(cases), intake(cases)]
    assert [r.status_code for r in (other, elsewhere, *without)] == [201] * 4
    assert len({r.json()["case_code"] for r in (other, elsewhere, *without)}) == 4
    assert counts(database) == (5, 5, 5)


@pytest.mark.parametrize("key", ["", "k" * 201])
def test_a_key_of_the_wrong_length_is_refused(cases, database, key):
    response = intake(cases, key=key)
    assert refusal(response) == (400, "invalid_idempotency_key")
    assert response.json()["error"]["message"] == "Idempotency-Key phải dài từ 1 đến 200 ký tự."
    assert counts(database) == (0, 0, 0)
    assert intake(cases, key="k" * 200).status_code == 201


def test_two_intakes_at_once_with_one_key_make_one_case(database):
    """The second request finds no case with its key (the first has not committed), its insert waits on the
    unique constraint for the first's commit, fails, and answers with the first's case."""
    upgrade_to_head(database, "services.cases:migrations")
    sessions = sessionmaker(database, expire_on_commit=False)
    worker = Principal(subject="cb-vu-viec", role=Role.CASE_WORKER, commune_code=COMMUNE)
    body, sealer, policy = ReportCase.model_validate(report_body()), Sealer(None), TimerPolicy.from_config({})
    answers: list = []

    def second_intake():
        with sessions() as session:
            answers.append(casework.report_case(session, worker, body, sealer, policy, NOW, "mau-tiep-nhan-1"))
            session.commit()

    with sessions() as first_session:
        first, created = casework.report_case(first_session, worker, body, sealer, policy, NOW, "mau-tiep-nhan-1")
        assert created
        second = threading.Thread(target=second_intake, daemon=True)
        second.start()

        def waiting_on_a_lock() -> bool:
            with database.connect() as connection:
                return bool(connection.scalar(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")))

        wait_until(waiting_on_a_lock, timeout=10)
        first_session.commit()
    second.join(timeout=10)
    [(case, created_again)] = answers
    assert (case.case_code, created_again) == (first.case_code, False)
    assert counts(database) == (1, 1, 1)
