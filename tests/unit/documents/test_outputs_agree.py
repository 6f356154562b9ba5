"""From one commune report, the DOCX, the XLSX and the JSON carry the same figures: every indicator's baseline,
target and result by sex (and each unit's values), every count of the units' reports, every unit with its state,
every task outcome, every GBV figure with the hidden ones marked. The figures are read back from each output
(the DOCX's text parsed as a reader reads it) and compared with the JSON, not with the renderers' own code."""
import re

import pytest

from services.reporting.documents import render_docx, render_xlsx
from services.reporting.report_content import CommuneReport
from tests.support.commune_reports import example_commune_report
from tests.support.document_reading import open_docx, open_xlsx, row_starting, table_rows, table_with_head

HIDDEN = "hidden"
# the GBV figures in the order a report lists them: (a group's own count or None, its breakdown or None)
GBV_GROUPS = [("total_cases", None), (None, "by_case_type"), (None, "by_gbvims_type"), (None, "victims_by_sex"),
              (None, "victims_by_age_band"), (None, "measures"), (None, "referrals"),
              ("escalated", "escalations_by_outcome")]


def _variant() -> CommuneReport:
    """A draft of another commune's shape: other figures, percentages and yes/no indicators, a result missing,
    every GBV count hidden, a unit returned twice."""
    data = example_commune_report().model_dump(mode="json")
    data.update(state="draft", submission=None, revision=2)
    rows = data["indicators"]["rows"]
    rows[0]["result"] = {"value": 2317, "female": 1402, "male": 915}
    rows[1].update(value_type="percent", unit_of_measure="%", target=75.5, baseline=60.25,
                   result={"value": 80.75, "female": None, "male": None}, sex_disaggregated=False, units=[])
    rows[2].update(result={"value": None, "female": None, "male": None}, met=None, met_label="Chưa đánh giá", units=[])
    rows[3].update(value_type="boolean", unit_of_measure="có/không", target=None,
                   result={"value": 1, "female": None, "male": None})
    rows[3]["units"][0].update(value=1)
    gbv = data["gbv"]
    for own, breakdown in GBV_GROUPS:
        if own:
            gbv[own] = {"value": None, "suppressed": True}
        for row in gbv.get(breakdown, []) if breakdown else []:
            row.update(value=None, suppressed=True)
    doai = next(u for u in data["completeness"]["units"] if u["unit_code"] == "DTN")
    doai["returns"].append({"revision": 2, "returned_at": "2026-11-19T02:00:00Z", "reason": "Chưa ký, đóng dấu."})
    return CommuneReport.model_validate(data)


REPORTS = {"submitted report": example_commune_report, "draft with hidden figures": _variant}


@pytest.fixture(scope="module", params=list(REPORTS))
def outputs(request):
    report = REPORTS[request.param]()
    return report.model_dump(mode="json"), open_docx(render_docx(report)), open_xlsx(render_xlsx(report))


def _number(text: str) -> float | None:
    """A figure as a reader reads it in the DOCX: '1.240' -> 1240, '110,4' -> 110.4, '≤ 111' -> 111, '85,5%'
    -> 85.5, 'Có' -> 1, '-' -> None; a baseline's '(năm 2025)' line is left out."""
    first = text.split("\n")[0].removeprefix("≤ ").removesuffix("%")
    words = {"-": None, "Có": 1.0, "Không": 0.0}
    if first in words:
        return words[first]
    return float(first.replace(".", "").replace(",", "."))


def _count(text: str) -> int | str:
    return HIDDEN if text == "*" else int(text.replace(".", ""))


def _sheet_count(value) -> int | str:
    return HIDDEN if value == "*" else value


def _json_count(cell: dict) -> int | str:
    return HIDDEN if cell["suppressed"] else cell["value"]


def test_indicators_agree(outputs):
    data, document, sheets = outputs
    docx_rows = table_rows(table_with_head(document, "TT", "Chỉ tiêu"))
    xlsx_rows = {row["Mã chỉ tiêu"]: row for row in sheets["Chỉ tiêu"].rows}
    assert len(xlsx_rows) == len(data["indicators"]["rows"])
    for indicator in data["indicators"]["rows"]:
        result = indicator["result"]
        figures = [indicator["baseline"], indicator["target"], result["value"], result["female"], result["male"]]
        row = row_starting(docx_rows, 1, indicator["name"])
        assert [_number(row[3]), _number(row[4]), *(_number(cell) for cell in row[5:8])] == figures
        assert row[8] == indicator["met_label"]
        sheet_row = xlsx_rows[indicator["indicator_code"]]
        assert [sheet_row[k] for k in ("Giá trị cơ sở", "Chỉ tiêu kế hoạch", "Kết quả: tổng số", "Kết quả: nữ",
                                       "Kết quả: nam")] == figures
        assert (sheet_row["Năm cơ sở"], sheet_row["Đánh giá"]) == (indicator["baseline_year"], indicator["met_label"])
    docx_units = [[_number(cell) for cell in row[5:8]] for row in docx_rows if row[1].startswith("- ")]
    xlsx_units = [[row[k] for k in ("Tổng số", "Nữ", "Nam")] for row in sheets["Chỉ tiêu theo đơn vị"].rows]
    json_units = [[unit["value"], unit["female"], unit["male"]] for indicator in data["indicators"]["rows"]
                  for unit in indicator["units"]]
    assert docx_units == xlsx_units == json_units


