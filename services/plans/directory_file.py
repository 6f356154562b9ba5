"""A unit directory kept as a JSON file (a list of units as `POST /v1/communes/{c}/units` takes them)."""
from __future__ import annotations

import json
from pathlib import Path

from services.plans.document import UnitType
from services.plans.schemas import UnitIn
from services.plans.units import DirectoryUnit


def read_units(path: Path) -> list[UnitIn]:
    return [UnitIn.model_validate(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def read_directory(path: Path) -> list[DirectoryUnit]:
    return [DirectoryUnit(code=u.code, name=u.name, unit_type=UnitType(u.unit_type), active_from=u.active_from,
                          active_to=u.active_to) for u in read_units(path)]
