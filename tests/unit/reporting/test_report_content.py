"""The commune report's content model: its JSON is what the published schema describes, its texts are NFC,
and the header is worded as Nghị định 30 asks."""
import datetime as dt
import json
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from services.reporting import wording
from services.reporting.report_content import CommuneReport, LocalityKind, ReportState
from tests.support.commune_reports import example_commune_report

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "reports" / "commune-report.schema.json"


def test_the_example_report_validates_against_the_committed_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    document = example_commune_report().model_dump(mode="json")
    validator.validate(document)
    broken = dict(document, gbv={**document["gbv"], "total_cases": {"value": 3}})
    assert any(error.validator == "required" for error in validator.iter_errors(broken))


def test_the_json_reads_back_as_the_same_report():
    report = example_commune_report()
    assert CommuneReport.model_validate_json(report.model_dump_json()) == report


def test_texts_are_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Lưu: VT, VHXH.")
    assert decomposed != "Lưu: VT, VHXH."
    report = example_commune_report(recipients=[decomposed])
    assert report.recipients == ["Lưu: VT, VHXH."]


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as refused:
        CommuneReport.model_validate({**example_commune_report().model_dump(mode="json"), "extra": 1})
    assert refused.value.errors()[0]["type"] == "extra_forbidden"


def test_a_draft_has_no_submission():
    draft = example_commune_report(state=ReportState.DRAFT, submission=None)
    assert draft.model_dump(mode="json")["submission"] is None


@pytest.mark.parametrize(("kind", "name", "body", "lines"), [
    (LocalityKind.COMMUNE, "Sơn Hải", "UBND xã Sơn Hải", ["ỦY BAN NHÂN DÂN", "XÃ SƠN HẢI"]),
    (LocalityKind.WARD, "Đông Ngàn", "UBND phường Đông Ngàn", ["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐÔNG NGÀN"]),
    (LocalityKind.SPECIAL_ZONE, "Cô Tô", "UBND đặc khu Cô Tô", ["ỦY BAN NHÂN DÂN", "ĐẶC KHU CÔ TÔ"]),
])
def test_the_issuing_body_follows_the_kind_of_locality(kind, name, body, lines):
    assert wording.issuing_body(kind, name) == body
    assert wording.issuing_body_lines(kind, name) == lines


def test_dates_and_numbers_are_worded_as_the_decree_asks():
    assert wording.place_date_line("Sơn Hải", dt.date(2026, 2, 5), 2026) == "Sơn Hải, ngày 05 tháng 02 năm 2026"
    assert wording.place_date_line("Sơn Hải", dt.date(2026, 12, 15), 2026) == "Sơn Hải, ngày 15 tháng 12 năm 2026"
    assert wording.place_date_line("Sơn Hải", None, 2026) == "Sơn Hải, ngày      tháng      năm 2026"
    assert wording.number_line("125") == "Số: 125/BC-UBND"
    assert wording.number_line(None) == "Số:      /BC-UBND"
    assert (wording.citation("Kế hoạch", "169", "KH-UBND", dt.date(2026, 5, 14), "UBND tỉnh Bắc Ninh")
            == "Kế hoạch số 169/KH-UBND ngày 14/5/2026 của UBND tỉnh Bắc Ninh")
    assert wording.citation("Kế hoạch", None, "KH-UBND", None, "UBND xã Sơn Hải") == "Kế hoạch của UBND xã Sơn Hải"