def test_units_and_their_reports_agree(outputs):
    data, document, sheets = outputs
    completeness = data["completeness"]
    sentence = next(p.text for p in document.paragraphs if p.text.startswith("Tình hình báo cáo của các cơ quan"))
    found = re.search(r"(\d+) phải báo cáo; (\d+) đã báo cáo \(tỷ lệ [\d,]+%\), trong đó (\d+) đúng hạn \(tỷ lệ "
                      r"[\d,]+%\) và (\d+) trễ hạn; (\d+) chưa báo cáo; (\d+) báo cáo bị trả lại", sentence)
    counts = ["expected", "submitted", "on_time", "late", "missing", "returned"]
    assert found is not None, sentence
    assert [int(n) for n in found.groups()] == [completeness[k] for k in counts]
    summary = {row["Nội dung"]: row["Giá trị"] for row in sheets["Tổng hợp"].rows}
    assert [summary[label] for label in ("Cơ quan, đơn vị phải báo cáo", "Đã báo cáo", "Đúng hạn", "Trễ hạn",
                                         "Chưa báo cáo", "Bị trả lại")] == [completeness[k] for k in counts]
    assert (summary["Tỷ lệ báo cáo"], summary["Tỷ lệ báo cáo đúng hạn"]) == (completeness["reporting_rate"],
                                                                           completeness["on_time_rate"])

    docx_rows = table_rows(table_with_head(document, "TT", "Cơ quan, đơn vị"))[1:]
    xlsx_rows = sheets["Đơn vị báo cáo"].rows
    assert len(docx_rows) == len(xlsx_rows) == len(completeness["units"])
    for unit, docx_row, sheet_row in zip(completeness["units"], docx_rows, xlsx_rows, strict=True):
        assert docx_row[1].removesuffix(" (chủ trì)") == sheet_row["Cơ quan, đơn vị"] == unit["unit_name"]
        assert docx_row[2] == sheet_row["Tình trạng"] == unit["state_label"]
        assert _number(docx_row[3]) == sheet_row["Lần báo cáo"] == unit["revision"]
        assert sheet_row["Số lần bị trả lại"] == len(unit["returns"])
        for returned in unit["returns"]:
            assert returned["reason"] in docx_row[5] and returned["reason"] in sheet_row["Lý do trả lại"]


def test_task_outcomes_agree(outputs):
    data, document, sheets = outputs
    results = data["results"]
    tasks = [task for area in results["content_areas"] for task in area["tasks"]] + results["other_tasks"]
    json_outcomes = [(task["task_code"], task["status_label"], o["unit_code"], o["status_label"], o["summary"] or None)
                     for task in tasks for o in task["outcomes"]]
    xlsx_outcomes = [(row["Mã nhiệm vụ"], row["Tình trạng nhiệm vụ"], row["Mã đơn vị"], row["Tình trạng của đơn vị"],
                      row["Kết quả"]) for row in sheets["Nhiệm vụ"].rows]
    assert xlsx_outcomes == json_outcomes
    texts = [p.text for p in document.paragraphs]
    for task in tasks:
        assert f"- {task['text']} ({task['status_label'].lower()})." in texts
        for outcome in task["outcomes"]:
            told = outcome["summary"] or f"{outcome['status_label'].lower()}."
            assert f"+ {outcome['unit_name']}: {told}" in texts
    counts = results["task_counts"]
    summary = {row["Nội dung"]: row["Giá trị"] for row in sheets["Tổng hợp"].rows}
    assert [summary[f"Nhiệm vụ {label}"] for label in ("được giao", "đã hoàn thành", "đang thực hiện",
                                                        "chưa thực hiện", "chưa có báo cáo")] == [
        counts[k] for k in ("total", "done", "in_progress", "not_started", "not_reported")]


def test_gbv_figures_agree_hidden_ones_included(outputs):
    data, document, sheets = outputs
    gbv = data["gbv"]
    json_figures: list[tuple[str, int | str]] = []
    for own, breakdown in GBV_GROUPS:
        if own:
            json_figures.append((own, _json_count(gbv[own])))
        json_figures += [(row["key"], _json_count(row)) for row in (gbv[breakdown] if breakdown else [])]
    xlsx_figures = [(row["Mã"], _sheet_count(row["Số lượng"])) for row in sheets["Bạo lực giới"].rows]
    assert xlsx_figures == json_figures
    docx_rows = table_rows(table_with_head(document, "TT", "Nội dung"))[1:]
    # a group's own count stands on its title row; a group without one leaves it empty
    docx_figures = [_count(row[2]) for row in docx_rows if row[2]]
    assert docx_figures == [count for _, count in json_figures]
    assert gbv["note"] in [p.text for p in document.paragraphs]
    assert sheets["Bạo lực giới"].leading[2] == gbv["note"]


def test_the_document_header_agrees(outputs):
    data, document, sheets = outputs
    header = document.tables[0]
    assert header.cell(1, 0).text == data["header"]["number_line"]
    assert header.cell(1, 1).text == data["header"]["place_date_line"]
    summary = {row["Nội dung"]: row["Giá trị"] for row in sheets["Tổng hợp"].rows}
    assert (summary["Số văn bản"], summary["Năm"], summary["Lần báo cáo"], summary["Mã xã, phường, đặc khu"]) == (
        data["header"]["number_line"], data["year"], data["revision"], data["commune"]["commune_code"])
