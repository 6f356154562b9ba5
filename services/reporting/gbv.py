"""Gender-based violence figures as they leave a commune, and as a province adds them up.

A commune's counts (`figures.gbv_counts`) leave in its report with small counts hidden
(`services/common/suppression.py`): 1 to 4 hidden, and within each breakdown that adds up to a total
more cells hidden until no hidden cell is the total minus the cells shown.

The province's totals are published beside the communes' reports, which the province reads. A province
cell equals the sum of the communes' cells in its row of the table, so it is a new equation over the
communes' hidden cells: shown, it could give one of them back (a province total minus the communes'
cells shown is the one commune cell hidden). So a province cell is hidden too whenever the communes'
hidden cells under it could be worked out from it, and the province's own breakdowns are then protected
against their totals in the same way, until nothing changes.
"""
from __future__ import annotations

from services.common.labels import (
    AGE_BAND_LABELS,
    AUTHORITY_LABELS,
    CASE_TYPE_LABELS,
    GBVIMS_LABELS,
    MEASURE_LABELS,
    REFERRAL_STATUS_LABELS,
    SEX_LABELS,
    UNKNOWN,
)
from services.common.suppression import cell, is_small, protected_count, protected_partition, recoverable
from services.reporting.figures import PARTITIONS, no_cases
from services.reporting.report_content import Cell, FigureRow, GbvSection

NOTE = ("Chỉ tính các vụ việc được tiếp nhận trong năm mà người bị hại đồng ý cho sử dụng thông tin vào mục đích "
        "thống kê. Số từ 1 đến 4 được ẩn, và ẩn thêm những số mà từ đó có thể suy ra số đã ẩn.")

LABELS = {
    "by_case_type": {t.value: label for t, label in CASE_TYPE_LABELS.items()},
    "by_gbvims_type": {**{t.value: label for t, label in GBVIMS_LABELS.items()}, UNKNOWN: "Chưa phân loại"},
    "victims_by_sex": SEX_LABELS,
    "victims_by_age_band": {b.value: label for b, label in AGE_BAND_LABELS.items()},
    "measures": {k.value: label for k, label in MEASURE_LABELS.items()},
    "referrals": {a.value: label for a, label in AUTHORITY_LABELS.items()},
    "escalations_by_outcome": {s.value: label for s, label in REFERRAL_STATUS_LABELS.items()},
}
# every breakdown that adds up to a total, and that total
TOTAL_OF = {**{name: "total" for name in PARTITIONS}, "escalations_by_outcome": "escalated"}

Cells = dict[str, dict]  # key -> {"value": int | None, "suppressed": bool}


def protect(counts: dict) -> dict:
    """A commune's counts as they leave it: every total and cell as {value, suppressed}."""
    protected: dict = {"total": protected_count(counts["total"]), "escalated": protected_count(counts["escalated"])}
    for name, total in TOTAL_OF.items():
        protected[name] = protected_partition(counts[name], not protected[total]["suppressed"])
    _hide_grouping(protected)
    for name in ("measures", "referrals"):  # a case may have several or none: no cell is a difference of others
        protected[name] = {key: protected_count(count) for key, count in counts[name].items()}
    return protected


def _hide_grouping(protected: dict) -> None:
    """A GBVIMS type groups case types: its count minus the case types shown in it would give back a hidden
    case type. While any case type is hidden, every GBVIMS count that is not 0 is hidden."""
    if any(c["suppressed"] for c in protected["by_case_type"].values()):
        protected["by_gbvims_type"] = {key: c if c["value"] == 0 else cell(0, hidden=True)
                                       for key, c in protected["by_gbvims_type"].items()}


def section(counts: dict, free_text: list[str] | None = None) -> GbvSection:
    """Section IV of a commune's report from its raw counts."""
    protected = protect(counts)

    def rows(name: str) -> list[FigureRow]:
        return [FigureRow(key=key, label=LABELS[name][key], **protected[name][key]) for key in protected[name]]

    return GbvSection(note=NOTE, total_cases=Cell(**protected["total"]), by_case_type=rows("by_case_type"),
                      by_gbvims_type=rows("by_gbvims_type"), victims_by_sex=rows("victims_by_sex"),
                      victims_by_age_band=rows("victims_by_age_band"), measures=rows("measures"),
                      referrals=rows("referrals"), escalated=Cell(**protected["escalated"]),
                      escalations_by_outcome=rows("escalations_by_outcome"), free_text=free_text or [])


