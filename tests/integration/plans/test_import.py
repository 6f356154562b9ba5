"""Importing a plan document over HTTP: the seed as written, Word files, and files that are not plans."""
import contextlib
import io
import json
import time
from pathlib import Path

import docx
import eventlet
import eventlet.event
import hypothesis
import pytest
import requests

from services.plans.document import LocalityType
from services.plans.service import PlansService
from tests.support import plan_generator
from tests.support.broker import Collector
from tests.support.docx_packages import million_empty_paragraphs, zip_bomb
from tests.support.plan_documents import COMMUNE
from tests.support.plan_generator import Layout, render, written_units
from tests.support.service_http import refusal, start_service

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "samples" / "ke-hoach-binh-dang-gioi-2026-son-hai.txt"
SON_HAI = json.loads((ROOT / "samples" / "directory-son-hai.json").read_text(encoding="utf-8"))
LETTER = ROOT / "tests" / "fixtures" / "plans" / "cong-van-son-hai-bao-cao-binh-dang-gioi.txt"


@pytest.fixture
def son_hai(plans, tokens):
    for unit in SON_HAI:
        assert plans.call("POST", f"/v1/communes/{COMMUNE}/units", tokens.officer, json=unit).status_code == 201
    return plans


def upload(api, token, name, data, **fields):
    return api.call("POST", "/v1/plans/import", token, files={"file": (name, data, "application/octet-stream")},
                    data={"commune_code": COMMUNE, **fields})


def test_the_seed_becomes_a_draft_with_its_warnings_and_can_be_issued(son_hai, tokens):
    response = upload(son_hai, tokens.officer, SEED.name, SEED.read_bytes())
    assert response.status_code == 201, response.text
    plan = response.json()["plan"]
    assert plan["status"] == "draft" and plan["year"] == 2026 and plan["report_deadline"] == "2026-11-20"
    document = plan["document"]
    assert len(document["content_areas"]) == 6 and len(document["organisation"]) == 8
    assert document["parent_plan"]["number"] == "169" and document["parent_plan"]["date"] == "2026-05-14"
    warnings = {(w["line"], w["code"]) for w in plan["import_warnings"]}
    assert {(3, "document_number_missing"), (83, "numbering_skipped"), (115, "numbering_repeated"),
            (31, "line_joined"), (141, "line_joined")} <= warnings
    assert plan["import_warnings"] == response.json()["warnings"]  # kept with the draft for review

    issued = son_hai.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.officer)
    assert issued.status_code == 200, issued.text
    assert "THON-CU" not in issued.json()["assigned_tasks"]  # dissolved before 2026
    assert issued.json()["assigned_tasks"]["VHXH"] == ["TC-1.1", "TC-1.2", "TC-1.3", "TC-1.4"]


def test_a_dry_run_stores_nothing(son_hai, tokens):
    response = upload(son_hai, tokens.officer, SEED.name, SEED.read_bytes(), dry_run="true")
    assert response.status_code == 200 and response.json()["plan"] is None
    assert response.json()["warnings"]
    assert son_hai.call("GET", "/v1/plans", tokens.officer).json()["items"] == []


def test_a_word_document_imports_like_its_text(son_hai, tokens):
    word = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    from_word = upload(son_hai, tokens.officer, "ke-hoach.docx", buffer.getvalue(), dry_run="true").json()
    from_text = upload(son_hai, tokens.officer, SEED.name, SEED.read_bytes(), dry_run="true").json()
    assert from_word["document"] == from_text["document"]


@pytest.mark.parametrize("name,data,code", [
    (LETTER.name, LETTER.read_bytes(), "not_a_plan"),
    ("ke-hoach.docx", b"PK\x03\x04 this is no zip archive", "unreadable_document"),
    ("ke-hoach.txt", b"\xff\xfe\x00\xd8 broken", "unreadable_document"),
    ("trong.txt", b"", "unreadable_document"),
])
def test_files_that_are_not_plans_get_a_clear_error_and_no_draft(son_hai, tokens, name, data, code):
    response = upload(son_hai, tokens.officer, name, data)
    assert refusal(response) == (422, code), response.text
    assert response.json()["error"]["message"]
    assert son_hai.call("GET", "/v1/plans", tokens.officer).json()["items"] == []


