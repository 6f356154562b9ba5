"""A unit directory kept as a JSON file (a list of units as `POST /v1/communes/{c}/units` takes them)."""
from __future__ import annotations

import json
from pathlib import Path

from services.plans.directory import as_directory_unit
from services.plans.schemas import UnitIn
from services.plans.units import DirectoryUnit


def read_units(path: Path) -> list[UnitIn]:
    return [UnitIn.model_validate(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def read_directory(path: Path) -> list[DirectoryUnit]:
    return [as_directory_unit(unit) for unit in read_units(path)]
