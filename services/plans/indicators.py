"""Indicators: the national reference set (seeded by migration) and a commune's own."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Conflict, Forbidden, Unprocessable
from services.plans.models import Indicator
from services.plans.schemas import IndicatorIn, IndicatorOut, IndicatorTarget

NATIONAL = "national"


def indicator_view(indicator: Indicator) -> IndicatorOut:
    return IndicatorOut(code=indicator.code, scope=indicator.scope, name=indicator.name,
                        unit_of_measure=indicator.unit_of_measure, value_type=indicator.value_type,
                        sex_disaggregated=indicator.sex_disaggregated, source=indicator.source,
                        reference_targets=indicator.reference_targets or [])


def list_indicators(session: Session, principal: Principal, commune_code: str | None) -> list[Indicator]:
    scopes = [NATIONAL]
    commune = commune_code or principal.commune_code
    if commune:
        if not principal.can_read_commune(commune):
            raise Forbidden("Bạn không có quyền xem dữ liệu của xã/phường này.", code="wrong_commune")
        scopes.append(commune)
    return list(session.scalars(sa.select(Indicator).where(Indicator.scope.in_(scopes))
                                .order_by(Indicator.scope, Indicator.code)))


def create_indicator(session: Session, principal: Principal, commune_code: str, body: IndicatorIn) -> Indicator:
    principal.require_commune(commune_code)
    clash = session.scalars(sa.select(Indicator.id).where(Indicator.scope.in_([NATIONAL, commune_code]),
                                                          Indicator.code == body.code)).first()
    if clash:
        raise Conflict(f"Mã chỉ tiêu '{body.code}' đã có.", code="indicator_exists",
                       fields=[{"field": "code", "problem": "đã tồn tại"}])
    indicator = Indicator(id=str(uuid.uuid4()), scope=commune_code, code=body.code, name=body.name,
                          unit_of_measure=body.unit_of_measure, value_type=body.value_type.value,
                          sex_disaggregated=body.sex_disaggregated, source=body.source, reference_targets=[])
    session.add(indicator)
    session.flush()
    return indicator


def catalogue_for(session: Session, commune_code: str) -> dict[str, Indicator]:
    return {i.code: i for i in session.scalars(sa.select(Indicator).where(
        Indicator.scope.in_([NATIONAL, commune_code])))}


def check_targets(targets: list[IndicatorTarget], catalogue: dict[str, Indicator], unit_codes: set[str],
                  task_codes: set[str]) -> None:
    problems, seen = [], set()
    for index, target in enumerate(targets):
        field = f"indicator_targets.{index}"
        if target.indicator_code not in catalogue:
            problems.append({"field": f"{field}.indicator_code", "problem": "chỉ tiêu không có trong danh mục"})
        if target.indicator_code in seen:
            problems.append({"field": f"{field}.indicator_code", "problem": "chỉ tiêu lặp lại"})
        seen.add(target.indicator_code)
        for position, unit in enumerate(target.reported_by_units):
            if unit not in unit_codes:
                problems.append({"field": f"{field}.reported_by_units.{position}",
                                 "problem": f"đơn vị '{unit}' không có trong phần Tổ chức thực hiện"})
        for position, task in enumerate(target.reported_by_tasks):
            if task not in task_codes:
                problems.append({"field": f"{field}.reported_by_tasks.{position}",
                                 "problem": f"nhiệm vụ '{task}' không có trong kế hoạch"})
    if problems:
        raise Unprocessable("Chỉ tiêu của kế hoạch không hợp lệ.", fields=problems)
