"""Vietnamese labels of the values events carry, for whatever shows them to people (reports, pages)."""
from __future__ import annotations

from services.common.events.contracts import (
    AgeBand,
    Authority,
    CaseType,
    GbvimsType,
    MeasureKind,
    ReferralStatus,
    ReturnCategory,
    Sex,
)

CASE_TYPE_LABELS = {
    CaseType.DOMESTIC_VIOLENCE_PHYSICAL: "Bạo lực gia đình - thân thể",
    CaseType.DOMESTIC_VIOLENCE_PSYCHOLOGICAL: "Bạo lực gia đình - tinh thần",
    CaseType.DOMESTIC_VIOLENCE_SEXUAL: "Bạo lực gia đình - tình dục",
    CaseType.DOMESTIC_VIOLENCE_ECONOMIC: "Bạo lực gia đình - kinh tế",
    CaseType.SEXUAL_HARASSMENT: "Quấy rối tình dục",
    CaseType.SEXUAL_ABUSE: "Xâm hại tình dục",
    CaseType.ILLEGAL_MARRIAGE_BROKERING: "Môi giới hôn nhân trái pháp luật",
    CaseType.TRAFFICKING: "Mua bán người",
    CaseType.OTHER_GBV: "Bạo lực trên cơ sở giới khác",
}

GBVIMS_LABELS = {
    GbvimsType.RAPE: "Hiếp dâm",
    GbvimsType.SEXUAL_ASSAULT: "Tấn công tình dục",
    GbvimsType.PHYSICAL_ASSAULT: "Tấn công thể chất",
    GbvimsType.FORCED_MARRIAGE: "Cưỡng ép kết hôn",
    GbvimsType.DENIAL_OF_RESOURCES: "Từ chối tiếp cận nguồn lực, cơ hội hoặc dịch vụ",
    GbvimsType.PSYCHOLOGICAL_ABUSE: "Lạm dụng tâm lý, tình cảm",
}

UNKNOWN = "unknown"
SEX_LABELS = {Sex.FEMALE.value: "Nữ", Sex.MALE.value: "Nam", Sex.OTHER.value: "Khác", UNKNOWN: "Không rõ"}

AGE_BAND_LABELS = {
    AgeBand.CHILD: "Dưới 12 tuổi",
    AgeBand.ADOLESCENT: "Từ 12 đến 17 tuổi",
    AgeBand.YOUTH: "Từ 18 đến 24 tuổi",
    AgeBand.ADULT: "Từ 25 đến 59 tuổi",
    AgeBand.OLDER: "Từ 60 tuổi trở lên",
    AgeBand.UNKNOWN: "Không rõ",
}

MEASURE_LABELS = {
    MeasureKind.NO_CONTACT_ORDER: "Cấm tiếp xúc",
    MeasureKind.SHELTER: "Tạm lánh tại địa chỉ tin cậy",
    MeasureKind.MEDICAL_CARE: "Chăm sóc y tế",
    MeasureKind.LEGAL_AID: "Trợ giúp pháp lý",
    MeasureKind.COUNSELLING: "Tư vấn, tham vấn",
    MeasureKind.POLICE_SUMMONS: "Công an triệu tập",
}

AUTHORITY_LABELS = {
    Authority.COMMUNE_POLICE: "Công an xã",
    Authority.DISTRICT_POLICE: "Công an cấp trên",
    Authority.COURT: "Tòa án",
    Authority.SOCIAL_WORK_CENTRE: "Trung tâm công tác xã hội",
    Authority.HEALTH_FACILITY: "Cơ sở y tế",
    Authority.COMMUNE_CHAIRMAN: "Chủ tịch UBND xã",
    Authority.OTHER: "Cơ quan, tổ chức khác",
}

REFERRAL_STATUS_LABELS = {
    ReferralStatus.PENDING: "Chờ trả lời",
    ReferralStatus.ACCEPTED: "Đã tiếp nhận",
    ReferralStatus.REJECTED: "Từ chối",
    ReferralStatus.DONE: "Đã giải quyết xong",
}

RETURN_CATEGORY_LABELS = {
    ReturnCategory.INCOMPLETE: "Thiếu nội dung, số liệu",
    ReturnCategory.INCONSISTENT: "Số liệu không thống nhất",
    ReturnCategory.UNITS_MISSING: "Thiếu báo cáo của đơn vị",
    ReturnCategory.FORM: "Sai thể thức văn bản",
    ReturnCategory.OTHER: "Lý do khác",
}
