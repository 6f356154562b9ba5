"""Fixtures of the plan importer's tests: documents and unit directories under tests/fixtures/plans/."""
from __future__ import annotations

import datetime as dt
import json
import pathlib

import pytest

from services.plans.document import UnitType
from services.plans.units import DirectoryUnit

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "plans"
SAMPLES = ROOT / "samples"  # the seed plan and Sơn Hải's directory, shared with the demo
SEED = "ke-hoach-binh-dang-gioi-2026-son-hai.txt"  # a verbatim copy of the shared seed document


def _path(name: str) -> pathlib.Path:
    return SAMPLES / name if (SAMPLES / name).exists() else FIXTURES / name


def fixture_text(name: str) -> str:
    return _path(name).read_text(encoding="utf-8")


def load_directory(name: str) -> list[DirectoryUnit]:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return [DirectoryUnit(code=unit["code"], name=unit["name"], unit_type=UnitType(unit["unit_type"]),
                          active_from=day(unit.get("active_from")), active_to=day(unit.get("active_to")))
            for unit in json.loads(_path(name).read_text(encoding="utf-8"))]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return fixture_text(SEED)


@pytest.fixture(scope="session")
def son_hai_directory() -> list[DirectoryUnit]:
    return load_directory("directory-son-hai.json")
