"""A failing statement's values stay out of what its error becomes: the exception's text (which a
dead letter's `x-error` header and a log line are made of) shows the SQL, never the parameters."""
import logging

import pytest
import sqlalchemy as sa

from services.cases.models import Case
from services.cases.service import CasesService
from services.common.db import TransactionRunner, make_engine
from services.common.errors import map_exception
from tests.support.case_reports import COMMUNE, report_body
from tests.support.service_http import start_service, token

pytestmark = pytest.mark.integration

VICTIM_VALUE = "Lê Thị Hoà Bình, 0912345678, nhà số 7 ngõ Đình "


def test_a_failing_cases_statement_does_not_carry_the_victims_values(container_factory, postgres, amqp_uri,
                                                                     tmp_path, caplog):
    url = postgres.create("cases")
    _, cases = start_service(container_factory, CasesService, url, amqp_uri, tmp_path)
    reported = cases.call("POST", "/v1/cases", token("case_worker", COMMUNE), json=report_body())
    assert reported.status_code == 201, reported.text
    runner = TransactionRunner(make_engine(url), "cases")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(sa.exc.DBAPIError) as failed:
        with runner.transaction() as session:  # a value longer than the column: the database refuses it
            session.execute(sa.update(Case).where(Case.case_code == reported.json()["case_code"])
                            .values(reported_by=VICTIM_VALUE * 6))
    error = failed.value
    assert "UPDATE cases SET reported_by" in str(error)  # the statement is still there to debug with
    _, body = map_exception(error)
    logging.getLogger("binhdang.test").error("failed: %s", error)
    for text in (str(error), f"{type(error).__name__}: {error}", str(body), caplog.text):
        assert "0912345678" not in text and "Hoà Bình" not in text
