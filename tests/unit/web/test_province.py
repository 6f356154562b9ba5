"""Sở Nội vụ's board from reporting's province view: lines, order, charts' data, the return form."""
from services.web import province


def row(code, name, state, submitted=0, expected=4, plan=True, late=None, revision=None):
    return {"commune_code": code, "commune_name": name, "plan_issued": plan, "expected": expected if plan else 0,
            "submitted": submitted, "reporting_rate": (submitted / expected) if plan and expected else None,
            "report_state": state, "late": late, "report_revision": revision}


VIEW = {"communes": [
    row("00001", "Xã An", "accepted", 4, revision=1, late=False),
    row("00002", "Xã Bình", "none", plan=False),
    row("00003", "Xã Cát", "late", 4, revision=1, late=True),
    row("00004", "Xã Dương", "draft", 1),
    row("00005", "Phường Đông", "submitted", 3, revision=2, late=False),
]}


def test_lines_group_what_awaits_the_province_first():
    lines = province.lines(VIEW, "trang-thai")
    assert [c.state for c in lines] == ["submitted", "late", "draft", "none", "accepted"]
    assert lines[0].completeness == "3/4 (75 %)" and lines[1].late and lines[3].completeness == "–"
    assert [c.name for c in province.lines(VIEW, "ten")][0] == "Phường Đông"
    assert [c.code for c in province.lines(VIEW, "ti-le")] == ["00004", "00005", "00001", "00003", "00002"]


def test_counts_and_rate_bands():
    counts = {state: count for state, _, count in province.state_counts(VIEW)}
    assert counts == {"submitted": 1, "late": 1, "returned": 0, "approved": 0, "draft": 1, "none": 1,
                      "accepted": 1}
    bands = {bar.label: bar.value for bar in province.rate_bars(VIEW)}
    assert bands == {"Dưới 50 %": 1, "50 – dưới 80 %": 1, "80 – dưới 100 %": 0, "100 %": 2,
                     "Chưa có kế hoạch": 1}


def test_sex_pairs_only_of_indicators_reported_by_sex():
    indicators = [
        {"name": "Người được tuyên truyền", "unit_of_measure": "người", "sex_disaggregated": True,
         "female": 10.0, "male": 8.0},
        {"name": "Tỉ lệ", "unit_of_measure": "%", "sex_disaggregated": False, "female": None, "male": None},
        {"name": "Chưa báo cáo", "unit_of_measure": "người", "sex_disaggregated": True, "female": None, "male": None},
    ]
    assert [(p.label, p.female, p.male) for p in province.sex_pairs(indicators)] == [
        ("Người được tuyên truyền (người)", 10.0, 8.0)]


def test_the_return_form_needs_a_category_and_a_reason():
    assert province.return_form({"category": "", "reason": "  "})[1] == {
        "category": "Vui lòng chọn loại lý do.", "reason": "Vui lòng ghi lý do trả lại để xã biết cần sửa gì."}
    assert province.return_form({"category": "other", "reason": "x" * 2001})[1] == {
        "reason": "Lý do dài quá 2000 ký tự."}
    assert province.return_form({"category": "incomplete", "reason": " Thiếu số liệu. "}) == (
        {"category": "incomplete", "reason": "Thiếu số liệu."}, {})


def test_submitted_revisions_and_history_labels():
    history = [{"revision": 1, "from_state": "approved", "to_state": "submitted", "reason_category": None,
                "reason": None},
               {"revision": 2, "from_state": "submitted", "to_state": "returned", "reason_category": "form",
                "reason": "Sai thể thức."},
               {"revision": 2, "from_state": "approved", "to_state": "submitted", "reason_category": None,
                "reason": None}]
    assert province.submitted_revisions(history) == [1, 2]
    assert province.transition_lines(history)[1]["category_label"] == "Sai thể thức"
    assert province.percent(None) == "–" and province.percent(0.3333) == "33,3 %"