def test_import_needs_a_file_the_right_role_and_the_own_commune(son_hai, tokens):
    no_file = son_hai.call("POST", "/v1/plans/import", tokens.officer, data={"commune_code": COMMUNE})
    assert refusal(no_file) == (415, "unsupported_media_type")  # a form without a file is not multipart
    assert refusal(upload(son_hai, tokens.reporter("VHXH"), SEED.name, SEED.read_bytes())) == (403, "wrong_role")
    other = son_hai.call("POST", "/v1/plans/import", tokens.other_officer,
                         files={"file": (SEED.name, SEED.read_bytes())}, data={"commune_code": COMMUNE})
    assert refusal(other) == (403, "wrong_commune")
    bad_form = upload(son_hai, tokens.officer, SEED.name, SEED.read_bytes(), year="năm nay")
    assert refusal(bad_form) == (422, "validation_error") and bad_form.json()["error"]["fields"][0]["field"] == "year"


# --- hostile documents (issue 8) -------------------------------------------------------------------
@contextlib.contextmanager
def health_polled(api):
    """GET /health every 50 ms from another greenthread while the block runs; yields the answers'
    (status, seconds) so the test can check that the service kept answering."""
    answers, stop = [], eventlet.event.Event()

    def poll():
        while not stop.ready():
            started = time.perf_counter()
            try:
                status = api.call("GET", "/health").status_code
            except requests.RequestException:
                status = None
            answers.append((status, time.perf_counter() - started))
            eventlet.sleep(0.05)

    poller = eventlet.spawn(poll)
    try:
        yield answers
    finally:
        stop.send()
        poller.wait()


HOSTILE = [
    ("million-paragraphs.docx", million_empty_paragraphs, "document_too_large"),
    ("zip-bomb.docx", lambda: zip_bomb(64 * 1024 * 1024), "document_too_large"),
    ("zip-bomb-lying.docx", lambda: zip_bomb(64 * 1024 * 1024, declared=1000), "unreadable_document"),
    ("long.txt", lambda: ("- Tuyên truyền bình đẳng giới.\n" * 80_000).encode(), "document_too_large"),
]


@pytest.mark.parametrize("name, make, code", HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_a_hostile_document_is_refused_while_the_service_keeps_answering(son_hai, tokens, name, make, code):
    data = make()
    with health_polled(son_hai) as answers:
        eventlet.sleep(0.2)
        started = time.perf_counter()
        response = upload(son_hai, tokens.officer, name, data)
        took = time.perf_counter() - started
        eventlet.sleep(0.2)
    print(f"\n{name}: {len(data):,} bytes refused in {took:.2f} s; /health answered {len(answers)} times, "
          f"slowest {max(seconds for _, seconds in answers):.3f} s")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["fields"][0]["field"] == "file" and error["fields"][0]["problem"]
    assert took < 30  # IMPORT_TIMEOUT_SECONDS
    assert len(answers) >= 5 and all(status == 200 for status, _ in answers)
    assert max(seconds for _, seconds in answers) < 2
    assert son_hai.call("GET", "/v1/plans", tokens.officer).json()["items"] == []


@pytest.fixture
def impatient_plans(container_factory, postgres, amqp_uri, tmp_path, clock):
    """A plans service that gives an import 50 ms: less than the child process needs to start."""
    _, api = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path, clock,
                           IMPORT_TIMEOUT_SECONDS="0.05")
    return api


def test_an_import_over_its_time_limit_is_refused_and_the_service_keeps_answering(impatient_plans, tokens):
    with health_polled(impatient_plans) as answers:
        response = upload(impatient_plans, tokens.officer, SEED.name, SEED.read_bytes())
        eventlet.sleep(0.2)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "import_timed_out"
    assert "0.05 giây" in response.json()["error"]["fields"][0]["problem"]
    assert answers and all(status == 200 for status, _ in answers)


# --- the officer's corrections (issue 10) ----------------------------------------------------------
@pytest.fixture
def events(amqp_uri):
    collector = Collector(amqp_uri, [("plans.events", "plan.#")])
    yield collector
    collector.close()


def a_wards_plan():
    """The smallest generated ward plan with periodic reports (no date), targets and amounts."""
    return hypothesis.find(plan_generator.plans(), lambda plan: plan[0].locality_type is LocalityType.WARD
                           and plan[0].reporting.periodic is not None and len(plan[0].targets) == 2
                           and plan[0].funding.amounts,
                           settings=hypothesis.settings(database=None, derandomize=True, max_examples=2000))


