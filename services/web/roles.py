"""The roles as the pages name them."""
from services.common.roles import Role

ROLE_NAMES = {
    Role.UNIT_REPORTER.value: "Người báo cáo của đơn vị",
    Role.COMMUNE_OFFICER.value: "Công chức văn hoá - xã hội",
    Role.CASE_WORKER.value: "Người xử lý vụ việc",
    Role.COMMUNE_LEADER.value: "Chủ tịch UBND xã",
    Role.PROVINCE_OFFICER.value: "Cán bộ Sở Nội vụ",
    Role.OPERATOR.value: "Quản trị hệ thống",
    Role.AUDITOR.value: "Kiểm tra nhật ký truy cập",
}
