"""The roles a caller can have (the `role` claim of a bearer token)."""
from __future__ import annotations

import enum


class Role(str, enum.Enum):
    UNIT_REPORTER = "unit_reporter"
    COMMUNE_OFFICER = "commune_officer"
    CASE_WORKER = "case_worker"
    COMMUNE_LEADER = "commune_leader"
    PROVINCE_OFFICER = "province_officer"
    OPERATOR = "operator"
    AUDITOR = "auditor"  # reads the case access audit log, nothing else


# Roles that belong to one commune and must carry its code.
COMMUNE_ROLES = {Role.UNIT_REPORTER, Role.COMMUNE_OFFICER, Role.CASE_WORKER, Role.COMMUNE_LEADER}
# Roles that may read every commune (aggregated data only, enforced per endpoint).
PROVINCE_WIDE_ROLES = {Role.PROVINCE_OFFICER, Role.OPERATOR, Role.AUDITOR}