WORD_LAYOUT = Layout(file_type="docx", header_in_table=True, task_marker="word-number", deadline_wording="numeric",
                     reporting_place="organisation_paragraph", action_month_wording="year_at_end", spelling=1,
                     with_locality_word=True, tracked_changes=True, page_header=True)


def test_a_second_import_with_the_officers_corrections_is_enough_to_issue(plans, tokens, events):
    document, _ = a_wards_plan()
    renamed = {"VHXH": "Phòng Văn hóa, Thông tin và Thể thao"}  # the directory calls the lead unit otherwise
    for unit in plan_generator.directory():
        body = {"code": unit.code, "name": renamed.get(unit.code, unit.name), "unit_type": unit.unit_type.value}
        assert plans.call("POST", f"/v1/communes/{COMMUNE}/units", tokens.officer, json=body).status_code == 201
    name, data = render(document, WORD_LAYOUT)
    lead_as_written, _ = written_units(document, WORD_LAYOUT)[0]

    first = upload(plans, tokens.officer, name, data)
    assert first.status_code == 422, first.text
    refused = first.json()
    assert refused["error"]["code"] == "import_incomplete"
    assert {f["field"] for f in refused["error"]["fields"]} == {"report_deadline", f"unit_map.{lead_as_written}"}
    assert refused["document"]["organisation"][0]["unit_name"] == lead_as_written  # the draft comes back
    by_code = {w["code"]: w for w in refused["warnings"]}
    assert by_code["report_deadline_missing"]["paragraph"] and "report_deadline" in by_code[
        "report_deadline_missing"]["action"]
    assert plans.call("GET", "/v1/plans", tokens.officer).json()["items"] == []

    second = upload(plans, tokens.officer, name, data, report_deadline="2026-12-10",
                    unit_map=json.dumps({lead_as_written: "VHXH"}))
    assert second.status_code == 201, second.text
    plan = second.json()["plan"]
    assert plan["report_deadline"] == "2026-12-10"
    assert plan["document"]["funding"]["amounts"] == [a.model_dump() for a in document.funding.amounts]
    targets = {t["indicator_code"]: t for t in plan["indicator_targets"]}
    assert len(targets) == 2 and [t["target"] for t in targets.values()] == [t.value for t in document.targets]
    catalogue = {i["code"] for i in plans.call("GET", f"/v1/indicators?commune_code={COMMUNE}",
                                                tokens.officer).json()["items"]}
    assert set(targets) <= catalogue

    issued = plans.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.officer)
    assert issued.status_code == 200, issued.text
    assert issued.json()["assigned_tasks"]["VHXH"] == [f"TC-1.{n}" for n in
                                                       range(1, len(document.organisation[0].tasks) + 2)]
    [event] = [json.loads(m.body) for m in events.collect(lambda got: any(
        json.loads(m.body)["type"] == "plan.issued.v1" for m in got))]
    assert (event["data"]["issuing_body"], event["data"]["locality_type"]) == (document.issuing_body, "phuong")
    assert event["data"]["issuing_body"].startswith("UBND phường ")
    # every unit reports on each of its tasks, the second one included
    for unit_code, task_codes in issued.json()["assigned_tasks"].items():
        report = {"tasks": [{"task_code": code, "status": "done", "summary": "Đã thực hiện."} for code in task_codes]}
        response = plans.call("POST", f"/v1/plans/{plan['id']}/unit-reports", tokens.reporter(unit_code), json=report)
        assert response.status_code == 201, response.text


def test_unit_map_codes_must_be_in_the_directory(son_hai, tokens):
    response = upload(son_hai, tokens.officer, SEED.name, SEED.read_bytes(),
                      unit_map=json.dumps({"Phòng Kinh tế xã": "KHONG-CO"}))
    assert refusal(response) == (422, "validation_error")
    assert response.json()["error"]["fields"] == [
        {"field": "unit_map.Phòng Kinh tế xã", "problem": "không có đơn vị mã “KHONG-CO” trong danh mục của xã/phường"}]
    malformed = upload(son_hai, tokens.officer, SEED.name, SEED.read_bytes(), unit_map="{not json")
    assert refusal(malformed) == (422, "validation_error") and malformed.json()["error"]["fields"][0]["field"] == (
        "unit_map")
