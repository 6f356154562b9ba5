"""Who sees which commune's report: the commune's own staff, and the officers of Sở Nội vụ of the province
the commune belongs to (their token's `province` claim). Anyone else finds nothing: another commune's
report, or another province's, answers 404 exactly like one that does not exist.
"""
from __future__ import annotations

from services.common import admin_units
from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.roles import Role

COMMUNE_STAFF = {Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}


def _nothing() -> NotFound:
    return NotFound("Không tìm thấy báo cáo.", code="report_not_found")


def in_province(principal: Principal, commune_code: str) -> bool:
    """A province officer's view reaches the communes of the province in the token's claim, and no other."""
    province = admin_units.province_of(commune_code)
    return (principal.role is Role.PROVINCE_OFFICER and province is not None
            and principal.province_code == province.code)


def require_commune_staff(principal: Principal, commune_code: str) -> None:
    if principal.role not in COMMUNE_STAFF or principal.commune_code != commune_code:
        raise _nothing()


def require_report_reader(principal: Principal, commune_code: str) -> None:
    if not (in_province(principal, commune_code)
            or (principal.role in COMMUNE_STAFF and principal.commune_code == commune_code)):
        raise _nothing()


def require_province_of(principal: Principal, commune_code: str) -> None:
    if not in_province(principal, commune_code):
        raise _nothing()


def province_not_found() -> NotFound:
    return NotFound("Không tìm thấy tỉnh, thành phố.", code="province_not_found")


def require_province(principal: Principal, province_code: str) -> None:
    if principal.role is not Role.PROVINCE_OFFICER or principal.province_code != province_code:
        raise province_not_found()
