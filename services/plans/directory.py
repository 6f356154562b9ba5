"""The commune's unit directory: who can be assigned tasks and report."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal
from services.common.errors import Conflict, NotFound
from services.common.events.contracts import UnitDissolved
from services.plans.document import UnitType
from services.plans.models import Unit
from services.plans.schemas import UnitChange, UnitIn
from services.plans.units import DirectoryUnit


def _find(session: Session, commune_code: str, code: str) -> Unit:
    unit = session.scalars(sa.select(Unit).where(Unit.commune_code == commune_code, Unit.code == code)).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.", code="unit_not_found")
    return unit


def create_unit(session: Session, principal: Principal, commune_code: str, body: UnitIn, now: dt.datetime) -> Unit:
    principal.require_commune(commune_code)
    if session.scalars(sa.select(Unit.id).where(Unit.commune_code == commune_code, Unit.code == body.code)).first():
        raise Conflict("Mã đơn vị này đã có trong danh mục.", code="unit_exists",
                       fields=[{"field": "code", "problem": "đã tồn tại"}])
    unit = Unit(id=str(uuid.uuid4()), commune_code=commune_code, code=body.code, name=body.name,
                unit_type=body.unit_type.value, active_from=body.active_from, active_to=body.active_to,
                contact_points=[c.model_dump(mode="json") for c in body.contact_points], created_at=now,
                updated_at=now)
    session.add(unit)
    session.flush()
    return unit


def change_unit(session: Session, principal: Principal, commune_code: str, code: str, body: UnitChange,
                now: dt.datetime) -> Unit:
    principal.require_commune(commune_code)
    unit = _find(session, commune_code, code)
    if body.name is not None:
        unit.name = body.name
    if "active_to" in body.model_fields_set:
        if body.active_to and unit.active_from and body.active_to < unit.active_from:
            raise Conflict("Ngày giải thể không được trước ngày thành lập.", code="invalid_period",
                           fields=[{"field": "active_to", "problem": "trước active_from"}])
        if body.active_to is not None and body.active_to != unit.active_to:
            outbox.add_event(session, service="plans", subject=unit.code, commune_code=commune_code,
                             data=UnitDissolved(commune_code=commune_code, unit_code=unit.code,
                                                active_to=body.active_to))
        unit.active_to = body.active_to
    if body.contact_points is not None:
        unit.contact_points = [c.model_dump(mode="json") for c in body.contact_points]
    unit.updated_at = now
    return unit


def units_of(session: Session, commune_code: str) -> list[Unit]:
    return list(session.scalars(sa.select(Unit).where(Unit.commune_code == commune_code)
                                .order_by(Unit.unit_type, Unit.code)))


def list_units(session: Session, principal: Principal, commune_code: str, active_on: dt.date | None) -> list[Unit]:
    principal.require_readable_commune(commune_code)
    units = units_of(session, commune_code)
    if active_on:
        units = [u for u in units if as_directory_unit(u).active_on(active_on)]
    return units


def get_unit(session: Session, principal: Principal, commune_code: str, code: str) -> Unit:
    principal.require_readable_commune(commune_code)
    return _find(session, commune_code, code)


def as_directory_unit(unit: Unit | UnitIn) -> DirectoryUnit:
    """The directory record of a stored unit, or of one described as the API takes it."""
    return DirectoryUnit(code=unit.code, name=unit.name, unit_type=UnitType(unit.unit_type),
                         active_from=unit.active_from, active_to=unit.active_to)


def directory_of(session: Session, commune_code: str) -> dict[str, DirectoryUnit]:
    return {u.code: as_directory_unit(u) for u in units_of(session, commune_code)}
