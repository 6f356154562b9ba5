"""The attack that singled out a victim from the statistics, over HTTP: ask for every table a province
officer may ask for (every whole period of the year, the province and each commune), subtract each from
every table nested in it, cell by cell, and look for a count of 1 to 4."""
import datetime as dt
import random
from itertools import product

import pytest

from services.cases.statistics_periods import periods_of
from tests.support.case_reports import COMMUNE, report_body
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration

OTHER_COMMUNE = "07531"
TYPES = ("domestic_violence_physical", "domestic_violence_psychological", "sexual_abuse", "trafficking")


def shown_cells(table: dict) -> dict:
    cells = {("total", ""): table["total"]["value"]} if not table["total"]["suppressed"] else {}
    for name, breakdown in table.items():
        if name.startswith("by_"):
            cells.update({(name, key): c["value"] for key, c in breakdown.items() if not c["suppressed"]})
    return cells


def test_no_two_tables_a_caller_can_ask_for_differ_by_a_small_count(cases, tokens):
    rng = random.Random(8)
    for number in range(40):
        worker = tokens.worker if number % 3 else tokens.other_worker
        reported = dt.datetime(2026, 1, 1, 3, tzinfo=dt.UTC) + dt.timedelta(days=rng.randrange(300))
        body = report_body(case_type=rng.choice(TYPES), reported_at=reported.isoformat(), risk_assessment=None,
                           incident=None)
        assert cases.call("POST", "/v1/cases", worker, json=body).status_code == 201

    tables = {}
    for scope, period in product((None, COMMUNE, OTHER_COMMUNE), periods_of(2026)):
        query = f"start={period.start}&end={period.end}" + (f"&commune_code={scope}" if scope else "")
        answer = cases.call("GET", f"/v1/statistics?{query}", tokens.province)
        assert answer.status_code == 200, answer.text
        tables[(scope or "province", period)] = shown_cells(answer.json())

    leaks = []
    for (outer, inner) in product(tables, repeat=2):
        if outer != inner and outer[0] in ("province", inner[0]) and outer[1].contains(inner[1]):
            for cell in tables[outer].keys() & tables[inner].keys():
                if 0 < tables[outer][cell] - tables[inner][cell] < 5:
                    leaks.append((outer, inner, cell))
    assert leaks == []


@pytest.mark.parametrize("query,field", [
    ("start=2026-11-01&end=2026-11-29", "end"),  # the attack: one day shorter than November
    ("start=2026-11-02&end=2026-11-30", "start"),
    ("start=2026-02-01&end=2026-04-30", "end"),  # three months, not a quarter
    ("start=2026-07-01&end=2027-06-30", "end"),  # twelve months, not a calendar year
])
def test_only_whole_periods_are_answered(cases, tokens, query, field):
    refused = cases.call("GET", f"/v1/statistics?{query}", tokens.province)
    assert refusal(refused) == (422, "validation_error")
    assert [f["field"] for f in refused.json()["error"]["fields"]] == [field]
    assert "2026" not in refused.json()["error"]["message"] + str(refused.json()["error"]["fields"])
