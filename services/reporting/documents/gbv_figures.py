"""The GBV figures of a report (a commune's section IV, or the province's sum of them) as the documents print
them: groups in a fixed order, each with its title, its own count where it has one, and its rows. The DOCX
table and the XLSX sheet both read this, so they list the same figures in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.reporting.report_content import Cell, FigureRow, GbvSection


@dataclass(frozen=True)
class FigureGroup:
    key: str
    title: str
    count: Cell | None  # the group's own figure (total cases, escalated cases); None for a breakdown only
    rows: list[FigureRow]


def figure_groups(gbv: GbvSection) -> list[FigureGroup]:
    return [
        FigureGroup("total_cases", "Tổng số vụ việc", gbv.total_cases, []),
        FigureGroup("by_case_type", "Vụ việc theo loại", None, gbv.by_case_type),
        FigureGroup("by_gbvims_type", "Vụ việc theo loại hình bạo lực (GBVIMS)", None, gbv.by_gbvims_type),
        FigureGroup("victims_by_sex", "Người bị hại theo giới tính", None, gbv.victims_by_sex),
        FigureGroup("victims_by_age_band", "Người bị hại theo độ tuổi", None, gbv.victims_by_age_band),
        FigureGroup("measures", "Vụ việc có áp dụng biện pháp bảo vệ, hỗ trợ (một vụ việc có thể có nhiều biện "
                                "pháp)", None, gbv.measures),
        FigureGroup("referrals", "Vụ việc được chuyển gửi, theo nơi tiếp nhận", None, gbv.referrals),
        FigureGroup("escalated", "Vụ việc chuyển cơ quan có thẩm quyền", gbv.escalated, gbv.escalations_by_outcome),
    ]
