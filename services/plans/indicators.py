"""Indicators: the national reference set (seeded by migration) and a commune's own."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Conflict, Forbidden, Unprocessable
from services.plans.document import PlanTarget
from services.plans.models import Indicator
from services.plans.schemas import IndicatorIn, IndicatorTarget

NATIONAL = "national"


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
        raise Conflict("Mã chỉ tiêu này đã có.", code="indicator_exists",
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


# Units of measure whose values are counted (a target of '10 buổi' is a count; '95%' a percentage).
_COUNTED = {"người", "lượt người", "buổi", "hoạt động", "lớp", "cuộc", "mô hình", "câu lạc bộ", "hộ", "thôn",
            "lượt", "đợt", "hội nghị", "trường", "đơn vị", "vụ", "tổ dân phố", "tin, bài", "tin bài", "xã", "phường"}


def targets_as_indicators(session: Session, commune_code: str, year: int,
                          targets: list[PlanTarget]) -> tuple[list[PlanTarget], list[IndicatorTarget]]:
    """The plan's targets, each one an indicator of the catalogue: a national reference indicator when
    the import matched one, otherwise the commune's own, made here (or found again by its name when the
    same plan is imported again). Returns the targets with their codes and the plan's indicator targets."""
    catalogue = catalogue_for(session, commune_code)
    by_name = {(i.name, i.unit_of_measure): i.code for i in catalogue.values() if i.scope == commune_code}
    coded: list[PlanTarget] = []
    indicator_targets: dict[str, IndicatorTarget] = {}
    for target in targets:
        code = target.indicator_code if target.indicator_code in catalogue else None
        unit = target.unit_of_measure or "giá trị"
        if code is None:
            code = by_name.get((target.name[:1000], unit))
        if code is None:
            code = _free_code(catalogue, f"KH{year}-CT{target.number:02d}")
            value_type = ("percent" if unit == "%" else "count" if unit in _COUNTED else "number")
            catalogue[code] = Indicator(id=str(uuid.uuid4()), scope=commune_code, code=code, name=target.name[:1000],
                                        unit_of_measure=unit[:50], value_type=value_type, sex_disaggregated=False,
                                        source=f"Chỉ tiêu của kế hoạch năm {year}", reference_targets=[])
            session.add(catalogue[code])
            by_name[(target.name[:1000], unit)] = code
        coded.append(target.model_copy(update={"indicator_code": code}))
        indicator_targets.setdefault(code, IndicatorTarget(indicator_code=code, target=target.value,
                                                           baseline=target.baseline,
                                                           baseline_year=target.baseline_year))
    session.flush()
    return coded, list(indicator_targets.values())


def _free_code(catalogue: dict[str, Indicator], wanted: str) -> str:
    code, suffix = wanted, 1
    while code in catalogue:
        suffix += 1
        code = f"{wanted}-{suffix}"
    return code