# the province ---------------------------------------------------------------------------------
Figure = tuple[str, str | None]  # ("total", None), ("by_case_type", "trafficking"), ...


def province_totals(communes: list[dict]) -> dict:
    """The province's figures from its communes' raw counts, protected against its own breakdowns and
    against the communes' reports as published (protected by `protect`), with which they are read."""
    figures: list[Figure] = [("total", None), ("escalated", None)] + [
        (name, key) for name in [*TOTAL_OF, "measures", "referrals"]
        for key in (communes[0][name] if communes else {})]

    def value(counts: dict, figure: Figure) -> int:
        name, key = figure
        return counts[name] if key is None else counts[name][key]

    def published_hidden(cells: dict, figure: Figure) -> bool:
        name, key = figure
        return (cells[name] if key is None else cells[name][key])["suppressed"]

    published = [protect(counts) for counts in communes]
    totals = {figure: sum(value(counts, figure) for counts in communes) for figure in figures}
    # under each province figure, the communes' cells that were hidden in their reports
    hidden_below = {figure: [value(counts, figure) for counts, cells in zip(communes, published, strict=True)
                             if published_hidden(cells, figure)] for figure in figures}
    hidden = {figure for figure in figures if is_small(totals[figure])}
    changed = True
    while changed:
        changed = False
        for figure in figures:  # shown, would it give back the communes' hidden cells under it?
            if figure not in hidden and recoverable(hidden_below[figure]):
                hidden.add(figure)
                changed = True
        for name, total in TOTAL_OF.items():  # the province's own breakdowns against their totals
            members = [figure for figure in figures if figure[0] == name]
            while _leaks(totals, hidden, (total, None), members):
                candidates = [m for m in members if m not in hidden and totals[m] > 0]
                if not candidates:
                    break
                hidden.add(min(candidates, key=totals.__getitem__))
                changed = True
        # a GBVIMS type groups case types: while a case type is hidden, so is every GBVIMS count above 0
        if any(f in hidden for f in figures if f[0] == "by_case_type"):
            for figure in figures:
                if figure[0] == "by_gbvims_type" and totals[figure] > 0 and figure not in hidden:
                    hidden.add(figure)
                    changed = True
    result: dict = {name: {} for name in [*TOTAL_OF, "measures", "referrals"]}
    for figure in figures:
        name, key = figure
        protected = cell(totals[figure], hidden=figure in hidden)
        if key is None:
            result[name] = protected
        else:
            result[name][key] = protected
    return result


PROVINCE_NOTE = ("Tổng hợp các vụ việc được tiếp nhận trong năm tại các xã, phường, đặc khu mà người bị hại đồng ý cho "
                 "sử dụng thông tin vào mục đích thống kê. Số từ 1 đến 4 được ẩn (ký hiệu *), và ẩn thêm những số mà "
                 "từ đó, cùng với báo cáo của các xã, có thể suy ra số đã ẩn.")


def province_section(communes: list[dict]) -> GbvSection:
    """The province's GBV figures (`province_totals`) as a report's section IV; a province without any
    counts yet shows zeros."""
    totals = province_totals(communes or [no_cases()])

    def rows(name: str) -> list[FigureRow]:
        return [FigureRow(key=key, label=LABELS[name][key], **c) for key, c in totals[name].items()]

    return GbvSection(note=PROVINCE_NOTE, total_cases=Cell(**totals["total"]), by_case_type=rows("by_case_type"),
                      by_gbvims_type=rows("by_gbvims_type"), victims_by_sex=rows("victims_by_sex"),
                      victims_by_age_band=rows("victims_by_age_band"), measures=rows("measures"),
                      referrals=rows("referrals"), escalated=Cell(**totals["escalated"]),
                      escalations_by_outcome=rows("escalations_by_outcome"))


def _leaks(totals: dict[Figure, int], hidden: set[Figure], total: Figure, members: list[Figure]) -> bool:
    """Whether the hidden cells of one breakdown could be worked out from it: with the total shown, when
    the hidden members are recoverable from their known sum; with the total hidden, when no member is
    (the total is then the sum of the members shown)."""
    hidden_members = [totals[m] for m in members if m in hidden]
    if total in hidden:
        return not hidden_members and totals[total] > 0
    return recoverable(hidden_members)
